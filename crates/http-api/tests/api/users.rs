//! User management: create, list, read and update, never showing password hashes.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::ports::PharmacyRepository;
use pharmarec_domain::{AuditContext, NewPharmacy, Role};
use pharmarec_http_api::app;
use serde_json::json;

use crate::helpers::{Fakes, PASSWORD, send};

#[actix_web::test]
async fn admins_create_list_and_update_users_without_hashes_on_the_wire() {
    let fakes = Fakes::new();
    let pharmacy = NewPharmacy {
        name: "Central".to_owned(),
        address: None,
    };
    let pharmacy = fakes
        .pharmacies
        .create(pharmacy, &AuditContext::cli())
        .await
        .unwrap()
        .id;
    let app = test::init_service(app(fakes.state())).await;
    let admin = fakes.bearer(Role::Admin);

    let created = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/users")
            .insert_header(admin.clone())
            .set_json(json!({
                "email": "Pat@Example.org", "password": PASSWORD, "role": "pharmacist",
                "pharmacies": [pharmacy]
            })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/users/{id}").as_str())
    );
    assert_eq!(created.body["data"]["email"], "pat@example.org");
    assert_eq!(created.body["data"]["pharmacies"], json!([pharmacy]));
    let stored = fakes
        .users
        .users
        .lock()
        .unwrap()
        .values()
        .find(|u| u.id.to_string() == id)
        .cloned()
        .unwrap();
    assert!(stored.password_hash.starts_with("$2"), "stored as bcrypt");
    assert!(fakes.users.contexts.last().actor.is_some());

    let list = send(
        &app,
        TestRequest::get()
            .uri("/api/v1/users")
            .insert_header(admin.clone()),
    )
    .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["meta"]["total_items"], 2);
    for reply in [&created, &list] {
        assert!(!reply.text.contains("password"), "{}", reply.text);
        assert!(!reply.text.contains("$2b$"));
    }

    let updated = send(
        &app,
        TestRequest::put()
            .uri(&format!("/api/v1/users/{id}"))
            .insert_header(admin.clone())
            .set_json(json!({"role": "viewer", "pharmacies": []})),
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["data"]["role"], "viewer");
    let one = send(
        &app,
        TestRequest::get()
            .uri(&format!("/api/v1/users/{id}"))
            .insert_header(admin),
    )
    .await;
    assert_eq!(one.body["data"]["role"], "viewer");
}

#[actix_web::test]
async fn bad_users_are_refused() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let admin = fakes.bearer(Role::Admin);
    let create = |body: serde_json::Value| {
        TestRequest::post()
            .uri("/api/v1/users")
            .insert_header(admin.clone())
            .set_json(body)
    };

    let short = send(
        &app,
        create(json!({"email": "a@example.org", "password": "short", "role": "viewer"})),
    )
    .await;
    let same_as_email = send(
        &app,
        create(json!({"email": "longname@example.org", "password": "longname@example.org", "role": "viewer"})),
    )
    .await;
    let viewer_with_pharmacy = send(
        &app,
        create(
            json!({"email": "v@example.org", "password": PASSWORD, "role": "viewer",
            "pharmacies": [uuid::Uuid::new_v4()]}),
        ),
    )
    .await;
    let unknown_pharmacy = send(
        &app,
        create(
            json!({"email": "p@example.org", "password": PASSWORD, "role": "pharmacist",
            "pharmacies": [uuid::Uuid::new_v4()]}),
        ),
    )
    .await;
    let first = send(
        &app,
        create(json!({"email": "d@example.org", "password": PASSWORD, "role": "viewer"})),
    )
    .await;
    let duplicate = send(
        &app,
        create(json!({"email": "D@example.org", "password": PASSWORD, "role": "viewer"})),
    )
    .await;
    let missing = send(
        &app,
        TestRequest::get()
            .uri(&format!("/api/v1/users/{}", uuid::Uuid::new_v4()))
            .insert_header(admin.clone()),
    )
    .await;

    short.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    same_as_email.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    viewer_with_pharmacy.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    unknown_pharmacy.assert_error(StatusCode::NOT_FOUND, "pharmacy_not_found");
    assert_eq!(first.status, StatusCode::CREATED);
    duplicate.assert_error(StatusCode::CONFLICT, "conflict");
    missing.assert_error(StatusCode::NOT_FOUND, "user_not_found");
}
