//! Wire types of the clinical endpoints: recommendations, substitutes and interaction checks.
//!
//! The patient, medicine references and warnings are shared by all three (`common`), so the three
//! endpoints accept and describe them identically.

mod common;
mod interactions;
mod patient;
mod recommend;
mod substitutes;

pub(crate) use common::ClinicalMeta;
pub(crate) use interactions::{
    InteractionCheckInput, InteractionCheckRequest, InteractionReportDto,
};
pub(crate) use patient::{check_condition_codes, trimester_weeks};
pub(crate) use recommend::{RecommendationInput, RecommendationRequest, RecommendationsDto};
pub(crate) use substitutes::{
    SubstituteParams, SubstitutesDto, SubstitutesQuery, SubstitutesRequest,
};
