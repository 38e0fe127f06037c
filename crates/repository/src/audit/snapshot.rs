//! The JSON the audit trail stores of each entity: format version 1.
//!
//! Dedicated types rather than the domain types' serde output, so renaming or adding a domain field
//! cannot silently change what new events store next to old ones. Changing a stored format means a
//! new `…V2` type, never an edit of a `…V1` one; the tests below pin the JSON of each.

use chrono::NaiveDateTime;
use pharmarec_domain::imports::{CatalogueImportReport, LicensedImportReport};
use pharmarec_domain::ports::{ChangeCounts, ImportReport};
use pharmarec_domain::{
    ActiveIngredient, Medicine, MedicineOrigin, Pharmacy, PharmacyId, StockAdjustment, StockLevel,
    User,
};
use serde::Serialize;

/// A type whose JSON the audit trail stores; only the types of this module are.
pub(crate) trait AuditSnapshot: Serialize {}

/// A stock line.
#[derive(Debug, Serialize)]
pub(crate) struct StockLineV1<'a> {
    pharmacy_id: String,
    medicine_id: &'a str,
    quantity: i64,
    price: MoneyV1<'a>,
    version: i64,
    updated_at: NaiveDateTime,
}

#[derive(Debug, Serialize)]
struct MoneyV1<'a> {
    minor: i64,
    currency: &'a str,
}

impl<'a> From<&'a StockLevel> for StockLineV1<'a> {
    fn from(line: &'a StockLevel) -> Self {
        Self {
            pharmacy_id: line.pharmacy_id.to_string(),
            medicine_id: line.medicine_id.as_str(),
            quantity: line.quantity,
            price: MoneyV1 {
                minor: line.price.minor,
                currency: &line.price.currency,
            },
            version: line.version,
            updated_at: line.updated_at,
        }
    }
}

/// A stock line with its low-stock threshold (format 2: format 1 had no threshold, so a `PUT` that
/// changed only the threshold recorded two equal snapshots).
#[derive(Debug, Serialize)]
pub(crate) struct StockLineV2<'a> {
    #[serde(flatten)]
    line: StockLineV1<'a>,
    low_stock_threshold: Option<i64>,
}

impl<'a> From<&'a StockLevel> for StockLineV2<'a> {
    fn from(line: &'a StockLevel) -> Self {
        Self {
            line: StockLineV1::from(line),
            low_stock_threshold: line.low_stock_threshold,
        }
    }
}

/// A stock line after an adjustment, with the delta and its reason (an adjustment never changes the
/// threshold, so it keeps format 1).
#[derive(Debug, Serialize)]
pub(crate) struct StockAdjustedV1<'a> {
    #[serde(flatten)]
    line: StockLineV1<'a>,
    delta: i64,
    reason: &'a str,
}

impl<'a> StockAdjustedV1<'a> {
    pub(crate) fn new(line: &'a StockLevel, adjustment: &'a StockAdjustment) -> Self {
        Self {
            line: StockLineV1::from(line),
            delta: adjustment.delta,
            reason: &adjustment.reason,
        }
    }
}

/// A medicine.
#[derive(Debug, Serialize)]
pub(crate) struct MedicineV1<'a> {
    id: &'a str,
    brand_name: &'a str,
    ingredients: Vec<ActiveIngredientV1<'a>>,
    strength: &'a str,
    dose_form: &'a str,
    route: &'a str,
    status: &'static str,
    te_codes: Vec<&'a str>,
    applicant: Option<&'a str>,
    application: Option<&'a str>,
    approval_date: Option<&'a str>,
    reference_listed_drug: bool,
    origin: OriginV1<'a>,
}

#[derive(Debug, Serialize)]
struct ActiveIngredientV1<'a> {
    ingredient: &'a str,
    as_labelled: &'a str,
    strength: Option<StrengthV1<'a>>,
}

#[derive(Debug, Serialize)]
struct StrengthV1<'a> {
    label: &'a str,
    amount: Option<DoseV1<'a>>,
}

#[derive(Debug, Serialize)]
struct DoseV1<'a> {
    value: f64,
    unit: &'a str,
    per: Option<&'a str>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum OriginV1<'a> {
    Imported { source: &'a str },
    Local,
}

impl<'a> From<&'a ActiveIngredient> for ActiveIngredientV1<'a> {
    fn from(active: &'a ActiveIngredient) -> Self {
        Self {
            ingredient: active.ingredient.as_str(),
            as_labelled: &active.as_labelled,
            strength: active.strength.as_ref().map(|strength| StrengthV1 {
                label: &strength.label,
                amount: strength.amount.as_ref().map(|dose| DoseV1 {
                    value: dose.value,
                    unit: &dose.unit,
                    per: dose.per.as_deref(),
                }),
            }),
        }
    }
}

