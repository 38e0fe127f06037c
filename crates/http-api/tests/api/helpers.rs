//! Builds the app over fakes and sends requests, returning status, headers and the JSON body.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::ports::{PharmacyRepository, PoolStats, StockRepository};
use pharmarec_domain::{
    AuditContext, MarketingStatus, Money, NewPharmacy, PharmacyId, Role, StockUpdate, User, UserId,
};
use pharmarec_http_api::{
    ApiConfig, AppState, AuthConfig, BuildInfo, CacheConfig, RateLimitConfig, hash_password,
};
use pharmarec_observability::Metrics;
use pharmarec_recommendation::KnowledgeHandle;
use serde_json::{Value, json};

use crate::knowledge::synthetic_handle;
use pharmarec_test_support::fakes::{
    FakeAudit, FakeCache, FakeCatalogue, FakeLimiter, FakePharmacies, FakeProbe, FakeRefreshTokens,
    FakeStock, FakeUsers, ingredient, medicine,
};

/// Body limit used by the tests: small, so oversized bodies are cheap to build.
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024;
/// The one origin the tests allow.
pub(crate) const ALLOWED_ORIGIN: &str = "https://pharmacy.example";
/// The key the test app signs and verifies access tokens with.
pub(crate) const SIGNING_KEY: &[u8] = b"test-signing-key-of-at-least-32-bytes";
/// The password of users made by [`Fakes::login_user`]; fits the policy.
pub(crate) const PASSWORD: &str = "correct horse battery staple";
/// bcrypt cost in tests: the minimum, so hashing takes milliseconds.
pub(crate) const TEST_BCRYPT_COST: u32 = 4;
/// Limits high enough that tests not about rate limiting never meet them.
const GENEROUS_LIMIT: u32 = 10_000;

/// The fakes behind one app, kept so tests can arrange and inspect their state.
pub(crate) struct Fakes {
    pub(crate) catalogue: Arc<FakeCatalogue>,
    pub(crate) pharmacies: Arc<FakePharmacies>,
    pub(crate) stock: Arc<FakeStock>,
    pub(crate) database: Arc<FakeProbe>,
    pub(crate) redis: Arc<FakeProbe>,
    pub(crate) users: Arc<FakeUsers>,
    pub(crate) refresh_tokens: Arc<FakeRefreshTokens>,
    pub(crate) audit: Arc<FakeAudit>,
    pub(crate) limiter: Arc<FakeLimiter>,
    pub(crate) cache: Arc<FakeCache>,
    pub(crate) metrics: Arc<Metrics>,
    /// The configuration `state()` uses; tests change it before building the app.
    pub(crate) config: ApiConfig,
    /// The engine, serving the synthetic knowledge of `knowledge.rs`.
    pub(crate) engine: Arc<KnowledgeHandle>,
}

impl Fakes {
    /// Three medicines, two ingredients, two conditions, no pharmacies; the engine serves the
    /// synthetic knowledge (its own, separate medicines).
    pub(crate) fn new() -> Self {
        let catalogue = FakeCatalogue {
            ingredients: vec![ingredient("acetaminophen"), ingredient("ibuprofen")],
            conditions: vec!["fever".to_owned(), "headache".to_owned()],
            ..FakeCatalogue::default()
        };
        {
            let mut medicines = catalogue.medicines.lock().unwrap();
            for m in [
                medicine(
                    "OB-A000001-001",
                    "Tylenol",
                    "acetaminophen",
                    MarketingStatus::Otc,
                ),
                medicine("OB-A000002-001", "Advil", "ibuprofen", MarketingStatus::Otc),
                medicine(
                    "OB-A000003-001",
                    "Zestril",
                    "lisinopril",
                    MarketingStatus::Rx,
                ),
            ] {
                medicines.insert(m.id.clone(), m);
            }
        }
        let refresh_tokens = Arc::new(FakeRefreshTokens::default());
        let pharmacies = FakePharmacies::default();
        let stock = FakeStock::new(&pharmacies, &catalogue);
        Self {
            catalogue: Arc::new(catalogue),
            pharmacies: Arc::new(pharmacies),
            stock: Arc::new(stock),
            database: Arc::new(FakeProbe::new(
                "database",
                Some(PoolStats {
                    connections: 4,
                    idle: 3,
                    max_size: 10,
                }),
            )),
            redis: Arc::new(FakeProbe::new("redis", None)),
            // Shared, as in the database: a change of a user's rights revokes their refresh tokens.
            users: Arc::new(FakeUsers {
                tokens: refresh_tokens.clone(),
                ..FakeUsers::default()
            }),
            refresh_tokens,
            audit: Arc::default(),
            limiter: Arc::default(),
            cache: Arc::default(),
            metrics: Arc::new(Metrics::new().unwrap()),
            config: test_config(),
            engine: synthetic_handle(),
        }
    }

    pub(crate) fn state(&self) -> AppState {
        AppState {
            medicines: self.catalogue.clone(),
            pharmacies: self.pharmacies.clone(),
            stock: self.stock.clone(),
            database: self.database.clone(),
            optional_dependencies: vec![self.redis.clone()],
            users: self.users.clone(),
            refresh_tokens: self.refresh_tokens.clone(),
            audit: self.audit.clone(),
            imports: Arc::new(crate::imports_fakes::FakeImports),
            rate_limiter: self.limiter.clone(),
            cache: self.cache.clone(),
            cache_admission: Arc::default(),
            redis_failures: Some(Arc::new(|| 3)),
            metrics: self.metrics.clone(),
            knowledge: self.engine.clone(),
            config: Arc::new(self.config.clone()),
            started_at: Instant::now(),
        }
    }

