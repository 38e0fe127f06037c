//! The CDS Hooks 2.0 service request (<https://cds-hooks.hl7.org/2.0/#http-request_1>) and the
//! `order-select` / `order-sign` contexts (<https://cds-hooks.org/hooks/order-select/>,
//! <https://cds-hooks.org/hooks/order-sign/>), validated before any clinical work.
//!
//! The spec lists every top-level field and every context field, and puts anything else under
//! `extension`, so those objects deny unknown fields; FHIR resources inside are open (see
//! `fhir::model`).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::InteropError;
use crate::fhir::model::{Bundle, MedicationUse, Resource};

/// A CDS Hooks 2.0 request body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct HookRequest {
    pub(crate) hook: String,
    pub(crate) hook_instance: String,
    #[serde(default)]
    pub(crate) fhir_server: Option<String>,
    #[serde(default)]
    pub(crate) fhir_authorization: Option<FhirAuthorization>,
    pub(crate) context: OrderContext,
    #[serde(default)]
    pub(crate) prefetch: Option<Map<String, Value>>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted as the spec allows; no extension is interpreted"
    )]
    pub(crate) extension: Option<Value>,
}

/// `fhirAuthorization`: every field is required except `patient`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FhirAuthorization {
    pub(crate) access_token: String,
    pub(crate) token_type: String,
    #[expect(
        dead_code,
        reason = "required by the spec; the token is used once, at once"
    )]
    pub(crate) expires_in: u64,
    #[expect(
        dead_code,
        reason = "required by the spec; not needed to make the calls"
    )]
    pub(crate) scope: String,
    #[expect(
        dead_code,
        reason = "required by the spec; not needed to make the calls"
    )]
    pub(crate) subject: String,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "optional in the spec; the context's patientId is used"
    )]
    pub(crate) patient: Option<String>,
}

impl std::fmt::Debug for FhirAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The bearer token must never reach a log.
        f.debug_struct("FhirAuthorization").finish_non_exhaustive()
    }
}

/// The `order-select` / `order-sign` context: `selections` is required for `order-select` only.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct OrderContext {
    #[expect(
        dead_code,
        reason = "required by the hook; PharmaRec's checks do not depend on the user"
    )]
    pub(crate) user_id: String,
    pub(crate) patient_id: String,
    #[serde(default)]
    #[expect(dead_code, reason = "optional in the hook; not used by the checks")]
    pub(crate) encounter_id: Option<String>,
    #[serde(default)]
    pub(crate) selections: Option<Vec<String>>,
    pub(crate) draft_orders: Value,
}

/// One draft `MedicationRequest` and its position in `draftOrders`.
#[derive(Debug, Clone)]
pub(crate) struct DraftOrder {
    /// `MedicationRequest/<id>` (or `draftOrders.entry[i]` when the resource has no id).
    pub(crate) reference: String,
    pub(crate) resource: MedicationUse,
    pub(crate) selected: bool,
}

/// Parses the body, failing with the first shape error as `InvalidRequest`.
pub(crate) fn parse(body: &[u8], hook: &str) -> Result<HookRequest, InteropError> {
    let request: HookRequest =
        serde_json::from_slice(body).map_err(|e| InteropError::invalid("body", e.to_string()))?;
    if request.hook != hook {
        return Err(InteropError::invalid(
            "hook",
            format!("this service answers `{hook}`, not `{}`", request.hook),
        ));
    }
    if uuid::Uuid::parse_str(&request.hook_instance).is_err() {
        return Err(InteropError::invalid("hookInstance", "must be a UUID"));
    }
    if request.context.patient_id.trim().is_empty() {
        return Err(InteropError::invalid(
            "context.patientId",
            "must not be empty",
        ));
    }
    if hook == "order-select" && request.context.selections.is_none() {
        return Err(InteropError::invalid(
            "context.selections",
            "required by order-select",
        ));
    }
    if let Some(auth) = &request.fhir_authorization {
        if !auth.token_type.eq_ignore_ascii_case("bearer") {
            return Err(InteropError::invalid(
                "fhirAuthorization.token_type",
                "must be Bearer",
            ));
        }
        if request.fhir_server.is_none() {
            return Err(InteropError::invalid(
                "fhirServer",
                "required when fhirAuthorization is given",
            ));
        }
    }
    Ok(request)
}

impl HookRequest {
    /// The draft `MedicationRequest`s, validated against R4; other order types are not
    /// PharmaRec's to check and are skipped.
    pub(crate) fn draft_orders(&self) -> Result<Vec<DraftOrder>, InteropError> {
        let bundle = match serde_json::from_value::<Resource>(self.context.draft_orders.clone()) {
            Ok(Resource::Bundle(bundle)) => bundle,
            Ok(_) => {
                return Err(InteropError::invalid(
                    "context.draftOrders",
                    "must be a FHIR Bundle",
                ));
            }
            Err(e) => return Err(InteropError::invalid("context.draftOrders", e.to_string())),
        };
        let selections = self.context.selections.clone().unwrap_or_default();
        let orders = medication_requests(bundle)?;
        for selection in &selections {
            if !orders.iter().any(|o| &o.reference == selection) {
                return Err(InteropError::invalid(
                    "context.selections",
                    format!("{selection} is not a MedicationRequest in draftOrders"),
                ));
            }
        }
        Ok(orders
            .into_iter()
            .map(|mut order| {
                // order-sign has no selections: every draft order is the one being signed.
                order.selected = selections.is_empty() || selections.contains(&order.reference);
                order
            })
            .collect())
    }
}

fn medication_requests(bundle: Bundle) -> Result<Vec<DraftOrder>, InteropError> {
    let mut orders = Vec::new();
    for (index, entry) in bundle.entry.into_iter().enumerate() {
        let path = format!("context.draftOrders.entry[{index}].resource");
        match entry.resource {
            Some(Resource::MedicationRequest(request)) => {
                request
                    .check_request(&path)
                    .map_err(|missing| InteropError::invalid(missing.0, "required by FHIR R4"))?;
                let reference = request.id.as_ref().map_or_else(
                    || format!("draftOrders.entry[{index}]"),
                    |id| format!("MedicationRequest/{id}"),
                );
                orders.push(DraftOrder {
                    reference,
                    resource: request,
                    selected: false,
                });
            }
            Some(_) => {}
            None => {
                return Err(InteropError::invalid(
                    path,
                    "required in a draftOrders entry",
                ));
            }
        }
    }
    if orders.is_empty() {
        return Err(InteropError::invalid(
            "context.draftOrders",
            "holds no MedicationRequest",
        ));
    }
    Ok(orders)
}
