//! `GET`/`POST /api/v1/medicines/{id}/substitutes` over the synthetic knowledge of `knowledge.rs`.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::test;
use pharmarec_domain::PharmacyId;
use pharmarec_http_api::app;
use pharmarec_recommendation::KnowledgeSnapshot;
use serde_json::{Value, json};

use crate::helpers::{Fakes, get, post_json, send};
use crate::knowledge::{QUELLIUM, ZORBANOL_BRAND, ZORBANOL_GENERIC, assert_clinical_meta};

fn uri(id: &str) -> String {
    format!("/api/v1/medicines/{id}/substitutes")
}

/// `(id, kind)` of every substitute, in answer order.
fn substitutes(body: &Value) -> Vec<(String, String)> {
    body["data"]["substitutes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["medicine"]["id"].as_str().unwrap().to_owned(),
                s["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn generic_equivalents_come_first_then_alternatives_each_with_why() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, &uri(ZORBANOL_BRAND)).await;

    assert_eq!(status, StatusCode::OK, "{body}");
    assert_clinical_meta(&body);
    assert_eq!(body["data"]["medicine"]["id"], ZORBANOL_BRAND);
    let found = substitutes(&body);
    assert_eq!(
        found.first(),
        Some(&(ZORBANOL_GENERIC.to_owned(), "generic_equivalent".to_owned()))
    );
    assert!(found.contains(&(QUELLIUM.to_owned(), "therapeutic_alternative".to_owned())));
    let kinds: Vec<&str> = found.iter().map(|(_, kind)| kind.as_str()).collect();
    let first_alternative = kinds.iter().position(|k| *k == "therapeutic_alternative");
    assert!(
        first_alternative.is_some_and(|i| kinds[i..].iter().all(|k| *k != "generic_equivalent"))
    );
    for substitute in body["data"]["substitutes"].as_array().unwrap() {
        assert!(
            !substitute["why"].as_array().unwrap().is_empty(),
            "{substitute}"
        );
        assert!(substitute["warnings"].is_array());
    }
}

#[actix_web::test]
async fn post_filters_substitutes_for_the_patient() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let body = json!({"patient": {"allergies": ["quellium"]}});
    let reply = post_json(&app, &uri(ZORBANOL_BRAND), body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_clinical_meta(&reply.body);
    assert!(
        !substitutes(&reply.body)
            .iter()
            .any(|(id, _)| id == QUELLIUM)
    );
    let excluded = &reply.body["data"]["excluded"][0];
    assert_eq!(excluded["medicine"]["id"], QUELLIUM);
    assert_eq!(excluded["reason"]["kind"], "allergy");
}

#[actix_web::test]
async fn post_without_patient_answers_like_get() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (got, _) = get(&app, &uri(ZORBANOL_BRAND)).await;
    let posted = post_json(&app, &uri(ZORBANOL_BRAND), json!({})).await;

    assert_eq!(posted.body, got);
}

#[actix_web::test]
async fn unknown_medicine_is_404() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let get_reply = send(&app, test::TestRequest::get().uri(&uri("SYN-NONE-001"))).await;
    let post_reply = post_json(&app, &uri("SYN-NONE-001"), json!({})).await;

    get_reply.assert_error(StatusCode::NOT_FOUND, "medicine_not_found");
    post_reply.assert_error(StatusCode::NOT_FOUND, "medicine_not_found");
}

#[actix_web::test]
async fn unknown_pharmacy_is_404() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let pharmacy = PharmacyId::new();

    let reply = send(
        &app,
        test::TestRequest::get().uri(&format!("{}?pharmacy_id={pharmacy}", uri(ZORBANOL_BRAND))),
    )
    .await;

    reply.assert_error(StatusCode::NOT_FOUND, "pharmacy_not_found");
}

#[actix_web::test]
async fn bad_query_and_body_are_rejected() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let get_reply =
        |query: &str| test::TestRequest::get().uri(&format!("{}?{query}", uri(ZORBANOL_BRAND)));

    let unknown = send(&app, get_reply("colour=red")).await;
    let not_uuid = send(&app, get_reply("pharmacy_id=nope")).await;
    let zero = send(&app, get_reply("limit=0")).await;
    let extra = post_json(&app, &uri(ZORBANOL_BRAND), json!({"colour": "red"})).await;

    unknown.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    not_uuid.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    zero.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    extra.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
}

#[actix_web::test]
async fn unloaded_knowledge_is_503() {
    let fakes = Fakes::new();
    fakes.engine.replace(Arc::new(KnowledgeSnapshot::empty()));
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(&app, test::TestRequest::get().uri(&uri(ZORBANOL_BRAND))).await;

    reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "knowledge_unavailable");
}
