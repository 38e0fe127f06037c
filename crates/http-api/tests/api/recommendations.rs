//! `POST /api/v1/recommendations` over the synthetic knowledge of `knowledge.rs`.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::Role;
use pharmarec_http_api::app;
use pharmarec_recommendation::KnowledgeSnapshot;
use serde_json::{Value, json};

use crate::helpers::{Fakes, post_json, send};
use crate::knowledge::{
    MIRTASONE, QUELLIUM, VERSION, ZORBANOL_BRAND, ZORBANOL_GENERIC, assert_clinical_meta,
};

const URI: &str = "/api/v1/recommendations";

/// Ids of the recommended treatments' best products, best first.
fn recommended(body: &Value) -> Vec<String> {
    body["data"]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["medicine"]["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Ingredient keys of every recommended treatment, flattened.
fn recommended_ingredients(body: &Value) -> Vec<String> {
    body["data"]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["medicine"]["ingredients"].as_array().unwrap().clone())
        .map(|i| i.as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn recommendation_has_medicine_products_score_reasons_warnings_and_meta() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(&app, URI, json!({"symptoms": "sneezing"})).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_clinical_meta(&reply.body);
    let data = &reply.body["data"];
    let first = &data["recommendations"][0];
    assert!(first["medicine"]["id"].is_string());
    assert!(
        !first["medicine"]["ingredients"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(first["products"].is_array());
    let score = first["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
    let reason = &first["reasons"][0];
    assert_eq!(reason["term"], "sneezing");
    assert_eq!(reason["matched"], "Sneezing");
    assert_eq!(reason["source"], "synthetic");
    assert!(first["warnings"].is_array());
    assert!(data["excluded"].as_array().unwrap().is_empty());
    assert!(data["unrecognised_terms"].as_array().unwrap().is_empty());
}

#[actix_web::test]
async fn treatment_lists_its_other_products() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(
        &app,
        URI,
        json!({"symptoms": "sneezing", "include_products": true}),
    )
    .await;

    let zorbanol = reply.body["data"]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["medicine"]["ingredients"][0] == "zorbanol")
        .unwrap();
    let mut ids = vec![zorbanol["medicine"]["id"].as_str().unwrap()];
    ids.extend(
        zorbanol["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap()),
    );
    ids.sort_unstable();
    assert_eq!(ids, [ZORBANOL_BRAND, ZORBANOL_GENERIC]);
    assert_eq!(zorbanol["product_count"], 2);
}

#[actix_web::test]
async fn condition_codes_alone_are_enough() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(&app, URI, json!({"condition_codes": ["SYN0001"]})).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(recommended_ingredients(&reply.body).contains(&"zorbanol".to_owned()));
}

#[actix_web::test]
async fn allergy_excludes_the_treatment_with_the_reason() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let body = json!({"symptoms": "sneezing", "patient": {"allergies": ["quellium"]}});
    let reply = post_json(&app, URI, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(!recommended(&reply.body).contains(&QUELLIUM.to_owned()));
    let excluded = &reply.body["data"]["excluded"][0];
    assert_eq!(excluded["medicine"]["id"], QUELLIUM);
    assert_eq!(excluded["reason"]["kind"], "allergy");
    assert!(excluded["reason"]["message"].is_string());
    assert!(excluded["reason"]["source"].is_string());
}

#[actix_web::test]
async fn interaction_with_a_current_medicine_excludes_the_treatment() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let body = json!({
        "symptoms": "sneezing",
        "patient": {"current_medicines": [{"ingredient": "velocaine"}]}
    });
    let reply = post_json(&app, URI, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(!recommended_ingredients(&reply.body).contains(&"zorbanol".to_owned()));
    let excluded = reply.body["data"]["excluded"].as_array().unwrap();
    let zorbanol = excluded
        .iter()
        .find(|e| e["medicine"]["ingredients"][0] == "zorbanol")
        .unwrap();
    assert_eq!(zorbanol["reason"]["kind"], "interaction");
    assert_eq!(zorbanol["reason"]["severity"], "major");
}

#[actix_web::test]
async fn words_that_match_nothing_are_reported_not_guessed() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(&app, URI, json!({"symptoms": "sneezing and xqzzvw"})).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["data"]["unrecognised_terms"], json!(["xqzzvw"]));
    assert!(!recommended(&reply.body).is_empty());
}

#[actix_web::test]
async fn prescription_products_only_for_pharmacists_asking_otc_only_false() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let ask_rx = |who: Option<(&'static str, String)>| {
        let request = TestRequest::post()
            .uri(URI)
            .set_json(json!({"symptoms": "sneezing", "otc_only": false}));
        match who {
            Some(header) => request.insert_header(header),
            None => request,
        }
    };

    let default = post_json(&app, URI, json!({"symptoms": "sneezing"})).await;
    let anonymous = send(&app, ask_rx(None)).await;
    let viewer = send(&app, ask_rx(Some(fakes.bearer(Role::Viewer)))).await;
    let admin = send(&app, ask_rx(Some(fakes.bearer(Role::Admin)))).await;
    let with_rx = send(&app, ask_rx(Some(fakes.bearer(Role::Pharmacist)))).await;

    assert!(!recommended(&default.body).contains(&MIRTASONE.to_owned()));
    for otc_only in [&default, &anonymous, &viewer] {
        assert!(!recommended(&otc_only.body).contains(&MIRTASONE.to_owned()));
        assert_eq!(otc_only.body["data"]["otc_only"], true, "{}", otc_only.text);
    }
    assert!(recommended(&admin.body).contains(&MIRTASONE.to_owned()));
    assert!(recommended(&with_rx.body).contains(&MIRTASONE.to_owned()));
    assert_eq!(with_rx.body["data"]["otc_only"], false);
    let rx = with_rx.body["data"]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["medicine"]["id"] == MIRTASONE)
        .unwrap();
    assert_eq!(rx["medicine"]["status"], "rx");
}

