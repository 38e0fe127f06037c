//! How the response cache stores entries: answers of 1 KiB and more gzipped, sent as stored to gzip
//! clients and inflated for others, shorter ones as they are; identical misses at once are computed
//! once, and stored (a follower is a second sighting).

// Each test asks its request once before it looks at storing: a first sighting is never stored.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::web::Bytes;
use async_trait::async_trait;
use pharmarec_domain::ports::{MedicineQuery, MedicineRepository, ResponseCache};
use pharmarec_domain::{
    AuditContext, DomainError, Ingredient, Medicine, MedicineId, NewMedicine, Page, PageRequest,
};
use pharmarec_http_api::app;
use pharmarec_test_support::fakes::FakeCache;
use serde_json::json;
use tokio::sync::Notify;

use crate::cache::ONE;
use crate::helpers::{Fakes, send};

/// A page of medicines: an answer long enough to be stored gzipped.
const PAGE: &str = "/api/v1/medicines?per_page=10";

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
    send(&app, TestRequest::get().uri(PAGE)).await;
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
    send(&app, TestRequest::get().uri(PAGE)).await;

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
    send(&app, TestRequest::get().uri(PAGE)).await;
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
    send(&app, TestRequest::get().uri(ONE)).await;

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

    send(&app, ask()).await;
    // Polled in order: the first stops in its `put`, the second finds it under way, then the gate opens.
    let (first, second, ()) = tokio::join!(send(&app, ask()), send(&app, ask()), async {
        cache.gate.notify_one();
    });

    assert_eq!(first.header("x-cache"), Some("miss"));
    assert_eq!(second.header("x-cache"), Some("hit"), "{}", second.text);
    assert_eq!(second.text, first.text);
    assert_eq!(cache.puts.load(Ordering::SeqCst), 1);
}

/// A catalogue whose first `get` waits until the test opens the gate, so a second identical request
/// arrives while the first is still in its handler.
struct GatedCatalogue {
    inner: Arc<dyn MedicineRepository>,
    gate: Notify,
    gets: AtomicUsize,
}

#[async_trait]
impl MedicineRepository for GatedCatalogue {
    async fn get(&self, id: &MedicineId) -> Result<Medicine, DomainError> {
        if self.gets.fetch_add(1, Ordering::SeqCst) == 0 {
            self.gate.notified().await;
        }
        self.inner.get(id).await
    }

    async fn search(&self, query: &MedicineQuery) -> Result<Page<Medicine>, DomainError> {
        self.inner.search(query).await
    }

    async fn ingredients(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Ingredient>, DomainError> {
        self.inner.ingredients(text, page).await
    }

    async fn conditions(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<String>, DomainError> {
        self.inner.conditions(text, page).await
    }

    async fn create(&self, new: NewMedicine, ctx: &AuditContext) -> Result<Medicine, DomainError> {
        self.inner.create(new, ctx).await
    }

    async fn update(
        &self,
        id: &MedicineId,
        new: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError> {
        self.inner.update(id, new, ctx).await
    }

    async fn delete(&self, id: &MedicineId, ctx: &AuditContext) -> Result<(), DomainError> {
        self.inner.delete(id, ctx).await
    }
}

#[actix_web::test]
async fn a_first_sighting_that_others_waited_for_is_stored() {
    let fakes = Fakes::new();
    let mut state = fakes.state();
    let catalogue = Arc::new(GatedCatalogue {
        inner: state.medicines.clone(),
        gate: Notify::new(),
        gets: AtomicUsize::new(0),
    });
    state.medicines = catalogue.clone();
    let app = test::init_service(app(state)).await;

    // Polled in order: the first stops in its handler, the second waits for it, then the gate opens.
    let (first, second, ()) = tokio::join!(
        send(&app, TestRequest::get().uri(ONE)),
        send(&app, TestRequest::get().uri(ONE)),
        async { catalogue.gate.notify_one() }
    );

    assert_eq!(first.header("x-cache"), Some("miss"));
    assert_eq!(second.header("x-cache"), Some("hit"), "{}", second.text);
    assert_eq!(catalogue.gets.load(Ordering::SeqCst), 1);
    assert_eq!(stored_entries(&fakes), [first.text.as_bytes()]);
}
