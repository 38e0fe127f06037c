//! The OpenAPI document and Swagger UI (assets vendored into the binary; no CDN).

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use utoipa_swagger_ui::SwaggerUi;

use crate::routes::Endpoint;

/// Where the OpenAPI document is served.
pub(crate) const OPENAPI_PATH: &str = "/api/v1/openapi.json";

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    // SwaggerUi serves `/docs/…`; the bare `/docs` gets a redirect so relative asset URLs resolve.
    cfg.service(Endpoint::new("/docs").get(redirect_to_docs))
        .service(SwaggerUi::new("/docs/{_:.*}").url(OPENAPI_PATH, crate::openapi::document()));
}

async fn redirect_to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}
