//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the DTOs' schemas.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::dto::MedicineSortDto;
use crate::envelope::{ErrorBody, ErrorEnvelope, PageMeta};
use crate::error::{ErrorCode, FieldError};
use crate::routes::{
    audit, auth, catalogue, imports, interactions, medicines, operational, pharmacies,
    recommendations, stock, substitutes, users,
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
    modifiers(&BearerAuth, &JsonBodies),
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

/// The document as served: [`ApiDoc`] with the NUL rule written into every free-text string.
///
/// No text anywhere may hold NUL (see the NUL middleware), so each string schema without an
/// enumeration, format or pattern of its own gets `pattern: "^[^\u0000]*$"`: clients and contract
/// testers then know the rule instead of discovering it as a `422`.
pub(crate) fn document() -> utoipa::openapi::OpenApi {
    let generated = ApiDoc::openapi();
    let Ok(mut json) = serde_json::to_value(&generated) else {
        return generated;
    };
    forbid_nul(&mut json);
    serde_json::from_value(json).unwrap_or(generated)
}

/// Adds the no-NUL pattern to every plain string schema under `value`.
fn forbid_nul(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            // `"type": "string"`, or `["string", "null"]` for an optional one (OpenAPI 3.1).
            let string = match map.get("type") {
                Some(serde_json::Value::String(kind)) => kind == "string",
                Some(serde_json::Value::Array(kinds)) => kinds.iter().any(|k| k == "string"),
                _ => false,
            };
            let plain_string = string
                && !["enum", "format", "pattern", "const"]
                    .iter()
                    .any(|k| map.contains_key(*k));
            if plain_string {
                map.insert("pattern".to_owned(), "^[^\\u0000]*$".into());
            }
            map.values_mut().for_each(forbid_nul);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(forbid_nul),
        _ => {}
    }
}

/// Documents `415 unsupported_content_type` on every operation that takes a JSON body: each of them
/// refuses a body of another type, and listing it once here keeps no operation from forgetting it.
struct JsonBodies;

impl Modify for JsonBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let unsupported = utoipa::openapi::ResponseBuilder::new()
            .description("`unsupported_content_type`: the body is not `application/json`")
            .content(
                "application/json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name(
                        "ErrorEnvelope",
                    )))
                    .build(),
            )
            .build();
        for path in openapi.paths.paths.values_mut() {
            for operation in [&mut path.post, &mut path.put].into_iter().flatten() {
                if operation.request_body.is_some() {
                    operation
                        .responses
                        .responses
                        .entry("415".to_owned())
                        .or_insert_with(|| unsupported.clone().into());
                }
            }
        }
    }
}

/// Declares the `bearer` security scheme the protected operations refer to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("HS256 access token from `POST /api/v1/auth/login`"))
                    .build(),
            ),
        );
    }
}
