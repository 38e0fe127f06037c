//! PharmaRec's recommendation engine: ranked, explained, patient-safe medicine recommendations,
//! generic and therapeutic substitutes, and basket (interaction) checks.
//!
//! A pure library: it depends on `pharmarec-domain` only — no database, HTTP or async runtime — so
//! any Rust service can embed it. Build an immutable [`KnowledgeSnapshot`] from a
//! [`KnowledgeBase`](pharmarec_domain::KnowledgeBase) once, share it as `Arc<KnowledgeSnapshot>` through a
//! [`KnowledgeHandle`] (lock-free reads, atomic replacement), and ask it:
//!
//! * [`KnowledgeSnapshot::recommend`] — treatments for symptoms or conditions, grouped by active
//!   ingredients, each with its score, reasons and warnings; what the patient must not take is
//!   listed in `excluded` with the reason;
//! * [`KnowledgeSnapshot::substitutes`] — FDA-rated generic equivalents, then therapeutic alternatives;
//! * [`KnowledgeSnapshot::check_basket`] — interactions, duplications, allergy and contraindication hits;
//! * [`KnowledgeSnapshot::label_lines`] — a product's OTC label lines, those about the patient graded.
//!
//! Every answer carries the [`KnowledgeVersion`](pharmarec_domain::KnowledgeVersion) it was computed
//! from and [`DISCLAIMER`]. Errors are one enum, [`RecommendationError`].
//!
//! # Example
//!
//! The knowledge base below is **synthetic** (two made-up rows per table, not medical facts); real
//! callers build it with `pharmarec_domain::dataset::parse` or load it from a repository.
//!
//! ```
//! use std::sync::Arc;
//! use pharmarec_domain::*;
//! use pharmarec_recommendation::*;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let ingredient = |key: &str, class: &str| Ingredient {
//!     key: key.parse().unwrap(), inn_name: None, us_name: None,
//!     epc_classes: vec![class.to_string()], moa_classes: vec![], rxcui: vec![], has_otc_product: true,
//! };
//! let medicine = |id: &str, key: &str| Medicine {
//!     id: id.parse().unwrap(), brand_name: key.to_uppercase(),
//!     ingredients: vec![ActiveIngredient { ingredient: key.parse().unwrap(), as_labelled: key.into(), strength: None }],
//!     strength: "10MG".into(), dose_form: "tablet".into(), route: "oral".into(),
//!     status: MarketingStatus::Otc, te_codes: vec![], applicant: None, application: None,
//!     approval_date: None, reference_listed_drug: false, origin: MedicineOrigin::Local,
//! };
//! let knowledge = KnowledgeBase {
//!     ingredients: vec![ingredient("alphamine", "Synthetic Class A"), ingredient("betamol", "Synthetic Class B")],
//!     medicines: vec![medicine("SYN-1", "alphamine"), medicine("SYN-2", "betamol")],
//!     indications: vec![Indication {
//!         ingredient: "alphamine".parse()?, condition: "Sneezing".into(),
//!         relation: IndicationRelation::Indication, umls_cui: None, snomedct_id: None, doid: None,
//!         source: "synthetic".into(),
//!     }],
//!     interactions: vec![Interaction {
//!         pair: IngredientPair::new("alphamine".parse()?, "betamol".parse()?)?,
//!         severity: Severity::Major, source: InteractionSource::MergedPddi,
//!         source_ids: vec![], original_level: None, class_a: None, class_b: None,
//!         description: None, management: None,
//!     }],
//!     ..KnowledgeBase::default()
//! };
//! let version = KnowledgeVersion { catalogue_version: 1, sources: vec!["synthetic example".into()] };
//! let handle = KnowledgeHandle::new(Arc::new(KnowledgeSnapshot::build(knowledge, version)?));
//!
//! let catalogue = handle.current();
//! let answer = catalogue.recommend(&SymptomQuery::text("snezing"), &Patient::default(), &RecommendOptions::default())?;
//! assert_eq!(answer.recommendations[0].medicine.id.as_str(), "SYN-1");
//!
//! // A patient taking betamol must not get alphamine: it is excluded, with the reason.
//! let patient = Patient { current_medicines: vec![MedicineRef::ingredient("betamol")], ..Patient::default() };
//! let answer = catalogue.recommend(&SymptomQuery::text("sneezing"), &patient, &RecommendOptions::default())?;
//! assert!(answer.recommendations.is_empty());
//! assert_eq!(answer.excluded[0].reason.kind, AlertKind::Interaction);
//!
//! let basket = catalogue.check_basket(&[MedicineRef::ingredient("alphamine"), MedicineRef::ingredient("betamol")],
//!     &Patient::default(), &BasketOptions::default())?;
//! assert_eq!(basket.verdict, Verdict::Major);
//! # Ok(())
//! # }
//! ```

mod basket;
mod error;
mod handle;
mod matching;
mod model;
mod patient;
mod patient_text;
mod product_label;
mod recommend;
mod safety;
mod shared_text;
mod snapshot;
mod spelling;
mod stock;
mod substitutes;
mod text;

pub use basket::{BasketOptions, BasketReport, Finding, FindingKind, InteractionEvidence, Verdict};
pub use error::RecommendationError;
pub use handle::KnowledgeHandle;
pub use matching::SymptomQuery;
pub use model::{
    Alert, AlertKind, DISCLAIMER, Excluded, MedicineSummary, NotChecked, Reason, STRUCTURAL_RULE,
};
pub use patient::{MedicineRef, Patient};
pub use patient_text::ConditionFromText;
pub use recommend::{
    ExcludedSuggestion, IngredientSuggestion, RecommendOptions, Recommendation, Recommendations,
};
pub use shared_text::SharedText;
pub use snapshot::KnowledgeSnapshot;
pub use stock::{PharmacyStock, StockLine};
pub use substitutes::{Substitute, SubstituteKind, SubstituteOptions, Substitutes};