    /// A stored user with `role`, `pharmacies` and password [`PASSWORD`].
    pub(crate) fn login_user(&self, email: &str, role: Role, pharmacies: Vec<PharmacyId>) -> User {
        let hash = hash_password(PASSWORD, TEST_BCRYPT_COST).unwrap();
        self.users.insert(email, role, hash, pharmacies)
    }

    /// An `Authorization` header for a new stored user with `role` (member of `pharmacies`).
    pub(crate) fn bearer_for(
        &self,
        role: Role,
        pharmacies: Vec<PharmacyId>,
    ) -> (&'static str, String) {
        let email = format!("{}@example.org", UserId::new());
        let user = self
            .users
            .insert(&email, role, "not-a-hash".to_owned(), pharmacies);
        bearer(&mint(&claims(user.id, role), SIGNING_KEY))
    }

    /// An `Authorization` header for a new stored user with `role` and no pharmacies.
    pub(crate) fn bearer(&self, role: Role) -> (&'static str, String) {
        self.bearer_for(role, vec![])
    }

    /// Stocks `medicine` at a new pharmacy, through the port as a client would.
    pub(crate) async fn stock_line(&self, medicine: &str) {
        let pharmacy = NewPharmacy {
            name: "Stocking Pharmacy".to_owned(),
            address: None,
        };
        let ctx = AuditContext::cli();
        let pharmacy = self.pharmacies.create(pharmacy, &ctx).await.unwrap();
        let update = StockUpdate {
            quantity: 1,
            price: Money {
                minor: 100,
                currency: "EUR".to_owned(),
            },
            expected_version: 0,
            low_stock_threshold: None,
        };
        let medicine = medicine.parse().unwrap();
        self.stock
            .put(pharmacy.id, &medicine, update, &ctx)
            .await
            .unwrap();
    }
}

/// The configuration of the test app: generous limits, bcrypt cost 4, anonymous reads.
fn test_config() -> ApiConfig {
    ApiConfig {
        cors_allowed_origins: vec![ALLOWED_ORIGIN.to_owned()],
        max_body_bytes: MAX_BODY_BYTES,
        build: BuildInfo {
            version: "0.1.0-test".to_owned(),
            git_commit: "abc1234".to_owned(),
            build_time: "2026-01-01T00:00:00Z".to_owned(),
            rustc: "rustc 1.95.0".to_owned(),
        },
        auth: AuthConfig {
            signing_key: SIGNING_KEY.to_vec(),
            access_token_ttl: Duration::from_secs(3600),
            refresh_token_ttl: Duration::from_secs(86_400),
            bcrypt_cost: TEST_BCRYPT_COST,
            reads_require_auth: false,
        },
        rate_limit: RateLimitConfig {
            requests_per_minute: GENEROUS_LIMIT,
            per_route: HashMap::new(),
            trusted_proxies: vec![],
            login_attempts_per_minute_per_account: GENEROUS_LIMIT,
            login_attempts_per_minute_per_ip: GENEROUS_LIMIT,
        },
        cache: CacheConfig {
            ttl: Duration::from_secs(60),
        },
    }
}

/// Valid access-token claims for `user` with `role`, expiring in an hour.
pub(crate) fn claims(user: UserId, role: Role) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": user, "role": role, "iat": now, "exp": now + 3600,
        "jti": uuid::Uuid::new_v4(), "iss": "pharmarec", "aud": "pharmarec-api",
    })
}

/// `claims` signed with HS256 under `key`.
pub(crate) fn mint(claims: &Value, key: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .unwrap()
}

/// The `Authorization` header carrying `token`.
pub(crate) fn bearer(token: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {token}"))
}

/// What a test looks at in a response.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
    pub(crate) text: String,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// Asserts the error envelope with `code` and a request id equal to the header's.
    pub(crate) fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "body: {}", self.text);
        assert_eq!(self.body["success"], false, "body: {}", self.text);
        assert_eq!(self.body["error"]["code"], code, "body: {}", self.text);
        let request_id = self.body["error"]["request_id"].as_str().unwrap();
        assert!(!request_id.is_empty());
        assert_eq!(Some(request_id), self.header("x-request-id"));
    }
}

/// Sends `request` to `app` and reads the whole reply.
pub(crate) async fn send<S, B>(app: &S, request: TestRequest) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    // An `Err` is what the server turns into a response with `error_response`, so do the same.
    let (status, headers, bytes) = match test::try_call_service(app, request.to_request()).await {
        Ok(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            (status, headers, test::read_body(response).await)
        }
        Err(error) => {
            let response = error.error_response();
            let status = response.status();
            let headers = response.headers().clone();
            let body = actix_web::body::to_bytes(response.into_body())
                .await
                .unwrap();
            (status, headers, body)
        }
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        text,
    }
}

/// `(body, status)` of a GET, for the many tests that need nothing else.
pub(crate) async fn get<S, B>(app: &S, uri: &str) -> (Value, StatusCode)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let reply = send(app, TestRequest::get().uri(uri)).await;
    (reply.body, reply.status)
}

/// The reply to a POST of `body` as JSON.
pub(crate) async fn post_json<S, B>(app: &S, uri: &str, body: Value) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(app, TestRequest::post().uri(uri).set_json(body)).await
}
