//! `GET /fhir/metadata`, `GET /fhir/MedicationKnowledge/{id}` and
//! `GET /fhir/MedicationKnowledge?code=…&name=…` (R4 RESTful API, <https://hl7.org/fhir/R4/http.html>).
//!
//! Search is strict: an unknown parameter is a 400 `OperationOutcome` rather than silently
//! ignored, so a client never mistakes an unfiltered list for a filtered one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use pharmarec_domain::ports::MedicineQuery;
use pharmarec_domain::{MedicineId, PageRequest};
use pharmarec_http_api::{ApiError, AppState, check_read_access};
use serde_json::{Value, json};

use super::capability::capability_statement;
use super::knowledge::{PRODUCT_SYSTEM, medication_knowledge};
use super::model::RXNORM;
use super::outcome::{FHIR_JSON, from_error, outcome};
use crate::error::InteropError;
use crate::ingredients::IngredientNames;
use crate::state::InteropState;

/// Search parameters understood, besides paging.
const PARAMETERS: [&str; 4] = ["code", "name", "_count", "page"];

fn fhir_json(status: StatusCode, body: &Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(FHIR_JSON)
        .json(body)
}

pub(crate) async fn metadata(request: HttpRequest) -> HttpResponse {
    fhir_json(StatusCode::OK, &capability_statement(&base_url(&request)))
}

/// `auth.reads_require_auth` applies to the FHIR reads as to the API's; refused as an
/// `OperationOutcome` (R4 issue types `login`, `expired`, `unknown`).
fn refused_reader(request: &HttpRequest) -> Option<HttpResponse> {
    let (code, diagnostics) = match check_read_access(request).err()? {
        ApiError::Unauthenticated => ("login", "an access token is required"),
        ApiError::TokenExpired => ("expired", "the access token has expired"),
        _ => ("unknown", "the access token is not valid"),
    };
    Some(outcome(StatusCode::UNAUTHORIZED, code, diagnostics))
}

pub(crate) async fn read(
    state: web::Data<AppState>,
    interop: web::Data<InteropState>,
    id: web::Path<String>,
    request: HttpRequest,
) -> HttpResponse {
    if let Some(refused) = refused_reader(&request) {
        return refused;
    }
    let found = async {
        let id: MedicineId = id.parse().map_err(|_| InteropError::NotFound {
            what: "MedicationKnowledge",
            id: id.to_string(),
        })?;
        let medicine = state.medicines.get(&id).await?;
        let names = names(&state, &interop).await?;
        Ok::<_, InteropError>(medication_knowledge(&medicine, &names))
    };
    match found.await {
        Ok(resource) => fhir_json(StatusCode::OK, &resource),
        Err(error) => from_error(&error),
    }
}

pub(crate) async fn search(
    state: web::Data<AppState>,
    interop: web::Data<InteropState>,
    request: HttpRequest,
) -> HttpResponse {
    if let Some(refused) = refused_reader(&request) {
        return refused;
    }
    match searchset(&state, &interop, &request).await {
        Ok(bundle) => fhir_json(StatusCode::OK, &bundle),
        Err(error) => from_error(&error),
    }
}

/// Anything else under `/fhir`: R4 says an unsupported resource type is a 404 with an outcome.
pub(crate) async fn unsupported() -> HttpResponse {
    outcome(
        StatusCode::NOT_FOUND,
        "not-supported",
        "this server supports MedicationKnowledge (read, search-type) and metadata only",
    )
}

async fn names(
    state: &AppState,
    interop: &InteropState,
) -> Result<std::sync::Arc<IngredientNames>, InteropError> {
    let version = state
        .knowledge
        .current()
        .knowledge_version()
        .catalogue_version;
    interop.names(state, version).await
}

