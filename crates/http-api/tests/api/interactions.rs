//! `POST /api/v1/interactions/check` over the synthetic knowledge of `knowledge.rs`.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::test;
use pharmarec_domain::{KnowledgeBase, KnowledgeVersion};
use pharmarec_http_api::app;
use pharmarec_recommendation::KnowledgeSnapshot;
use serde_json::{Value, json};

use crate::helpers::{Fakes, post_json};
use crate::knowledge::{ZORBANOL_BRAND, assert_clinical_meta, synthetic_knowledge};

const URI: &str = "/api/v1/interactions/check";

fn items(names: &[&str]) -> Value {
    names.iter().map(|n| json!({"ingredient": n})).collect()
}

#[actix_web::test]
async fn interacting_pair_gives_the_worst_severity_as_verdict() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(
        &app,
        URI,
        json!({"items": items(&["zorbanol", "velocaine"])}),
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_clinical_meta(&reply.body);
    let data = &reply.body["data"];
    assert_eq!(data["verdict"], "major");
    let finding = &data["findings"][0];
    assert_eq!(finding["kind"], "interaction");
    assert_eq!(finding["severity"], "major");
    assert_eq!(finding["ingredients"], json!(["velocaine", "zorbanol"]));
    assert!(finding["description"].is_string());
    assert!(finding["source"].as_str().unwrap().contains("Merged-PDDI"));
    assert_eq!(finding["evidence"][0]["source"], "merged_pddi");
    // One source statement: the finding's description is that statement, sent once (issue 14).
    assert!(
        finding["description"]
            .as_str()
            .unwrap()
            .starts_with("velocaine + zorbanol: listed as interacting by")
    );
    assert!(
        finding["evidence"][0].get("description").is_none(),
        "{finding}"
    );
}

#[actix_web::test]
async fn clean_basket_is_no_known_interaction_never_safe() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(
        &app,
        URI,
        json!({"items": items(&["zorbanol", "quellium"])}),
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_clinical_meta(&reply.body);
    let data = &reply.body["data"];
    assert_eq!(data["verdict"], "no_known_interaction");
    assert_ne!(data["verdict"], "safe");
    assert!(data["findings"].as_array().unwrap().is_empty());
}

#[actix_web::test]
async fn unknown_names_are_reported_and_uncovered_ingredients_listed() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let body = json!({"items": [
        {"ingredient": "zorbanol"},
        {"ingredient": "blorptexium"},
        {"medicine_id": "SYN-NONE-001"},
        {"ingredient": "pendorex"},
    ]});
    let reply = post_json(&app, URI, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let data = &reply.body["data"];
    assert_eq!(data["unrecognised"], json!(["SYN-NONE-001", "blorptexium"]));
    assert_eq!(data["not_covered"], json!(["pendorex"]));
}

#[actix_web::test]
async fn min_severity_filters_findings() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let basket = items(&["zorbanol", "quellium", "velocaine"]);

    let all = post_json(&app, URI, json!({"items": basket})).await;
    let major = post_json(&app, URI, json!({"items": basket, "min_severity": "major"})).await;

    let severities = |body: &Value| -> Vec<String> {
        body["data"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["severity"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(severities(&all.body).contains(&"minor".to_owned()));
    assert_eq!(severities(&major.body), ["major"]);
    assert_eq!(major.body["data"]["suppressed_findings"], 1);
    assert_eq!(major.body["data"]["verdict"], "major");
}

#[actix_web::test]
async fn findings_do_not_depend_on_item_order() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let forward = json!([
        {"ingredient": "zorbanol"}, {"ingredient": "quellium"},
        {"ingredient": "velocaine"}, {"medicine_id": ZORBANOL_BRAND},
    ]);
    let mut reversed = forward.as_array().unwrap().clone();
    reversed.reverse();

    let a = post_json(&app, URI, json!({"items": forward})).await;
    let b = post_json(&app, URI, json!({"items": reversed})).await;

    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["data"], b.body["data"]);
    let kinds = a.body["data"]["findings"].to_string();
    assert!(kinds.contains("duplicate_ingredient"), "{kinds}");
}

#[actix_web::test]
async fn current_medicines_and_allergies_are_checked() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let body = json!({
        "items": items(&["zorbanol"]),
        "patient": {"current_medicines": [{"ingredient": "velocaine"}], "allergies": ["zorbanol"]}
    });
    let reply = post_json(&app, URI, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let kinds = reply.body["data"]["findings"].to_string();
    assert!(kinds.contains(r#""kind":"interaction""#), "{kinds}");
    assert!(kinds.contains(r#""kind":"allergy""#), "{kinds}");
}

#[actix_web::test]
async fn item_count_and_shape_are_validated() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let many: Vec<&str> = vec!["zorbanol"; 51];

    let none = post_json(&app, URI, json!({"items": []})).await;
    let too_many = post_json(&app, URI, json!({"items": items(&many)})).await;
    let bad_id = post_json(&app, URI, json!({"items": [{"medicine_id": "no spaces"}]})).await;
    let unknown_field = post_json(&app, URI, json!({"items": items(&["zorbanol"]), "x": 1})).await;
    let bad_severity = post_json(
        &app,
        URI,
        json!({"items": items(&["zorbanol"]), "min_severity": "safe"}),
    )
    .await;
    let missing = post_json(&app, URI, json!({})).await;

    none.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    too_many.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    bad_id.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        bad_id.body["error"]["details"][0]["field"],
        "items[0].medicine_id"
    );
    unknown_field.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    bad_severity.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    missing.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
}

#[actix_web::test]
async fn unloaded_handle_is_503_knowledge_unavailable() {
    let fakes = Fakes::new();
    fakes.engine.replace(Arc::new(KnowledgeSnapshot::empty()));
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(&app, URI, json!({"items": items(&["zorbanol"])})).await;

    reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "knowledge_unavailable");
}

#[actix_web::test]
async fn catalogue_without_interaction_knowledge_is_503_not_an_empty_list() {
    let fakes = Fakes::new();
    let knowledge = KnowledgeBase {
        interactions: Vec::new(),
        ..synthetic_knowledge()
    };
    let version = KnowledgeVersion {
        catalogue_version: 1,
        sources: vec!["synthetic, no interactions".to_owned()],
    };
    fakes.engine.replace(Arc::new(
        KnowledgeSnapshot::build(knowledge, version).unwrap(),
    ));
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(
        &app,
        URI,
        json!({"items": items(&["zorbanol", "velocaine"])}),
    )
    .await;

    reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "knowledge_unavailable");
}
