//! The verifier alone, on requests built in the test: start-up checks, replay refusal, and `jku`
//! key sets served by a local https server whose certificate a throwaway CA made in the test signed
//! (trusted the way `interop.fhir_extra_ca_file` is). EHR key pairs are synthetic.

use std::sync::Mutex;

use actix_web::test::TestRequest;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{EncodingKey, get_current_timestamp};
use rcgen::{KeyPair, PKCS_ECDSA_P384_SHA384};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

const BASE: &str = "https://pharmarec.synthetic.test";
const EHR: &str = "https://ehr.synthetic.test";
const SERVICE: &str = "pharmarec-order-select";

fn issuer(algorithm: &str) -> TrustedIssuer {
    TrustedIssuer {
        iss: EHR.into(),
        key_file: Some(PathBuf::from("/nonexistent/synthetic-key.pem")),
        jku_allowlist: Vec::new(),
        algorithm: algorithm.into(),
    }
}

fn public_roots() -> Arc<rustls::ClientConfig> {
    Arc::new(crate::tls::client_config(None).unwrap())
}

#[test]
fn setup_refuses_what_cannot_be_verified() {
    let base = Some(BASE);
    let tls = public_roots();
    let setup = |issuer: TrustedIssuer| CdsAuth::new(base, &[issuer], &tls, None).unwrap_err();
    // The spec requires ES384 or RS384; a shared-secret algorithm would let anyone sign.
    let error = setup(issuer("HS256"));
    assert!(error.to_string().contains("ES384 or RS384"), "{error}");
    let error = CdsAuth::new(None, &[issuer("ES384")], &tls, None).unwrap_err();
    assert!(error.to_string().contains("cds_public_base_url"), "{error}");
    let error = setup(issuer("ES384"));
    assert!(error.to_string().contains("synthetic-key.pem"), "{error}");
    // Keys fetched over plain http could be swapped on the way.
    let error = setup(TrustedIssuer {
        key_file: None,
        jku_allowlist: vec!["http://ehr.synthetic.test/jwks".into()],
        ..issuer("ES384")
    });
    assert!(error.to_string().contains("not an https URL"), "{error}");
    let error = setup(TrustedIssuer {
        key_file: None,
        ..issuer("ES384")
    });
    assert!(error.to_string().contains("jku_allowlist"), "{error}");
    assert!(
        CdsAuth::new(None, &[], &tls, None)
            .unwrap()
            .issuers
            .is_empty()
    );
}

/// A synthetic EHR signing key and its public JWK under `kid`.
fn ehr_key(kid: &str) -> (EncodingKey, Jwk) {
    let pair = KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384).unwrap();
    let signing = EncodingKey::from_ec_pem(pair.serialize_pem().as_bytes()).unwrap();
    let mut jwk = Jwk::from_encoding_key(&signing, Algorithm::ES384).unwrap();
    jwk.common.key_id = Some(kid.to_string());
    (signing, jwk)
}

/// A token as the spec describes it, with header `kid` and `jku`, and `changes` to the claims.
fn token(key: &EncodingKey, kid: &str, jku: Option<&str>, changes: &Value) -> String {
    let now = get_current_timestamp();
    let mut claims = json!({
        "iss": EHR, "sub": "synthetic-client", "aud": format!("{BASE}/cds-services/{SERVICE}"),
        "exp": now + 300, "iat": now, "jti": uuid::Uuid::new_v4().to_string(),
    });
    for (name, value) in changes.as_object().unwrap() {
        claims[name] = value.clone();
    }
    let mut header = Header::new(Algorithm::ES384);
    header.kid = Some(kid.to_string());
    header.jku = jku.map(str::to_string);
    jsonwebtoken::encode(&header, &claims, key).unwrap()
}

async fn verify(auth: &CdsAuth, token: &str) -> Result<(), ApiError> {
    let request = TestRequest::default()
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_http_request();
    auth.verify(&request, SERVICE).await
}

#[actix_web::test]
async fn a_token_is_accepted_once_and_only_with_a_short_lifetime() {
    let (signing, jwk) = ehr_key("k1");
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("synthetic-ehr.jwks");
    std::fs::write(&key_file, json!({ "keys": [jwk] }).to_string()).unwrap();
    let trusted = TrustedIssuer {
        key_file: Some(key_file),
        ..issuer("ES384")
    };
    let auth = CdsAuth::new(Some(BASE), &[trusted], &public_roots(), None).unwrap();

    let once = token(&signing, "k1", None, &json!({}));
    assert!(verify(&auth, &once).await.is_ok());
    let replayed = verify(&auth, &once).await;
    assert!(
        matches!(replayed, Err(ApiError::InvalidToken)),
        "{replayed:?}"
    );
    assert!(
        verify(&auth, &token(&signing, "k1", None, &json!({})))
            .await
            .is_ok()
    );

    // An hour-long token would have to be remembered for an hour: refused.
    let long = token(
        &signing,
        "k1",
        None,
        &json!({"exp": get_current_timestamp() + 3600}),
    );
    assert!(matches!(
        verify(&auth, &long).await,
        Err(ApiError::InvalidToken)
    ));
}

