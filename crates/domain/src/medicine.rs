//! Medicines (marketed products) and their active ingredients with labelled strengths.

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::{IngredientKey, MarketingStatus, MedicineId};

/// A marketed product: one Orange Book application + product number, or a locally created product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Medicine {
    /// Stable id (source id for imported products).
    pub id: MedicineId,
    /// Trade name as labelled; generics often carry the generic name.
    pub brand_name: String,
    /// Active ingredients, in label order.
    pub ingredients: Vec<ActiveIngredient>,
    /// The whole strength as labelled (`5MG;325MG`), kept even when it cannot be parsed.
    pub strength: String,
    /// Dose form, lower case (`tablet, film coated`).
    pub dose_form: String,
    /// Route, lower case (`oral`).
    pub route: String,
    /// OTC or prescription.
    pub status: MarketingStatus,
    /// FDA therapeutic-equivalence codes (`AB`, `AB1`, ...); empty when not rated.
    pub te_codes: Vec<TeCode>,
    /// Applicant (manufacturer / marketing-authorisation holder) where known.
    pub applicant: Option<String>,
    /// Application reference, e.g. `ANDA 071192 product 001`.
    pub application: Option<String>,
    /// Approval date as printed by the source.
    pub approval_date: Option<String>,
    /// Whether FDA lists it as a reference listed drug.
    pub reference_listed_drug: bool,
    /// Where the record comes from.
    pub origin: MedicineOrigin,
}

impl Medicine {
    /// The ingredient keys of this product, in label order.
    pub fn ingredient_keys(&self) -> impl Iterator<Item = &IngredientKey> {
        self.ingredients.iter().map(|i| &i.ingredient)
    }
}

/// Where a medicine record comes from; import only ever touches [`MedicineOrigin::Imported`] records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MedicineOrigin {
    /// Imported from a public source, e.g. `fda_orange_book`.
    Imported {
        /// Source tag from the dataset.
        source: String,
    },
    /// Created in this PharmaRec instance.
    Local,
}

/// One active ingredient of a product with its labelled strength.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActiveIngredient {
    /// Ingredient key.
    pub ingredient: IngredientKey,
    /// The ingredient as labelled (salt form kept), lower case.
    pub as_labelled: String,
    /// Strength of this ingredient; `None` when the label has fewer strength parts than ingredients.
    pub strength: Option<Strength>,
}

/// A strength exactly as labelled plus, where it parses, its amount and unit.
///
/// Orange Book strengths include `N/A`, ranges, per-volume forms and notes; an unparseable strength
/// is kept as text, never rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strength {
    /// The label text (`EQ 20MG BASE`).
    pub label: String,
    /// Parsed leading amount, when the label starts with one.
    pub amount: Option<Dose>,
}

/// A parsed amount: `20` `MG`, optionally per a quantity (`ML`, `5ML`, `HR`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dose {
    /// Numeric value.
    pub value: f64,
    /// Unit as labelled, upper case (`MG`, `MCG`, `%`, `UNITS`).
    pub unit: String,
    /// Denominator after `/`, if any (`ML`, `5ML`, `VIAL`).
    pub per: Option<String>,
}

impl Strength {
    /// Keeps `label` and parses its leading amount where possible.
    pub fn parse(label: &str) -> Self {
        let label = label.trim().to_string();
        let amount = parse_dose(&label);
        Self { label, amount }
    }
}

fn parse_dose(label: &str) -> Option<Dose> {
    let text = label.strip_prefix("EQ ").unwrap_or(label).trim_start();
    let number_len = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(text.len());
    let value: f64 = text[..number_len].replace(',', "").parse().ok()?;
    let rest = text[number_len..].trim_start();
    let unit_len = rest
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '%'))
        .unwrap_or(rest.len());
    if unit_len == 0 {
        return None;
    }
    let unit = rest[..unit_len].to_ascii_uppercase();
    let after_unit = &rest[unit_len..];
    // "EQ 20MG BASE/ML": the qualifier word sits between unit and denominator.
    let per = after_unit.split_once('/').map(|(_, denominator)| {
        denominator
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase()
    });
    Some(Dose {
        value,
        unit,
        per: per.filter(|p| !p.is_empty()),
    })
}

/// Splits a whole-product strength label into one part per ingredient (`5MG;325MG`).
///
/// Returns `None` for an ingredient beyond the number of parts; a product with more parts than
/// ingredients (a handful of Orange Book rows) keeps its extra parts in the whole label only.
pub fn split_strength(label: &str, ingredient_count: usize) -> Vec<Option<Strength>> {
    let parts: Vec<&str> = label.split(';').collect();
    (0..ingredient_count)
        .map(|i| parts.get(i).map(|p| Strength::parse(p)))
        .collect()
}

