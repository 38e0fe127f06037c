//! The response cache: hits are byte-identical with `X-Cache: hit`, keys separate what callers may
//! see, writes invalidate, and a failing cache is only a miss. Entries of 1 KiB and more are stored
//! gzipped and sent as stored to gzip clients; identical misses at once are computed once.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::web::Bytes;
use async_trait::async_trait;
use pharmarec_domain::ports::ResponseCache;
use pharmarec_domain::{DomainError, Role};
use pharmarec_http_api::app;
use pharmarec_test_support::fakes::FakeCache;
use serde_json::json;
use tokio::sync::Notify;

use crate::helpers::{Fakes, send};

const ONE: &str = "/api/v1/medicines/OB-A000001-001";
/// A page of medicines: an answer long enough to be stored gzipped.
const PAGE: &str = "/api/v1/medicines?per_page=10";

fn cache_line(fakes: &Fakes, result: &str) -> String {
    let text = fakes.metrics.render().unwrap();
    let prefix = format!("pharmarec_cache_requests_total{{result=\"{result}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix).map(str::to_owned))
        .unwrap_or_else(|| "0".to_owned())
}

#[actix_web::test]
async fn a_hit_returns_the_same_body_with_its_own_request_id() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let miss = send(
        &app,
        TestRequest::get().uri("/api/v1/medicines?per_page=2&page=1"),
    )
    .await;
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
    assert_eq!(cache_line(&fakes, "miss"), "1");
}

#[actix_web::test]
async fn an_update_invalidates_the_cache() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    send(&app, TestRequest::get().uri(ONE)).await;

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
    let viewer = fakes.bearer(Role::Viewer);
    send(&app, TestRequest::get().uri(ONE).insert_header(viewer)).await;

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

    send(
        &app,
        TestRequest::default()
            .method(actix_web::http::Method::HEAD)
            .uri(ONE),
    )
    .await;
    let get = send(&app, TestRequest::get().uri(ONE)).await;

    assert_eq!(get.header("x-cache"), Some("miss"));
    assert!(fakes.cache.entries.lock().unwrap().len() == 1);
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn stored_entries(fakes: &Fakes) -> Vec<Vec<u8>> {
    fakes
        .cache
        .entries
        .lock()
        .unwrap()
        .values()
        .cloned()
        .collect()
}

/// Status, headers and raw body bytes (`send` decodes the body as text, which gzip is not).
async fn send_raw<S, B>(
    app: &S,
    request: TestRequest,
) -> (actix_web::http::header::HeaderMap, Bytes)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let response = test::call_service(app, request.to_request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    (headers, test::read_body(response).await)
}

#[actix_web::test]
async fn entries_are_stored_gzipped_and_sent_as_stored_to_gzip_clients() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let miss = send(&app, TestRequest::get().uri(PAGE)).await;
    let stored = stored_entries(&fakes);
    let (headers, body) = send_raw(
        &app,
        TestRequest::get()
            .uri(PAGE)
            .insert_header(("accept-encoding", "gzip, deflate")),
    )
    .await;

    assert!(miss.text.len() >= 1024, "{} bytes", miss.text.len());
    assert_eq!(miss.header("content-encoding"), None);
    assert_eq!(stored.len(), 1);
    assert_eq!(gunzip(&stored[0]), miss.text);
    assert_eq!(headers.get("x-cache").unwrap(), "hit");
    assert_eq!(headers.get("content-encoding").unwrap(), "gzip");
    assert!(
        headers
            .get_all("vary")
            .any(|v| v.to_str().unwrap().contains("accept-encoding")),
        "{headers:?}"
    );
    assert_eq!(body, stored[0], "sent as stored, not compressed again");
}

