//! The patient as a pharmacist knows them, at the HTTP edge: the new fields, their 422s, and the
//! rule alerts and "not checked" entries in the answers (synthetic rules of `knowledge.rs`).

use actix_web::http::StatusCode;
use actix_web::test;
use pharmarec_http_api::app;
use serde_json::{Value, json};

use crate::helpers::{Fakes, post_json};
use crate::knowledge::{SYNTHETIC_CONDITION, ZORBANOL_BRAND};

const RECOMMEND: &str = "/api/v1/recommendations";
const CHECK: &str = "/api/v1/interactions/check";

fn error_fields(body: &Value) -> Vec<(String, String)> {
    body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["field"].as_str().unwrap().to_owned(),
                d["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn out_of_range_patient_fields_are_422_with_the_field_on_every_clinical_endpoint() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let cases = [
        (json!({"age": -1}), "patient.age"),
        (json!({"age": 131}), "patient.age"),
        (json!({"age_months": 24}), "patient.age_months"),
        (json!({"age_months": -2}), "patient.age_months"),
        (json!({"age": 1, "age_months": 6}), "patient.age_months"),
        (json!({"pregnancy_week": 46}), "patient.pregnancy_week"),
        (json!({"pregnancy_week": 0}), "patient.pregnancy_week"),
        (
            json!({"pregnancy_week": 20, "pregnancy_trimester": 1}),
            "patient.pregnancy_week",
        ),
        (
            json!({"pregnancy_week": 13, "pregnancy_trimester": 2}),
            "patient.pregnancy_week",
        ),
        (
            json!({"pregnancy_trimester": 4}),
            "patient.pregnancy_trimester",
        ),
        (
            json!({"pregnancy_trimester": 0}),
            "patient.pregnancy_trimester",
        ),
        (json!({"weight_kg": 0}), "patient.weight_kg"),
        (json!({"weight_kg": 501}), "patient.weight_kg"),
        (
            json!({"conditions": ["made_up_code"]}),
            "patient.conditions[0]",
        ),
    ];
    for (patient, field) in cases {
        for (uri, body) in [
            (
                RECOMMEND,
                json!({"symptoms": "sneezing", "patient": patient}),
            ),
            (
                CHECK,
                json!({"items": [{"ingredient": "zorbanol"}], "patient": patient}),
            ),
        ] {
            let reply = post_json(&app, uri, body.clone()).await;

            reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
            let fields = error_fields(&reply.body);
            assert!(fields.iter().any(|(f, _)| f == field), "{body}: {fields:?}");
        }
    }
}

#[actix_web::test]
async fn an_unknown_condition_code_lists_the_allowed_codes() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let body = json!({"symptoms": "sneezing", "patient": {"conditions": ["made_up_code"]}});

    let reply = post_json(&app, RECOMMEND, body).await;

    let fields = error_fields(&reply.body);
    assert!(fields[0].1.contains(SYNTHETIC_CONDITION), "{fields:?}");
}

#[actix_web::test]
async fn an_age_rule_excludes_with_its_citation_and_the_patient_fact() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let body = json!({"symptoms": "sneezing", "patient": {"age": 2}});

    let reply = post_json(&app, RECOMMEND, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let excluded = reply.body["data"]["excluded"].as_array().unwrap();
    let zorbanol = excluded
        .iter()
        .find(|e| e["medicine"]["ingredients"][0] == "zorbanol")
        .expect("zorbanol excluded for a 2-year-old");
    assert_eq!(zorbanol["reason"]["kind"], "age");
    assert_eq!(
        zorbanol["reason"]["source_url"],
        "https://example.org/synthetic"
    );
    assert_eq!(zorbanol["reason"]["patient_fact"], "age 2 years");
}

#[actix_web::test]
async fn conditions_as_free_text_warn_and_unmatched_text_is_returned() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let body = json!({"symptoms": "sneezing", "patient": {"age": 30, "weight_kg": 70.5,
        "conditions": ["a synthetic condition", "something else entirely"]}});

    let reply = post_json(&app, RECOMMEND, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let data = &reply.body["data"];
    let zorbanol = data["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["medicine"]["id"] == ZORBANOL_BRAND || r["medicine"]["ingredients"][0] == "zorbanol"
        })
        .expect("zorbanol recommended");
    let warning = zorbanol["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "condition")
        .expect("a condition warning");
    assert_eq!(
        warning["patient_fact"],
        format!("condition {SYNTHETIC_CONDITION}")
    );
    assert!(
        data["unrecognised_patient_entries"]
            .as_array()
            .unwrap()
            .contains(&json!("condition: something else entirely"))
    );
    assert!(
        data["not_checked"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["fact"] == "weight")
    );
}

#[actix_web::test]
async fn a_condition_typed_into_the_symptoms_is_echoed_as_a_condition() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let body = json!({"symptoms": "sneezing, history of synthetic condition"});

    let reply = post_json(&app, RECOMMEND, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let moved = &reply.body["data"]["conditions_from_text"][0];
    assert_eq!(moved["code"], SYNTHETIC_CONDITION);
    assert_eq!(moved["text"], "history of synthetic condition");
}

#[actix_web::test]
async fn the_basket_reports_rule_findings_and_what_it_could_not_check() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let body = json!({"items": [{"ingredient": "zorbanol"}, {"ingredient": "pendorex"}],
        "patient": {"age_months": 10, "pregnancy_trimester": 2, "breast_feeding": true}});

    let reply = post_json(&app, CHECK, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let data = &reply.body["data"];
    assert!(
        data["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "age" && f["severity"] == "contraindicated")
    );
    let facts: Vec<&str> = data["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["fact"].as_str().unwrap())
        .collect();
    for fact in ["age", "pregnancy", "breast_feeding"] {
        assert!(facts.contains(&fact), "{facts:?}");
    }
}
