//! OTLP trace export, end to end: the real binary, configured with one variable, sends its request
//! spans to an OTLP/HTTP receiver this test runs, with the request id and without patient data.
//!
//! The binary runs as a child process because the tracing subscriber is process-global: installing
//! the exporter inside this test binary would change logging for every other test.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use serde_json::json;

use crate::helpers::TestApp;

/// Everything the receiver was sent: decoded requests and the raw bodies.
#[derive(Default)]
struct Received {
    requests: Vec<ExportTraceServiceRequest>,
    raw: Vec<u8>,
}

/// Starts an OTLP/HTTP receiver on a free port and returns the port.
fn start_receiver(received: Arc<Mutex<Received>>) -> u16 {
    let server = HttpServer::new(move || {
        let received = received.clone();
        App::new()
            .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
            .route(
                "/v1/traces",
                web::post().to(move |body: web::Bytes| {
                    let received = received.clone();
                    async move {
                        let Ok(request) = ExportTraceServiceRequest::decode(body.as_ref()) else {
                            return HttpResponse::BadRequest().finish();
                        };
                        let mut received = received.lock().unwrap();
                        received.raw.extend_from_slice(&body);
                        received.requests.push(request);
                        HttpResponse::Ok()
                            .content_type("application/x-protobuf")
                            .finish()
                    }
                }),
            )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    actix_web::rt::spawn(server.run());
    port
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn text(value: Option<&AnyValue>) -> Option<&str> {
    match value?.value.as_ref()? {
        any_value::Value::StringValue(text) => Some(text),
        _ => None,
    }
}

fn attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| text(kv.value.as_ref()))
}

/// Sends SIGTERM and waits for a clean exit (which flushes the exporter).
async fn stop(mut server: Child) {
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for _ in 0..120 {
        if let Some(status) = server.try_wait().unwrap() {
            assert!(status.success(), "graceful shutdown exits 0, got {status}");
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
    let _ = server.kill();
    panic!("the server did not stop after SIGTERM");
}

#[actix_web::test]
async fn request_spans_reach_an_otlp_endpoint_with_the_request_id_and_no_patient_data() {
    let received = Arc::new(Mutex::new(Received::default()));
    let receiver = start_receiver(received.clone());
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Command::new(env!("CARGO_BIN_EXE_pharmarec"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .current_dir(dir.path())
        .env_clear()
        .env(
            "PHARMAREC_TELEMETRY__OTLP_ENDPOINT",
            format!("http://127.0.0.1:{receiver}"),
        )
        .env("PHARMAREC_LOG__FILTER", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let app = TestApp::at_port(port, "sqlite");
    let probe = awc::Client::default();
    let health = format!("http://127.0.0.1:{port}/health");
    let mut ready = false;
    for _ in 0..240 {
        // Refused until the first start has migrated and imported the catalogue.
        if probe
            .get(&health)
            .send()
            .await
            .is_ok_and(|reply| reply.status().is_success())
        {
            ready = true;
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
    if !ready {
        let mut server = server;
        let _ = server.kill();
        panic!("the server never answered /health");
    }

    let request_id = format!("otlp-e2e-{}", uuid::Uuid::new_v4().simple());
    // Patient data that must never leave the process: a marker symptom, an age and an allergy.
    let body = json!({
        "symptoms": "fever zqxjkv",
        "patient": {"age": 73, "allergies": ["sulfonamide"]}
    });
    let reply = app
        .request(
            "POST",
            "/api/v1/recommendations",
            Some(&body.to_string()),
            &[("x-request-id", request_id.as_str())],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let missing = app.get("/api/v1/medicines/NO-SUCH-MEDICINE").await;
    assert_eq!(missing.status, 404);
    stop(server).await;

    let received = received.lock().unwrap();
    let spans: Vec<&Span> = received
        .requests
        .iter()
        .flat_map(|r| &r.resource_spans)
        .flat_map(|r| &r.scope_spans)
        .flat_map(|s| &s.spans)
        .collect();
    let request_span = spans
        .iter()
        .find(|span| attribute(&span.attributes, "request_id") == Some(request_id.as_str()))
        .unwrap_or_else(|| {
            panic!(
                "no span with request id {request_id} in {} spans",
                spans.len()
            )
        });
    assert_eq!(
        attribute(&request_span.attributes, "http.route"),
        Some("/api/v1/recommendations")
    );
    let service = received.requests[0].resource_spans[0]
        .resource
        .as_ref()
        .and_then(|r| attribute(&r.attributes, "service.name"));
    assert_eq!(service, Some("pharmarec"));
    let not_found = spans
        .iter()
        .any(|span| attribute(&span.attributes, "http.route") == Some("/api/v1/medicines/{id}"));
    assert!(not_found, "the 404 request's span was not exported");

    let raw = String::from_utf8_lossy(&received.raw);
    for patient_data in ["zqxjkv", "sulfonamide", "symptoms", "allergies", "\"age\""] {
        assert!(!raw.contains(patient_data), "{patient_data} was exported");
    }
    let keys: Vec<&str> = spans
        .iter()
        .flat_map(|span| &span.attributes)
        .map(|kv| kv.key.as_str())
        .collect();
    assert!(
        !keys
            .iter()
            .any(|key| ["age", "patient", "symptoms"].contains(key)),
        "{keys:?}"
    );
}
