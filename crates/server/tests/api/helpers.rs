//! Spawning the application on a fresh database per test (set up by `pharmarec-test-support`), on
//! each available backend.

use std::collections::HashMap;
use std::future::Future;

use pharmarec_server::settings::{Overrides, Settings};
use pharmarec_server::startup::Application;
pub(crate) use pharmarec_test_support::database::{
    TestDatabase, fresh_databases, postgres_database,
};
pub(crate) use pharmarec_test_support::report_skip;
use serde_json::Value;

/// Settings for a test: built-in defaults only, port 0, the given database; no process environment.
pub(crate) fn settings_for(database_url: &str) -> Settings {
    let empty_config_dir = tempfile::tempdir().expect("temp dir");
    let overrides = Overrides {
        bind: Some("127.0.0.1:0".parse().expect("address")),
        database_url: Some(database_url.to_string()),
    };
    let mut settings = Settings::load(Some(empty_config_dir.path()), &HashMap::new(), &overrides)
        .expect("test settings");
    settings.server.workers = 2;
    settings.server.shutdown_timeout_secs = 1;
    // Fast hashing and a limit no ordinary test reaches; tests of those features set their own.
    settings.auth.bcrypt_cost = 4;
    settings.rate_limit.requests_per_minute = 100_000;
    settings
}

/// Creates an account through the CLI code path and returns its password.
pub(crate) async fn create_account(
    settings: &Settings,
    email: &str,
    role: pharmarec_domain::Role,
) -> String {
    let password = format!("correct horse {email} staple");
    let mut out = Vec::new();
    pharmarec_server::cli::create_user(
        settings,
        email,
        role,
        Vec::new(),
        password.clone(),
        &mut out,
    )
    .await
    .expect("account created");
    password
}

/// A running application and a client for it.
pub(crate) struct TestApp {
    pub(crate) address: String,
    pub(crate) backend: &'static str,
    client: awc::Client,
}

impl TestApp {
    pub(crate) async fn spawn(database: &TestDatabase) -> Self {
        Self::spawn_with(settings_for(database.url()), database.backend()).await
    }

    /// Spawns an app and logs in as a fresh admin created through the CLI path.
    pub(crate) async fn spawn_as_admin(database: &TestDatabase) -> (Self, String) {
        Self::spawn_as_admin_with(settings_for(database.url()), database.backend()).await
    }

    /// [`TestApp::spawn_as_admin`] with the test's own settings.
    pub(crate) async fn spawn_as_admin_with(
        settings: Settings,
        backend: &'static str,
    ) -> (Self, String) {
        let app = Self::spawn_with(settings.clone(), backend).await;
        let password = create_account(
            &settings,
            "admin@pharmarec.test",
            pharmarec_domain::Role::Admin,
        )
        .await;
        let token = app.login("admin@pharmarec.test", &password).await;
        (app, token)
    }

    pub(crate) async fn spawn_with(settings: Settings, backend: &'static str) -> Self {
        let app = Application::build(settings)
            .await
            .expect("application builds");
        let client = Self::at_port(app.port(), backend);
        actix_web::rt::spawn(app.run_until_stopped());
        client
    }

    /// A client for an application the test runs itself (to stop it, for example).
    pub(crate) fn at_port(port: u16, backend: &'static str) -> Self {
        Self {
            address: format!("http://127.0.0.1:{port}"),
            backend,
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .finish(),
        }
    }

    /// Sends a request and returns status, headers and JSON body (`Value::Null` for a non-JSON body).
    pub(crate) async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let mut response = match body {
            Some(body) => {
                let request = if headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                {
                    request
                } else {
                    request.insert_header(("content-type", "application/json"))
                };
                request.send_body(body.to_string()).await
            }
            None => request.send().await,
        }
        .expect("request sent");
        let bytes = response
            .body()
            .limit(64 * 1024 * 1024)
            .await
            .expect("body read");
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        Reply {
            status: response.status().as_u16(),
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    /// Logs in and returns the access token.
    pub(crate) async fn login(&self, email: &str, password: &str) -> String {
        let body = serde_json::json!({"email": email, "password": password});
        let reply = self.send_json("POST", "/api/v1/auth/login", &body).await;
        assert_eq!(reply.status, 200, "login: {}", reply.text);
        reply.json["data"]["access_token"]
            .as_str()
            .expect("access token")
            .to_string()
    }

    /// Sends JSON with a bearer token.
    pub(crate) async fn send_json_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: &Value,
    ) -> Reply {
        let bearer = format!("Bearer {token}");
        self.request(
            method,
            path,
            Some(&body.to_string()),
            &[("authorization", bearer.as_str())],
        )
        .await
    }

    /// GET with a bearer token.
    pub(crate) async fn get_as(&self, token: &str, path: &str) -> Reply {
        let bearer = format!("Bearer {token}");
        self.request("GET", path, None, &[("authorization", bearer.as_str())])
            .await
    }

    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.request("GET", path, None, &[]).await
    }

    pub(crate) async fn send_json(&self, method: &str, path: &str, body: &Value) -> Reply {
        self.request(method, path, Some(&body.to_string()), &[])
            .await
    }
}

/// What came back.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) text: String,
    pub(crate) json: Value,
}

impl Reply {
    /// Asserts the error envelope: status, `success: false`, the code, and a request id.
    pub(crate) fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "body: {}", self.text);
        assert_eq!(self.json["success"], false, "{}", self.text);
        assert_eq!(self.json["error"]["code"], code, "{}", self.text);
        let request_id = self.json["error"]["request_id"]
            .as_str()
            .unwrap_or_default();
        assert!(!request_id.is_empty(), "no request id: {}", self.text);
        assert_eq!(
            self.headers.get("x-request-id").map(String::as_str),
            Some(request_id)
        );
    }
}

/// Runs `test` against a fresh app on every available backend.
pub(crate) async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    for database in fresh_databases() {
        let app = TestApp::spawn(&database).await;
        test(app).await;
    }
}

/// Like [`on_each_backend`], with an admin's access token.
pub(crate) async fn on_each_backend_as_admin<F, Fut>(test: F)
where
    F: Fn(TestApp, String) -> Fut,
    Fut: Future<Output = ()>,
{
    for database in fresh_databases() {
        let (app, token) = TestApp::spawn_as_admin(&database).await;
        test(app, token).await;
    }
}
