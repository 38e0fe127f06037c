//! The CDS Hooks 2.0 service: discovery, the `order-select` and `order-sign` services and feedback.

mod card;
mod cards;
mod discovery;
mod facts;
mod feedback;
mod fetch;
mod jwks;
mod jwt;
mod prefetch;
mod replay;
mod request;
mod service;
mod suggest;

use actix_web::web;

pub(crate) use jwt::CdsAuth;
pub use jwt::TrustedIssuer;
pub use replay::SharedReplayStore;

/// Registers `/cds-services` and its children.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/cds-services", web::get().to(discovery::discovery))
        .route("/cds-services/{id}", web::post().to(service::call))
        .route(
            "/cds-services/{id}/feedback",
            web::post().to(feedback::feedback),
        );
}
