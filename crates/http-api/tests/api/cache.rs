//! The response cache: an answer is stored from its request's second sighting on, hits are
//! byte-identical with `X-Cache: hit`, keys separate what callers may see, writes invalidate, and a
//! failing cache is only a miss. How entries are stored (gzip) and
//! identical misses at once: `cache_storage`.

use std::sync::atomic::Ordering;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::Role;
use pharmarec_http_api::app;
use serde_json::json;

use crate::helpers::{Fakes, send};

/// One medicine: an answer short enough to be stored as it is.
pub(crate) const ONE: &str = "/api/v1/medicines/OB-A000001-001";

fn cache_line(fakes: &Fakes, result: &str) -> String {
    let text = fakes.metrics.render().unwrap();
    let prefix = format!("pharmarec_cache_requests_total{{result=\"{result}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix).map(str::to_owned))
        .unwrap_or_else(|| "0".to_owned())
}

fn stored_entries(fakes: &Fakes) -> usize {
    fakes.cache.entries.lock().unwrap().len()
}

#[actix_web::test]
async fn a_hit_returns_the_same_body_with_its_own_request_id() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let page = "/api/v1/medicines?per_page=2&page=1";

    send(&app, TestRequest::get().uri(page)).await;
    let miss = send(&app, TestRequest::get().uri(page)).await;
    // The same query in another order is the same request.
    let hit = send(
        &app,
        TestRequest::get().uri("/api/v1/medicines?page=1&per_page=2"),
    )
    .await;

    assert_eq!(miss.header("x-cache"), Some("miss"));
    assert_eq!(hit.header("x-cache"), Some("hit"));
    assert_eq!(hit.status, StatusCode::OK);
    assert_eq!(hit.text, miss.text);
    assert_eq!(hit.header("content-type"), Some("application/json"));
    assert_ne!(hit.header("x-request-id"), miss.header("x-request-id"));
    assert_eq!(cache_line(&fakes, "hit"), "1");
    assert_eq!(cache_line(&fakes, "miss"), "2");
}

#[actix_web::test]
async fn an_answer_is_stored_from_its_second_sighting_on() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let ask = || {
        TestRequest::post()
            .uri("/api/v1/recommendations")
            .set_json(json!({"symptoms": "sneezing"}))
    };

    let first = send(&app, ask()).await;
    assert_eq!(first.header("x-cache"), Some("miss"));
    assert_eq!(stored_entries(&fakes), 0, "a one-off answer is not stored");
    send(&app, TestRequest::get().uri(ONE)).await;
    assert_eq!(stored_entries(&fakes), 0, "nor is another request's");

    let second = send(&app, ask()).await;
    assert_eq!(second.header("x-cache"), Some("miss"));
    assert_eq!(stored_entries(&fakes), 1);
    let third = send(&app, ask()).await;
    assert_eq!(third.header("x-cache"), Some("hit"));
    assert_eq!(third.text, first.text);
}

#[actix_web::test]
async fn an_update_invalidates_the_cache() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    for _ in 0..2 {
        send(&app, TestRequest::get().uri(ONE)).await;
    }
    assert_eq!(stored_entries(&fakes), 1);

    let update = send(
        &app,
        TestRequest::put()
            .uri(ONE)
            .insert_header(fakes.bearer(Role::Pharmacist))
            .set_json(json!({
                "brand_name": "Tylenol Extra", "ingredients": ["acetaminophen"], "strength": "500MG",
                "dose_form": "tablet", "route": "oral", "status": "otc"
            })),
    )
    .await;
    let after = send(&app, TestRequest::get().uri(ONE)).await;

    assert_eq!(update.status, StatusCode::OK, "{}", update.text);
    assert_eq!(fakes.cache.invalidations.load(Ordering::SeqCst), 1);
    assert_eq!(after.header("x-cache"), Some("miss"));
    assert_eq!(after.body["data"]["brand_name"], "Tylenol Extra");
}

#[actix_web::test]
async fn recommendations_are_keyed_on_the_body_and_what_the_caller_may_see() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let ask = |body: serde_json::Value| {
        TestRequest::post()
            .uri("/api/v1/recommendations")
            .set_json(body)
    };
    let rx = json!({"symptoms": "sneezing", "otc_only": false});

    send(&app, ask(rx.clone())).await;
    let anonymous = send(&app, ask(rx.clone())).await;
    let pharmacist = send(
        &app,
        ask(rx.clone()).insert_header(fakes.bearer(Role::Pharmacist)),
    )
    .await;
    let other_patient = send(
        &app,
        ask(json!({"otc_only": false, "symptoms": "sneezing", "patient": {"pregnant": true}})),
    )
    .await;
    // Same fields, different key order: the same request.
    let again = send(
        &app,
        ask(json!({"otc_only": false, "symptoms": "sneezing"})),
    )
    .await;

    assert_eq!(anonymous.header("x-cache"), Some("miss"));
    assert_eq!(
        pharmacist.header("x-cache"),
        Some("miss"),
        "prescription view is never shared"
    );
    assert_eq!(pharmacist.body["data"]["otc_only"], false);
    assert_eq!(
        other_patient.header("x-cache"),
        Some("miss"),
        "{}",
        other_patient.text
    );
    assert_eq!(again.header("x-cache"), Some("hit"));
    assert_eq!(again.text, anonymous.text);
}

