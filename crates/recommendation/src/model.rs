//! Result types shared by recommendations, substitutions and basket checks.
//!
//! They serialise 1:1 to the HTTP API's JSON (snake_case); every report carries the knowledge
//! version it was computed from and [`DISCLAIMER`].

use pharmarec_domain::{IngredientKey, MarketingStatus, Medicine, MedicineId, Severity, TeCode};
use serde::Serialize;

use crate::{SharedText, StockLine};

/// Shown with every clinical answer.
pub const DISCLAIMER: &str = "Decision support only: supports, and does not replace, a pharmacist's judgement. \
Absence of a finding does not mean a medicine or combination is safe.";

/// A product as shown in an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedicineSummary {
    /// Product id.
    pub id: MedicineId,
    /// Trade name.
    pub brand_name: String,
    /// Active ingredient keys, label order.
    pub ingredients: Vec<IngredientKey>,
    /// Strength as labelled.
    pub strength: String,
    /// Dose form.
    pub dose_form: String,
    /// Route.
    pub route: String,
    /// OTC or prescription.
    pub status: MarketingStatus,
    /// FDA therapeutic-equivalence codes.
    pub te_codes: Vec<TeCode>,
    /// The pharmacy's line for it, when the caller supplied a stock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stock: Option<StockLine>,
}

impl MedicineSummary {
    pub(crate) fn new(medicine: &Medicine, stock: Option<&StockLine>) -> Self {
        Self {
            id: medicine.id.clone(),
            brand_name: medicine.brand_name.clone(),
            ingredients: medicine.ingredient_keys().cloned().collect(),
            strength: medicine.strength.clone(),
            dose_form: medicine.dose_form.clone(),
            route: medicine.route.clone(),
            status: medicine.status,
            te_codes: medicine.te_codes.clone(),
            stock: stock.cloned(),
        }
    }
}

/// Why a medicine was recommended: which query term matched which indication, from which source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// The query words or code as the caller wrote them.
    pub term: String,
    /// The indication condition it matched.
    pub matched: String,
    /// The ingredient holding that indication.
    pub ingredient: IngredientKey,
    /// Source of the indication (`drugcentral_2016`, `pharmacotherapydb_1.0`).
    pub source: String,
    /// How the term reached the condition (vocabulary relation, word match, spelling correction).
    pub via: String,
}

/// What a warning or exclusion is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The patient is allergic to the ingredient or to its pharmacologic class.
    Allergy,
    /// A contraindication recorded in the data (pregnancy category X).
    Contraindication,
    /// An interaction with a medicine the patient takes.
    Interaction,
    /// The patient already takes this ingredient (structural rule).
    DuplicateIngredient,
    /// A pregnancy category below contraindication (D, C).
    Pregnancy,
    /// Verbatim OTC label text: "Do not use".
    LabelDoNotUse,
    /// Verbatim OTC label text: "Ask a doctor before use if".
    LabelAskDoctor,
    /// Verbatim OTC label text: "Ask a doctor or pharmacist before use if".
    LabelAskDoctorOrPharmacist,
    /// Verbatim OTC label text: "If pregnant or breast-feeding".
    LabelPregnancyOrBreastFeeding,
    /// The sources hold nothing on this question: not checked, not safe.
    NotCovered,
    /// An age rule of `data/rules/age_rules.csv` (children's limits, Reye's syndrome).
    Age,
    /// A pregnancy rule by gestational week (`data/rules/pregnancy_rules.csv`).
    PregnancyStage,
    /// A breast-feeding rule (`data/rules/lactation_rules.csv`).
    BreastFeeding,
    /// A drug–condition rule (`data/rules/condition_rules.csv`).
    Condition,
    /// The medicine was withdrawn from the market (`data/rules/withdrawn.csv`).
    Withdrawn,
    /// A warning the OTC monograph (or a transcribed label of the category) gives for an
    /// ingredient-level suggestion's category (`otc_monograph_warnings.csv`), ungraded.
    MonographWarning,
}

/// A warning attached to a result, or the reason a medicine was excluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// What it is about.
    pub kind: AlertKind,
    /// Severity on PharmaRec's scale; `None` for verbatim label text and "not covered" notes, which
    /// the sources do not grade.
    pub severity: Option<Severity>,
    /// Human-readable text, built from the data row (or quoting it verbatim).
    pub message: SharedText,
    /// Where it comes from: a source citation, or `pharmarec structural rule`.
    pub source: SharedText,
    /// Ingredients concerned.
    pub ingredients: Vec<IngredientKey>,
    /// Where the rule's source was read, for rules of the cited tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<SharedText>,
    /// The patient fact that triggered it (`age 3 years`, `condition hypertension`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient_fact: Option<String>,
}

/// A patient fact that could not be checked for some ingredients, and why: never a silent pass.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotChecked {
    /// The patient fact (`age`, `pregnancy`, `breast_feeding`, `condition: gout`, `weight`).
    pub fact: String,
    /// Ingredients it could not be checked for (empty when it concerns the whole answer).
    pub ingredients: Vec<IngredientKey>,
    /// Why not.
    pub why: String,
}

/// Adds `entry` to `list`, merging its ingredients into an entry with the same fact and reason.
pub(crate) fn merge_not_checked(list: &mut Vec<NotChecked>, entry: NotChecked) {
    match list
        .iter_mut()
        .find(|e| e.fact == entry.fact && e.why == entry.why)
    {
        Some(existing) => {
            for key in entry.ingredients {
                insert_sorted(&mut existing.ingredients, key);
            }
        }
        None => list.push(entry),
    }
}

/// Adds `ingredient` to the entry for `fact` and `why`, creating the entry when there is none:
/// what [`merge_not_checked`] does, with the texts written once per answer, not per ingredient.
pub(crate) fn note_not_checked(
    list: &mut Vec<NotChecked>,
    fact: &str,
    why: &str,
    ingredient: Option<&IngredientKey>,
) {
    match list.iter_mut().find(|e| e.fact == fact && e.why == why) {
        Some(existing) => {
            if let Some(key) = ingredient {
                insert_sorted(&mut existing.ingredients, key.clone());
            }
        }
        None => list.push(NotChecked {
            fact: fact.to_string(),
            ingredients: ingredient.into_iter().cloned().collect(),
            why: why.to_string(),
        }),
    }
}

/// Adds `key` to the sorted, unique `keys` unless it is there.
fn insert_sorted(keys: &mut Vec<IngredientKey>, key: IngredientKey) {
    if let Err(position) = keys.binary_search(&key) {
        keys.insert(position, key);
    }
}

/// Source tag of rules that follow from the structure of the request, not from a data row.
pub const STRUCTURAL_RULE: &str = "pharmarec structural rule";

/// A medicine dropped for this patient, with the reason a pharmacist needs to see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    /// The product (best product of the treatment).
    pub medicine: MedicineSummary,
    /// The most severe reason.
    pub reason: Alert,
}
