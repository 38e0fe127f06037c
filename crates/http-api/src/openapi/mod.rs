//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the DTOs' schemas.

mod responses;
mod rules;

use std::sync::LazyLock;

use utoipa::OpenApi;

use self::responses::{BearerAuth, JsonBodies, SecuredOperations};

use crate::dto::MedicineSortDto;
use crate::envelope::{ErrorBody, ErrorEnvelope, PageMeta};
use crate::error::{ErrorCode, FieldError};
use crate::routes::{
    audit, auth, imports, interactions, medicines, operational, pharmacies, recommendations,
    reference_lists, stock, substitutes, users,
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
            Error codes are listed in docs/api.md. Writes, user management, the audit trail and \
            diagnostics need `Authorization: Bearer <access token>` from `POST /api/v1/auth/login`; \
            reads are anonymous unless the server requires tokens for reads, in which case they \
            answer `401 unauthenticated` without one. See docs/SECURITY.md."
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
        reference_lists::list_ingredients,
        reference_lists::list_conditions,
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
        auth::login,
        auth::refresh,
        auth::logout,
        users::create_user,
        users::list_users,
        users::get_user,
        users::update_user,
        users::disable_user,
        audit::list_audit_events,
        imports::import_catalogue,
        imports::import_interactions,
    ),
    modifiers(&BearerAuth, &SecuredOperations, &JsonBodies),
    components(schemas(ErrorEnvelope, ErrorBody, ErrorCode, FieldError, PageMeta, MedicineSortDto)),
    tags(
        (name = "operational", description = "Health, readiness, version, diagnostics and metrics"),
        (name = "medicines", description = "The product catalogue"),
        (name = "catalogue", description = "Reference lists: ingredients and conditions"),
        (name = "pharmacies", description = "Pharmacies"),
        (name = "stock", description = "Stock levels and prices per pharmacy"),
        (name = "clinical", description = "Recommendations, substitutes and interaction checks: \
            decision support that does not replace a pharmacist's judgement"),
        (name = "auth", description = "Login, token refresh and logout"),
        (name = "users", description = "User management (administrators)"),
        (name = "audit", description = "The append-only audit trail (administrators)"),
        (name = "imports", description = "A pharmacy's product list and licensed interaction \
            knowledge, uploaded as CSV (administrators; docs/IMPORTING.md)"),
    )
)]
pub(crate) struct ApiDoc;

/// The document as served: [`ApiDoc`] with the body rules utoipa cannot express written in, and the
/// condition codes of the knowledge snapshot in use (an entry written as a code must be one).
///
/// Every rule the server checks on a request is stated here, so a client or a contract tester
/// (`scripts/schemathesis.sh`) learns it from the document instead of from a `422`.
pub(crate) fn document(condition_codes: &[String]) -> serde_json::Value {
    static STATIC_PART: LazyLock<serde_json::Value> = LazyLock::new(|| {
        let mut json = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        rules::state_body_rules(&mut json);
        json
    });
    let mut json = STATIC_PART.clone();
    rules::state_condition_codes(&mut json, condition_codes);
    json
}