/// A local https server answering every request with the current `body`; counts the requests.
struct JwksServer {
    url: String,
    body: Arc<Mutex<String>>,
    requests: Arc<Mutex<usize>>,
    tls: Arc<rustls::ClientConfig>,
    _dir: tempfile::TempDir,
}

impl JwksServer {
    async fn start(keys: &[&Jwk]) -> Self {
        let (ca_pem, acceptor) = pharmarec_test_support::tls::test_ca_and_acceptor();
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("test-only-ca.pem");
        std::fs::write(&ca_file, ca_pem).unwrap();

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let body = Arc::new(Mutex::new(String::new()));
        let requests = Arc::new(Mutex::new(0));
        let (served, counted) = (body.clone(), requests.clone());
        actix_web::rt::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    continue;
                };
                let mut head = Vec::new();
                let mut buffer = [0_u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                *counted.lock().unwrap() += 1;
                let body = served.lock().unwrap().clone();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            }
        });
        let server = Self {
            url: format!("https://localhost:{port}/jwks"),
            body,
            requests,
            tls: Arc::new(crate::tls::client_config(Some(&ca_file)).unwrap()),
            _dir: dir,
        };
        server.publish(keys);
        server
    }

    fn publish(&self, keys: &[&Jwk]) {
        *self.body.lock().unwrap() = json!({ "keys": keys }).to_string();
    }

    fn requests(&self) -> usize {
        *self.requests.lock().unwrap()
    }

    /// A verifier trusting `EHR` through this server's URL only.
    fn auth(&self) -> CdsAuth {
        let trusted = TrustedIssuer {
            key_file: None,
            jku_allowlist: vec![self.url.clone()],
            ..issuer("ES384")
        };
        CdsAuth::new(Some(BASE), &[trusted], &self.tls, None).unwrap()
    }
}

#[actix_web::test]
async fn keys_come_from_an_allow_listed_jku_only_and_are_cached() {
    let (signing, jwk) = ehr_key("k1");
    let server = JwksServer::start(&[&jwk]).await;
    let auth = server.auth();

    // The same server under a URL not on the allow-list: refused, and never fetched.
    let elsewhere = server.url.replace("/jwks", "/attacker-jwks");
    let result = verify(&auth, &token(&signing, "k1", Some(&elsewhere), &json!({}))).await;
    assert!(matches!(result, Err(ApiError::InvalidToken)), "{result:?}");
    // Without a jku, this issuer has no key at all.
    let result = verify(&auth, &token(&signing, "k1", None, &json!({}))).await;
    assert!(matches!(result, Err(ApiError::InvalidToken)), "{result:?}");
    assert_eq!(server.requests(), 0);

    let jku = Some(server.url.as_str());
    let result = verify(&auth, &token(&signing, "k1", jku, &json!({}))).await;
    assert!(result.is_ok(), "{result:?}");
    let result = verify(&auth, &token(&signing, "k1", jku, &json!({}))).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.requests(), 1, "the key set is cached");

    // Another key claiming the published kid does not verify.
    let (forger, _) = ehr_key("k1");
    let result = verify(&auth, &token(&forger, "k1", jku, &json!({}))).await;
    assert!(matches!(result, Err(ApiError::InvalidToken)), "{result:?}");
}

#[actix_web::test]
async fn an_unknown_kid_refetches_the_key_set_once() {
    let (old, old_jwk) = ehr_key("old");
    let (new, new_jwk) = ehr_key("new");
    let server = JwksServer::start(&[&old_jwk]).await;
    let auth = server.auth();
    let jku = Some(server.url.as_str());
    assert!(
        verify(&auth, &token(&old, "old", jku, &json!({})))
            .await
            .is_ok()
    );
    assert_eq!(server.requests(), 1);

    // The EHR rotates its key: the cached set lacks "new", so it is fetched again.
    server.publish(&[&new_jwk]);
    let result = verify(&auth, &token(&new, "new", jku, &json!({}))).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.requests(), 2);

    // Another unknown kid right after: no second refetch within the cooldown.
    let (other, _) = ehr_key("other");
    let result = verify(&auth, &token(&other, "other", jku, &json!({}))).await;
    assert!(matches!(result, Err(ApiError::InvalidToken)), "{result:?}");
    assert_eq!(server.requests(), 2);
}

#[actix_web::test]
async fn an_unreachable_key_set_is_a_dependency_failure_not_a_bad_token() {
    let (signing, _) = ehr_key("k1");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("https://localhost:{port}/jwks");
    let trusted = TrustedIssuer {
        key_file: None,
        jku_allowlist: vec![url.clone()],
        ..issuer("ES384")
    };
    let auth = CdsAuth::new(Some(BASE), &[trusted], &public_roots(), None).unwrap();
    let result = verify(&auth, &token(&signing, "k1", Some(&url), &json!({}))).await;
    assert!(
        matches!(result, Err(ApiError::Unavailable(_))),
        "{result:?}"
    );
}
