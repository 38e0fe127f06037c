//! Request ids, security headers, CORS and compression.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_http_api::app;

use crate::helpers::{ALLOWED_ORIGIN, Fakes, Reply, send};

#[actix_web::test]
async fn well_formed_incoming_request_id_is_echoed() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let ok = send(
        &app,
        TestRequest::get()
            .uri("/health")
            .insert_header(("x-request-id", "client-42.a_b")),
    )
    .await;
    let error = send(
        &app,
        TestRequest::get()
            .uri("/nope")
            .insert_header(("x-request-id", "client-43")),
    )
    .await;

    assert_eq!(ok.header("x-request-id"), Some("client-42.a_b"));
    assert_eq!(error.body["error"]["request_id"], "client-43");
}

#[actix_web::test]
async fn malformed_incoming_request_id_is_replaced_by_a_uuid() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    for bad in ["has spaces", "x\ty", &"a".repeat(65), "inject;id=1"] {
        let reply = send(
            &app,
            TestRequest::get()
                .uri("/health")
                .insert_header(("x-request-id", bad)),
        )
        .await;
        let echoed = reply.header("x-request-id").unwrap();
        assert_ne!(echoed, bad);
        assert!(uuid::Uuid::parse_str(echoed).is_ok(), "{echoed}");
    }
}

#[actix_web::test]
async fn missing_request_id_is_generated() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let first = send(&app, TestRequest::get().uri("/health")).await;
    let second = send(&app, TestRequest::get().uri("/health")).await;

    assert_ne!(first.header("x-request-id"), second.header("x-request-id"));
}

const SECURITY_HEADERS: [&str; 8] = [
    "strict-transport-security",
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
];

#[actix_web::test]
async fn security_headers_are_on_success_and_error_responses() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    for uri in ["/health", "/api/v1/medicines/OB-NOPE", "/missing"] {
        let reply = send(&app, TestRequest::get().uri(uri)).await;
        for name in SECURITY_HEADERS {
            assert!(reply.header(name).is_some(), "{name} missing on {uri}");
        }
        assert!(
            reply
                .header("content-security-policy")
                .unwrap()
                .starts_with("default-src 'none'")
        );
    }
}

#[actix_web::test]
async fn csp_is_relaxed_only_for_docs() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let docs = send(&app, TestRequest::get().uri("/docs/")).await;
    let api = send(&app, TestRequest::get().uri("/version")).await;

    assert_eq!(docs.status, StatusCode::OK);
    assert!(
        docs.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        docs.header("content-security-policy")
            .unwrap()
            .contains("script-src 'self'")
    );
    assert!(
        !api.header("content-security-policy")
            .unwrap()
            .contains("'self'")
    );
}

#[actix_web::test]
async fn cors_allows_only_configured_origins() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let allowed = send(
        &app,
        TestRequest::get()
            .uri("/version")
            .insert_header(("origin", ALLOWED_ORIGIN)),
    )
    .await;
    let other = send(
        &app,
        TestRequest::get()
            .uri("/version")
            .insert_header(("origin", "https://evil.example")),
    )
    .await;

    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some(ALLOWED_ORIGIN)
    );
    assert_eq!(
        allowed
            .header("access-control-expose-headers")
            .map(|h| h.contains("x-request-id")),
        Some(true)
    );
    assert!(other.header("access-control-allow-origin").is_none());
}

/// The `Vary` values of `reply`, lower-cased, across all its `Vary` lines.
fn vary(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get_all("vary")
        .flat_map(|line| line.to_str().unwrap().split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect()
}

#[actix_web::test]
async fn cors_headers_go_only_to_requests_with_an_origin_and_vary_names_origin_on_all() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let browser = send(
        &app,
        TestRequest::get()
            .uri("/version")
            .insert_header(("origin", ALLOWED_ORIGIN)),
    )
    .await;
    let server_side = send(&app, TestRequest::get().uri("/version")).await;
    let refused_without_origin = send(&app, TestRequest::get().uri("/api/v1/nowhere")).await;

    assert!(browser.header("access-control-expose-headers").is_some());
    assert!(vary(&browser).contains(&"origin".to_owned()));
    for reply in [&server_side, &refused_without_origin] {
        assert_eq!(reply.header("access-control-expose-headers"), None);
        assert_eq!(reply.header("access-control-allow-origin"), None);
        assert_eq!(vary(reply), ["origin"], "{:?}", reply.headers);
    }
    assert_eq!(server_side.status, StatusCode::OK);
    refused_without_origin.assert_error(StatusCode::NOT_FOUND, "route_not_found");
}

#[actix_web::test]
async fn cors_preflight_is_answered_for_allowed_origins_and_refused_with_envelope_otherwise() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let preflight = |origin: &str| {
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/v1/pharmacies")
            .insert_header(("origin", origin))
            .insert_header(("access-control-request-method", "POST"))
    };

    let allowed = send(&app, preflight(ALLOWED_ORIGIN)).await;
    let refused = send(&app, preflight("https://evil.example")).await;

    assert_eq!(allowed.status, StatusCode::OK);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some(ALLOWED_ORIGIN)
    );
    refused.assert_error(StatusCode::BAD_REQUEST, "bad_request");
}

#[actix_web::test]
async fn responses_are_gzip_compressed_on_request() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(
        &app,
        TestRequest::get()
            .uri("/api/v1/medicines")
            .insert_header(("accept-encoding", "gzip")),
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
}
