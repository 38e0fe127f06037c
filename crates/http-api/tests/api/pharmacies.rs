use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::Role;
use pharmarec_http_api::app;
use serde_json::json;

use crate::helpers::{Fakes, get, send};

#[actix_web::test]
async fn create_answers_201_with_location_and_can_be_read_back() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/pharmacies")
            .set_json(json!({"name": "Central Pharmacy", "address": "1 Main St"})),
    )
    .await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["data"]["id"].as_str().unwrap();
    let location = format!("/api/v1/pharmacies/{id}");
    assert_eq!(reply.header("location"), Some(location.as_str()));
    assert_eq!(reply.body["data"]["created_at"], "2023-11-14T22:13:20Z");
    let (body, status) = get(&app, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["name"], "Central Pharmacy");
}

#[actix_web::test]
async fn list_is_paginated_by_name() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    for name in ["Zeta", "Alpha", "Mid"] {
        send(
            &app,
            TestRequest::post()
                .insert_header(fakes.bearer(Role::Admin))
                .uri("/api/v1/pharmacies")
                .set_json(json!({"name": name})),
        )
        .await;
    }

    let (body, status) = get(&app, "/api/v1/pharmacies?page=2&per_page=2").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["name"], "Zeta");
    assert_eq!(body["meta"]["current_page"], 2);
    assert_eq!(body["meta"]["total_pages"], 2);
}

#[actix_web::test]
async fn unknown_pharmacy_is_404_and_non_uuid_is_400() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let unknown = send(
        &app,
        TestRequest::get().uri("/api/v1/pharmacies/7d0a4c1e-2b7e-4f61-9d1c-2a3b4c5d6e7f"),
    )
    .await;
    let malformed = send(
        &app,
        TestRequest::get().uri("/api/v1/pharmacies/not-a-uuid"),
    )
    .await;

    unknown.assert_error(StatusCode::NOT_FOUND, "pharmacy_not_found");
    malformed.assert_error(StatusCode::BAD_REQUEST, "invalid_path");
}

#[actix_web::test]
async fn blank_name_is_422_and_odd_unicode_is_stored_verbatim() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let odd = "Pharmacie \u{202e}tseT\u{202c} 🏥 ; DROP TABLE pharmacies; --";

    let blank = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/pharmacies")
            .set_json(json!({"name": ""})),
    )
    .await;
    let unicode = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/pharmacies")
            .set_json(json!({"name": odd})),
    )
    .await;

    blank.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(blank.body["error"]["details"][0]["field"], "name");
    assert_eq!(unicode.status, StatusCode::CREATED);
    assert_eq!(unicode.body["data"]["name"], odd);
    assert_eq!(fakes.pharmacies.pharmacies.lock().unwrap().len(), 1);
}
