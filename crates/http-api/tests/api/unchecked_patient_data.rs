//! What a recommendation says about the patient's data it could not check: unknown allergies and
//! medicines, and interactions below the warning severity.

use actix_web::http::StatusCode;
use actix_web::test;
use pharmarec_http_api::app;
use serde_json::json;

use crate::helpers::{Fakes, post_json};

const URI: &str = "/api/v1/recommendations";

#[actix_web::test]
async fn unknown_patient_entries_are_reported_as_unchecked() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let body = json!({"symptoms": "sneezing", "patient": {"allergies": ["blorptexium"]}});
    let reply = post_json(&app, URI, body).await;

    let entries = reply.body["data"]["unrecognised_patient_entries"].to_string();
    assert!(entries.contains("blorptexium"), "{entries}");
}

#[actix_web::test]
async fn interactions_below_the_warning_severity_are_counted_not_hidden() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    // Synthetic data: quellium treats sneezing and interacts `minor` with velocaine.
    let body = json!({"symptoms": "sneezing", "patient": {"current_medicines": [{"ingredient": "velocaine"}]}});
    let reply = post_json(&app, URI, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.body["data"]["suppressed_interactions"], 1,
        "{}",
        reply.text
    );
    let without = post_json(&app, URI, json!({"symptoms": "sneezing"})).await;
    assert_eq!(without.body["data"]["suppressed_interactions"], 0);
}