/// An FDA therapeutic-equivalence code (`AB`, `AB1`, `AP`, `BX`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TeCode(String);

impl TeCode {
    /// Parses a `te_code` cell, which may hold several codes separated by commas.
    pub fn parse_list(cell: &str) -> Vec<Self> {
        cell.split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| Self(c.to_ascii_uppercase()))
            .collect()
    }

    /// Whether FDA rates this code therapeutically equivalent (`A*` codes).
    pub fn is_equivalent_rating(&self) -> bool {
        self.0.starts_with('A')
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A product to create locally (not from an import); validated before it reaches a repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
pub struct NewMedicine {
    /// Trade name.
    #[validate(length(min = 1, max = 200, message = "must be 1-200 characters"))]
    pub brand_name: String,
    /// Active ingredients (keys must exist in the catalogue; checked by the repository).
    #[validate(length(min = 1, max = 20, message = "must list 1-20 ingredients"))]
    pub ingredients: Vec<IngredientKey>,
    /// Strength label, one `;`-separated part per ingredient.
    #[validate(length(min = 1, max = 200, message = "must be 1-200 characters"))]
    pub strength: String,
    /// Dose form.
    #[validate(length(min = 1, max = 100, message = "must be 1-100 characters"))]
    pub dose_form: String,
    /// Route.
    #[validate(length(min = 1, max = 100, message = "must be 1-100 characters"))]
    pub route: String,
    /// OTC or prescription.
    pub status: MarketingStatus,
    /// Manufacturer, if known.
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    pub applicant: Option<String>,
}

impl NewMedicine {
    /// Builds the stored medicine under `id`, splitting the strength per ingredient.
    pub fn into_medicine(self, id: MedicineId) -> Medicine {
        let strengths = split_strength(&self.strength, self.ingredients.len());
        let ingredients = self
            .ingredients
            .into_iter()
            .zip(strengths)
            .map(|(ingredient, strength)| ActiveIngredient {
                as_labelled: ingredient.as_str().to_string(),
                ingredient,
                strength,
            })
            .collect();
        Medicine {
            id,
            brand_name: self.brand_name,
            ingredients,
            strength: self.strength,
            dose_form: self.dose_form.to_lowercase(),
            route: self.route.to_lowercase(),
            status: self.status,
            te_codes: Vec::new(),
            applicant: self.applicant,
            application: None,
            approval_date: None,
            reference_listed_drug: false,
            origin: MedicineOrigin::Local,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_equivalent_base_strengths() {
        let s = Strength::parse("EQ 20MG BASE/ML");
        let dose = s.amount.unwrap();
        assert_eq!(
            (dose.value, dose.unit.as_str(), dose.per.as_deref()),
            (20.0, "MG", Some("ML"))
        );
        let pct = Strength::parse("0.1%").amount.unwrap();
        assert_eq!((pct.value, pct.unit.as_str()), (0.1, "%"));
        let units = Strength::parse("1,000 UNITS/ML").amount.unwrap();
        assert_eq!(units.value, 1000.0);
    }

    #[test]
    fn unparseable_strength_is_kept_as_label() {
        let s = Strength::parse("N/A");
        assert_eq!(s.label, "N/A");
        assert!(s.amount.is_none());
    }

    #[test]
    fn split_strength_tolerates_fewer_parts_than_ingredients() {
        let parts = split_strength("5MG", 2);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].is_some());
        assert!(parts[1].is_none());
        // More parts than ingredients: extra parts stay only in the whole label.
        assert_eq!(split_strength("4%;EQ 0.01MG BASE/ML;X", 2).len(), 2);
    }

    #[test]
    fn te_code_cell_with_several_codes_is_split() {
        let codes = TeCode::parse_list("AB1,AB2");
        assert_eq!(
            codes.iter().map(TeCode::as_str).collect::<Vec<_>>(),
            ["AB1", "AB2"]
        );
        assert!(codes[0].is_equivalent_rating());
        assert!(!TeCode::parse_list("BX")[0].is_equivalent_rating());
        assert!(TeCode::parse_list("").is_empty());
    }

    #[test]
    fn new_medicine_validation_rejects_empty_name_and_no_ingredients() {
        let m = NewMedicine {
            brand_name: String::new(),
            ingredients: vec![],
            strength: "5MG".into(),
            dose_form: "tablet".into(),
            route: "oral".into(),
            status: MarketingStatus::Otc,
            applicant: None,
        };
        let errors = m.validate().unwrap_err();
        assert!(errors.field_errors().contains_key("brand_name"));
        assert!(errors.field_errors().contains_key("ingredients"));
    }
}
