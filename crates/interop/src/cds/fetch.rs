//! Fetching what prefetch did not bring from the EHR's FHIR server, only when the request gives
//! `fhirServer` and `fhirAuthorization.access_token` (CDS Hooks 2.0, "FHIR Resource Access").
//!
//! Each query has a timeout; a failure leaves the category missing, so the response says the check
//! could not run. The token is sent to `fhirServer` only and never logged. `https` servers are
//! verified against the roots of [`crate::tls`] (see `docs/INTEROPERABILITY.md`).

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;

use super::prefetch::{Category, Gathered};
use crate::fhir::model::Resource;

/// How long one FHIR query may take.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(5);

/// Largest FHIR response read (a patient's medication list is far smaller).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// Fetches every missing category; returns one line per category that could not be fetched.
pub(crate) async fn fill_missing(
    gathered: &mut Gathered,
    server: &str,
    token: &str,
    patient_id: &str,
    tls: Arc<rustls::ClientConfig>,
) -> Vec<String> {
    let client = awc::Client::builder()
        .connector(awc::Connector::new().rustls_0_23(tls))
        .timeout(TIMEOUT)
        .finish();
    let base = server.trim_end_matches('/');
    let missing = gathered.missing();
    // All queries at once: the slowest one bounds the wait, not their sum.
    let answers = join_all(missing.iter().map(|&category| {
        let url = format!("{base}/{}", query_of(category, patient_id));
        let client = &client;
        async move { get(client, &url, token).await }
    }))
    .await;
    let mut failures = Vec::new();
    for (category, answer) in missing.into_iter().zip(answers) {
        match answer {
            Ok(resource) => {
                gathered.mark(category);
                if let Err(error) =
                    gathered.add(resource, &format!("fhirServer {}", category.key()))
                {
                    gathered.provided.retain(|c| *c != category);
                    failures.push(format!(
                        "{}: the FHIR server's answer was not valid R4 ({error})",
                        category.key()
                    ));
                }
            }
            Err(why) => failures.push(format!(
                "{}: could not be fetched from the FHIR server ({why})",
                category.key()
            )),
        }
    }
    failures
}

async fn get(client: &awc::Client, url: &str, token: &str) -> Result<Resource, String> {
    let mut response = client
        .get(url)
        .insert_header(("Accept", "application/fhir+json"))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .send()
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "FHIR server request failed");
            "no answer in time or connection failed".to_string()
        })?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status().as_u16()));
    }
    let body = response
        .body()
        .limit(MAX_BODY)
        .await
        .map_err(|_| "unreadable body".to_string())?;
    serde_json::from_slice(&body).map_err(|_| "not a FHIR resource".to_string())
}

/// Percent-encodes a patient id for a query string or path segment (ids are `[A-Za-z0-9\-\.]` in
/// R4, so anything else is escaped).
fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The FHIR query of `category` for this patient, relative to the server base.
fn query_of(category: Category, patient_id: &str) -> String {
    category
        .template()
        .replace("{{context.patientId}}", &encode(patient_id))
}
