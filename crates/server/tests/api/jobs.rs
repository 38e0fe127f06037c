//! Scheduled tasks on a real database: expired refresh tokens removed, one low-stock alert per
//! crossing (audit trail, metrics, `?low=true`), and one instance at a time on a shared PostgreSQL.

use std::time::Duration;

use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use pharmarec_server::settings::Settings;
use pharmarec_server::startup::Application;
use serde_json::json;

use crate::helpers::{
    TestApp, TestDatabase, fresh_databases, on_each_backend_as_admin, postgres_database,
    settings_for,
};

/// Settings whose tasks run every second, so a test sees several ticks in a few seconds.
fn every_second(database: &TestDatabase) -> Settings {
    let mut settings = settings_for(database.url());
    settings.jobs.poll_interval_secs = 1;
    settings.jobs.refresh_token_cleanup_interval_secs = 1;
    settings.jobs.low_stock_interval_secs = 1;
    settings
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Rows of `refresh_tokens`, read directly from the database rather than through the service.
fn stored_refresh_tokens(database: &TestDatabase) -> i64 {
    let query = diesel::sql_query("SELECT COUNT(*) AS n FROM refresh_tokens");
    let url = database.url();
    let count: Count = match url.strip_prefix("sqlite://") {
        Some(path) => query.get_result(&mut SqliteConnection::establish(path).expect("sqlite")),
        None => query.get_result(&mut PgConnection::establish(url).expect("postgres")),
    }
    .expect("count");
    count.n
}

/// Creates a pharmacy and returns its id and the path of its stock line for one catalogue medicine.
async fn new_stock_line(app: &TestApp, token: &str) -> (String, String) {
    let body = json!({"name": "Synthetic Test Pharmacy"});
    let created = app
        .send_json_as(token, "POST", "/api/v1/pharmacies", &body)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let pharmacy = created.json["data"]["id"].as_str().expect("id").to_string();
    let line = format!("/api/v1/pharmacies/{pharmacy}/stock/OB-A071192-001");
    (pharmacy, line)
}

/// Polls `check` once a second for up to 20 seconds; returns whether it came true.
async fn eventually<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..20 {
        if check().await {
            return true;
        }
        actix_web::rt::time::sleep(Duration::from_secs(1)).await;
    }
    false
}

