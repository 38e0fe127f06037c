//! `recommend`: ranked, explained, patient-filtered treatments for symptoms or conditions.
//!
//! # Ranking
//! For each understood query term, a treatment's match is the best over its ingredients of
//! `route weight × evidence weight` (see `catalogue::conditions`). The score is the mean over terms
//! (a treatment covering "headache" and "fever" beats one covering only "fever"), times 0.85 per
//! ingredient that matches no term (prefer the plainest product that does the job), 0.9 for a
//! prescription-only treatment when prescription medicines are allowed, and 0.8 when a stock is
//! given and no product of the treatment is on hand. Scores lie in `[0, 1]`. Ties break on OTC
//! first, in stock first, cheaper first, fewer ingredients, more products in the catalogue, then
//! product id: same input, same order.

mod category_warnings;
mod evidence;
mod products;
mod rank;
mod reasons;
mod suggest;

use pharmarec_domain::{KnowledgeVersion, Severity};
use serde::Serialize;

use crate::model::{
    Alert, DISCLAIMER, Excluded, MedicineSummary, NotChecked, Reason, merge_not_checked,
};
use crate::patient_text::{ConditionFromText, extract};
use crate::safety::{PatientContext, Thresholds};
use crate::{KnowledgeSnapshot, Patient, PharmacyStock, RecommendationError, SymptomQuery};

pub use suggest::{ExcludedSuggestion, IngredientSuggestion};

/// Options of [`KnowledgeSnapshot::recommend`].
#[derive(Debug, Clone, Copy)]
pub struct RecommendOptions<'a> {
    /// Maximum number of treatments returned (and of excluded treatments listed).
    pub limit: usize,
    /// Only over-the-counter products (default `true`: PharmaRec serves self-care at the counter).
    pub otc_only: bool,
    /// A pharmacy's stock: ranks available products first and cheaper ones among equals.
    pub stock: Option<&'a PharmacyStock>,
    /// With a stock: drop treatments with no product on hand (default `false`: they rank lower).
    pub in_stock_only: bool,
    /// An interaction with a current medicine at or above this severity excludes a treatment
    /// (default [`Severity::Major`]: "avoid the combination" in every source).
    pub exclude_interactions_from: Severity,
    /// Interactions below the exclusion severity but at or above this one become warnings
    /// (default [`Severity::Moderate`], to limit alert fatigue from broad `minor` class entries).
    pub warn_interactions_from: Severity,
    /// List each treatment's other products (default `false`: the best product and a count keep
    /// answers small).
    pub include_products: bool,
    /// Maximum number of other products listed per treatment when `include_products` is set.
    pub max_products: usize,
}

impl Default for RecommendOptions<'_> {
    fn default() -> Self {
        Self {
            limit: 5,
            otc_only: true,
            stock: None,
            in_stock_only: false,
            exclude_interactions_from: Severity::Major,
            warn_interactions_from: Severity::Moderate,
            include_products: false,
            max_products: 10,
        }
    }
}

/// One recommended treatment: its best product, the other products, score, reasons and warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Best product of the treatment (in stock and cheapest when a stock is given).
    pub medicine: MedicineSummary,
    /// Other products with the same active ingredients (only with `include_products`, at most
    /// `max_products`).
    pub products: Vec<MedicineSummary>,
    /// Number of products of this treatment that passed the filters, `medicine` included.
    pub product_count: usize,
    /// Relevance in `[0, 1]`.
    pub score: f64,
    /// Which query term matched which indication, from which source (one per term matched).
    pub reasons: Vec<Reason>,
    /// What the pharmacist should check for this patient, most severe first.
    pub warnings: Vec<Alert>,
    /// The rest of the product's OTC label (lines not about this patient's facts), once.
    pub label: Vec<Alert>,
    /// Patient facts that could not be checked for this treatment, and why.
    pub not_checked: Vec<NotChecked>,
}

