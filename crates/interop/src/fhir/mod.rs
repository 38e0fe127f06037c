//! The FHIR R4 read side: `MedicationKnowledge` and the `CapabilityStatement`, plus the R4 model
//! of what the CDS service reads from requests.

mod capability;
mod knowledge;
pub(crate) mod model;
mod outcome;
mod routes;
pub mod validate;

use actix_web::web;

/// Registers `/fhir`.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/fhir")
            .route("/metadata", web::get().to(routes::metadata))
            .route("/MedicationKnowledge", web::get().to(routes::search))
            .route("/MedicationKnowledge/{id}", web::get().to(routes::read))
            .default_service(web::to(routes::unsupported)),
    );
}
