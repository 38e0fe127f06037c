//! Fetching missing prefetch from the EHR's FHIR server, against a tiny local stub server: only
//! with a token, with the token, and within the timeout.

use std::sync::Mutex;

use serde_json::{Value, json};

use super::{SELECT, card, example};
use crate::helpers::{Reply, on_each_backend};

mod https;

/// A tiny FHIR server for one test: answers the prefetch queries for patient `f101` with a
/// synthetic warfarin order, after `delay`, and records the `Authorization` headers it saw.
async fn fhir_stub(
    delay: std::time::Duration,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorded = seen.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        let recorded = recorded.clone();
        App::new().default_service(web::to(move |request: HttpRequest| {
            let recorded = recorded.clone();
            async move {
                actix_web::rt::time::sleep(delay).await;
                let auth = request
                    .headers()
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                recorded.lock().unwrap().push(auth.to_string());
                HttpResponse::Ok()
                    .content_type("application/fhir+json")
                    .json(stub_answer(request.path()))
            }
        }))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    (format!("http://127.0.0.1:{port}/fhir"), seen)
}

/// The stub's answer at `path`: patient `f101` with a synthetic warfarin order, nothing else.
fn stub_answer(path: &str) -> Value {
    let prefetch = example("order-select-warfarin-ibuprofen.request.json")["prefetch"].clone();
    match path {
        "/fhir/Patient/f101" => prefetch["patient"].clone(),
        "/fhir/MedicationRequest" => prefetch["medicationRequests"].clone(),
        _ => json!({"resourceType": "Bundle", "type": "searchset", "entry": []}),
    }
}

fn with_fhir_server(server: &str) -> Value {
    let mut request = example("no-prefetch.request.json");
    request["hookInstance"] = json!(uuid::Uuid::new_v4().to_string());
    request["fhirServer"] = json!(server);
    request["fhirAuthorization"] = json!({"access_token": "synthetic-token", "token_type": "Bearer",
        "expires_in": 300, "scope": "patient/*.read", "subject": "pharmarec"});
    request
}

/// The prefetch came from the stub, which saw the token on each of its five queries.
fn assert_fetched_with_the_token(reply: &Reply, seen: &Mutex<Vec<String>>) {
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(
        card(&reply.json, "Major interaction: ibuprofen + warfarin").is_some(),
        "{}",
        reply.text
    );
    assert!(
        card(&reply.json, "Some patient checks could not run").is_none(),
        "{}",
        reply.text
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 5, "one query per prefetch template");
    assert!(
        seen.iter().all(|a| a == "Bearer synthetic-token"),
        "{seen:?}"
    );
}

/// The FHIR server could not be used: the checks are reported as not run.
fn assert_not_fetched(reply: &Reply) {
    assert_eq!(reply.status, 200, "{}", reply.text);
    let detail =
        card(&reply.json, "Some patient checks could not run").expect("not-run card")["detail"]
            .as_str()
            .unwrap()
            .to_string();
    assert!(
        detail.contains("medicationRequests: could not be fetched from the FHIR server"),
        "{detail}"
    );
}

#[actix_web::test]
async fn missing_prefetch_is_fetched_from_the_fhir_server_with_the_token() {
    on_each_backend(|app| async move {
        let (server, seen) = fhir_stub(std::time::Duration::ZERO).await;
        let reply = app
            .send_json("POST", SELECT, &with_fhir_server(&server))
            .await;
        assert_fetched_with_the_token(&reply, &seen);
        // Without a token, no call is made.
        let (server, seen) = fhir_stub(std::time::Duration::ZERO).await;
        let mut request = with_fhir_server(&server);
        request.as_object_mut().unwrap().remove("fhirAuthorization");
        let reply = app.send_json("POST", SELECT, &request).await;
        assert!(
            card(&reply.json, "Some patient checks could not run").is_some(),
            "{}",
            reply.text
        );
        assert!(seen.lock().unwrap().is_empty());
    })
    .await;
}

#[actix_web::test]
async fn a_fhir_server_slower_than_the_timeout_leaves_the_checks_reported_as_not_run() {
    on_each_backend(|app| async move {
        let (server, _) = fhir_stub(std::time::Duration::from_secs(8)).await;
        let reply = app
            .send_json("POST", SELECT, &with_fhir_server(&server))
            .await;
        assert_not_fetched(&reply);
    })
    .await;
}
