//! A catalogue product as an R4 `MedicationKnowledge` (<https://hl7.org/fhir/R4/medicationknowledge.html>),
//! filled with the core elements of the Order Catalog IG's `DrugKnowledge` profile
//! (<https://hl7.org/fhir/uv/order-catalog/StructureDefinition-DrugKnowledge.html>) that R4 has:
//! `code`, `status`, `doseForm`, `intendedRoute`, `ingredient` (with RxNorm ingredient codes
//! where `data/ingredients.csv` has them, and the strength as a `Ratio` where the label parses),
//! `medicineClassification` (FDA Established Pharmacologic Classes; OTC / prescription) and
//! `regulatory` (the authority, for Orange Book products).
//!
//! R4 has no element for the legal status of supply (R5 adds one), so OTC / prescription is a
//! classification with PharmaRec's code system. The product has no RxNorm drug code in the shipped
//! data, so `code` carries PharmaRec's product id; RxNorm appears at ingredient level.

use pharmarec_domain::{ActiveIngredient, MarketingStatus, Medicine, MedicineOrigin};
use serde_json::{Value, json};

use crate::fhir::model::RXNORM;
use crate::ingredients::IngredientNames;

/// PharmaRec's product ids.
pub(crate) const PRODUCT_SYSTEM: &str = "urn:pharmarec:medicine";

/// PharmaRec's legal-status codes.
pub(crate) const LEGAL_STATUS_SYSTEM: &str = "urn:pharmarec:legal-status";

/// FDA Established Pharmacologic Class, as the classification's type.
const EPC_TYPE: &str = "FDA Established Pharmacologic Class";

/// The `MedicationKnowledge` of `medicine`.
pub(crate) fn medication_knowledge(medicine: &Medicine, names: &IngredientNames) -> Value {
    let mut classes: Vec<&str> = medicine
        .ingredients
        .iter()
        .flat_map(|i| names.classes(&i.ingredient))
        .map(String::as_str)
        .collect();
    classes.sort_unstable();
    classes.dedup();
    let mut classification = vec![legal_status(medicine.status)];
    if !classes.is_empty() {
        classification.push(json!({
            "type": {"text": EPC_TYPE},
            "classification": classes.iter().map(|c| json!({"text": c})).collect::<Vec<_>>(),
        }));
    }
    let mut resource = json!({
        "resourceType": "MedicationKnowledge",
        "id": medicine.id.as_str(),
        "code": {
            "coding": [{"system": PRODUCT_SYSTEM, "code": medicine.id.as_str(), "display": medicine.brand_name}],
            "text": format!("{} {} {}", medicine.brand_name, medicine.strength, medicine.dose_form),
        },
        "status": "active",
        "synonym": [medicine.brand_name],
        "doseForm": {"text": medicine.dose_form},
        "intendedRoute": [{"text": medicine.route}],
        "ingredient": medicine.ingredients.iter().map(|i| ingredient(i, names)).collect::<Vec<_>>(),
        "medicineClassification": classification,
    });
    if let MedicineOrigin::Imported { source } = &medicine.origin {
        resource["regulatory"] = json!([{
            "regulatoryAuthority": {"display": format!("U.S. Food and Drug Administration ({source})")}
        }]);
    }
    resource
}

fn legal_status(status: MarketingStatus) -> Value {
    let (code, display) = match status {
        MarketingStatus::Otc => ("otc", "Over the counter"),
        MarketingStatus::Rx => ("rx", "Prescription only"),
    };
    json!({
        "type": {"text": "Legal status of supply"},
        "classification": [{"coding": [{"system": LEGAL_STATUS_SYSTEM, "code": code, "display": display}]}],
    })
}

fn ingredient(active: &ActiveIngredient, names: &IngredientNames) -> Value {
    let key = active.ingredient.as_str();
    let mut concept = json!({"text": key});
    if let Some(rxcui) = names.rxcui(&active.ingredient) {
        concept["coding"] = json!([{"system": RXNORM, "code": rxcui, "display": key}]);
    }
    let mut out = json!({"itemCodeableConcept": concept, "isActive": true});
    if let Some(amount) = active.strength.as_ref().and_then(|s| s.amount.as_ref()) {
        let (per_value, per_unit) = amount.per.as_deref().map_or((1.0, "1"), per_quantity);
        out["strength"] = json!({
            "numerator": {"value": amount.value, "unit": amount.unit},
            "denominator": {"value": per_value, "unit": per_unit},
        });
    }
    out
}

/// `5ML` → (5, `ML`); `ML` → (1, `ML`): the labelled denominator as a quantity.
fn per_quantity(per: &str) -> (f64, &str) {
    let digits = per
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(per.len());
    let value = per[..digits].parse().unwrap_or(1.0);
    // FHIR strings are never empty: a bare number is a count of units.
    let unit = &per[digits..];
    (value, if unit.is_empty() { "1" } else { unit })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::validate::check_medication_knowledge;
    use pharmarec_domain::{Ingredient, Strength};

    /// A synthetic product (not a real medicine).
    fn product(status: MarketingStatus) -> Medicine {
        Medicine {
            id: "SYN-1".parse().unwrap(),
            brand_name: "SYNTHETIC".into(),
            ingredients: vec![ActiveIngredient {
                ingredient: "alphamine".parse().unwrap(),
                as_labelled: "alphamine".into(),
                strength: Some(Strength::parse("10MG/5ML")),
            }],
            strength: "10MG/5ML".into(),
            dose_form: "solution".into(),
            route: "oral".into(),
            status,
            te_codes: vec![],
            applicant: None,
            application: None,
            approval_date: None,
            reference_listed_drug: false,
            origin: MedicineOrigin::Local,
        }
    }

    fn names() -> IngredientNames {
        IngredientNames::new(&[Ingredient {
            key: "alphamine".parse().unwrap(),
            inn_name: None,
            us_name: None,
            epc_classes: vec!["Synthetic Class".into()],
            moa_classes: vec![],
            rxcui: vec!["901".into()],
            has_otc_product: true,
        }])
    }

    #[test]
    fn a_product_maps_to_a_valid_medication_knowledge() {
        let resource = medication_knowledge(&product(MarketingStatus::Otc), &names());
        check_medication_knowledge(&resource).unwrap();
        let ingredient = &resource["ingredient"][0];
        assert_eq!(
            ingredient["itemCodeableConcept"]["coding"][0]["code"],
            "901"
        );
        assert_eq!(ingredient["strength"]["numerator"]["value"], 10.0);
        assert_eq!(ingredient["strength"]["denominator"]["value"], 5.0);
        assert_eq!(ingredient["strength"]["denominator"]["unit"], "ML");
        let legal = &resource["medicineClassification"][0]["classification"][0]["coding"][0];
        assert_eq!(legal["code"], "otc");
        assert_eq!(
            resource["medicineClassification"][1]["classification"][0]["text"],
            "Synthetic Class"
        );
    }

    #[test]
    fn prescription_products_say_so() {
        let resource = medication_knowledge(&product(MarketingStatus::Rx), &names());
        let legal = &resource["medicineClassification"][0]["classification"][0]["coding"][0];
        assert_eq!(legal["code"], "rx");
    }
}
