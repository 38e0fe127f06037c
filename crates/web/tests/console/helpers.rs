//! A console over a fresh SQLite database holding a SYNTHETIC knowledge base (two made-up
//! ingredients, one made-up interaction, one made-up pregnancy letter, two made-up conditions: not
//! medical facts), with a browser-like cookie jar.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::cookie::Cookie;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::ports::{KnowledgeStore, NoProgress, PharmacyRepository, UserRepository};
use pharmarec_domain::*;
use pharmarec_http_api::{
    ApiConfig, AppState, AuthConfig, BuildInfo, CacheConfig, RateLimitConfig, hash_password,
};
use pharmarec_observability::Metrics;
use pharmarec_recommendation::{KnowledgeHandle, KnowledgeSnapshot};
use pharmarec_repository::kv::{MemoryCache, MemoryLimiter};
use pharmarec_repository::{Database, PoolSettings};
use pharmarec_web::ConsoleConfig;

pub(crate) const PASSWORD: &str = "correct horse battery staple";
/// The synthetic product every stock test uses.
pub(crate) const PRODUCT: &str = "SYN-ALPHA-1";

/// The database and state behind one test's console.
pub(crate) struct TestConsole {
    pub(crate) state: AppState,
    pub(crate) db: Arc<Database>,
    pub(crate) pharmacy: PharmacyId,
    pub(crate) config: ConsoleConfig,
    _dir: tempfile::TempDir,
}

fn ingredient(key: &str) -> Ingredient {
    Ingredient {
        key: key.parse().unwrap(),
        inn_name: None,
        us_name: None,
        epc_classes: vec![format!("Synthetic class of {key}")],
        moa_classes: vec![],
        rxcui: vec![],
        has_otc_product: true,
    }
}

fn medicine(id: &str, key: &str) -> Medicine {
    Medicine {
        id: id.parse().unwrap(),
        brand_name: format!("Synthetic {key}"),
        ingredients: vec![ActiveIngredient {
            ingredient: key.parse().unwrap(),
            as_labelled: key.into(),
            strength: None,
        }],
        strength: "10MG".into(),
        dose_form: "TABLET".into(),
        route: "ORAL".into(),
        status: MarketingStatus::Otc,
        te_codes: vec![],
        applicant: None,
        application: None,
        approval_date: None,
        reference_listed_drug: false,
        origin: MedicineOrigin::Imported {
            source: "synthetic".into(),
        },
    }
}

/// SYNTHETIC: made-up names, one made-up major interaction and one made-up pregnancy letter, for
/// the console's plumbing only.
fn synthetic_knowledge() -> KnowledgeBase {
    KnowledgeBase {
        ingredients: vec![ingredient("alphamine"), ingredient("betamol")],
        medicines: vec![
            medicine(PRODUCT, "alphamine"),
            medicine("SYN-BETA-1", "betamol"),
        ],
        interactions: vec![Interaction {
            pair: IngredientPair::new("alphamine".parse().unwrap(), "betamol".parse().unwrap())
                .unwrap(),
            severity: Severity::Major,
            source: InteractionSource::MergedPddi,
            source_ids: vec![],
            original_level: None,
            class_a: None,
            class_b: None,
            description: Some("synthetic interaction".into()),
            management: None,
        }],
        label_warnings: vec![OtcLabelWarning {
            label_generic_name: "ALPHAMINE (synthetic)".into(),
            ingredients: vec!["alphamine".parse().unwrap()],
            do_not_use: Some("Do not use synthetic line one".into()),
            ask_doctor: Some("Ask a doctor before use if synthetic line two".into()),
            ask_doctor_or_pharmacist: None,
            when_using: None,
            stop_use: None,
            pregnancy_or_breast_feeding: Some("If pregnant, synthetic line three".into()),
            source: "synthetic label".into(),
        }],
        // Made up, like the rest: a letter that excludes betamol for a pregnant patient.
        pregnancy: vec![PregnancyEntry {
            ingredient: "betamol".parse().unwrap(),
            category: PregnancyCategory::X,
            warning: false,
            who_eml_name: "betamol (synthetic)".into(),
            source: "synthetic".into(),
        }],
        ..KnowledgeBase::default()
    }
}

