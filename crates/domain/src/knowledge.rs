//! Reference knowledge: indications, condition vocabulary, label warnings, pregnancy categories, and
//! the [`KnowledgeBase`] bundle the engine is built from.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};

use crate::{
    ClinicalRules, Ingredient, IngredientKey, Interaction, Medicine, PregnancyCategory, Synonym,
};

/// How an ingredient relates to a condition in its source.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum IndicationRelation {
    /// DrugCentral labelled indication.
    Indication,
    /// PharmacotherapyDB: modifies the disease.
    DiseaseModifying,
    /// PharmacotherapyDB: treats symptoms.
    Symptomatic,
}

/// An ingredient is used for a condition, according to a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indication {
    /// Ingredient key.
    pub ingredient: IngredientKey,
    /// Condition text as the source gives it (`Fever`, `migraine`).
    pub condition: String,
    /// Kind of evidence.
    pub relation: IndicationRelation,
    /// UMLS concept id, if given.
    pub umls_cui: Option<String>,
    /// SNOMED CT id, if given.
    pub snomedct_id: Option<String>,
    /// Disease Ontology id, if given.
    pub doid: Option<String>,
    /// `drugcentral_2016` or `pharmacotherapydb_1.0`.
    pub source: String,
}

/// How a vocabulary term reaches a condition.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TermRelation {
    /// Label or exact synonym of the condition's concept.
    ExactSynonym,
    /// Narrow synonym.
    NarrowSynonym,
    /// Broad synonym.
    BroadSynonym,
    /// Related synonym.
    RelatedSynonym,
    /// Term names an ancestor of the condition (a broad word reaching specific conditions).
    Parent,
    /// Term names a direct subtype of the condition.
    Child,
    /// Term names a symptom of the condition's disease: weakest evidence.
    SymptomOf,
}

/// A lay or clinical phrase that leads to an indication's condition string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionTerm {
    /// Lower-case phrase (`hay fever`).
    pub term: String,
    /// The `Indication::condition` it reaches, exactly.
    pub condition: String,
    /// How.
    pub relation: TermRelation,
    /// Ontology hops (0 for synonyms).
    pub hops: u8,
    /// Ontology (`doid`, `symp`, `mondo`).
    pub source: String,
    /// Concept id in that ontology.
    pub source_id: String,
}

/// OTC Drug Facts warnings of one label, cut at the standard headings (verbatim FDA text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtcLabelWarning {
    /// Generic name of the label.
    pub label_generic_name: String,
    /// Ingredients of the labelled product.
    pub ingredients: Vec<IngredientKey>,
    /// "Do not use" section.
    pub do_not_use: Option<String>,
    /// "Ask a doctor before use if" section.
    pub ask_doctor: Option<String>,
    /// "Ask a doctor or pharmacist before use if" section.
    pub ask_doctor_or_pharmacist: Option<String>,
    /// "When using this product" section.
    pub when_using: Option<String>,
    /// "Stop use and ask a doctor if" section.
    pub stop_use: Option<String>,
    /// "If pregnant or breast-feeding" section.
    pub pregnancy_or_breast_feeding: Option<String>,
    /// Provenance tag.
    pub source: String,
}

/// Pregnancy letter category of an ingredient (GNU Health, GPL-3.0-or-later data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PregnancyEntry {
    /// Ingredient key.
    pub ingredient: IngredientKey,
    /// Letter category.
    pub category: PregnancyCategory,
    /// GNU Health's pregnancy-warning flag.
    pub warning: bool,
    /// Name in the WHO essential-medicines list.
    pub who_eml_name: String,
    /// Provenance tag.
    pub source: String,
}

/// Identifies the knowledge a clinical answer was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeVersion {
    /// Monotonic catalogue version, bumped by every catalogue write and import.
    pub catalogue_version: i64,
    /// Names and editions of the sources loaded.
    pub sources: Vec<String>,
}

/// Everything the recommendation engine needs, as plain values: built from the dataset or a database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeBase {
    /// Products.
    pub medicines: Vec<Medicine>,
    /// Ingredients.
    pub ingredients: Vec<Ingredient>,
    /// Other ingredient names.
    pub synonyms: Vec<Synonym>,
    /// Ingredient → condition links.
    pub indications: Vec<Indication>,
    /// Phrase → condition links.
    pub condition_terms: Vec<ConditionTerm>,
    /// Interactions, one per (pair, source).
    pub interactions: Vec<Interaction>,
    /// OTC label warnings.
    pub label_warnings: Vec<OtcLabelWarning>,
    /// Pregnancy categories.
    pub pregnancy: Vec<PregnancyEntry>,
    /// Clinical rule tables and the OTC monographs: shipped with the code, not stored by the
    /// import (a store's `load` leaves them empty; the caller adds them).
    pub rules: ClinicalRules,
}

impl KnowledgeBase {
    /// Row counts per collection, for import reports and health output.
    pub fn counts(&self) -> KnowledgeCounts {
        KnowledgeCounts {
            medicines: self.medicines.len(),
            ingredients: self.ingredients.len(),
            synonyms: self.synonyms.len(),
            indications: self.indications.len(),
            condition_terms: self.condition_terms.len(),
            interactions: self.interactions.len(),
            label_warnings: self.label_warnings.len(),
            pregnancy: self.pregnancy.len(),
        }
    }
}

/// Row counts of a [`KnowledgeBase`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeCounts {
    /// Products.
    pub medicines: usize,
    /// Ingredients.
    pub ingredients: usize,
    /// Synonyms.
    pub synonyms: usize,
    /// Indications.
    pub indications: usize,
    /// Condition terms.
    pub condition_terms: usize,
    /// Interactions.
    pub interactions: usize,
    /// Label warnings.
    pub label_warnings: usize,
    /// Pregnancy entries.
    pub pregnancy: usize,
}
