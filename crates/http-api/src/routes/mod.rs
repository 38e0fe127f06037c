//! Route registration: one module per resource, each with its own `configure`.
//!
//! Handlers stay thin: extract, convert the DTO to a domain type, call a port, map the result to a DTO
//! and wrap it in the envelope. Failures are `ApiError`.

pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod docs;
mod endpoint;
pub(crate) mod imports;
pub(crate) mod interactions;
pub(crate) mod medicines;
pub(crate) mod operational;
pub(crate) mod pharmacies;
pub(crate) mod recommendations;
pub(crate) mod reference_lists;
pub(crate) mod stock;
pub(crate) mod substitutes;
pub(crate) mod users;

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;

pub(crate) use endpoint::Endpoint;

/// Prefix of the versioned business API.
pub(crate) const API_PREFIX: &str = "/api/v1";

/// Registers every route of the application.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    operational::configure(cfg);
    // Before the `/api/v1` scope, which would otherwise swallow `/api/v1/openapi.json`.
    docs::configure(cfg);
    cfg.service(
        web::scope(API_PREFIX)
            .configure(medicines::configure)
            .configure(reference_lists::configure)
            .configure(pharmacies::configure)
            .configure(stock::configure)
            .configure(recommendations::configure)
            .configure(substitutes::configure)
            .configure(interactions::configure)
            .configure(imports::configure)
            .configure(auth::configure)
            .configure(users::configure)
            .configure(audit::configure),
    );
}

/// The default service: no route matches the path. `TRACE` (which would echo credentials back,
/// RFC 9110 §9.3.8) and `CONNECT` are refused everywhere.
pub(crate) async fn not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    if [Method::TRACE, Method::CONNECT].contains(request.method()) {
        return Err(ApiError::MethodNotAllowed {
            allow: String::new(),
        });
    }
    Err(ApiError::RouteNotFound)
}
