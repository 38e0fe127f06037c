//! `POST /api/v1/recommendations`: the request and the ranked, explained answer.

use pharmarec_domain::PharmacyId;
use pharmarec_recommendation::{
    ExcludedSuggestion, IngredientSuggestion, Patient, Reason, Recommendation, Recommendations,
    SymptomQuery,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::common::{
    AlertDto, ConditionFromTextDto, ExcludedDto, MedicineSummaryDto, NotCheckedDto, map_all,
};
use super::patient::{PatientDto, names_fit};
use crate::dto::text::{NameDto, has_word};
use crate::dto::wire;
use crate::error::{ApiError, FieldError};

/// Treatments returned when the request does not say: the "top five" a pharmacist reads, as in the engine.
const DEFAULT_LIMIT: usize = 5;
/// Other products listed per treatment with `include_products` when `max_products` is not given.
const DEFAULT_MAX_PRODUCTS: usize = 10;

/// Body of `POST /api/v1/recommendations`: symptoms and/or condition codes, and the patient.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecommendationRequest {
    /// Symptom or condition text (`headache and fever`), at most 500 characters. Required, with a
    /// letter or digit in it, unless `condition_codes` is given.
    #[validate(length(max = 500, message = "must be at most 500 characters"))]
    #[schema(max_length = 500)]
    symptoms: Option<String>,
    /// Condition codes: UMLS CUI (`C0018681`), SNOMED CT id, `DOID:…`; at most 20.
    #[serde(default)]
    #[validate(
        length(max = 20, message = "must list at most 20 codes"),
        custom(function = "names_fit")
    )]
    condition_codes: Vec<NameDto>,
    /// The patient; omitted means nothing known (no allergies, no current medicines).
    #[serde(default, deserialize_with = "wire::object")]
    #[validate(nested)]
    patient: PatientDto,
    /// Maximum number of treatments, 1-50 (default 5).
    #[validate(range(min = 1, max = 50, message = "must be between 1 and 50"))]
    #[schema(minimum = 1, maximum = 50, default = 5)]
    #[serde(default, deserialize_with = "wire::optional")]
    limit: Option<u32>,
    /// Only over-the-counter products (default `true`: self-care at the counter). `false` is honoured
    /// for pharmacists and administrators only; anonymous callers and viewers always get OTC only.
    otc_only: Option<bool>,
    /// Rank by this pharmacy's stock: products on hand first, cheaper first among equals.
    pharmacy_id: Option<Uuid>,
    /// List each treatment's other products in `products` (default `false`: the best product and
    /// `product_count` only, which keeps answers small).
    include_products: Option<bool>,
    /// With `include_products`: at most this many other products per treatment, 1-50 (default 10).
    #[validate(range(min = 1, max = 50, message = "must be between 1 and 50"))]
    #[schema(minimum = 1, maximum = 50, default = 10)]
    #[serde(default, deserialize_with = "wire::optional")]
    max_products: Option<u32>,
}

/// A recommendation request as the engine takes it.
#[derive(Debug)]
pub(crate) struct RecommendationInput {
    pub(crate) query: SymptomQuery,
    pub(crate) patient: Patient,
    pub(crate) limit: usize,
    pub(crate) otc_only: bool,
    pub(crate) pharmacy: Option<PharmacyId>,
    pub(crate) include_products: bool,
    pub(crate) max_products: usize,
}

impl TryFrom<RecommendationRequest> for RecommendationInput {
    type Error = ApiError;

    fn try_from(request: RecommendationRequest) -> Result<Self, Self::Error> {
        let text = request.symptoms.unwrap_or_default();
        // The one cross-field rule; checked here so the error names a real field, not `__all__`.
        // Blank text, punctuation or emoji hold no word to match: the same as no symptoms.
        if !has_word(&text) && request.condition_codes.is_empty() {
            return Err(ApiError::Validation(vec![FieldError {
                field: "symptoms".to_owned(),
                reason: "give symptoms (words) or condition_codes".to_owned(),
            }]));
        }
        Ok(Self {
            query: SymptomQuery {
                text,
                condition_codes: request
                    .condition_codes
                    .into_iter()
                    .map(Into::into)
                    .collect(),
            },
            patient: request.patient.into_patient("patient")?,
            limit: request.limit.map_or(DEFAULT_LIMIT, |limit| limit as usize),
            otc_only: request.otc_only.unwrap_or(true),
            pharmacy: request.pharmacy_id.map(PharmacyId::from),
            include_products: request.include_products.unwrap_or(false),
            max_products: request
                .max_products
                .map_or(DEFAULT_MAX_PRODUCTS, |max| max as usize),
        })
    }
}

/// The answer: ranked treatments, what was excluded for this patient, and what was not understood.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecommendationsDto {
    /// Best first; each a different set of active ingredients.
    recommendations: Vec<RecommendationDto>,
    /// Treatments that matched but must not be given to this patient, with the reason.
    excluded: Vec<ExcludedDto>,
    /// OTC monograph ingredients suited to the query of which this catalogue has no product
    /// ("bismuth subsalicylate — antidiarrheal; no product of it in this catalogue"), best first,
    /// on the same score scale as `recommendations`; kept apart from the stocked treatments.
    ingredient_suggestions: Vec<IngredientSuggestionDto>,
    /// Ingredient-level suggestions the patient must not be given, with the reason.
    excluded_suggestions: Vec<ExcludedSuggestionDto>,
    /// Query words and codes that matched nothing (never guessed).
    unrecognised_terms: Vec<String>,
    /// Allergies, conditions and current medicines that matched nothing: they could not be checked.
    unrecognised_patient_entries: Vec<String>,
    /// Conditions read from the symptom text ("history of stomach ulcer") and used as the
    /// patient's conditions, not as complaints.
    conditions_from_text: Vec<ConditionFromTextDto>,
    /// Patient facts that could not be checked over the whole answer, and why.
    not_checked: Vec<NotCheckedDto>,
    /// Interactions with current medicines below the warning severity, left off the warnings (the
    /// basket check lists them with `min_severity: "minor"`).
    suppressed_interactions: usize,
    /// Whether only over-the-counter products were considered: always `true` for anonymous callers
    /// and viewers, even when they asked for `otc_only: false`.
    otc_only: bool,
}

