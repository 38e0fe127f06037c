//! Medicines: the listing query, the product view and the create/replace request.

use pharmarec_domain::medicine::Dose;
use pharmarec_domain::ports::{MedicineQuery, MedicineSort};
use pharmarec_domain::{
    ActiveIngredient, IngredientKey, MarketingStatus, Medicine, MedicineOrigin, NewMedicine,
    Strength,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::paging::page_request;
use super::text::{NameDto, non_blank};
use crate::error::ApiError;

/// Whether a product is sold over the counter or on prescription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum MarketingStatusDto {
    /// Over the counter.
    Otc,
    /// Prescription only.
    Rx,
}

impl From<MarketingStatus> for MarketingStatusDto {
    fn from(status: MarketingStatus) -> Self {
        match status {
            MarketingStatus::Otc => Self::Otc,
            MarketingStatus::Rx => Self::Rx,
        }
    }
}

impl From<MarketingStatusDto> for MarketingStatus {
    fn from(status: MarketingStatusDto) -> Self {
        match status {
            MarketingStatusDto::Otc => Self::Otc,
            MarketingStatusDto::Rx => Self::Rx,
        }
    }
}

/// Order of a medicine listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum MedicineSortDto {
    /// By brand name, then id.
    #[default]
    Name,
    /// By brand name descending, then id.
    NameDesc,
    /// By id.
    Id,
}

/// Filters, order and page of `GET /api/v1/medicines`.
#[derive(Debug, Default, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct MedicineListQuery {
    /// Text the brand name or an ingredient contains (case-insensitive).
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[param(max_length = 200)]
    q: Option<String>,
    /// Exact FDA pharmacologic class of one of the ingredients.
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[param(max_length = 200)]
    class: Option<String>,
    /// `true` for OTC products only, `false` for prescription-only products.
    otc: Option<bool>,
    /// Exact dose form (`tablet`).
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[param(max_length = 100)]
    dose_form: Option<String>,
    /// Order (default `name`).
    sort: Option<MedicineSortDto>,
    /// 1-based page number (default 1, at most 2147483647).
    #[param(minimum = 1, maximum = 2_147_483_647)]
    page: Option<u32>,
    /// Page size (default 20, at most 100).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Trims a text filter; blank means no filter.
fn filter(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

impl TryFrom<MedicineListQuery> for MedicineQuery {
    type Error = ApiError;

    fn try_from(query: MedicineListQuery) -> Result<Self, Self::Error> {
        Ok(Self {
            page: page_request(query.page, query.per_page)?,
            text: filter(query.q),
            class: filter(query.class),
            status: query.otc.map(|otc| {
                if otc {
                    MarketingStatus::Otc
                } else {
                    MarketingStatus::Rx
                }
            }),
            dose_form: filter(query.dose_form),
            sort: match query.sort.unwrap_or_default() {
                MedicineSortDto::Name => MedicineSort::Name,
                MedicineSortDto::NameDesc => MedicineSort::NameDesc,
                MedicineSortDto::Id => MedicineSort::Id,
            },
        })
    }
}

/// A marketed product.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MedicineDto {
    /// Stable id: the source id (`OB-A071192-001`) or `LOC-<uuid>` for local products.
    id: String,
    /// Trade name.
    brand_name: String,
    /// Active ingredients in label order.
    ingredients: Vec<ActiveIngredientDto>,
    /// Whole strength as labelled (`5MG;325MG`).
    strength: String,
    /// Dose form, lower case.
    dose_form: String,
    /// Route, lower case.
    route: String,
    /// OTC or prescription.
    status: MarketingStatusDto,
    /// FDA therapeutic-equivalence codes.
    te_codes: Vec<String>,
    /// Manufacturer, where known.
    applicant: Option<String>,
    /// Application reference, where known.
    application: Option<String>,
    /// Approval date as printed by the source.
    approval_date: Option<String>,
    /// Whether FDA lists it as a reference listed drug.
    reference_listed_drug: bool,
    /// `local` for products created here, else the import source (`fda_orange_book`).
    origin: String,
}

