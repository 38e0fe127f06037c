//! Rows of the catalogue tables: ingredients (with classes) and medicines (with ingredients).

use diesel::prelude::*;
use pharmarec_domain::medicine::Strength;
use pharmarec_domain::{
    ActiveIngredient, DomainError, Ingredient, Medicine, MedicineOrigin, Synonym,
};

use super::{parse_stored, position};
use crate::error::TxError;
use crate::schema::{
    ingredient_classes, ingredient_synonyms, ingredients, medicine_ingredients, medicines,
};

/// Stored value of `ingredient_classes.kind` for FDA Established Pharmacologic Classes.
pub(crate) const EPC: &str = "epc";
/// Stored value of `ingredient_classes.kind` for FDA Mechanism-of-Action classes.
pub(crate) const MOA: &str = "moa";
/// Stored value of `medicines.origin` for imported products.
pub(crate) const IMPORTED: &str = "imported";
/// Stored value of `medicines.origin` for locally created products.
pub(crate) const LOCAL: &str = "local";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = ingredients, primary_key(ingredient_key))]
#[diesel(treat_none_as_default_value = false, treat_none_as_null = true)]
pub(crate) struct IngredientRow {
    pub(crate) ingredient_key: String,
    pub(crate) inn_name: Option<String>,
    pub(crate) us_name: Option<String>,
    pub(crate) rxcuis: String,
    pub(crate) has_otc_product: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ingredient_classes)]
pub(crate) struct ClassRow {
    pub(crate) ingredient_key: String,
    pub(crate) kind: String,
    pub(crate) position: i32,
    pub(crate) class_name: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ingredient_synonyms)]
pub(crate) struct SynonymRow {
    pub(crate) ingredient_key: String,
    pub(crate) synonym: String,
    pub(crate) source: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = medicines, treat_none_as_default_value = false)]
#[diesel(treat_none_as_null = true)]
pub(crate) struct MedicineRow {
    pub(crate) id: String,
    pub(crate) brand_name: String,
    pub(crate) search_text: String,
    pub(crate) strength: String,
    pub(crate) dose_form: String,
    pub(crate) route: String,
    pub(crate) status: String,
    pub(crate) te_codes: String,
    pub(crate) applicant: Option<String>,
    pub(crate) application: Option<String>,
    pub(crate) approval_date: Option<String>,
    pub(crate) reference_listed_drug: bool,
    pub(crate) origin: String,
    pub(crate) source: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = medicine_ingredients, treat_none_as_default_value = false)]
pub(crate) struct MedicineIngredientRow {
    pub(crate) medicine_id: String,
    pub(crate) position: i32,
    pub(crate) ingredient_key: String,
    pub(crate) as_labelled: String,
    pub(crate) strength_label: Option<String>,
}

/// An ingredient's row and its class rows.
pub(crate) fn ingredient_rows(i: &Ingredient) -> Result<(IngredientRow, Vec<ClassRow>), TxError> {
    let key = i.key.as_str();
    let mut classes = Vec::with_capacity(i.epc_classes.len() + i.moa_classes.len());
    for (kind, list) in [(EPC, &i.epc_classes), (MOA, &i.moa_classes)] {
        for (n, class_name) in list.iter().enumerate() {
            classes.push(ClassRow {
                ingredient_key: key.to_string(),
                kind: kind.to_string(),
                position: position(n)?,
                class_name: class_name.clone(),
            });
        }
    }
    let row = IngredientRow {
        ingredient_key: key.to_string(),
        inn_name: i.inn_name.clone(),
        us_name: i.us_name.clone(),
        rxcuis: serde_json::to_string(&i.rxcui)?,
        has_otc_product: i.has_otc_product,
    };
    Ok((row, classes))
}

/// Rebuilds an ingredient from its row and its class rows ordered by (kind, position).
pub(crate) fn ingredient_from(
    row: IngredientRow,
    classes: &[ClassRow],
) -> Result<Ingredient, TxError> {
    let of_kind = |kind: &str| -> Vec<String> {
        classes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.class_name.clone())
            .collect()
    };
    Ok(Ingredient {
        key: parse_stored("ingredient_key", &row.ingredient_key)?,
        inn_name: row.inn_name,
        us_name: row.us_name,
        epc_classes: of_kind(EPC),
        moa_classes: of_kind(MOA),
        rxcui: serde_json::from_str(&row.rxcuis)?,
        has_otc_product: row.has_otc_product,
    })
}

