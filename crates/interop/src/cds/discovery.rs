//! `GET /cds-services`: the CDS Hooks 2.0 discovery document
//! (<https://cds-hooks.hl7.org/2.0/#discovery>).

use actix_web::HttpResponse;
use serde_json::{Map, Value, json};

use super::prefetch::Category;
use crate::error::InteropError;

/// One service PharmaRec offers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Service {
    pub(crate) id: &'static str,
    pub(crate) hook: &'static str,
    title: &'static str,
    description: &'static str,
}

/// The services: one per hook.
pub(crate) const SERVICES: [Service; 2] = [
    Service {
        id: "pharmarec-order-select",
        hook: "order-select",
        title: "PharmaRec medication check (order-select)",
        description: "Checks newly selected medication orders against the patient's current medicines, \
                      allergies, age, pregnancy and conditions with PharmaRec's cited knowledge, and says \
                      what could not be checked.",
    },
    Service {
        id: "pharmarec-order-sign",
        hook: "order-sign",
        title: "PharmaRec medication check (order-sign)",
        description: "Checks medication orders about to be signed; cards already shown at order-select \
                      for the same hook instance are not repeated.",
    },
];

/// The service with this id (a 404 when there is none).
pub(crate) fn service(id: String) -> Result<Service, InteropError> {
    SERVICES
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(InteropError::NotFound {
            what: "CDS service",
            id,
        })
}

/// The discovery document.
pub(crate) fn document() -> Value {
    let prefetch: Map<String, Value> = Category::ALL
        .into_iter()
        .map(|c| (c.key().to_string(), Value::from(c.template())))
        .collect();
    let services: Vec<Value> = SERVICES
        .iter()
        .map(|s| {
            json!({
                "hook": s.hook,
                "id": s.id,
                "title": s.title,
                "description": s.description,
                "prefetch": prefetch,
            })
        })
        .collect();
    json!({ "services": services })
}

pub(crate) async fn discovery() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
