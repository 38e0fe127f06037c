//! The replay record: in process (always), and shared through Redis at `REDIS_URL` (skipped, with a
//! message, when unset). Redis keys use a unique prefix and expire within seconds.

use std::net::TcpListener;

use pharmarec_test_support::report_skip;

use super::*;

const ISS: &str = "https://ehr.synthetic.test";
const MINUTE: Duration = Duration::from_secs(60);

fn is_invalid_token(result: &Result<(), ApiError>) -> bool {
    matches!(result, Err(ApiError::InvalidToken))
}

#[actix_web::test]
async fn a_used_jti_is_refused_until_forgotten_and_per_issuer() {
    let guard = ReplayGuard::new(None).unwrap();
    assert!(guard.first_use(ISS, "jti-1", MINUTE).await.is_ok());
    assert!(is_invalid_token(
        &guard.first_use(ISS, "jti-1", MINUTE).await
    ));
    // Another issuer's nonce space is its own.
    assert!(
        guard
            .first_use("https://other.synthetic.test", "jti-1", MINUTE)
            .await
            .is_ok()
    );
    // A jti that could not be a nonce of reasonable size is refused outright.
    let long = "x".repeat(MAX_JTI_BYTES + 1);
    assert!(is_invalid_token(&guard.first_use(ISS, &long, MINUTE).await));
}

#[test]
fn an_entry_expires_with_its_token_and_a_full_record_refuses_instead_of_evicting() {
    let mut seen = Seen::default();
    let start = Instant::now();
    assert!(seen.record("early", start + MINUTE, start).is_ok());
    for i in 1..MAX_ENTRIES {
        seen.record(&i.to_string(), start + 5 * MINUTE, start)
            .unwrap();
    }
    let full = seen.record("new", start + MINUTE, start + Duration::from_secs(1));
    match full {
        Err(ApiError::RateLimited { retry_after }) => {
            assert_eq!(retry_after, Duration::from_secs(59));
        }
        other => panic!("a full record of live entries refuses: {other:?}"),
    }
    // Nothing live was evicted to make room: its token is still refused as a replay.
    assert!(is_invalid_token(&seen.record(
        "early",
        start + MINUTE,
        start + Duration::from_secs(2)
    )));
    // Once "early" has expired it is forgotten, which frees its place.
    let later = start + MINUTE;
    assert!(seen.record("new", later + MINUTE, later).is_ok());
    assert!(
        seen.record("early", later + MINUTE, later).is_err(),
        "full again"
    );
    assert_eq!(seen.until.len(), MAX_ENTRIES);
}

#[actix_web::test]
async fn with_redis_a_token_used_on_one_instance_is_refused_by_another() {
    let Some(url) = std::env::var("REDIS_URL").ok().filter(|u| !u.is_empty()) else {
        report_skip("Redis: REDIS_URL not set");
        return;
    };
    let store = SharedReplayStore {
        url,
        key_prefix: format!("pharmarec-test-{}:", uuid::Uuid::new_v4()),
    };
    let (one, two) = (
        ReplayGuard::new(Some(&store)).unwrap(),
        ReplayGuard::new(Some(&store)).unwrap(),
    );
    let ttl = Duration::from_secs(5);
    assert!(one.first_use(ISS, "shared-jti", ttl).await.is_ok());
    assert!(is_invalid_token(
        &two.first_use(ISS, "shared-jti", ttl).await
    ));
    assert!(two.first_use(ISS, "other-jti", ttl).await.is_ok());
}

#[actix_web::test]
async fn a_down_redis_leaves_the_in_process_record_and_fails_fast() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let store = SharedReplayStore {
        url: format!("redis://127.0.0.1:{port}"),
        key_prefix: "t:".into(),
    };
    let guard = ReplayGuard::new(Some(&store)).unwrap();
    let started = Instant::now();
    assert!(guard.first_use(ISS, "jti", MINUTE).await.is_ok());
    assert!(is_invalid_token(&guard.first_use(ISS, "jti", MINUTE).await));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_malformed_redis_url_is_refused_without_echoing_it() {
    let store = SharedReplayStore {
        url: "http://user:secret@host".into(),
        key_prefix: "t:".into(),
    };
    let error = ReplayGuard::new(Some(&store)).unwrap_err();
    assert!(!error.to_string().contains("secret"), "{error}");
}