/// One active ingredient of a product.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ActiveIngredientDto {
    /// Ingredient key.
    ingredient: String,
    /// Name as labelled (salt form kept).
    as_labelled: String,
    /// Strength of this ingredient, when labelled.
    strength: Option<StrengthDto>,
}

/// A strength as labelled, with its parsed amount where it parses.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StrengthDto {
    /// Label text (`EQ 20MG BASE`).
    label: String,
    /// Parsed amount.
    amount: Option<DoseDto>,
}

/// A parsed amount, e.g. 20 MG per ML.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DoseDto {
    /// Numeric value.
    value: f64,
    /// Unit, upper case.
    unit: String,
    /// Denominator, if any.
    per: Option<String>,
}

impl From<Medicine> for MedicineDto {
    fn from(medicine: Medicine) -> Self {
        Self {
            id: medicine.id.into(),
            brand_name: medicine.brand_name,
            ingredients: medicine.ingredients.into_iter().map(Into::into).collect(),
            strength: medicine.strength,
            dose_form: medicine.dose_form,
            route: medicine.route,
            status: medicine.status.into(),
            te_codes: medicine
                .te_codes
                .iter()
                .map(|code| code.as_str().to_owned())
                .collect(),
            applicant: medicine.applicant,
            application: medicine.application,
            approval_date: medicine.approval_date,
            reference_listed_drug: medicine.reference_listed_drug,
            origin: match medicine.origin {
                MedicineOrigin::Imported { source } => source,
                MedicineOrigin::Local => "local".to_owned(),
            },
        }
    }
}

impl From<ActiveIngredient> for ActiveIngredientDto {
    fn from(active: ActiveIngredient) -> Self {
        Self {
            ingredient: active.ingredient.into(),
            as_labelled: active.as_labelled,
            strength: active.strength.map(Into::into),
        }
    }
}

impl From<Strength> for StrengthDto {
    fn from(strength: Strength) -> Self {
        Self {
            label: strength.label,
            amount: strength
                .amount
                .map(|Dose { value, unit, per }| DoseDto { value, unit, per }),
        }
    }
}

/// Body of `POST /api/v1/medicines` and `PUT /api/v1/medicines/{id}`: a locally managed product.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct MedicineRequest {
    /// Trade name, 1-200 characters.
    #[validate(
        length(min = 1, max = 200, message = "must be 1-200 characters"),
        custom(function = "non_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    brand_name: String,
    /// Ingredient keys (1-20), which must exist in the catalogue.
    #[validate(length(min = 1, max = 20, message = "must list 1-20 ingredients"))]
    #[schema(min_items = 1, max_items = 20)]
    ingredients: Vec<NameDto>,
    /// Strength label, one `;`-separated part per ingredient (`5MG;325MG`).
    #[validate(
        length(min = 1, max = 200, message = "must be 1-200 characters"),
        custom(function = "non_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    strength: String,
    /// Dose form (`tablet`).
    #[validate(
        length(min = 1, max = 100, message = "must be 1-100 characters"),
        custom(function = "non_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    dose_form: String,
    /// Route (`oral`).
    #[validate(
        length(min = 1, max = 100, message = "must be 1-100 characters"),
        custom(function = "non_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    route: String,
    /// OTC or prescription.
    status: MarketingStatusDto,
    /// Manufacturer, at most 200 characters.
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[schema(max_length = 200)]
    applicant: Option<String>,
}

impl TryFrom<MedicineRequest> for NewMedicine {
    type Error = ApiError;

    fn try_from(request: MedicineRequest) -> Result<Self, Self::Error> {
        let ingredients = request
            .ingredients
            .into_iter()
            .map(|name| IngredientKey::try_from(String::from(name)))
            .collect::<Result<Vec<_>, _>>()?;
        let medicine = Self {
            brand_name: request.brand_name,
            ingredients,
            strength: request.strength,
            dose_form: request.dose_form,
            route: request.route,
            status: request.status.into(),
            applicant: request.applicant,
        };
        // The domain's own rules, in case they are stricter than the wire shape checks.
        validator::Validate::validate(&medicine)?;
        Ok(medicine)
    }
}
