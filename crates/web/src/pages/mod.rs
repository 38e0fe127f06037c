//! One module per page; each handler loads the session, calls a port or the engine and renders.
//!
//! Reads are `GET`; anything that writes, or carries patient details (which must not end up in URLs
//! and access logs), is a `POST` with the session's CSRF token.

mod admin;
mod basket;
mod catalogue;
mod clinical;
mod login;
mod names;
mod pharmacy;
mod recommend;
mod stock;
mod substitutes;

use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder, web};

use crate::error::WebError;
use crate::session::Session;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(home))
        .route("/", web::get().to(home))
        .route("/login", web::get().to(login::form))
        .route("/login", web::post().to(login::sign_in))
        .route("/logout", web::post().to(login::sign_out))
        .route("/pharmacy", web::get().to(pharmacy::choose))
        .route("/pharmacy", web::post().to(pharmacy::select))
        .route("/recommend", web::get().to(recommend::form))
        .route("/recommend", web::post().to(recommend::answer))
        .route("/names", web::get().to(names::suggest))
        .route("/basket", web::get().to(basket::form))
        .route("/basket", web::post().to(basket::check))
        .route("/basket/dismiss", web::post().to(basket::dismiss))
        .route("/catalogue", web::get().to(catalogue::search))
        .route("/medicines/{id}", web::get().to(catalogue::product))
        .route(
            "/medicines/{id}/substitutes",
            web::get().to(substitutes::list),
        )
        .route("/stock", web::get().to(stock::list))
        .route("/stock/{medicine}", web::get().to(stock::edit))
        .route("/stock/{medicine}", web::post().to(stock::save))
        .route("/audit", web::get().to(admin::audit))
        .route("/users", web::get().to(admin::users))
        .default_service(web::to(not_found));
}

/// The console's start page: the question asked most at the counter.
async fn home(_session: Session) -> HttpResponse {
    see_other("/console/recommend")
}

async fn not_found() -> Result<HttpResponse, WebError> {
    Err(WebError::NotFound)
}

/// `303 See Other` to `location` (after a successful form, so a reload does not post again).
pub(crate) fn see_other(location: &str) -> HttpResponse {
    redirect(location).finish()
}

/// [`see_other`], still open for cookies.
pub(crate) fn redirect(location: &str) -> HttpResponseBuilder {
    let mut builder = HttpResponse::SeeOther();
    builder.insert_header((header::LOCATION, location));
    builder
}
