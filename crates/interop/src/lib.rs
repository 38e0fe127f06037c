//! PharmaRec's interoperability surfaces, mounted next to the HTTP API:
//!
//! * a CDS Hooks 2.0 service (`/cds-services`) for EHRs: `order-select` and `order-sign` answer
//!   draft medication orders with cards built from the engine's basket check and patient rules;
//! * a FHIR R4 read side (`/fhir`): `MedicationKnowledge` read and search, and the server's
//!   `CapabilityStatement`.
//!
//! It talks to storage only through the ports in [`AppState`](pharmarec_http_api::AppState) and
//! never depends on diesel or the repository. `docs/INTEROPERABILITY.md` is the integrator's guide.

mod cds;
mod error;
mod fhir;
mod ingredients;
mod state;
mod tls;

use actix_web::web;

pub use cds::{SharedReplayStore, TrustedIssuer};
pub use error::InteropError;
/// Checks of the R4 shapes this crate emits, for tests.
pub use fhir::validate as r4;
pub use state::{InteropConfig, InteropState};

/// Registers the CDS Hooks and FHIR routes; `state` is shared by every worker (create it once).
pub fn configure(state: InteropState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(state));
        cds::configure(cfg);
        fhir::configure(cfg);
    }
}