/// SYNTHETIC: two made-up conditions, each excluding alphamine.
fn synthetic_rules() -> ClinicalRules {
    let cited = |condition: &str| Citation {
        verbatim: format!("Do not use with {condition} (synthetic)").into(),
        citation: "synthetic rule".into(),
        source_url: "https://example.org/synthetic".into(),
    };
    let codes = ["synthetic_red", "synthetic_blue"];
    ClinicalRules {
        conditions: codes
            .iter()
            .map(|code| ConditionPhrase {
                code: (*code).into(),
                label: code.replace('_', " "),
                phrase: code.replace('_', " "),
                source_url: "https://example.org/synthetic".into(),
                quote: "synthetic".into(),
            })
            .collect(),
        condition_rules: codes
            .iter()
            .map(|code| ConditionRule {
                scope: RuleScope::Ingredient("alphamine".into()),
                condition: (*code).into(),
                action: RuleAction::Exclude,
                section: "do_not_use".into(),
                cited: cited(code),
            })
            .collect(),
        ..ClinicalRules::default()
    }
}

impl TestConsole {
    /// A migrated SQLite database with the synthetic knowledge and one pharmacy.
    pub(crate) async fn new(secure_cookies: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/console.db", dir.path().display());
        let db = Arc::new(Database::connect(&url, PoolSettings::default()).unwrap());
        db.run_pending_migrations().unwrap();
        db.import(synthetic_knowledge(), &NoProgress).await.unwrap();
        let version = KnowledgeVersion {
            catalogue_version: db.catalogue_version().await.unwrap(),
            sources: vec!["synthetic".into()],
        };
        // The rule tables are not stored; the server adds the shipped ones, the tests these.
        let knowledge = KnowledgeBase {
            rules: synthetic_rules(),
            ..db.load().await.unwrap()
        };
        let engine = KnowledgeSnapshot::build(knowledge, version).unwrap();
        let pharmacy = PharmacyRepository::create(
            db.as_ref(),
            NewPharmacy {
                name: "Synthetic pharmacy".into(),
                address: None,
            },
            &AuditContext::cli(),
        )
        .await
        .unwrap();
        let state = AppState {
            medicines: db.clone(),
            pharmacies: db.clone(),
            stock: db.clone(),
            users: db.clone(),
            refresh_tokens: db.clone(),
            audit: db.clone(),
            imports: db.clone(),
            rate_limiter: Arc::new(MemoryLimiter::new(1000)),
            cache: Arc::new(MemoryCache::new(100, 1 << 20)),
            cache_admission: Arc::default(),
            redis_failures: None,
            knowledge: Arc::new(KnowledgeHandle::new(Arc::new(engine))),
            database: db.clone(),
            optional_dependencies: vec![],
            metrics: Arc::new(Metrics::new().unwrap()),
            config: Arc::new(ApiConfig {
                cors_allowed_origins: vec![],
                max_body_bytes: 64 * 1024,
                build: BuildInfo::default(),
                auth: AuthConfig {
                    signing_key: b"console-test-signing-key-of-32-bytes!".to_vec(),
                    access_token_ttl: Duration::from_secs(3600),
                    refresh_token_ttl: Duration::from_secs(86_400),
                    bcrypt_cost: 4,
                    reads_require_auth: false,
                },
                rate_limit: RateLimitConfig {
                    requests_per_minute: 10_000,
                    per_route: HashMap::new(),
                    trusted_proxies: vec![],
                    login_attempts_per_minute_per_account: 10_000,
                    login_attempts_per_minute_per_ip: 10_000,
                },
                cache: CacheConfig {
                    ttl: Duration::from_secs(60),
                },
            }),
            started_at: Instant::now(),
        };
        Self {
            state,
            db,
            pharmacy: pharmacy.id,
            config: ConsoleConfig::new(secure_cookies),
            _dir: dir,
        }
    }

