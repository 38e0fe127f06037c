//! Ingredients and conditions: read-only reference lists.

use pharmarec_domain::Ingredient;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// `?q=&page=&per_page=` for searchable reference lists.
#[derive(Debug, Default, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct TextSearchQuery {
    /// Case-insensitive text the name must contain.
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[param(max_length = 200)]
    pub(crate) q: Option<String>,
    /// 1-based page number (default 1, at most 2147483647).
    #[param(minimum = 1, maximum = 2_147_483_647)]
    pub(crate) page: Option<u32>,
    /// Page size (default 20, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub(crate) per_page: Option<u32>,
}

impl TextSearchQuery {
    /// The search text, trimmed; blank means no filter.
    pub(crate) fn text(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }
}

/// An active ingredient with its names and pharmacologic classes.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IngredientDto {
    /// Join key, lower case (`acetaminophen`).
    key: String,
    /// International non-proprietary name (`paracetamol`).
    inn_name: Option<String>,
    /// US name (`acetaminophen`).
    us_name: Option<String>,
    /// FDA established pharmacologic classes.
    epc_classes: Vec<String>,
    /// FDA mechanism-of-action classes.
    moa_classes: Vec<String>,
    /// RxNorm concept ids.
    rxcui: Vec<String>,
    /// Whether some OTC product contains it.
    has_otc_product: bool,
}

impl From<Ingredient> for IngredientDto {
    fn from(ingredient: Ingredient) -> Self {
        Self {
            key: ingredient.key.into(),
            inn_name: ingredient.inn_name,
            us_name: ingredient.us_name,
            epc_classes: ingredient.epc_classes,
            moa_classes: ingredient.moa_classes,
            rxcui: ingredient.rxcui,
            has_otc_product: ingredient.has_otc_product,
        }
    }
}

/// A condition some medicine is indicated for.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ConditionDto {
    /// Condition name, lower case.
    name: String,
}

impl From<String> for ConditionDto {
    fn from(name: String) -> Self {
        Self { name }
    }
}
