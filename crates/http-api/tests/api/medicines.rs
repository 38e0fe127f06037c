use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::Role;
use pharmarec_http_api::app;
use serde_json::{Value, json};

use crate::helpers::{Fakes, get, send};

fn new_medicine() -> Value {
    json!({
        "brand_name": "Local Paracetamol",
        "ingredients": ["acetaminophen"],
        "strength": "500MG",
        "dose_form": "tablet",
        "route": "oral",
        "status": "otc",
    })
}

#[actix_web::test]
async fn list_is_paginated_and_sorted_by_name() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/api/v1/medicines?per_page=2").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["success"], true);
    assert_eq!(body["data"][0]["brand_name"], "Advil");
    assert_eq!(body["data"][1]["brand_name"], "Tylenol");
    assert_eq!(
        body["meta"],
        json!({"current_page": 1, "per_page": 2, "total_items": 3, "total_pages": 2})
    );
}

#[actix_web::test]
async fn list_filters_by_text_otc_and_sorts_descending() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (by_text, _) = get(&app, "/api/v1/medicines?q=acetamin").await;
    let (rx_only, _) = get(&app, "/api/v1/medicines?otc=false").await;
    let (descending, _) = get(&app, "/api/v1/medicines?sort=name_desc&dose_form=tablet").await;

    assert_eq!(by_text["data"][0]["id"], "OB-A000001-001");
    assert_eq!(by_text["meta"]["total_items"], 1);
    assert_eq!(rx_only["data"][0]["brand_name"], "Zestril");
    assert_eq!(rx_only["data"][0]["status"], "rx");
    assert_eq!(descending["data"][0]["brand_name"], "Zestril");
}

#[actix_web::test]
async fn non_numeric_paging_is_400_and_out_of_range_is_422() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    for uri in [
        "/api/v1/medicines?page=abc",
        "/api/v1/medicines?per_page=-1",
        "/api/v1/medicines?otc=maybe",
        "/api/v1/medicines?sort=price",
        "/api/v1/medicines?colour=red",
    ] {
        let reply = send(&app, TestRequest::get().uri(uri)).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    }
    for uri in [
        "/api/v1/medicines?page=0",
        "/api/v1/medicines?per_page=101",
        &format!("/api/v1/medicines?q={}", "a".repeat(201)),
    ] {
        let reply = send(&app, TestRequest::get().uri(uri)).await;
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    }
}

#[actix_web::test]
async fn one_medicine_is_returned_as_a_dto() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/api/v1/medicines/OB-A000001-001").await;

    assert_eq!(status, StatusCode::OK);
    let medicine = &body["data"];
    assert_eq!(medicine["brand_name"], "Tylenol");
    assert_eq!(medicine["ingredients"][0]["ingredient"], "acetaminophen");
    assert_eq!(
        medicine["ingredients"][0]["strength"]["amount"]["unit"],
        "MG"
    );
    assert_eq!(medicine["origin"], "local");
}

#[actix_web::test]
async fn unknown_medicine_is_404_and_malformed_id_is_400() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let unknown = send(&app, TestRequest::get().uri("/api/v1/medicines/OB-NOPE")).await;
    let sql = send(
        &app,
        TestRequest::get().uri("/api/v1/medicines/1%3B%20DROP%20TABLE%20medicines"),
    )
    .await;

    unknown.assert_error(StatusCode::NOT_FOUND, "medicine_not_found");
    sql.assert_error(StatusCode::BAD_REQUEST, "invalid_path");
    assert_eq!(fakes.catalogue.medicines.lock().unwrap().len(), 3);
}

#[actix_web::test]
async fn create_answers_201_with_location() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/medicines")
            .set_json(new_medicine()),
    )
    .await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["data"]["id"].as_str().unwrap();
    assert!(id.starts_with("LOC-"));
    assert_eq!(
        reply.header("location"),
        Some(format!("/api/v1/medicines/{id}").as_str())
    );
    let (fetched, status) = get(&app, &format!("/api/v1/medicines/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["data"]["brand_name"], "Local Paracetamol");
}

#[actix_web::test]
async fn create_rejects_rule_breaking_input_with_field_details() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let mut body = new_medicine();
    body["brand_name"] = json!("");
    body["ingredients"] = json!([]);

    let reply = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/medicines")
            .set_json(body),
    )
    .await;

    reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let fields: Vec<&str> = reply.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["brand_name", "ingredients"]);
    assert_eq!(fakes.catalogue.medicines.lock().unwrap().len(), 3);
}

#[actix_web::test]
async fn create_with_unknown_ingredient_is_404_naming_it() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let mut body = new_medicine();
    body["ingredients"] = json!(["unobtainium"]);

    let reply = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/medicines")
            .set_json(body),
    )
    .await;

    // What the database answers (the port contract holds the fake to it): the referenced
    // ingredient does not exist, as docs/api.md's error table says.
    reply.assert_error(StatusCode::NOT_FOUND, "ingredient_not_found");
    assert!(reply.text.contains("unobtainium"), "{}", reply.text);
}

#[actix_web::test]
async fn update_replaces_and_unknown_id_is_404() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let updated = send(
        &app,
        TestRequest::put()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/medicines/OB-A000001-001")
            .set_json(new_medicine()),
    )
    .await;
    let missing = send(
        &app,
        TestRequest::put()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/medicines/OB-NOPE")
            .set_json(new_medicine()),
    )
    .await;

    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["data"]["brand_name"], "Local Paracetamol");
    assert_eq!(updated.body["data"]["id"], "OB-A000001-001");
    missing.assert_error(StatusCode::NOT_FOUND, "medicine_not_found");
}

#[actix_web::test]
async fn delete_answers_204_then_404() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let first = send(
        &app,
        TestRequest::delete()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/medicines/OB-A000002-001"),
    )
    .await;
    let second = send(
        &app,
        TestRequest::delete()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/medicines/OB-A000002-001"),
    )
    .await;

    assert_eq!(first.status, StatusCode::NO_CONTENT);
    assert!(first.text.is_empty());
    second.assert_error(StatusCode::NOT_FOUND, "medicine_not_found");
}

#[actix_web::test]
async fn deleting_a_stocked_medicine_is_a_conflict() {
    let fakes = Fakes::new();
    fakes.stock_line("OB-A000001-001").await;
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(
        &app,
        TestRequest::delete()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/medicines/OB-A000001-001"),
    )
    .await;

    reply.assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(fakes.catalogue.medicines.lock().unwrap().len(), 3);
}