/// The answer to a recommendation request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendations {
    /// Best first; at most `limit`, each a different set of active ingredients.
    pub recommendations: Vec<Recommendation>,
    /// Treatments that matched but must not be given to this patient, with the reason.
    pub excluded: Vec<Excluded>,
    /// OTC monograph ingredients suited to the query of which the catalogue has no product,
    /// best first (at most `limit`); apart from the stocked treatments above.
    pub ingredient_suggestions: Vec<IngredientSuggestion>,
    /// Ingredient-level suggestions that must not be given to this patient, with the reason.
    pub excluded_suggestions: Vec<ExcludedSuggestion>,
    /// Query words and codes that matched nothing.
    pub unrecognised_terms: Vec<String>,
    /// Allergies, conditions and current medicines that matched nothing: they could not be checked.
    pub unrecognised_patient_entries: Vec<String>,
    /// Conditions read from the symptom text ("history of stomach ulcer") and used as the
    /// patient's conditions, not as complaints.
    pub conditions_from_text: Vec<ConditionFromText>,
    /// Patient facts that could not be checked, over the whole answer.
    pub not_checked: Vec<NotChecked>,
    /// Interaction rows with current medicines below `warn_interactions_from`, summed over the
    /// recommendations returned: dropped from their warnings, not absent from the sources.
    pub suppressed_interactions: usize,
    /// The knowledge this answer was computed from.
    pub knowledge: KnowledgeVersion,
    /// [`DISCLAIMER`].
    pub disclaimer: &'static str,
}

impl KnowledgeSnapshot {
    /// Recommends treatments for `query`, safe for `patient` as far as the data knows.
    ///
    /// # Errors
    /// [`RecommendationError::CatalogueNotLoaded`] on an empty snapshot;
    /// [`RecommendationError::InvalidRequest`] when the query has neither codes nor a word (a
    /// letter or digit) in its text;
    /// [`RecommendationError::InteractionKnowledgeUnavailable`] when the patient has current
    /// medicines and the snapshot holds no interaction knowledge (never a silent pass).
    pub fn recommend(
        &self,
        query: &SymptomQuery,
        patient: &Patient,
        options: &RecommendOptions<'_>,
    ) -> Result<Recommendations, RecommendationError> {
        self.ensure_loaded()?;
        // Text without a letter or digit (blank, punctuation, emoji) holds nothing to match.
        if !query.text.chars().any(char::is_alphanumeric) && query.condition_codes.is_empty() {
            return Err(RecommendationError::InvalidRequest {
                field: "query",
                reason: "give symptom text or condition codes",
            });
        }
        self.ensure_interactions_for(patient)?;
        // Conditions typed into the symptoms are the patient's, never something to treat.
        let extracted = extract(&self.rule_index.phrases, &query.text);
        let mut patient = patient.clone();
        patient
            .conditions
            .extend(extracted.conditions.iter().map(|c| c.code.clone()));
        let query = SymptomQuery {
            text: extracted.text,
            ..query.clone()
        };
        let interpretation = crate::matching::interpret(&self.conditions, &self.uses, &query);
        let context = PatientContext::new(self, &patient);
        let thresholds = Thresholds {
            exclude_from: options.exclude_interactions_from,
            warn_from: options.warn_interactions_from,
        };
        let evidence: Vec<evidence::TermEvidence> = interpretation
            .terms
            .iter()
            .map(|term| evidence::term_evidence(self, term))
            .collect();
        let forbidden = self.opposite_categories(&evidence);
        let candidates = rank::candidates(self, &evidence, &forbidden, options);
        let terms = &interpretation.terms;
        let (recommendations, excluded, suppressed_in_results) =
            rank::split(self, terms, candidates, &context, thresholds, options);
        let (ingredient_suggestions, excluded_suggestions, suppressed_in_suggestions) =
            suggest::suggestions(
                self, terms, &evidence, &forbidden, &context, thresholds, options,
            );
        let mut not_checked = context.not_checked.clone();
        for entry in recommendations.iter().flat_map(|r| r.not_checked.iter()) {
            merge_not_checked(&mut not_checked, entry.clone());
        }
        not_checked.sort();
        Ok(Recommendations {
            conditions_from_text: extracted.conditions,
            not_checked,
            recommendations,
            excluded,
            ingredient_suggestions,
            excluded_suggestions,
            unrecognised_terms: interpretation.unrecognised,
            suppressed_interactions: suppressed_in_results + suppressed_in_suggestions,
            unrecognised_patient_entries: context.unrecognised,
            knowledge: self.version.clone(),
            disclaimer: DISCLAIMER,
        })
    }
}

impl KnowledgeSnapshot {
    /// The categories a query reaching `evidence`'s categories must never return
    /// (data/rules/category_opposites.csv).
    fn opposite_categories(
        &self,
        evidence: &[evidence::TermEvidence],
    ) -> Vec<crate::snapshot::CategoryId> {
        let mut forbidden: Vec<_> = evidence
            .iter()
            .flat_map(|e| &e.categories)
            .flat_map(|&c| self.uses.opposites(c))
            .copied()
            .collect();
        forbidden.sort_unstable();
        forbidden.dedup();
        forbidden
    }
}
