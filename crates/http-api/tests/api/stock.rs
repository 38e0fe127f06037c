use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::Role;
use pharmarec_domain::ports::PharmacyRepository;
use pharmarec_domain::{AuditContext, NewPharmacy, PharmacyId};
use pharmarec_http_api::app;
use serde_json::json;

use crate::helpers::{Fakes, get, send};

const MEDICINE: &str = "OB-A000001-001";

async fn pharmacy(fakes: &Fakes) -> PharmacyId {
    let new = NewPharmacy {
        name: "Central".to_owned(),
        address: None,
    };
    fakes
        .pharmacies
        .create(new, &AuditContext::cli())
        .await
        .unwrap()
        .id
}

fn line_uri(pharmacy: PharmacyId) -> String {
    format!("/api/v1/pharmacies/{pharmacy}/stock/{MEDICINE}")
}

/// `PUT` of the test line, as an admin.
fn admin_put(fakes: &Fakes, pharmacy: PharmacyId) -> TestRequest {
    TestRequest::put()
        .insert_header(fakes.bearer(Role::Admin))
        .uri(&line_uri(pharmacy))
}

/// `POST …/adjust` of the test line, as an admin.
fn admin_adjust(fakes: &Fakes, pharmacy: PharmacyId) -> TestRequest {
    TestRequest::post()
        .insert_header(fakes.bearer(Role::Admin))
        .uri(&format!("{}/adjust", line_uri(pharmacy)))
}

fn put_body(quantity: i64, version: i64) -> serde_json::Value {
    json!({"quantity": quantity, "price_minor": 499, "currency": "EUR", "version": version})
}

#[actix_web::test]
async fn put_creates_then_replaces_with_the_current_version() {
    let fakes = Fakes::new();
    let id = pharmacy(&fakes).await;
    let app = test::init_service(app(fakes.state())).await;

    let created = send(&app, admin_put(&fakes, id).set_json(put_body(10, 0))).await;
    let replaced = send(&app, admin_put(&fakes, id).set_json(put_body(7, 1))).await;

    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert_eq!(created.body["data"]["version"], 1);
    assert_eq!(created.body["data"]["price_minor"], 499);
    assert_eq!(created.body["data"]["currency"], "EUR");
    assert_eq!(replaced.body["data"]["quantity"], 7);
    assert_eq!(replaced.body["data"]["version"], 2);
}

#[actix_web::test]
async fn put_with_a_stale_version_is_409_and_changes_nothing() {
    let fakes = Fakes::new();
    let id = pharmacy(&fakes).await;
    let app = test::init_service(app(fakes.state())).await;
    send(&app, admin_put(&fakes, id).set_json(put_body(10, 0))).await;

    let stale = send(&app, admin_put(&fakes, id).set_json(put_body(99, 0))).await;

    stale.assert_error(StatusCode::CONFLICT, "stale_version");
    let (listed, _) = get(&app, &format!("/api/v1/pharmacies/{id}/stock")).await;
    assert_eq!(listed["data"][0]["quantity"], 10);
}

#[actix_web::test]
async fn put_rejects_a_bad_currency_and_a_negative_price() {
    let fakes = Fakes::new();
    let id = pharmacy(&fakes).await;
    let app = test::init_service(app(fakes.state())).await;

    let lower_case = send(
        &app,
        admin_put(&fakes, id)
            .set_json(json!({"quantity": 1, "price_minor": 1, "currency": "eur", "version": 0})),
    )
    .await;
    let negative = send(
        &app,
        admin_put(&fakes, id)
            .set_json(json!({"quantity": 1, "price_minor": -1, "currency": "EUR", "version": 0})),
    )
    .await;

    lower_case.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(lower_case.body["error"]["details"][0]["field"], "currency");
    negative.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(fakes.stock.lines.lock().unwrap().is_empty());
}

#[actix_web::test]
async fn put_rejects_a_version_with_no_successor() {
    let fakes = Fakes::new();
    let id = pharmacy(&fakes).await;
    let app = test::init_service(app(fakes.state())).await;
    // The repository stores version + 1: i64::MAX would overflow there.
    let reply = send(
        &app,
        admin_put(&fakes, id).set_json(
            json!({"quantity": 1, "price_minor": 1, "currency": "EUR", "version": i64::MAX}),
        ),
    )
    .await;
    reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(fakes.stock.lines.lock().unwrap().is_empty());
}

#[actix_web::test]
async fn adjust_applies_delta_and_refuses_negative_stock() {
    let fakes = Fakes::new();
    let id = pharmacy(&fakes).await;
    let app = test::init_service(app(fakes.state())).await;
    send(&app, admin_put(&fakes, id).set_json(put_body(5, 0))).await;

    let sale = send(
        &app,
        admin_adjust(&fakes, id).set_json(json!({"delta": -3, "reason": "sale"})),
    )
    .await;
    let oversold = send(
        &app,
        admin_adjust(&fakes, id).set_json(json!({"delta": -3, "reason": "sale"})),
    )
    .await;
    let zero = send(
        &app,
        admin_adjust(&fakes, id).set_json(json!({"delta": 0, "reason": "noop"})),
    )
    .await;

    assert_eq!(sale.status, StatusCode::OK, "{}", sale.text);
    assert_eq!(sale.body["data"]["quantity"], 2);
    oversold.assert_error(StatusCode::CONFLICT, "insufficient_stock");
    zero.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (listed, _) = get(&app, &format!("/api/v1/pharmacies/{id}/stock")).await;
    assert_eq!(listed["data"][0]["quantity"], 2);
}

#[actix_web::test]
async fn adjusting_a_missing_line_is_404() {
    let fakes = Fakes::new();
    let id = pharmacy(&fakes).await;
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(
        &app,
        admin_adjust(&fakes, id).set_json(json!({"delta": 1, "reason": "delivery"})),
    )
    .await;

    reply.assert_error(StatusCode::NOT_FOUND, "stock_not_found");
}

#[actix_web::test]
async fn stock_list_is_paged_and_unknown_pharmacy_is_404() {
    let fakes = Fakes::new();
    let id = pharmacy(&fakes).await;
    let app = test::init_service(app(fakes.state())).await;
    send(&app, admin_put(&fakes, id).set_json(put_body(5, 0))).await;

    let (body, status) = get(&app, &format!("/api/v1/pharmacies/{id}/stock?per_page=10")).await;
    let unknown = send(
        &app,
        TestRequest::get().uri(&format!("/api/v1/pharmacies/{}/stock", PharmacyId::new())),
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["medicine_id"], MEDICINE);
    assert_eq!(body["meta"]["total_items"], 1);
    unknown.assert_error(StatusCode::NOT_FOUND, "pharmacy_not_found");
}
