use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::Role;
use pharmarec_http_api::app;

use crate::helpers::{Fakes, get, send};

#[actix_web::test]
async fn health_reports_version_uptime_and_dependencies() {
    let fakes = Fakes::new();
    fakes.redis.set_up(false);
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/health").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["status"], "ok");
    assert_eq!(body["data"]["version"], "0.1.0-test");
    assert!(body["data"]["uptime_seconds"].is_u64());
    assert_eq!(body["data"]["dependencies"][0]["name"], "database");
    assert_eq!(body["data"]["dependencies"][0]["state"], "up");
    assert_eq!(body["data"]["dependencies"][1]["name"], "redis");
    assert_eq!(body["data"]["dependencies"][1]["state"], "down");
}

#[actix_web::test]
async fn health_stays_200_when_the_database_is_down() {
    let fakes = Fakes::new();
    fakes.database.set_up(false);
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/health").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["dependencies"][0]["state"], "down");
}

#[actix_web::test]
async fn ready_is_200_when_everything_answers() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/ready").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["status"], "ready");
}

#[actix_web::test]
async fn ready_is_503_envelope_when_the_database_is_down() {
    let fakes = Fakes::new();
    fakes.database.set_up(false);
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(&app, TestRequest::get().uri("/ready")).await;

    reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "dependency_unavailable");
    assert!(!reply.text.contains("connection refused"));
}

#[actix_web::test]
async fn ready_is_degraded_when_only_an_optional_dependency_is_down() {
    let fakes = Fakes::new();
    fakes.redis.set_up(false);
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/ready").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["status"], "degraded");
}

#[actix_web::test]
async fn version_reports_the_release_and_diagnostics_the_toolchain() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/version").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["version"], "0.1.0-test");
    assert_eq!(body["data"]["git_commit"], "abc1234");
    assert!(body["data"].get("rustc").is_none() && body["data"].get("build_time").is_none());
    let admin = send(
        &app,
        TestRequest::get()
            .uri("/diagnostics")
            .insert_header(fakes.bearer(Role::Admin)),
    )
    .await;
    assert_eq!(admin.body["data"]["build"]["rustc"], "rustc 1.95.0");
    assert_eq!(
        admin.body["data"]["build"]["build_time"],
        "2026-01-01T00:00:00Z"
    );
}

#[actix_web::test]
async fn diagnostics_report_uptime_process_and_pools() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(
        &app,
        TestRequest::get()
            .uri("/diagnostics")
            .insert_header(fakes.bearer(Role::Admin)),
    )
    .await;
    let (body, status) = (reply.body, reply.status);

    assert_eq!(status, StatusCode::OK);
    assert!(body["data"]["uptime_seconds"].is_u64());
    assert!(body["data"]["process"]["memory_bytes"].as_u64().unwrap() > 0);
    assert_eq!(body["data"]["pools"][0]["name"], "database");
    assert_eq!(body["data"]["pools"][0]["max_size"], 10);
}

#[actix_web::test]
async fn metrics_count_requests_by_route_pattern_and_refresh_pool_gauges() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    get(&app, "/api/v1/medicines/OB-A000001-001").await;
    get(&app, "/api/v1/medicines/OB-A000002-001").await;
    get(&app, "/no/such/route").await;

    let reply = send(&app, TestRequest::get().uri("/metrics")).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(reply.text.contains(
        r#"pharmarec_http_requests_total{method="GET",route="/api/v1/medicines/{id}",status="200"} 2"#
    ));
    assert!(reply.text.contains(
        r#"pharmarec_http_requests_total{method="GET",route="unmatched",status="404"} 1"#
    ));
    assert!(!reply.text.contains("OB-A000001-001"));
    assert!(
        reply
            .text
            .contains(r#"pharmarec_db_pool_connections{state="idle"} 3"#)
    );
    assert!(
        reply
            .text
            .contains(r#"pharmarec_db_pool_connections{state="active"} 1"#)
    );
    assert!(
        reply
            .text
            .contains(r#"pharmarec_db_pool_connections{state="max"} 10"#)
    );
}
