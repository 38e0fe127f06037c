//! One serde row struct per dataset file and its conversion into domain values.
//!
//! Conversions return a lower-case reason on failure; the caller adds file and line.

use serde::Deserialize;

use crate::medicine::split_strength;
use crate::{
    ActiveIngredient, ConditionTerm, Indication, IndicationRelation, Ingredient, IngredientKey,
    IngredientPair, Interaction, InteractionSource, MarketingStatus, Medicine, MedicineOrigin,
    OtcLabelWarning, PregnancyCategory, PregnancyEntry, Severity, Synonym, TeCode, TermRelation,
};

fn key(text: &str) -> Result<IngredientKey, String> {
    text.parse().map_err(|e: crate::DomainError| e.to_string())
}

/// `a|b|c` into its non-empty parts.
fn multi(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn optional(cell: &str) -> Option<String> {
    let trimmed = cell.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

fn parse_enum<T: std::str::FromStr>(column: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("unknown {column} '{value}'"))
}

fn yes_no(column: &str, value: &str) -> Result<bool, String> {
    match value {
        "yes" => Ok(true),
        "no" | "" => Ok(false),
        other => Err(format!("{column} must be yes or no, found '{other}'")),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct IngredientRow {
    ingredient: String,
    inn_name: String,
    us_name: String,
    rxcui: String,
    fda_epc_classes: String,
    fda_moa_classes: String,
    has_otc_product: String,
}

impl IngredientRow {
    pub(super) fn into_domain(self) -> Result<Ingredient, String> {
        Ok(Ingredient {
            key: key(&self.ingredient)?,
            inn_name: optional(&self.inn_name),
            us_name: optional(&self.us_name),
            epc_classes: multi(&self.fda_epc_classes),
            moa_classes: multi(&self.fda_moa_classes),
            rxcui: multi(&self.rxcui),
            has_otc_product: yes_no("has_otc_product", &self.has_otc_product)?,
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct SynonymRow {
    ingredient: String,
    synonym: String,
    synonym_source: String,
}

impl SynonymRow {
    pub(super) fn into_domain(self) -> Result<Synonym, String> {
        let synonym = self.synonym.trim().to_lowercase();
        if synonym.is_empty() {
            return Err("empty synonym".to_string());
        }
        Ok(Synonym {
            ingredient: key(&self.ingredient)?,
            synonym,
            source: self.synonym_source,
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct MedicineRow {
    medicine_id: String,
    brand_name: String,
    ingredients: String,
    ingredients_as_labelled: String,
    strength: String,
    dose_form: String,
    route: String,
    status: String,
    application_type: String,
    application_number: String,
    product_number: String,
    te_code: String,
    reference_listed_drug: String,
    applicant: String,
    approval_date: String,
    source: String,
}

impl MedicineRow {
    pub(super) fn into_domain(self) -> Result<Medicine, String> {
        let keys = multi(&self.ingredients);
        if keys.is_empty() {
            return Err("a medicine needs at least one ingredient".to_string());
        }
        let labelled = multi(&self.ingredients_as_labelled);
        let strengths = split_strength(&self.strength, keys.len());
        let ingredients = keys
            .iter()
            .zip(strengths)
            .enumerate()
            .map(|(i, (k, strength))| {
                Ok(ActiveIngredient {
                    ingredient: key(k)?,
                    as_labelled: labelled.get(i).cloned().unwrap_or_else(|| k.clone()),
                    strength,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if self.brand_name.trim().is_empty() {
            return Err("empty brand_name".to_string());
        }
        Ok(Medicine {
            id: self
                .medicine_id
                .parse()
                .map_err(|e: crate::DomainError| e.to_string())?,
            brand_name: self.brand_name,
            ingredients,
            strength: self.strength,
            dose_form: self.dose_form,
            route: self.route,
            status: parse_enum::<MarketingStatus>("status", &self.status)?,
            te_codes: TeCode::parse_list(&self.te_code),
            applicant: optional(&self.applicant),
            application: Some(format!(
                "{} {} product {}",
                self.application_type, self.application_number, self.product_number
            )),
            approval_date: optional(&self.approval_date),
            reference_listed_drug: yes_no("reference_listed_drug", &self.reference_listed_drug)?,
            origin: MedicineOrigin::Imported {
                source: self.source,
            },
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct IndicationRow {
    ingredient: String,
    condition: String,
    relation: String,
    umls_cui: String,
    snomedct_id: String,
    doid: String,
    source: String,
}

impl IndicationRow {
    pub(super) fn into_domain(self) -> Result<Indication, String> {
        if self.condition.trim().is_empty() {
            return Err("empty condition".to_string());
        }
        Ok(Indication {
            ingredient: key(&self.ingredient)?,
            condition: self.condition,
            relation: parse_enum::<IndicationRelation>("relation", &self.relation)?,
            umls_cui: optional(&self.umls_cui),
            snomedct_id: optional(&self.snomedct_id),
            doid: optional(&self.doid),
            source: self.source,
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ConditionTermRow {
    term: String,
    condition: String,
    relation: String,
    hops: u8,
    source: String,
    source_id: String,
}

impl ConditionTermRow {
    pub(super) fn into_domain(self) -> Result<ConditionTerm, String> {
        if self.term.trim().is_empty() {
            return Err("empty term".to_string());
        }
        Ok(ConditionTerm {
            term: self.term,
            condition: self.condition,
            relation: parse_enum::<TermRelation>("relation", &self.relation)?,
            hops: self.hops,
            source: self.source,
            source_id: self.source_id,
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct PddiRow {
    ingredient_a: String,
    ingredient_b: String,
    severity: String,
    ndfrt_severity: String,
    onc_list: String,
    sources: String,
    source_ids: String,
}

impl PddiRow {
    pub(super) fn into_domain(self) -> Result<Interaction, String> {
        let raw_levels: Vec<String> = [self.ndfrt_severity.as_str(), self.onc_list.as_str()]
            .iter()
            .flat_map(|cell| multi(cell))
            .collect();
        let mut source_ids = multi(&self.source_ids);
        source_ids.extend(multi(&self.sources));
        Ok(Interaction {
            pair: IngredientPair::new(key(&self.ingredient_a)?, key(&self.ingredient_b)?)
                .map_err(|e| e.to_string())?,
            severity: parse_enum::<Severity>("severity", &self.severity)?,
            source: InteractionSource::MergedPddi,
            source_ids,
            original_level: (!raw_levels.is_empty()).then(|| raw_levels.join("|")),
            class_a: None,
            class_b: None,
            description: None,
            management: None,
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct AnsmRow {
    ingredient_a: String,
    ingredient_b: String,
    severity: String,
    source_ids: String,
    original_level: String,
    class_a: String,
    class_b: String,
    description_fr: String,
    management_fr: String,
}

impl AnsmRow {
    pub(super) fn into_domain(self) -> Result<Interaction, String> {
        Ok(Interaction {
            pair: IngredientPair::new(key(&self.ingredient_a)?, key(&self.ingredient_b)?)
                .map_err(|e| e.to_string())?,
            severity: parse_enum::<Severity>("severity", &self.severity)?,
            source: InteractionSource::Ansm2020,
            source_ids: multi(&self.source_ids),
            original_level: optional(&self.original_level),
            class_a: optional(&self.class_a),
            class_b: optional(&self.class_b),
            description: optional(&self.description_fr),
            management: optional(&self.management_fr),
        })
    }
}

/// A label row; the import keeps its sections, and the rules read its older-adult lines from
/// `warnings_text` (`label_age`).
#[derive(Debug, Deserialize)]
pub(super) struct LabelRow {
    pub(super) label_generic_name: String,
    pub(super) ingredients: String,
    pub(super) do_not_use: String,
    pub(super) ask_doctor: String,
    pub(super) ask_doctor_or_pharmacist: String,
    pub(super) when_using: String,
    pub(super) stop_use: String,
    pub(super) pregnancy_or_breast_feeding: String,
    pub(super) keep_out_of_reach_of_children: String,
    pub(super) warnings_text: String,
    pub(super) source: String,
}

impl LabelRow {
    pub(super) fn into_domain(self) -> Result<OtcLabelWarning, String> {
        Ok(OtcLabelWarning {
            label_generic_name: self.label_generic_name,
            ingredients: multi(&self.ingredients)
                .iter()
                .map(|k| key(k))
                .collect::<Result<_, _>>()?,
            do_not_use: optional(&self.do_not_use),
            ask_doctor: optional(&self.ask_doctor),
            ask_doctor_or_pharmacist: optional(&self.ask_doctor_or_pharmacist),
            when_using: optional(&self.when_using),
            stop_use: optional(&self.stop_use),
            pregnancy_or_breast_feeding: optional(&self.pregnancy_or_breast_feeding),
            source: self.source,
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct PregnancyRow {
    ingredient: String,
    who_eml_name: String,
    pregnancy_category: String,
    pregnancy_warning: String,
    source: String,
}

impl PregnancyRow {
    pub(super) fn into_domain(self) -> Result<PregnancyEntry, String> {
        Ok(PregnancyEntry {
            ingredient: key(&self.ingredient)?,
            category: parse_enum::<PregnancyCategory>(
                "pregnancy_category",
                &self.pregnancy_category,
            )?,
            warning: yes_no("pregnancy_warning", &self.pregnancy_warning)?,
            who_eml_name: self.who_eml_name,
            source: self.source,
        })
    }
}
