//! `/health`, `/ready`, `/version`, `/metrics` and cross-cutting HTTP behaviour on the real app.

use crate::helpers::on_each_backend;

#[actix_web::test]
async fn operational_endpoints_report_a_live_stack() {
    on_each_backend(|app| async move {
        let health = app.get("/health").await;
        assert_eq!(health.status, 200, "{}: {}", app.backend, health.text);
        assert_eq!(health.json["success"], true);
        assert!(
            health.text.contains("database"),
            "health lists the database: {}",
            health.text
        );

        let ready = app.get("/ready").await;
        assert_eq!(ready.status, 200, "{}", ready.text);

        let version = app.get("/version").await;
        assert_eq!(version.status, 200);
        assert_eq!(version.json["data"]["version"], env!("CARGO_PKG_VERSION"));

        // One request above, so the counter for /health exists.
        let metrics = app.get("/metrics").await;
        assert_eq!(metrics.status, 200);
        assert!(
            metrics.text.contains("pharmarec_http_requests_total"),
            "{}",
            metrics.text
        );
    })
    .await;
}

#[actix_web::test]
async fn unknown_route_gets_the_error_envelope_with_the_callers_request_id() {
    on_each_backend(|app| async move {
        let reply = app
            .request(
                "GET",
                "/api/v1/nowhere",
                None,
                &[("x-request-id", "trace-abc.123")],
            )
            .await;
        reply.assert_error(404, "route_not_found");
        assert_eq!(reply.json["error"]["request_id"], "trace-abc.123");
        // Security headers come from the real middleware stack.
        assert!(reply.headers.contains_key("strict-transport-security"));
        assert!(reply.headers.contains_key("x-content-type-options"));
    })
    .await;
}
