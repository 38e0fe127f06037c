//! The OpenAPI document and Swagger UI (assets vendored into the binary; no CDN).

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::routes::Endpoint;
use crate::state::AppState;

/// Where the OpenAPI document is served.
pub(crate) const OPENAPI_PATH: &str = "/api/v1/openapi.json";

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    // SwaggerUi serves `/docs/…`; the bare `/docs` gets a redirect so relative asset URLs resolve.
    cfg.service(Endpoint::new("/docs").get(redirect_to_docs))
        .service(Endpoint::new(OPENAPI_PATH).get(openapi_json))
        .service(SwaggerUi::new("/docs/{_:.*}").config(Config::new([OPENAPI_PATH])));
}

/// The document, with the condition codes of the knowledge snapshot in use: they change with it.
async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    let catalogue = state.knowledge.current();
    HttpResponse::Ok().json(crate::openapi::document(catalogue.condition_codes()))
}

async fn redirect_to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}