#[actix_web::test]
async fn a_miss_is_gzipped_once_for_a_gzip_client_and_a_hit_inflated_for_another() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (headers, body) = send_raw(
        &app,
        TestRequest::get()
            .uri(PAGE)
            .insert_header(("accept-encoding", "gzip")),
    )
    .await;
    let plain = send(&app, TestRequest::get().uri(PAGE)).await;
    let deflate = send(
        &app,
        TestRequest::get()
            .uri(PAGE)
            .insert_header(("accept-encoding", "deflate")),
    )
    .await;

    assert_eq!(headers.get("x-cache").unwrap(), "miss");
    assert_eq!(headers.get_all("content-encoding").count(), 1);
    assert_eq!(gunzip(&body), plain.text);
    assert_eq!(plain.header("x-cache"), Some("hit"));
    assert_eq!(plain.header("content-encoding"), None);
    assert!(plain.body["data"].is_array(), "{}", plain.text);
    // Inflated by the cache, then deflated by `Compress` as the client asked.
    assert_eq!(deflate.header("x-cache"), Some("hit"));
    assert_eq!(deflate.header("content-encoding"), Some("deflate"));
}

#[actix_web::test]
async fn an_entry_that_does_not_inflate_is_a_miss() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let first = send(&app, TestRequest::get().uri(PAGE)).await;
    for entry in fakes.cache.entries.lock().unwrap().values_mut() {
        entry.truncate(entry.len() / 2);
    }

    let again = send(&app, TestRequest::get().uri(PAGE)).await;

    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.header("x-cache"), Some("miss"));
    assert_eq!(again.text, first.text);
    assert_eq!(gunzip(&stored_entries(&fakes)[0]), first.text, "replaced");
}

#[actix_web::test]
async fn a_short_answer_is_stored_as_it_is() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let miss = send(&app, TestRequest::get().uri(ONE)).await;
    let hit = send(
        &app,
        TestRequest::get()
            .uri(ONE)
            .insert_header(("accept-encoding", "gzip")),
    )
    .await;

    assert!(miss.text.len() < 1024, "{} bytes", miss.text.len());
    assert_eq!(stored_entries(&fakes), [miss.text.as_bytes()]);
    assert_eq!(hit.header("x-cache"), Some("hit"));
    // Compressed by `Compress`, as any answer to a gzip client.
    assert_eq!(hit.header("content-encoding"), Some("gzip"));
}

/// A cache whose first `put` waits until the test opens the gate, so a second identical request
/// arrives while the first is still storing its answer.
struct GatedCache {
    inner: Arc<FakeCache>,
    gate: Notify,
    puts: AtomicUsize,
}

#[async_trait]
impl ResponseCache for GatedCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, DomainError> {
        self.inner.get(key).await
    }

    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), DomainError> {
        if self.puts.fetch_add(1, Ordering::SeqCst) == 0 {
            self.gate.notified().await;
        }
        self.inner.put(key, value, ttl).await
    }

    async fn invalidate(&self) -> Result<(), DomainError> {
        self.inner.invalidate().await
    }
}

#[actix_web::test]
async fn identical_misses_at_once_are_computed_once() {
    let fakes = Fakes::new();
    let cache = Arc::new(GatedCache {
        inner: fakes.cache.clone(),
        gate: Notify::new(),
        puts: AtomicUsize::new(0),
    });
    let mut state = fakes.state();
    state.cache = cache.clone();
    let app = test::init_service(app(state)).await;
    let ask = || {
        TestRequest::post()
            .uri("/api/v1/recommendations")
            .set_json(json!({"symptoms": "sneezing"}))
    };

    // Polled in order: the first stops in its `put`, the second finds it under way, then the gate opens.
    let (first, second, ()) = tokio::join!(send(&app, ask()), send(&app, ask()), async {
        cache.gate.notify_one();
    });

    assert_eq!(first.header("x-cache"), Some("miss"));
    assert_eq!(second.header("x-cache"), Some("hit"), "{}", second.text);
    assert_eq!(second.text, first.text);
    assert_eq!(cache.puts.load(Ordering::SeqCst), 1);
}