async fn searchset(
    state: &AppState,
    interop: &InteropState,
    request: &HttpRequest,
) -> Result<Value, InteropError> {
    let params: Vec<(String, String)> =
        web::Query::<Vec<(String, String)>>::from_query(request.query_string())
            .map_err(|e| InteropError::invalid("query", e.to_string()))?
            .into_inner();
    if let Some((unknown, _)) = params
        .iter()
        .find(|(k, _)| !PARAMETERS.contains(&k.as_str()))
    {
        return Err(InteropError::invalid(
            unknown.clone(),
            "search parameter not supported",
        ));
    }
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let number = |name: &str, default: u32| {
        get(name).map_or(Ok(default), |v| {
            v.parse::<u32>()
                .map_err(|_| InteropError::invalid(name, "must be a positive integer"))
        })
    };
    let page = PageRequest::new(
        number("page", 1)?,
        number("_count", PageRequest::DEFAULT_PER_PAGE)?,
    )?;
    let names = names(state, interop).await?;
    let medicines = match get("code") {
        Some(token) => by_code(state, &names, token, get("name"), page).await?,
        None => {
            let query = MedicineQuery {
                text: get("name").map(str::to_string),
                page,
                ..MedicineQuery::default()
            };
            let found = state.medicines.search(&query).await?;
            (found.items, Some(found.total_items))
        }
    };
    let base = base_url(request);
    let entries: Vec<Value> = medicines
        .0
        .iter()
        .map(|m| {
            json!({
                "fullUrl": format!("{base}/MedicationKnowledge/{}", m.id.as_str()),
                "resource": medication_knowledge(m, &names),
                "search": {"mode": "match"},
            })
        })
        .collect();
    let self_url = format!("{base}/MedicationKnowledge?{}", request.query_string());
    let mut bundle = json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "link": [{"relation": "self", "url": self_url}],
        "entry": entries,
    });
    // Bundle.total is 0..1: left out when a page was filtered after the catalogue counted it.
    if let Some(total) = medicines.1 {
        bundle["total"] = json!(total);
    }
    Ok(bundle)
}

/// `code=[system|]code`: a PharmaRec product id, or an RxNorm ingredient id (the products with
/// that ingredient; `name` then narrows the page, and the total is not known).
async fn by_code(
    state: &AppState,
    names: &IngredientNames,
    token: &str,
    name: Option<&str>,
    page: PageRequest,
) -> Result<(Vec<pharmarec_domain::Medicine>, Option<u64>), InteropError> {
    let (system, code) = token
        .split_once('|')
        .map_or((None, token), |(s, c)| (Some(s), c));
    if system.is_none_or(|s| s == PRODUCT_SYSTEM)
        && let Ok(id) = code.parse::<MedicineId>()
        && let Ok(medicine) = state.medicines.get(&id).await
    {
        let matches = name.is_none_or(|n| {
            medicine
                .brand_name
                .to_lowercase()
                .contains(&n.to_lowercase())
        });
        return Ok(if matches {
            (vec![medicine], Some(1))
        } else {
            (Vec::new(), Some(0))
        });
    }
    let ingredient = match system {
        None | Some(RXNORM) => names.by_rxcui(code),
        Some(_) => None,
    };
    let Some(ingredient) = ingredient else {
        return Ok((Vec::new(), Some(0)));
    };
    // The catalogue's text filter matches brand names and ingredient keys; keep the ingredient's.
    let query = MedicineQuery {
        text: Some(ingredient.to_string()),
        page,
        ..MedicineQuery::default()
    };
    let found = state.medicines.search(&query).await?;
    let items = found
        .items
        .into_iter()
        .filter(|m| m.ingredient_keys().any(|k| k == ingredient))
        .filter(|m| name.is_none_or(|n| m.brand_name.to_lowercase().contains(&n.to_lowercase())))
        .collect();
    Ok((items, None))
}

/// The FHIR base URL as the client reached it.
fn base_url(request: &HttpRequest) -> String {
    let info = request.connection_info();
    format!("{}://{}/fhir", info.scheme(), info.host())
}
