//! Per-client-IP rate limiting: headers, 429, per-route limits, exemptions, trusted proxies, and a
//! failing limiter that lets requests through.

use std::sync::atomic::Ordering;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_http_api::app;
use serde_json::json;

use crate::helpers::{Fakes, send};

const MEDICINES: &str = "/api/v1/medicines";

fn from(peer: &str) -> TestRequest {
    TestRequest::get()
        .uri(MEDICINES)
        .peer_addr(format!("{peer}:5000").parse().unwrap())
}

#[actix_web::test]
async fn over_the_limit_is_429_with_retry_after_and_ratelimit_headers() {
    let mut fakes = Fakes::new();
    fakes.config.rate_limit.requests_per_minute = 2;
    let app = test::init_service(app(fakes.state())).await;

    let first = send(&app, from("198.51.100.1")).await;
    send(&app, from("198.51.100.1")).await;
    let third = send(&app, from("198.51.100.1")).await;
    let other_client = send(&app, from("198.51.100.2")).await;

    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("x-ratelimit-limit"), Some("2"));
    assert_eq!(first.header("x-ratelimit-remaining"), Some("1"));
    assert_eq!(first.header("x-ratelimit-reset"), Some("30"));
    third.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(third.header("retry-after"), Some("30"));
    assert_eq!(third.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(other_client.status, StatusCode::OK);
}

#[actix_web::test]
async fn routes_can_have_their_own_limit() {
    let mut fakes = Fakes::new();
    fakes
        .config
        .rate_limit
        .per_route
        .insert("/api/v1/recommendations".to_owned(), 1);
    let app = test::init_service(app(fakes.state())).await;
    let recommend = || {
        TestRequest::post()
            .uri("/api/v1/recommendations")
            .set_json(json!({"symptoms": "sneezing"}))
    };

    let first = send(&app, recommend()).await;
    let second = send(&app, recommend()).await;
    let elsewhere = send(&app, TestRequest::get().uri(MEDICINES)).await;

    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("x-ratelimit-limit"), Some("1"));
    second.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(elsewhere.status, StatusCode::OK);
}

#[actix_web::test]
async fn operational_endpoints_are_not_limited() {
    let mut fakes = Fakes::new();
    fakes.config.rate_limit.requests_per_minute = 1;
    let app = test::init_service(app(fakes.state())).await;

    for _ in 0..3 {
        for uri in ["/health", "/ready", "/metrics"] {
            let reply = send(&app, TestRequest::get().uri(uri)).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}");
            assert_eq!(reply.header("x-ratelimit-limit"), None);
        }
    }
}

#[actix_web::test]
async fn forwarded_for_is_believed_only_from_trusted_proxies() {
    let mut fakes = Fakes::new();
    fakes.config.rate_limit.requests_per_minute = 1;
    fakes.config.rate_limit.trusted_proxies = vec!["10.0.0.1".parse().unwrap()];
    let app = test::init_service(app(fakes.state())).await;
    let forwarded =
        |peer: &str, client: &str| from(peer).insert_header(("x-forwarded-for", client));

    // Behind the proxy, two clients each have their own budget.
    let a = send(&app, forwarded("10.0.0.1", "203.0.113.1")).await;
    let b = send(&app, forwarded("10.0.0.1", "203.0.113.2")).await;
    // A direct caller cannot escape its limit by inventing addresses.
    let direct = send(&app, forwarded("198.51.100.1", "203.0.113.3")).await;
    let spoofed = send(&app, forwarded("198.51.100.1", "203.0.113.4")).await;

    assert_eq!(
        (a.status, b.status, direct.status),
        (StatusCode::OK, StatusCode::OK, StatusCode::OK)
    );
    spoofed.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(fakes.limiter.count("rate:default:203.0.113.1"), 1);
    assert_eq!(fakes.limiter.count("rate:default:198.51.100.1"), 2);
    assert_eq!(fakes.limiter.count("rate:default:203.0.113.4"), 0);
}

#[actix_web::test]
async fn a_failing_limiter_lets_requests_through() {
    let mut fakes = Fakes::new();
    fakes.config.rate_limit.requests_per_minute = 1;
    fakes.config.rate_limit.login_attempts_per_minute_per_ip = 1;
    fakes.limiter.failing.store(true, Ordering::SeqCst);
    let app = test::init_service(app(fakes.state())).await;

    for _ in 0..3 {
        let reply = send(&app, TestRequest::get().uri(MEDICINES)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("x-ratelimit-limit"), None);
    }
    let login = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/auth/login")
            .set_json(json!({"email": "a@example.org", "password": "whatever it is"})),
    )
    .await;
    login.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
}
