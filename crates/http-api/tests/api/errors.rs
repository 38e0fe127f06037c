//! Every error category and every extractor failure answers with the envelope and a request id.

use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::test::{self, TestRequest};
use actix_web::{HttpResponse, web};
use pharmarec_domain::Role;
use pharmarec_http_api::{ApiError, app};
use serde_json::json;

use crate::helpers::{Fakes, MAX_BODY_BYTES, send};

const PHARMACIES: &str = "/api/v1/pharmacies";

#[actix_web::test]
async fn malformed_json_is_400_invalid_json() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri(PHARMACIES)
            .insert_header(header::ContentType::json())
            .set_payload("{\"name\": "),
    )
    .await;

    reply.assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    assert_eq!(reply.body["error"]["details"][0]["field"], "body");
    assert!(fakes.pharmacies.pharmacies.lock().unwrap().is_empty());
}

#[actix_web::test]
async fn wrong_types_and_unknown_fields_are_400_invalid_body() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let wrong_type = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri(PHARMACIES)
            .set_json(json!({"name": 42})),
    )
    .await;
    let unknown_field = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri(PHARMACIES)
            .set_json(json!({"name": "A", "admin": true})),
    )
    .await;
    let missing = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri(PHARMACIES)
            .set_json(json!({})),
    )
    .await;

    wrong_type.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    unknown_field.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    missing.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    assert!(fakes.pharmacies.pharmacies.lock().unwrap().is_empty());
}

#[actix_web::test]
async fn wrong_content_type_is_415() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri(PHARMACIES)
            .insert_header(header::ContentType::plaintext())
            .set_payload(r#"{"name":"A"}"#),
    )
    .await;

    reply.assert_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_content_type",
    );
}

#[actix_web::test]
async fn body_over_the_limit_is_413() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let huge = json!({"name": "x".repeat(MAX_BODY_BYTES + 1)});

    let reply = send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri(PHARMACIES)
            .set_json(huge),
    )
    .await;

    reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert!(fakes.pharmacies.pharmacies.lock().unwrap().is_empty());
}

#[actix_web::test]
async fn unknown_route_is_404_and_wrong_method_is_405() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let unknown = send(&app, TestRequest::get().uri("/api/v1/nothing-here")).await;
    let top_level = send(&app, TestRequest::get().uri("/admin.php")).await;
    let method = send(&app, TestRequest::patch().uri("/api/v1/medicines")).await;

    unknown.assert_error(StatusCode::NOT_FOUND, "route_not_found");
    top_level.assert_error(StatusCode::NOT_FOUND, "route_not_found");
    method.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

async fn fail(kind: web::Path<String>) -> Result<HttpResponse, ApiError> {
    Err(match kind.as_str() {
        "unauthenticated" => ApiError::Unauthenticated,
        "forbidden" => ApiError::Forbidden,
        "rate_limited" => ApiError::RateLimited {
            retry_after: Duration::from_secs(30),
        },
        other => ApiError::Internal(format!("secret cause {other}").into()),
    })
}

async fn explode() -> HttpResponse {
    panic!("handler bug with secret detail");
}

#[actix_web::test]
async fn categories_without_endpoints_yet_render_the_envelope() {
    let fakes = Fakes::new();
    let app =
        test::init_service(app(fakes.state()).route("/test/fail/{kind}", web::get().to(fail)))
            .await;

    let unauthenticated = send(&app, TestRequest::get().uri("/test/fail/unauthenticated")).await;
    let forbidden = send(&app, TestRequest::get().uri("/test/fail/forbidden")).await;
    let limited = send(&app, TestRequest::get().uri("/test/fail/rate_limited")).await;
    let internal = send(&app, TestRequest::get().uri("/test/fail/internal")).await;

    unauthenticated.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    forbidden.assert_error(StatusCode::FORBIDDEN, "forbidden");
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(limited.header("retry-after"), Some("30"));
    internal.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
    assert!(!internal.text.contains("secret"));
}

#[actix_web::test]
async fn a_panicking_handler_becomes_a_500_envelope_and_the_app_keeps_serving() {
    let fakes = Fakes::new();
    let app =
        test::init_service(app(fakes.state()).route("/test/panic", web::get().to(explode))).await;

    let reply = send(&app, TestRequest::get().uri("/test/panic")).await;
    let after = send(&app, TestRequest::get().uri("/health")).await;

    reply.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
    assert_eq!(reply.body["error"]["message"], "internal error");
    assert!(!reply.text.contains("secret"));
    assert!(reply.header("x-frame-options").is_some());
    assert_eq!(after.status, StatusCode::OK);
}

#[actix_web::test]
async fn sql_looking_and_odd_unicode_queries_are_harmless() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    for q in [
        "%27%20OR%201%3D1%20--",
        "%F0%9F%92%8A%E2%80%AE",
        "%00",
        "%C0%AF",
    ] {
        let reply = send(
            &app,
            TestRequest::get().uri(&format!("/api/v1/medicines?q={q}")),
        )
        .await;
        assert!(
            reply.status == StatusCode::OK || reply.status.is_client_error(),
            "{q}: {}",
            reply.status
        );
        assert!(reply.body["success"].is_boolean(), "{q}: {}", reply.text);
    }
    assert_eq!(fakes.catalogue.medicines.lock().unwrap().len(), 3);
}