impl<'a> From<&'a Medicine> for MedicineV1<'a> {
    fn from(medicine: &'a Medicine) -> Self {
        Self {
            id: medicine.id.as_str(),
            brand_name: &medicine.brand_name,
            ingredients: medicine.ingredients.iter().map(Into::into).collect(),
            strength: &medicine.strength,
            dose_form: &medicine.dose_form,
            route: &medicine.route,
            status: medicine.status.into(),
            te_codes: medicine.te_codes.iter().map(|code| code.as_str()).collect(),
            applicant: medicine.applicant.as_deref(),
            application: medicine.application.as_deref(),
            approval_date: medicine.approval_date.as_deref(),
            reference_listed_drug: medicine.reference_listed_drug,
            origin: match &medicine.origin {
                MedicineOrigin::Imported { source } => OriginV1::Imported { source },
                MedicineOrigin::Local => OriginV1::Local,
            },
        }
    }
}

/// A pharmacy.
#[derive(Debug, Serialize)]
pub(crate) struct PharmacyV1<'a> {
    id: String,
    name: &'a str,
    address: Option<&'a str>,
    created_at: NaiveDateTime,
}

impl<'a> From<&'a Pharmacy> for PharmacyV1<'a> {
    fn from(pharmacy: &'a Pharmacy) -> Self {
        Self {
            id: pharmacy.id.to_string(),
            name: &pharmacy.name,
            address: pharmacy.address.as_deref(),
            created_at: pharmacy.created_at,
        }
    }
}

/// A user: everything public, never the password hash.
#[derive(Debug, Serialize)]
pub(crate) struct UserV1<'a> {
    id: String,
    email: &'a str,
    role: &'static str,
    pharmacies: Vec<String>,
    created_at: NaiveDateTime,
    disabled_at: Option<NaiveDateTime>,
}

impl<'a> From<&'a User> for UserV1<'a> {
    fn from(user: &'a User) -> Self {
        Self {
            id: user.id.to_string(),
            email: user.email.as_str(),
            role: user.role.into(),
            pharmacies: user.pharmacies.iter().map(ToString::to_string).collect(),
            created_at: user.created_at,
            disabled_at: user.disabled_at,
        }
    }
}

/// How many refresh tokens a change of rights revoked.
#[derive(Debug, Serialize)]
pub(crate) struct TokensRevokedV1 {
    pub(crate) revoked_refresh_tokens: usize,
}

/// What an import changed.
#[derive(Debug, Serialize)]
pub(crate) struct ImportReportV1 {
    medicines: ChangeCountsV1,
    reference: ChangeCountsV1,
    catalogue_version: i64,
}

#[derive(Debug, Serialize)]
struct ChangeCountsV1 {
    inserted: u64,
    updated: u64,
    unchanged: u64,
    removed: u64,
}

impl From<ChangeCounts> for ChangeCountsV1 {
    fn from(counts: ChangeCounts) -> Self {
        Self {
            inserted: counts.inserted,
            updated: counts.updated,
            unchanged: counts.unchanged,
            removed: counts.removed,
        }
    }
}

impl From<&ImportReport> for ImportReportV1 {
    fn from(report: &ImportReport) -> Self {
        Self {
            medicines: report.medicines.into(),
            reference: report.reference.into(),
            catalogue_version: report.catalogue_version,
        }
    }
}

/// What a pharmacy's product-list import changed.
#[derive(Debug, Serialize)]
pub(crate) struct PharmacyCatalogueImportV1 {
    pharmacy_id: Option<String>,
    products: ChangeCountsV1,
    stock: ChangeCountsV1,
    catalogue_version: i64,
}

impl PharmacyCatalogueImportV1 {
    pub(crate) fn new(pharmacy: Option<PharmacyId>, report: &CatalogueImportReport) -> Self {
        Self {
            pharmacy_id: pharmacy.map(|p| p.to_string()),
            products: report.products.into(),
            stock: report.stock.into(),
            catalogue_version: report.catalogue_version,
        }
    }
}

/// What a licensed interaction import changed.
#[derive(Debug, Serialize)]
pub(crate) struct LicensedImportV1<'a> {
    source: &'a str,
    interactions: ChangeCountsV1,
    unmatched_rows: u64,
    unmatched_names: &'a [String],
    catalogue_version: i64,
}

impl<'a> From<&'a LicensedImportReport> for LicensedImportV1<'a> {
    fn from(report: &'a LicensedImportReport) -> Self {
        Self {
            source: &report.source,
            interactions: report.interactions.into(),
            unmatched_rows: report.unmatched_rows,
            unmatched_names: &report.unmatched_names,
            catalogue_version: report.catalogue_version,
        }
    }
}

/// How many expired refresh tokens a scheduled cleanup removed (never the tokens themselves).
#[derive(Debug, Serialize)]
pub(crate) struct TokensRemovedV1 {
    pub(crate) removed: usize,
}

impl AuditSnapshot for StockLineV1<'_> {}
impl AuditSnapshot for StockLineV2<'_> {}
impl AuditSnapshot for PharmacyCatalogueImportV1 {}
impl AuditSnapshot for LicensedImportV1<'_> {}
impl AuditSnapshot for TokensRemovedV1 {}
impl AuditSnapshot for StockAdjustedV1<'_> {}
impl AuditSnapshot for MedicineV1<'_> {}
impl AuditSnapshot for PharmacyV1<'_> {}
impl AuditSnapshot for UserV1<'_> {}
impl AuditSnapshot for TokensRevokedV1 {}
impl AuditSnapshot for ImportReportV1 {}

#[cfg(test)]
mod tests;
