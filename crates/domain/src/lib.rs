//! Domain model of PharmaRec: medicines, ingredients, clinical knowledge, pharmacies and stock, and the
//! ports (traits) the other layers implement or call.
//!
//! This crate does no I/O: it depends on no database, HTTP or async runtime, so every other crate can
//! depend on it. The [`dataset`] module parses the shipped CSV dataset from readers its caller opens.
//! Errors are one enum, [`DomainError`], mapped to HTTP statuses once, at the HTTP edge.

pub mod account;
pub mod audit;
pub mod clinical;
pub mod dataset;
pub mod error;
pub mod ids;
pub mod imports;
pub mod ingredient;
pub mod interaction;
pub mod knowledge;
pub mod medicine;
pub mod paging;
pub mod pharmacy;
pub mod ports;
pub mod rules;

pub use account::{Email, NewUser, RefreshTokenRecord, Role, User, UserId};
pub use audit::{AuditAction, AuditContext, AuditEvent, AuditQuery, NewAuditEvent};
pub use clinical::{MarketingStatus, PregnancyCategory, Severity};
pub use error::{ConflictKind, DomainError, Entity};
pub use ids::{IngredientKey, MedicineId, PharmacyId};
pub use ingredient::{Ingredient, Synonym};
pub use interaction::{IngredientPair, Interaction, InteractionSource, LicensedSource};
pub use knowledge::{
    ConditionTerm, Indication, IndicationRelation, KnowledgeBase, KnowledgeVersion,
    OtcLabelWarning, PregnancyEntry, TermRelation,
};
pub use medicine::{ActiveIngredient, Medicine, MedicineOrigin, NewMedicine, Strength, TeCode};
pub use paging::{Page, PageRequest};
pub use pharmacy::{
    MAX_PRICE_MINOR, MAX_STOCK_QUANTITY, Money, NewPharmacy, Pharmacy, StockAdjustment, StockLevel,
    StockUpdate,
};
pub use rules::{
    AgeRule, AllergyWord, CategoryOpposite, Citation, ClinicalRules, ConditionPhrase,
    ConditionRule, LactationRule, LayPhrase, MedicineName, OlderAgeRule, OtcMonograph,
    PregnancyRule, RuleAction, RuleScope, WithdrawnRule,
};
