//! Every log line of a request carries its request id.

use std::io;
use std::sync::{Arc, Mutex};

use actix_web::test::{self, TestRequest};
use pharmarec_domain::Role;
use pharmarec_http_api::app;
use serde_json::json;

use crate::helpers::{Fakes, send};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[actix_web::test]
async fn handler_and_completion_logs_carry_the_incoming_request_id() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_writer(move || writer.clone())
        .finish();
    // Callsite interest is process-global and the tests run in parallel. While only one dispatcher
    // exists, tracing-core asks the *registering thread's* subscriber, so a sibling test running with
    // none caches "never" for the request span (a flake seen once the clinical tests added more
    // parallel requests). A second live dispatcher makes it ask every dispatcher, ours included;
    // the rebuild heals callsites registered before ours existed.
    let _second_dispatcher = tracing::Dispatch::new(tracing_subscriber::registry());
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    send(
        &app,
        TestRequest::post()
            .insert_header(fakes.bearer(Role::Admin))
            .uri("/api/v1/pharmacies")
            .insert_header(("x-request-id", "trace-me-1"))
            .set_json(json!({"name": "Logged"})),
    )
    .await;

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.iter().any(|l| l.contains("pharmacy created")),
        "{text}"
    );
    // The start time is only kept while this line is enabled; it must still carry the latency.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("request completed") && l.contains("latency_ms")),
        "{text}"
    );
    for line in lines {
        assert!(
            line.contains("trace-me-1"),
            "line without request id: {line}"
        );
    }
}
