//! The CDS client's JWT, end to end: with a trusted issuer configured, a call needs a token of that
//! issuer, signed ES384 with its key, for this service's URL and not expired. The EHR's key pair is
//! synthetic, generated for the test.

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rcgen::{KeyPair, PKCS_ECDSA_P384_SHA384};
use serde_json::{Value, json};

use super::{SELECT, SIGN, example};
use crate::helpers::{Reply, TestApp, fresh_databases, settings_for};

const BASE: &str = "https://pharmarec.synthetic.test";
const EHR: &str = "https://ehr.synthetic.test";

/// A synthetic EHR: its signing key, and an app that trusts its public key, as a PEM file or, with
/// `kid`, as a JWKS holding that key id.
struct Trusted {
    app: TestApp,
    signing: EncodingKey,
    _dir: tempfile::TempDir,
}

async fn app_trusting_a_synthetic_ehr(
    database: &crate::helpers::TestDatabase,
    kid: Option<&str>,
) -> Trusted {
    let pair = KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384).unwrap();
    let signing = EncodingKey::from_ec_pem(pair.serialize_pem().as_bytes()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("synthetic-ehr-keys");
    let published = match kid {
        None => pair.public_key_pem(),
        Some(kid) => {
            let mut jwk = Jwk::from_encoding_key(&signing, Algorithm::ES384).unwrap();
            jwk.common.key_id = Some(kid.to_string());
            json!({ "keys": [jwk] }).to_string()
        }
    };
    std::fs::write(&key_file, published).unwrap();
    let mut settings = settings_for(database.url());
    settings.interop.cds_public_base_url = Some(BASE.to_string());
    settings.interop.cds_trusted_issuers = vec![pharmarec_interop::TrustedIssuer {
        iss: EHR.to_string(),
        key_file: Some(key_file),
        jku_allowlist: Vec::new(),
        algorithm: "ES384".to_string(),
    }];
    Trusted {
        app: TestApp::spawn_with(settings, database.backend()).await,
        signing,
        _dir: dir,
    }
}

fn now() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since_epoch.as_secs()).unwrap()
}

/// A token as the spec describes it, with `changes` applied to the claims.
fn token(key: &EncodingKey, changes: Value) -> String {
    token_with_kid(key, None, changes)
}

fn token_with_kid(key: &EncodingKey, kid: Option<&str>, changes: Value) -> String {
    let now = now();
    let mut claims = serde_json::Map::new();
    for (name, value) in [
        ("iss", json!(EHR)),
        ("sub", json!("synthetic-client")),
        ("aud", json!(format!("{BASE}{SELECT}"))),
        ("exp", json!(now + 300)),
        ("iat", json!(now)),
        ("jti", json!(uuid::Uuid::new_v4().to_string())),
    ] {
        claims.insert(name.to_string(), value);
    }
    let Value::Object(changes) = changes else {
        panic!("changes must be an object");
    };
    for (name, value) in changes {
        // `null` removes a claim.
        match value {
            Value::Null => claims.remove(&name),
            value => claims.insert(name, value),
        };
    }
    let mut header = Header::new(Algorithm::ES384);
    header.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&header, &claims, key).unwrap()
}

async fn call(app: &TestApp, path: &str, token: Option<&str>) -> Reply {
    let mut request = example("no-prefetch.request.json");
    request["hookInstance"] = json!(uuid::Uuid::new_v4().to_string());
    if path == SIGN {
        request["hook"] = json!("order-sign");
        request["context"]
            .as_object_mut()
            .unwrap()
            .remove("selections");
    }
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .as_deref()
        .map(|b| vec![("Authorization", b)])
        .unwrap_or_default();
    app.request("POST", path, Some(&request.to_string()), &headers)
        .await
}

#[actix_web::test]
async fn with_a_trusted_issuer_only_its_valid_tokens_for_this_service_are_accepted() {
    let database = fresh_databases().remove(0);
    let ehr = app_trusting_a_synthetic_ehr(&database, None).await;
    let (app, key) = (&ehr.app, &ehr.signing);

    let valid = token(key, json!({}));
    let reply = call(app, SELECT, Some(&valid)).await;
    assert_eq!(reply.status, 200, "a valid token: {}", reply.text);
    // The same token again (same jti) is a replay.
    call(app, SELECT, Some(&valid))
        .await
        .assert_error(401, "invalid_token");

    call(app, SELECT, None)
        .await
        .assert_error(401, "unauthenticated");

    // A token for order-sign is not accepted by order-select (aud = the service URL).
    let for_sign = token(key, json!({"aud": format!("{BASE}{SIGN}")}));
    call(app, SELECT, Some(&for_sign))
        .await
        .assert_error(401, "invalid_token");
    let reply = call(app, SIGN, Some(&for_sign)).await;
    assert_eq!(
        reply.status, 200,
        "the same token at its own service: {}",
        reply.text
    );

    let now = now();
    let expired = token(key, json!({"exp": now - 3600, "iat": now - 7200}));
    call(app, SELECT, Some(&expired))
        .await
        .assert_error(401, "token_expired");

    let unknown_issuer = token(key, json!({"iss": "https://other-ehr.synthetic.test"}));
    call(app, SELECT, Some(&unknown_issuer))
        .await
        .assert_error(401, "invalid_token");

    // Signed by another key under the trusted issuer's name.
    let other = KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384).unwrap();
    let forged = token(
        &EncodingKey::from_ec_pem(other.serialize_pem().as_bytes()).unwrap(),
        json!({}),
    );
    call(app, SELECT, Some(&forged))
        .await
        .assert_error(401, "invalid_token");

    // The spec's required `jti` is required.
    let without_jti = token(key, json!({"jti": null}));
    call(app, SELECT, Some(&without_jti))
        .await
        .assert_error(401, "invalid_token");

    // Feedback is checked the same way; discovery stays open (it holds no patient data).
    let feedback = example("feedback-overridden.json");
    app.send_json("POST", &format!("{SELECT}/feedback"), &feedback)
        .await
        .assert_error(401, "unauthenticated");
    let discovery = app.request("GET", "/cds-services", None, &[]).await;
    assert_eq!(discovery.status, 200, "{}", discovery.text);
}

#[actix_web::test]
async fn a_jwks_key_is_chosen_by_the_tokens_kid() {
    let database = fresh_databases().remove(0);
    let ehr = app_trusting_a_synthetic_ehr(&database, Some("ehr-key-1")).await;
    let (app, key) = (&ehr.app, &ehr.signing);
    let reply = call(
        app,
        SELECT,
        Some(&token_with_kid(key, Some("ehr-key-1"), json!({}))),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let unknown_kid = token_with_kid(key, Some("ehr-key-2"), json!({}));
    call(app, SELECT, Some(&unknown_kid))
        .await
        .assert_error(401, "invalid_token");
}
