//! The FHIR-server fetch over `https`: a local stub server with a certificate from a throwaway CA
//! made in the test (test-only, never written outside a temp dir). Trusted through
//! `interop.fhir_extra_ca_file`, the fetch succeeds; without it, verification refuses the server
//! and the checks are reported as not run.

use std::sync::{Arc, Mutex};

use pharmarec_test_support::tls::test_ca_and_acceptor;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{
    SELECT, assert_fetched_with_the_token, assert_not_fetched, stub_answer, with_fhir_server,
};
use crate::helpers::{TestApp, fresh_databases, settings_for};

/// An https FHIR stub on `localhost`; one request per connection. Returns its base URL and the
/// `Authorization` headers it saw.
async fn https_stub(acceptor: tokio_rustls::TlsAcceptor) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorded = seen.clone();
    actix_web::rt::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let recorded = recorded.clone();
            actix_web::rt::spawn(async move {
                // A refused handshake (the untrusted-CA case) just ends this connection.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buffer = [0_u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).to_string();
                let path = head.split(' ').nth(1).unwrap_or("/");
                let path = path.split('?').next().unwrap_or(path);
                let auth = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("authorization")
                            .then(|| value.trim())
                    })
                    .unwrap_or_default();
                recorded.lock().unwrap().push(auth.to_string());
                let body = stub_answer(path).to_string();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/fhir+json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://localhost:{port}/fhir"), seen)
}

#[actix_web::test]
async fn an_https_fhir_server_is_fetched_when_its_ca_is_trusted_and_refused_otherwise() {
    let (ca_pem, acceptor) = test_ca_and_acceptor();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("test-only-ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let database = fresh_databases().remove(0);
    let (server, seen) = https_stub(acceptor).await;

    let mut settings = settings_for(database.url());
    settings.interop.fhir_extra_ca_file = Some(ca_file);
    let trusting = TestApp::spawn_with(settings, database.backend()).await;
    let reply = trusting
        .send_json("POST", SELECT, &with_fhir_server(&server))
        .await;
    assert_fetched_with_the_token(&reply, &seen);

    // The default trust (public roots only) refuses the test CA's certificate.
    let default_trust = TestApp::spawn_with(settings_for(database.url()), database.backend()).await;
    let reply = default_trust
        .send_json("POST", SELECT, &with_fhir_server(&server))
        .await;
    assert_not_fetched(&reply);
}