/// Audit events with this action on this entity.
async fn audited(app: &TestApp, token: &str, action: &str, entity_id: &str) -> u64 {
    let reply = app
        .get_as(
            token,
            &format!("/api/v1/audit?action={action}&entity_id={entity_id}"),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["meta"]["total_items"].as_u64().expect("total")
}

/// The value of one metric line (`name{labels}`), 0 when absent.
async fn metric(app: &TestApp, series: &str) -> f64 {
    let text = app.get("/metrics").await.text;
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[actix_web::test]
async fn expired_refresh_tokens_are_removed_and_audited() {
    for database in fresh_databases() {
        let mut settings = every_second(&database);
        settings.auth.refresh_token_ttl_secs = 1;
        let (app, token) = TestApp::spawn_as_admin_with(settings, database.backend()).await;
        assert_eq!(stored_refresh_tokens(&database), 1, "{}", app.backend);

        let removed = eventually(|| async { stored_refresh_tokens(&database) == 0 }).await;

        assert!(removed, "{}: expired token still stored", app.backend);
        let job = "refresh_token_cleanup";
        assert!(
            eventually(|| async { audited(&app, &token, &format!("job.{job}"), job).await >= 1 })
                .await
        );
        assert!(metric(&app, "pharmarec_refresh_tokens_removed_total").await >= 1.0);
        let ok = format!(r#"pharmarec_scheduled_task_runs_total{{outcome="ok",task="{job}"}}"#);
        assert!(metric(&app, &ok).await >= 1.0, "{}", app.backend);
    }
}

#[actix_web::test]
async fn a_low_stock_alert_is_raised_once_per_crossing() {
    for database in fresh_databases() {
        let settings = every_second(&database);
        let (app, token) = TestApp::spawn_as_admin_with(settings, database.backend()).await;
        let (pharmacy, line) = new_stock_line(&app, &token).await;
        let entity = format!("{pharmacy}/OB-A071192-001");
        let low_list = format!("/api/v1/pharmacies/{pharmacy}/stock?low=true");
        let adjust = |delta: i64| {
            let body = json!({"delta": delta, "reason": "count correction"});
            let (app, token, path) = (&app, &token, format!("{line}/adjust"));
            async move { app.send_json_as(token, "POST", &path, &body).await }
        };
        let body = json!({"quantity": 10, "price_minor": 499, "currency": "EUR", "version": 0, "low_stock_threshold": 5});
        let put = app.send_json_as(&token, "PUT", &line, &body).await;
        assert_eq!(put.status, 200, "{}", put.text);
        assert_eq!(put.json["data"]["low_stock_threshold"], 5);
        assert_eq!(put.json["data"]["low_stock"], false);
        assert_eq!(app.get(&low_list).await.json["meta"]["total_items"], 0);

        let sold = adjust(-6).await;
        assert_eq!(sold.json["data"]["low_stock"], true, "{}", sold.text);
        let alert = "stock.low_stock_alert";
        assert!(
            eventually(|| async { audited(&app, &token, alert, &entity).await == 1 }).await,
            "{}: no alert",
            app.backend
        );
        // Several more ticks while the line stays low: still the one alert.
        actix_web::rt::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(
            audited(&app, &token, alert, &entity).await,
            1,
            "{}",
            app.backend
        );
        assert_eq!(metric(&app, "pharmarec_low_stock_alerts_total").await, 1.0);
        let gauge = format!(r#"pharmarec_low_stock_lines{{pharmacy="{pharmacy}"}}"#);
        assert_eq!(metric(&app, &gauge).await, 1.0, "{}", app.backend);
        let low = app.get(&low_list).await;
        assert_eq!(low.json["meta"]["total_items"], 1, "{}", low.text);
        assert_eq!(low.json["data"][0]["quantity"], 4);

        // Recovering re-arms the line; the next crossing raises a second alert.
        assert_eq!(adjust(10).await.status, 200);
        let cleared = "stock.low_stock_cleared";
        assert!(eventually(|| async { audited(&app, &token, cleared, &entity).await == 1 }).await);
        assert_eq!(app.get(&low_list).await.json["meta"]["total_items"], 0);
        assert_eq!(adjust(-10).await.status, 200);
        assert!(
            eventually(|| async { audited(&app, &token, alert, &entity).await == 2 }).await,
            "{}: no second alert",
            app.backend
        );
        assert_eq!(metric(&app, "pharmarec_low_stock_alerts_total").await, 2.0);
    }
}

#[actix_web::test]
async fn a_low_stock_threshold_outside_the_quantity_range_is_refused() {
    on_each_backend_as_admin(|app, token| async move {
        let (pharmacy, line) = new_stock_line(&app, &token).await;

        for (threshold, status, code) in [
            (json!(-1), 422, "validation_failed"),
            (json!(1_000_000_001), 422, "validation_failed"),
            (json!("5"), 400, "invalid_body"),
        ] {
            let body = json!({"quantity": 10, "price_minor": 499, "currency": "EUR", "version": 0, "low_stock_threshold": threshold});
            let reply = app.send_json_as(&token, "PUT", &line, &body).await;
            reply.assert_error(status, code);
        }
        let stock = app
            .get(&format!("/api/v1/pharmacies/{pharmacy}/stock"))
            .await;
        assert_eq!(
            stock.json["meta"]["total_items"], 0,
            "a refused write changes nothing"
        );
    })
    .await;
}

/// Whether this app's scheduler leads, from its own metrics.
async fn leads(app: &TestApp) -> bool {
    metric(app, "pharmarec_scheduler_leader").await == 1.0
}

async fn low_stock_runs(app: &TestApp) -> f64 {
    metric(
        app,
        r#"pharmarec_scheduled_task_runs_total{outcome="ok",task="low_stock"}"#,
    )
    .await
}

#[actix_web::test]
async fn one_instance_runs_the_tasks_and_another_takes_over_when_it_stops() {
    let Some(database) = postgres_database("scheduler leadership") else {
        return;
    };
    let settings = every_second(&database);
    let mut handles = Vec::new();
    let mut apps = Vec::new();
    for _ in 0..2 {
        let app = Application::build(settings.clone()).await.expect("builds");
        apps.push(TestApp::at_port(app.port(), database.backend()));
        handles.push(actix_web::rt::spawn(app.run_until_stopped()));
    }
    assert!(eventually(|| async { leads(&apps[0]).await || leads(&apps[1]).await }).await);
    let holder = usize::from(leads(&apps[1]).await);
    let standby = 1 - holder;

    // Waits for three ticks rather than sleeping three seconds: on a loaded machine a
    // one-second tick can come late, and what matters is who ran them, not when.
    assert!(
        eventually(|| async { low_stock_runs(&apps[holder]).await >= 3.0 }).await,
        "the holder did not run three ticks"
    );
    assert!(leads(&apps[holder]).await, "the holder keeps the lock");
    assert!(!leads(&apps[standby]).await, "both instances lead");
    assert_eq!(
        low_stock_runs(&apps[standby]).await,
        0.0,
        "the standby ran a tick"
    );

    // Stopping the holder closes its lock connection; the standby takes over on its next poll.
    handles[holder].abort();
    assert!(
        eventually(|| async { leads(&apps[standby]).await }).await,
        "no takeover"
    );
    assert!(eventually(|| async { low_stock_runs(&apps[standby]).await >= 1.0 }).await);
}
