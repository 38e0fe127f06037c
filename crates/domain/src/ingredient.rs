//! Active ingredients (substances) and the other names they go by.

use serde::{Deserialize, Serialize};

use crate::IngredientKey;

/// An active ingredient with its names and pharmacologic classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ingredient {
    /// Join key used by every dataset file.
    pub key: IngredientKey,
    /// International non-proprietary name (DrugCentral), e.g. `paracetamol`.
    pub inn_name: Option<String>,
    /// RxNorm / FDA name, e.g. `acetaminophen`.
    pub us_name: Option<String>,
    /// FDA Established Pharmacologic Classes: the therapeutic class used for alternatives.
    pub epc_classes: Vec<String>,
    /// FDA Mechanism-of-Action classes.
    pub moa_classes: Vec<String>,
    /// RxNorm concept ids.
    pub rxcui: Vec<String>,
    /// Whether some OTC product in the catalogue contains it.
    pub has_otc_product: bool,
}

/// Another name for an ingredient (INN, official salt name, RxNorm name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synonym {
    /// The ingredient it names.
    pub ingredient: IngredientKey,
    /// The other name, lower case.
    pub synonym: String,
    /// Where the name comes from (`drugcentral_inn`, `fda_unii_official_name`, `rxnorm`).
    pub source: String,
}
