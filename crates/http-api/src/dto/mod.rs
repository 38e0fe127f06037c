//! Wire types: what clients send and receive, in snake_case, converted to and from domain types here.
//!
//! Domain types never go on the wire directly, so the database and the engine can change without
//! breaking clients. Request types deny unknown fields and carry `validator` rules for shape checks;
//! the domain's parse-don't-validate constructors enforce the rest.

mod account;
mod audit;
mod clinical;
mod imports;
mod medicine;
mod operational;
mod paging;
mod pharmacy;
mod reference_lists;
mod stock;
mod text;
mod wire;

pub(crate) use account::{
    LoginRequest, NewUserRequest, RefreshRequest, TokenPairDto, UpdateUserRequest, UserDto,
};
pub(crate) use audit::{AuditEventDto, AuditListQuery};
pub(crate) use clinical::{
    ClinicalMeta, InteractionCheckInput, InteractionCheckRequest, InteractionReportDto,
    RecommendationInput, RecommendationRequest, RecommendationsDto, SubstituteParams,
    SubstitutesDto, SubstitutesQuery, SubstitutesRequest, check_condition_codes, trimester_weeks,
};
pub(crate) use imports::{
    CatalogueImportDto, CatalogueImportQuery, InteractionImportDto, InteractionImportQuery,
    file_errors,
};
pub(crate) use medicine::{MedicineDto, MedicineListQuery, MedicineRequest, MedicineSortDto};
pub(crate) use operational::{
    BuildDto, DependencyDto, DependencyState, DiagnosticsDto, HealthDto, PoolDto, ProcessDto,
    ReadinessDto, ReadinessStatus, VersionDto,
};
pub(crate) use paging::{PagingQuery, page_request};
pub(crate) use pharmacy::{NewPharmacyRequest, PharmacyDto};
pub(crate) use reference_lists::{ConditionDto, IngredientDto, TextSearchQuery};
pub(crate) use stock::{StockAdjustmentRequest, StockLevelDto, StockListQuery, StockUpdateRequest};
pub(crate) use text::{
    FEW_DISTINCT, HAS_WORD, MAX_UNICODE_PASSWORD, NO_NUL, WHITESPACE, email_pattern,
    non_blank_pattern,
};