#[actix_web::test]
async fn limit_caps_the_number_of_treatments() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(&app, URI, json!({"symptoms": "sneezing", "limit": 1})).await;

    assert_eq!(recommended(&reply.body).len(), 1);
}

#[actix_web::test]
async fn rule_breaking_bodies_are_422_with_the_field() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let many: Vec<String> = (0..51).map(|i| format!("a{i}")).collect();
    let cases = [
        (json!({"symptoms": "  "}), "symptoms"),
        (json!({"patient": {"pregnant": true}}), "symptoms"),
        (json!({"symptoms": "x".repeat(501)}), "symptoms"),
        (json!({"symptoms": "sneezing", "limit": 0}), "limit"),
        (json!({"symptoms": "sneezing", "limit": 51}), "limit"),
        (
            json!({"symptoms": "sneezing", "patient": {"allergies": many}}),
            "patient.allergies",
        ),
        (
            json!({"symptoms": "sneezing", "patient": {"allergies": [""]}}),
            "patient.allergies",
        ),
        (
            json!({"symptoms": "sneezing", "patient": {"current_medicines": [{"medicine_id": "bad id!"}]}}),
            "patient.current_medicines[0].medicine_id",
        ),
        (
            json!({"symptoms": "sneezing", "patient": {"age": 500}}),
            "patient.age",
        ),
    ];

    for (body, field) in cases {
        let reply = post_json(&app, URI, body.clone()).await;

        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let fields: Vec<&str> = reply.body["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{body}: {fields:?}");
    }
}

#[actix_web::test]
async fn malformed_bodies_are_400() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let cases = [
        json!({"symptoms": "sneezing", "colour": "red"}),
        json!({"symptoms": "sneezing", "patient": {"smoker": true}}),
        json!({"symptoms": "sneezing", "patient": {"current_medicines": [{"brand": "x"}]}}),
        json!({"symptoms": "sneezing", "pharmacy_id": "not-a-uuid"}),
        json!({"symptoms": "sneezing", "limit": "ten"}),
    ];

    for body in cases {
        let reply = post_json(&app, URI, body).await;

        reply.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    }
}

#[actix_web::test]
async fn unloaded_knowledge_is_503_not_an_empty_list() {
    let fakes = Fakes::new();
    fakes.engine.replace(Arc::new(KnowledgeSnapshot::empty()));
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(&app, URI, json!({"symptoms": "sneezing"})).await;

    reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "knowledge_unavailable");
}

#[actix_web::test]
async fn recommendations_and_catalogue_version_are_in_metrics() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    post_json(&app, URI, json!({"symptoms": "sneezing"})).await;
    post_json(&app, URI, json!({"symptoms": "xqzzvw"})).await;
    let reply = send(&app, test::TestRequest::get().uri("/metrics")).await;

    let text = reply.text;
    assert!(
        text.contains(r#"pharmarec_recommendations_total{outcome="recommended"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"pharmarec_recommendations_total{outcome="no_match"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(&format!("pharmarec_catalogue_version {VERSION}")),
        "{text}"
    );
}