#[actix_web::test]
async fn a_failing_cache_serves_uncached() {
    let fakes = Fakes::new();
    fakes.cache.failing.store(true, Ordering::SeqCst);
    let app = test::init_service(app(fakes.state())).await;

    let first = send(&app, TestRequest::get().uri(ONE)).await;
    let second = send(&app, TestRequest::get().uri(ONE)).await;

    for reply in [&first, &second] {
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("x-cache"), Some("miss"));
        assert_eq!(reply.body["data"]["id"], "OB-A000001-001");
    }
    assert_eq!(cache_line(&fakes, "error"), "2");
}

#[actix_web::test]
async fn bad_tokens_are_never_answered_from_the_cache() {
    let mut fakes = Fakes::new();
    fakes.config.auth.reads_require_auth = true;
    let app = test::init_service(app(fakes.state())).await;
    for _ in 0..2 {
        let viewer = fakes.bearer(Role::Viewer);
        send(&app, TestRequest::get().uri(ONE).insert_header(viewer)).await;
    }
    assert_eq!(stored_entries(&fakes), 1);

    let anonymous = send(&app, TestRequest::get().uri(ONE)).await;
    let forged = send(
        &app,
        TestRequest::get()
            .uri(ONE)
            .insert_header(("authorization", "Bearer x.y.z")),
    )
    .await;

    anonymous.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    forged.assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
}

/// Invalidation is declared in the route table: a write route that forgets the declaration, or a
/// read that makes one, fails here.
#[actix_web::test]
async fn every_successful_write_invalidates_once_and_nothing_else_does() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let admin = || fakes.bearer(Role::Admin);
    let invalidations = || fakes.cache.invalidations.load(Ordering::SeqCst);
    let medicine = json!({
        "brand_name": "Synthetic Gel", "ingredients": ["acetaminophen"], "strength": "1%",
        "dose_form": "gel", "route": "topical", "status": "otc"
    });

    let pharmacy = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/pharmacies")
            .insert_header(admin())
            .set_json(json!({"name": "Invalidating Pharmacy"})),
    )
    .await;
    let pharmacy = pharmacy.body["data"]["id"].as_str().unwrap().to_owned();
    let created = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/medicines")
            .insert_header(admin())
            .set_json(&medicine),
    )
    .await;
    let created = created.body["data"]["id"].as_str().unwrap().to_owned();
    let line = format!("/api/v1/pharmacies/{pharmacy}/stock/OB-A000001-001");
    let user = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/users")
            .insert_header(admin())
            .set_json(
                json!({"email": "inv@example.org", "password": crate::helpers::PASSWORD,
                "role": "viewer"}),
            ),
    )
    .await;
    let user = user.body["data"]["id"].as_str().unwrap().to_owned();
    let writes = [
        TestRequest::put()
            .uri(&format!("/api/v1/medicines/{created}"))
            .set_json(&medicine),
        TestRequest::delete().uri(&format!("/api/v1/medicines/{created}")),
        TestRequest::put()
            .uri(&line)
            .set_json(json!({"quantity": 5, "price_minor": 499, "currency": "EUR", "version": 0})),
        TestRequest::post()
            .uri(&format!("{line}/adjust"))
            .set_json(json!({"delta": -1, "reason": "sale"})),
        TestRequest::put()
            .uri(&format!("/api/v1/users/{user}"))
            .set_json(json!({"role": "viewer", "pharmacies": []})),
        TestRequest::post().uri(&format!("/api/v1/users/{user}/disable")),
    ];
    assert_eq!(invalidations(), 3, "pharmacy, medicine and user creation");
    for (done, write) in writes.into_iter().enumerate() {
        let reply = send(&app, write.insert_header(admin())).await;
        assert!(reply.status.is_success(), "{}", reply.text);
        assert_eq!(invalidations(), 4 + done, "{}", reply.text);
    }

    let before = invalidations();
    let refused = send(
        &app,
        TestRequest::put()
            .uri(&line)
            .insert_header(admin())
            .set_json(json!({"quantity": 5, "price_minor": 499, "currency": "EUR", "version": 0})),
    )
    .await;
    refused.assert_error(StatusCode::CONFLICT, "stale_version");
    send(&app, TestRequest::get().uri(ONE)).await;
    let body = json!({"symptoms": "headache"});
    send(
        &app,
        TestRequest::post()
            .uri("/api/v1/recommendations")
            .set_json(body),
    )
    .await;
    assert_eq!(invalidations(), before, "a refused write or a read");
}

#[actix_web::test]
async fn a_head_request_is_never_stored() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    for _ in 0..2 {
        let head = TestRequest::default().method(actix_web::http::Method::HEAD);
        send(&app, head.uri(ONE)).await;
    }
    let first = send(&app, TestRequest::get().uri(ONE)).await;
    let second = send(&app, TestRequest::get().uri(ONE)).await;

    // Had a `HEAD` been stored, or counted as a sighting, a `GET` would be a hit.
    assert_eq!(first.header("x-cache"), Some("miss"));
    assert_eq!(second.header("x-cache"), Some("miss"));
    assert_eq!(stored_entries(&fakes), 1);
}