/// One recommended treatment.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecommendationDto {
    /// The best product of the treatment (in stock and cheapest when `pharmacy_id` was given).
    medicine: MedicineSummaryDto,
    /// Other products with the same active ingredients; empty unless `include_products` was set.
    products: Vec<MedicineSummaryDto>,
    /// Products of this treatment that passed the filters, `medicine` included.
    product_count: usize,
    /// Relevance in `[0, 1]`.
    score: f64,
    /// Which query term matched which indication, from which source.
    reasons: Vec<ReasonDto>,
    /// What the pharmacist should check for this patient (alerts triggered by the patient's
    /// facts), most severe first.
    warnings: Vec<AlertDto>,
    /// The rest of the product's OTC label, ungraded, once.
    label: Vec<AlertDto>,
    /// Patient facts that could not be checked for this treatment, and why.
    not_checked: Vec<NotCheckedDto>,
}

/// Why a treatment was recommended.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReasonDto {
    /// The query words or code as written.
    term: String,
    /// The indication condition it matched.
    matched: String,
    /// The ingredient holding that indication.
    ingredient: String,
    /// Source of the indication (`drugcentral_2016`).
    source: String,
    /// How the term reached the condition (word match, vocabulary relation, spelling correction).
    via: String,
}

/// An OTC monograph ingredient without a product in this catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IngredientSuggestionDto {
    /// The catalogue key when the name joins one (`meclizine`), else the monograph name
    /// (`bismuth subsalicylate`).
    ingredient: String,
    /// The catalogue ingredient it joins, when there is one (its products do not fit this use).
    catalogue_ingredient: Option<String>,
    /// OTC use category (`antidiarrheal`).
    category: String,
    /// Its id in the monograph data (`nasal_decongestant`).
    category_id: String,
    /// Where its membership of the category was read (CFR paragraph or label, URL).
    category_source: String,
    /// As the monograph names it, with its salt (`meclizine hydrochloride`).
    monograph_name: String,
    /// Why no product is offered (`no product of it in this catalogue`).
    note: String,
    /// Relevance in `[0, 1]`, on the scale of `recommendations[].score`.
    score: f64,
    /// Which query term matched which indication wording; `source` is the CFR paragraph or label
    /// and its URL.
    reasons: Vec<ReasonDto>,
    /// What the pharmacist should check, including what could not be checked.
    warnings: Vec<AlertDto>,
}

/// An ingredient-level suggestion the patient must not be given.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ExcludedSuggestionDto {
    /// As the monograph names it.
    ingredient: String,
    /// OTC use category.
    category: String,
    /// Why it was excluded.
    reason: AlertDto,
}

impl From<IngredientSuggestion> for IngredientSuggestionDto {
    fn from(suggestion: IngredientSuggestion) -> Self {
        Self {
            ingredient: suggestion.ingredient,
            catalogue_ingredient: suggestion.catalogue_ingredient.map(Into::into),
            category: suggestion.category,
            category_id: suggestion.category_id,
            category_source: suggestion.category_source,
            monograph_name: suggestion.monograph_name,
            note: suggestion.note.to_owned(),
            score: suggestion.score,
            reasons: map_all(suggestion.reasons),
            warnings: map_all(suggestion.warnings),
        }
    }
}

impl From<ExcludedSuggestion> for ExcludedSuggestionDto {
    fn from(excluded: ExcludedSuggestion) -> Self {
        Self {
            ingredient: excluded.ingredient,
            category: excluded.category,
            reason: excluded.reason.into(),
        }
    }
}

impl RecommendationsDto {
    /// The engine's answer, and whether it was limited to OTC products.
    pub(crate) fn new(answer: Recommendations, otc_only: bool) -> Self {
        Self {
            recommendations: map_all(answer.recommendations),
            excluded: map_all(answer.excluded),
            ingredient_suggestions: map_all(answer.ingredient_suggestions),
            excluded_suggestions: map_all(answer.excluded_suggestions),
            unrecognised_terms: answer.unrecognised_terms,
            unrecognised_patient_entries: answer.unrecognised_patient_entries,
            conditions_from_text: map_all(answer.conditions_from_text),
            not_checked: map_all(answer.not_checked),
            suppressed_interactions: answer.suppressed_interactions,
            otc_only,
        }
    }
}

impl From<Recommendation> for RecommendationDto {
    fn from(recommendation: Recommendation) -> Self {
        Self {
            medicine: recommendation.medicine.into(),
            products: map_all(recommendation.products),
            product_count: recommendation.product_count,
            score: recommendation.score,
            reasons: map_all(recommendation.reasons),
            warnings: map_all(recommendation.warnings),
            label: map_all(recommendation.label),
            not_checked: map_all(recommendation.not_checked),
        }
    }
}

impl From<Reason> for ReasonDto {
    fn from(reason: Reason) -> Self {
        Self {
            term: reason.term,
            matched: reason.matched,
            ingredient: reason.ingredient.into(),
            source: reason.source,
            via: reason.via,
        }
    }
}