pub(crate) fn synonym_row(s: &Synonym) -> SynonymRow {
    SynonymRow {
        ingredient_key: s.ingredient.to_string(),
        synonym: s.synonym.clone(),
        source: s.source.clone(),
    }
}

pub(crate) fn synonym_from(row: SynonymRow) -> Result<Synonym, TxError> {
    Ok(Synonym {
        ingredient: parse_stored("ingredient_key", &row.ingredient_key)?,
        synonym: row.synonym,
        source: row.source,
    })
}

/// The lower-cased text `search` matches substrings in: brand name and ingredient keys.
fn search_text(m: &Medicine) -> String {
    let mut text = m.brand_name.to_lowercase();
    for key in m.ingredient_keys() {
        text.push('\n');
        text.push_str(key.as_str());
    }
    text
}

/// A medicine's row and its ingredient rows in label order.
pub(crate) fn medicine_rows(
    m: &Medicine,
) -> Result<(MedicineRow, Vec<MedicineIngredientRow>), TxError> {
    let (origin, source) = match &m.origin {
        MedicineOrigin::Imported { source } => (IMPORTED, Some(source.clone())),
        MedicineOrigin::Local => (LOCAL, None),
    };
    let row = MedicineRow {
        id: m.id.to_string(),
        brand_name: m.brand_name.clone(),
        search_text: search_text(m),
        strength: m.strength.clone(),
        dose_form: m.dose_form.clone(),
        route: m.route.clone(),
        status: <&str>::from(m.status).to_string(),
        te_codes: serde_json::to_string(&m.te_codes)?,
        applicant: m.applicant.clone(),
        application: m.application.clone(),
        approval_date: m.approval_date.clone(),
        reference_listed_drug: m.reference_listed_drug,
        origin: origin.to_string(),
        source,
    };
    let ingredients = m
        .ingredients
        .iter()
        .enumerate()
        .map(|(n, a)| {
            Ok(MedicineIngredientRow {
                medicine_id: row.id.clone(),
                position: position(n)?,
                ingredient_key: a.ingredient.to_string(),
                as_labelled: a.as_labelled.clone(),
                strength_label: a.strength.as_ref().map(|s| s.label.clone()),
            })
        })
        .collect::<Result<Vec<_>, TxError>>()?;
    Ok((row, ingredients))
}

/// Rebuilds a medicine from its row and its ingredient rows ordered by position.
pub(crate) fn medicine_from(
    row: MedicineRow,
    ingredients: Vec<MedicineIngredientRow>,
) -> Result<Medicine, TxError> {
    let origin = match (row.origin.as_str(), row.source) {
        (IMPORTED, Some(source)) => MedicineOrigin::Imported { source },
        (LOCAL, None) => MedicineOrigin::Local,
        (other, _) => {
            return Err(DomainError::internal(format!(
                "inconsistent origin '{other}' in database"
            ))
            .into());
        }
    };
    let mut ingredients = ingredients
        .into_iter()
        .map(|i| {
            Ok(ActiveIngredient {
                ingredient: parse_stored("ingredient_key", &i.ingredient_key)?,
                as_labelled: i.as_labelled,
                strength: i.strength_label.as_deref().map(Strength::parse),
            })
        })
        .collect::<Result<Vec<_>, TxError>>()?;
    // The collect reuses the rows' buffer (capacity 4 of the larger row type): 480 bytes per
    // medicine for 1.13 ingredients on average; shrunk, these lists hold 3.0 MiB of the catalogue
    // the snapshot keeps instead of 11.1 MiB (heaptrack at ready).
    ingredients.shrink_to_fit();
    Ok(Medicine {
        id: parse_stored("medicine_id", &row.id)?,
        brand_name: row.brand_name,
        ingredients,
        strength: row.strength,
        dose_form: row.dose_form,
        route: row.route,
        status: parse_stored("status", &row.status)?,
        te_codes: serde_json::from_str(&row.te_codes)?,
        applicant: row.applicant,
        application: row.application,
        approval_date: row.approval_date,
        reference_listed_drug: row.reference_listed_drug,
        origin,
    })
}
