//! The request rules the OpenAPI document states are the ones the server enforces (issue 10 item 4):
//! bodies the document calls valid are accepted, bodies it calls invalid are refused, on the edges
//! where the two used to disagree. `scripts/schemathesis.sh` checks the same with generated bodies.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::Role;
use pharmarec_http_api::app;
use serde_json::{Value, json};

use crate::helpers::{Fakes, Reply, post_json, send};

const PHARMACIES: &str = "/api/v1/pharmacies";

/// Sends `request` with `body` as an administrator.
async fn as_admin<S, B>(app: &S, fakes: &Fakes, request: TestRequest, body: Value) -> Reply
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    send(
        app,
        request
            .insert_header(fakes.bearer(Role::Admin))
            .set_json(body),
    )
    .await
}

#[actix_web::test]
async fn integers_written_as_whole_floats_are_accepted_in_every_body() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let central = json!({"name": "Central"});
    let created = as_admin(&app, &fakes, TestRequest::post().uri(PHARMACIES), central).await;
    let id = created.body["data"]["id"].as_str().unwrap().to_owned();
    let line = format!("/api/v1/pharmacies/{id}/stock/OB-A000001-001");

    let put = as_admin(
        &app,
        &fakes,
        TestRequest::put().uri(&line),
        json!({"quantity": 5.0, "price_minor": 499.0, "currency": "EUR", "version": 0.0,
               "low_stock_threshold": 2.0}),
    )
    .await;
    let adjust = as_admin(
        &app,
        &fakes,
        TestRequest::post().uri(&format!("{line}/adjust")),
        json!({"delta": -2.0, "reason": "sale"}),
    )
    .await;
    let recommend = post_json(
        &app,
        "/api/v1/recommendations",
        json!({"symptoms": "sneezing", "limit": 44.0, "max_products": 1e1,
               "patient": {"age": 44.0, "pregnancy_week": 20.0, "pregnancy_trimester": 2.0}}),
    )
    .await;
    let substitutes = post_json(
        &app,
        "/api/v1/medicines/SYN-ZOR-001/substitutes",
        json!({"limit": 3.0, "patient": {"age_months": 6.0}}),
    )
    .await;

    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    assert_eq!(put.body["data"]["low_stock_threshold"], 2);
    assert_eq!(adjust.status, StatusCode::OK, "{}", adjust.text);
    assert_eq!(adjust.body["data"]["quantity"], 3);
    assert_eq!(recommend.status, StatusCode::OK, "{}", recommend.text);
    assert_eq!(substitutes.status, StatusCode::OK, "{}", substitutes.text);
    let fraction = post_json(
        &app,
        "/api/v1/recommendations",
        json!({"symptoms": "sneezing", "limit": 4.5}),
    )
    .await;
    fraction.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
}

#[actix_web::test]
async fn a_patient_is_an_object_and_a_reference_has_one_key() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    for body in [
        // serde would read the array as the patient's fields in order; the schema says object.
        json!({"items": [{"ingredient": "zorbanol"}], "patient": [null, null]}),
        json!({"items": [{"ingredient": "zorbanol", "": 1}]}),
    ] {
        let reply = post_json(&app, "/api/v1/interactions/check", body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.text
        );
    }
}

#[actix_web::test]
async fn blank_names_are_refused_where_the_document_requires_one_character() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let central = json!({"name": "Central"});
    let created = as_admin(&app, &fakes, TestRequest::post().uri(PHARMACIES), central).await;
    let id = created.body["data"]["id"].as_str().unwrap().to_owned();
    let medicine = json!({"brand_name": "Synthetic", "ingredients": ["acetaminophen"],
        "strength": "5MG", "dose_form": "tablet", "route": "oral", "status": "otc"});
    let mut cases = vec![(
        TestRequest::post().uri(PHARMACIES),
        json!({"name": " \u{a0}\t"}),
        "name",
    )];
    for field in ["brand_name", "strength", "dose_form", "route"] {
        let mut body = medicine.clone();
        body[field] = json!("\u{3000} ");
        cases.push((TestRequest::post().uri("/api/v1/medicines"), body, field));
    }
    cases.push((
        TestRequest::post().uri(&format!(
            "/api/v1/pharmacies/{id}/stock/OB-A000001-001/adjust"
        )),
        json!({"delta": 1, "reason": "  "}),
        "reason",
    ));
    for (request, body, field) in cases {
        let reply = as_admin(&app, &fakes, request, body.clone()).await;
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(reply.body["error"]["details"][0]["field"], field, "{body}");
    }
    let blank_item = post_json(
        &app,
        "/api/v1/interactions/check",
        json!({"items": [{"ingredient": "\u{2028}"}]}),
    )
    .await;
    blank_item.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(fakes.pharmacies.pharmacies.lock().unwrap().len(), 1);
}

#[actix_web::test]
async fn new_users_need_the_documented_email_and_password_shapes() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let user = |email: &str, password: &str| json!({"email": email, "password": password, "role": "viewer"});
    let refused = [
        (user("pat@exämple.org", "correct horse battery"), "email"),
        (user("pat@example.org", &"é".repeat(19)), "password"),
        (
            user("pat@example.org", &format!("{}é", "a".repeat(72))),
            "password",
        ),
    ];
    for (body, field) in refused {
        let reply = as_admin(&app, &fakes, TestRequest::post().uri("/api/v1/users"), body).await;
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(reply.body["error"]["details"][0]["field"], field);
    }
    for (email, password) in [
        (" Pat@Example.org ", "ééèèêêëëüüûûùùúúöö".to_owned()),
        ("sam@example.org", "a".repeat(68) + "bcde"),
    ] {
        let body = user(email, &password);
        let reply = as_admin(&app, &fakes, TestRequest::post().uri("/api/v1/users"), body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    }
}

#[actix_web::test]
async fn the_document_states_the_rules_the_server_checks() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let (doc, _) = crate::helpers::get(&app, "/api/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    let property = |schema: &str, name: &str| schemas[schema]["properties"][name].clone();

    assert_eq!(
        property("NewUserRequest", "role")["enum"],
        json!(["viewer", "pharmacist", "admin"])
    );
    assert!(property("NewUserRequest", "email")["pattern"].is_string());
    assert!(property("NewUserRequest", "password")["not"]["pattern"].is_string());
    assert_eq!(
        property("StockUpdateRequest", "currency")["pattern"],
        "^[A-Z]{3}$"
    );
    assert_eq!(
        property("StockUpdateRequest", "quantity")["maximum"],
        1_000_000_000
    );
    assert_eq!(
        property("StockAdjustmentRequest", "delta")["not"],
        json!({"const": 0})
    );
    assert_eq!(schemas["NameDto"]["minLength"], 1);
    assert!(
        schemas["NameDto"]["pattern"]
            .as_str()
            .unwrap()
            .contains(r"\u3000")
    );
    let medicine_ref = schemas["MedicineRefDto"].to_string();
    assert!(
        medicine_ref.contains("^[A-Za-z0-9_-]{1,64}$"),
        "{medicine_ref}"
    );
    for (schema, rules) in [
        ("PatientDto", 2),
        ("RecommendationRequest", 1),
        ("UpdateUserRequest", 1),
    ] {
        assert_eq!(
            schemas[schema]["allOf"].as_array().unwrap().len(),
            rules,
            "{schema}"
        );
    }
    // The synthetic knowledge's code, in any ASCII case, as `check_condition_codes` accepts it.
    let conditions = property("PatientDto", "conditions")["items"].to_string();
    assert!(conditions.contains("[sS][yY][nN]"), "{conditions}");
}
