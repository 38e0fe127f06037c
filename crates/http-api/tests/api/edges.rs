//! Inputs at the edge of what the parsers accept: each answers with the envelope, briefly.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::test::{self, TestRequest};
use pharmarec_http_api::app;

use crate::helpers::{Fakes, send};

#[actix_web::test]
async fn a_query_that_is_not_utf8_once_decoded_is_400_invalid_query() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    for uri in ["/api/v1/medicines?q=%ff%fe", "/api/v1/ingredients?q=ab%c3"] {
        let reply = send(&app, TestRequest::get().uri(uri)).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    }
    let fine = send(
        &app,
        TestRequest::get().uri("/api/v1/medicines?q=caf%C3%A9"),
    )
    .await;
    assert_eq!(fine.status, StatusCode::OK, "{}", fine.text);
}

#[actix_web::test]
async fn error_details_never_echo_more_than_a_bounded_part_of_the_input() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let long = "x".repeat(5_000);
    let reply = send(
        &app,
        TestRequest::get().uri(&format!("/api/v1/medicines?sort={long}")),
    )
    .await;
    reply.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    assert!(reply.text.len() < 1_000, "{} bytes", reply.text.len());
    let reason = reply.body["error"]["details"][0]["reason"]
        .as_str()
        .unwrap();
    assert!(reason.ends_with('…'), "{reason}");
}

#[actix_web::test]
async fn a_corrupt_gzip_body_is_400_without_internal_text() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    // A gzip header followed by a truncated stream, on the cached route that reads the body first.
    let corrupt: &[u8] = &[
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab,
    ];
    let reply = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/recommendations")
            .insert_header(header::ContentType::json())
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .set_payload(corrupt),
    )
    .await;
    reply.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    for internal in ["Custom", "kind", "UnexpectedEof", "{"] {
        assert!(
            !reply.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(internal),
            "{}",
            reply.text
        );
    }
}

#[actix_web::test]
async fn nul_in_any_json_text_is_422_naming_the_field_and_nothing_is_written() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let reply = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/pharmacies")
            .insert_header(fakes.bearer(pharmarec_domain::Role::Admin))
            .insert_header(header::ContentType::json())
            .set_payload(r#"{"name": "Synthetic\u0000Pharmacy"}"#),
    )
    .await;
    reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(reply.body["error"]["details"][0]["field"], "body.name");
    assert!(fakes.pharmacies.pharmacies.lock().unwrap().is_empty());

    let query = send(&app, TestRequest::get().uri("/api/v1/medicines?q=a%00b")).await;
    query.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
}
