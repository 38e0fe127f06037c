//! Accounts, audit trail, rate limiting and the cache on the real stack: database, and Redis when
//! `REDIS_URL` is set (the outage test runs its own `redis-server`, never the shared one).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

use pharmarec_domain::Role;
use secrecy::SecretString;
use serde_json::json;

use crate::helpers::{
    TestApp, create_account, fresh_databases, on_each_backend_as_admin, report_skip, settings_for,
};

#[actix_web::test]
async fn committed_writes_are_audited_with_actor_and_request_id_failed_ones_are_not() {
    on_each_backend_as_admin(|app, token| async move {
        let created = app
            .send_json_as(
                &token,
                "POST",
                "/api/v1/pharmacies",
                &json!({"name": "Synthetic Audit Pharmacy"}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let pharmacy = created.json["data"]["id"].as_str().expect("id").to_string();
        let line = format!("/api/v1/pharmacies/{pharmacy}/stock/OB-A071192-001");
        let put = app
            .send_json_as(
                &token,
                "PUT",
                &line,
                &json!({"quantity": 5, "price_minor": 250, "currency": "EUR", "version": 0}),
            )
            .await;
        assert_eq!(put.status, 200, "{}", put.text);
        let request_id = put
            .headers
            .get("x-request-id")
            .cloned()
            .expect("request id");

        let audit = app.get_as(&token, "/api/v1/audit?entity_type=stock").await;
        assert_eq!(audit.status, 200, "{}: {}", app.backend, audit.text);
        let events = audit.json["data"].as_array().expect("events").clone();
        assert_eq!(
            events.len(),
            1,
            "one row for one committed stock write: {}",
            audit.text
        );
        assert_eq!(events[0]["request_id"], request_id.as_str());
        assert!(
            events[0]["actor"].is_string(),
            "the admin is the actor: {}",
            audit.text
        );
        assert!(!audit.text.contains("$2"), "no bcrypt hash in the trail");

        // A stale write fails and leaves no audit row.
        app.send_json_as(
            &token,
            "PUT",
            &line,
            &json!({"quantity": 1, "price_minor": 250, "currency": "EUR", "version": 0}),
        )
        .await
        .assert_error(409, "stale_version");
        let after = app.get_as(&token, "/api/v1/audit?entity_type=stock").await;
        assert_eq!(after.json["data"].as_array().map(Vec::len), Some(1));

        // Anonymous callers cannot read the trail, and nobody can change it.
        app.get("/api/v1/audit")
            .await
            .assert_error(401, "unauthenticated");
        let delete = app
            .request(
                "DELETE",
                "/api/v1/audit",
                None,
                &[("authorization", format!("Bearer {token}").as_str())],
            )
            .await;
        assert!(
            delete.status == 404 || delete.status == 405,
            "{}",
            delete.text
        );
    })
    .await;
}

#[actix_web::test]
async fn roles_and_tokens_are_enforced_on_the_real_app() {
    for database in fresh_databases() {
        let settings = settings_for(database.url());
        let app = TestApp::spawn_with(settings.clone(), database.backend()).await;
        let password = create_account(&settings, "viewer@pharmarec.test", Role::Viewer).await;
        let viewer = app.login("viewer@pharmarec.test", &password).await;
        let pharmacy = json!({"name": "Synthetic Viewer Pharmacy"});
        app.send_json_as(&viewer, "POST", "/api/v1/pharmacies", &pharmacy)
            .await
            .assert_error(403, "forbidden");
        app.get_as("not-a-token", "/api/v1/audit")
            .await
            .assert_error(401, "invalid_token");
        let wrong = json!({"email": "viewer@pharmarec.test", "password": "wrong password here"});
        app.send_json("POST", "/api/v1/auth/login", &wrong)
            .await
            .assert_error(401, "invalid_credentials");
    }
}

#[actix_web::test]
async fn rate_limit_answers_429_with_headers() {
    let database = fresh_databases().remove(0);
    let mut settings = settings_for(database.url());
    settings.rate_limit.requests_per_minute = 3;
    let app = TestApp::spawn_with(settings, database.backend()).await;
    for _ in 0..3 {
        let ok = app.get("/api/v1/medicines?per_page=1").await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        assert_eq!(
            ok.headers.get("x-ratelimit-limit").map(String::as_str),
            Some("3")
        );
    }
    let limited = app.get("/api/v1/medicines?per_page=1").await;
    limited.assert_error(429, "rate_limited");
    assert!(limited.headers.contains_key("retry-after"));
    assert_eq!(
        limited
            .headers
            .get("x-ratelimit-remaining")
            .map(String::as_str),
        Some("0")
    );
}

#[actix_web::test]
async fn rate_limit_is_shared_by_two_instances_on_one_redis() {
    let Ok(redis) = std::env::var("REDIS_URL") else {
        report_skip("Redis: REDIS_URL not set");
        return;
    };
    let database = fresh_databases().remove(0);
    let mut settings = settings_for(database.url());
    settings.rate_limit.requests_per_minute = 4;
    settings.redis.url = Some(SecretString::from(redis));
    settings.redis.key_prefix = format!("pharmarec-e2e-{}:", uuid::Uuid::new_v4().simple());
    let first = TestApp::spawn_with(settings.clone(), database.backend()).await;
    let second = TestApp::spawn_with(settings, database.backend()).await;
    for app in [&first, &second, &first, &second] {
        assert_eq!(app.get("/api/v1/ingredients?per_page=1").await.status, 200);
    }
    // Four requests spread over two instances used up one shared window.
    second
        .get("/api/v1/ingredients?per_page=1")
        .await
        .assert_error(429, "rate_limited");
    first
        .get("/api/v1/ingredients?per_page=1")
        .await
        .assert_error(429, "rate_limited");
}

/// A `redis-server` of this test's own, on a free port; killed on drop.
struct OwnRedis {
    child: Child,
    port: u16,
}

impl OwnRedis {
    fn start() -> Option<Self> {
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .ok()?;
        for _ in 0..50 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(Self { child, port });
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        None
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[actix_web::test]
async fn redis_stopped_mid_test_degrades_without_5xx() {
    let Some(redis) = OwnRedis::start() else {
        report_skip("Redis outage test: redis-server is not installed");
        return;
    };
    let database = fresh_databases().remove(0);
    let mut settings = settings_for(database.url());
    settings.redis.url = Some(SecretString::from(format!(
        "redis://127.0.0.1:{}",
        redis.port
    )));
    let app = TestApp::spawn_with(settings, database.backend()).await;
    let ready = app.get("/ready").await;
    assert_eq!(
        (ready.status, ready.json["data"]["status"].as_str()),
        (200, Some("ready")),
        "{}",
        ready.text
    );

    drop(redis);
    for path in [
        "/api/v1/medicines?per_page=2",
        "/api/v1/medicines/OB-A071192-001",
        "/api/v1/ingredients",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{path} with Redis down: {}", reply.text);
    }
    let recommended = app
        .send_json(
            "POST",
            "/api/v1/recommendations",
            &json!({"symptoms": "fever"}),
        )
        .await;
    assert_eq!(recommended.status, 200, "{}", recommended.text);
    let ready = app.get("/ready").await;
    assert_eq!(
        (ready.status, ready.json["data"]["status"].as_str()),
        (200, Some("degraded")),
        "{}",
        ready.text
    );
    let metrics = app.get("/metrics").await;
    assert!(
        metrics.text.contains("pharmarec_redis_failures_total"),
        "failures are counted"
    );
}
