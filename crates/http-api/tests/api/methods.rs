//! Wrong methods are `405` with `Allow`; `HEAD` is answered like `GET`; `TRACE` is refused everywhere.

use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use pharmarec_http_api::app;

use crate::helpers::{Fakes, send};

#[actix_web::test]
async fn a_wrong_method_on_a_known_path_is_405_naming_the_allowed_ones() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let cases = [
        (Method::PATCH, "/health", "GET, HEAD"),
        (Method::POST, "/ready", "GET, HEAD"),
        (Method::DELETE, "/version", "GET, HEAD"),
        (Method::PATCH, "/metrics", "GET, HEAD"),
        (Method::TRACE, "/api/v1/ingredients", "GET, HEAD"),
        (Method::GET, "/api/v1/recommendations", "POST"),
        (
            Method::PATCH,
            "/api/v1/medicines/OB-A1-001",
            "GET, HEAD, PUT, DELETE",
        ),
    ];
    for (method, path, allow) in cases {
        let reply = send(
            &app,
            TestRequest::default().method(method.clone()).uri(path),
        )
        .await;
        reply.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        assert_eq!(reply.header("allow"), Some(allow), "{method} {path}");
    }
}

#[actix_web::test]
async fn head_is_answered_like_get() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    for path in ["/health", "/version", "/api/v1/ingredients"] {
        let get = send(&app, TestRequest::get().uri(path)).await;
        let head = send(&app, TestRequest::default().method(Method::HEAD).uri(path)).await;
        assert_eq!(head.status, get.status, "{path}");
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "{path}"
        );
        assert!(head.header("x-request-id").is_some());
    }
}

#[actix_web::test]
async fn trace_on_an_unknown_path_is_refused_and_other_methods_are_404() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let trace = send(
        &app,
        TestRequest::default().method(Method::TRACE).uri("/nowhere"),
    )
    .await;
    trace.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert_eq!(trace.header("allow"), Some(""));
    let get = send(&app, TestRequest::get().uri("/nowhere")).await;
    get.assert_error(StatusCode::NOT_FOUND, "route_not_found");
}