    /// Creates an account of `role` (a pharmacist belongs to the test pharmacy) and returns its e-mail.
    pub(crate) async fn user(&self, role: Role) -> String {
        let email = format!("{role}@example.org");
        let pharmacies = if role == Role::Pharmacist {
            vec![self.pharmacy]
        } else {
            vec![]
        };
        self.db
            .create_user(
                NewUser {
                    email: email.parse().unwrap(),
                    role,
                    password_hash: hash_password(PASSWORD, 4).unwrap(),
                    pharmacies,
                },
                &AuditContext::cli(),
            )
            .await
            .unwrap();
        email
    }

    /// A browser on this console.
    pub(crate) fn browser(&self) -> Browser {
        Browser {
            state: self.state.clone(),
            config: self.config.clone(),
            cookies: HashMap::new(),
        }
    }
}

/// An answer: status, the `Set-Cookie`s and the body.
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) csp: Option<String>,
    pub(crate) cookies: Vec<Cookie<'static>>,
    pub(crate) body: String,
}

impl Page {
    /// The first value of the hidden input `name`.
    pub(crate) fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} in {}", self.body))
            + marker.len();
        self.body[start..].split('"').next().unwrap().to_owned()
    }

    /// The hidden fields of each form posting to `action`, in order, as a browser would send them
    /// (values are taken as written: the tests use no characters HTML escapes).
    pub(crate) fn hidden_fields(&self, action: &str) -> Vec<Vec<(String, String)>> {
        let opening = format!("action=\"{action}\"");
        self.body
            .split(&opening)
            .skip(1)
            .map(|rest| {
                let form = rest.split("</form>").next().unwrap();
                form.split("<input type=\"hidden\" name=\"")
                    .skip(1)
                    .map(|input| {
                        let (name, rest) = input.split_once('"').unwrap();
                        let value = rest.strip_prefix(" value=\"").unwrap().split('"').next();
                        (name.to_owned(), value.unwrap().to_owned())
                    })
                    .collect()
            })
            .collect()
    }
}

/// Sends requests with the cookies it was given, like a browser.
pub(crate) struct Browser {
    state: AppState,
    config: ConsoleConfig,
    cookies: HashMap<String, String>,
}

impl Browser {
    pub(crate) async fn get(&mut self, path: &str) -> Page {
        self.send(TestRequest::get().uri(path)).await
    }

    pub(crate) async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        self.send(
            TestRequest::post()
                .uri(path)
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(body),
        )
        .await
    }

    async fn send(&mut self, mut request: TestRequest) -> Page {
        let config = self.config.clone();
        let app = test::init_service(
            pharmarec_http_api::app(self.state.clone())
                .configure(move |cfg| pharmarec_web::configure(cfg, config)),
        )
        .await;
        for (name, value) in &self.cookies {
            request = request.cookie(Cookie::new(name.clone(), value.clone()));
        }
        let response: ServiceResponse<_> = app.call(request.to_request()).await.unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let csp = response
            .headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_owned());
        let cookies: Vec<Cookie<'static>> = response
            .response()
            .cookies()
            .map(|c| c.into_owned())
            .collect();
        for cookie in &cookies {
            if cookie.max_age().is_some_and(|age| age.is_zero()) {
                self.cookies.remove(cookie.name());
            } else {
                self.cookies
                    .insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
        let body = test::read_body(response).await;
        Page {
            status,
            location,
            csp,
            cookies,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    /// Signs in through the form, as a person would; returns the sign-in answer.
    pub(crate) async fn sign_in(&mut self, email: &str) -> Page {
        let form = self.get("/console/login").await;
        let csrf = form.hidden("csrf");
        self.post(
            "/console/login",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
        )
        .await
    }

    /// The CSRF token of the signed-in session (from any page's sign-out form).
    pub(crate) async fn csrf(&mut self) -> String {
        self.get("/console/basket").await.hidden("csrf")
    }

    /// Chooses the test pharmacy.
    pub(crate) async fn work_in(&mut self, pharmacy: PharmacyId) {
        let csrf = self.csrf().await;
        let id = pharmacy.to_string();
        let page = self
            .post("/console/pharmacy", &[("csrf", &csrf), ("pharmacy", &id)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
}
