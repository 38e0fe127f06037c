//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the DTOs' schemas.

use utoipa::OpenApi;

use crate::envelope::{ErrorBody, ErrorEnvelope, PageMeta};
use crate::error::{ErrorCode, FieldError};
use crate::routes::{
    catalogue, interactions, medicines, operational, pharmacies, recommendations, stock,
    substitutes,
};

/// Every documented operation and the shared envelope schemas.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "PharmaRec API",
        description = "Medicine catalogue, pharmacies, stock and clinical decision support. Every \
            JSON response uses one envelope: `{\"success\": true, \"data\": …}` (plus `meta` on \
            lists, and on clinical answers the knowledge version, sources and disclaimer) or \
            `{\"success\": false, \"error\": {\"code\", \"message\", \"details\"?, \"request_id\"}}`. \
            Error codes are listed in docs/api.md."
    ),
    paths(
        operational::health,
        operational::ready,
        operational::version,
        operational::diagnostics,
        operational::metrics,
        medicines::list_medicines,
        medicines::get_medicine,
        medicines::create_medicine,
        medicines::update_medicine,
        medicines::delete_medicine,
        catalogue::list_ingredients,
        catalogue::list_conditions,
        pharmacies::create_pharmacy,
        pharmacies::list_pharmacies,
        pharmacies::get_pharmacy,
        stock::list_stock,
        stock::put_stock,
        stock::adjust_stock,
        recommendations::recommend,
        substitutes::get_substitutes,
        substitutes::post_substitutes,
        interactions::check_interactions,
    ),
    components(schemas(ErrorEnvelope, ErrorBody, ErrorCode, FieldError, PageMeta)),
    tags(
        (name = "operational", description = "Health, readiness, version, diagnostics and metrics"),
        (name = "medicines", description = "The product catalogue"),
        (name = "catalogue", description = "Reference lists: ingredients and conditions"),
        (name = "pharmacies", description = "Pharmacies"),
        (name = "stock", description = "Stock levels and prices per pharmacy"),
        (name = "clinical", description = "Recommendations, substitutes and interaction checks: \
            decision support that does not replace a pharmacist's judgement"),
    )
)]
pub(crate) struct ApiDoc;
