//! The role matrix of every protected endpoint, the audit context handed to write ports, and reads
//! that require a token when configured to.

use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use pharmarec_domain::ports::PharmacyRepository;
use pharmarec_domain::{AuditContext, NewPharmacy, PharmacyId, Role};
use pharmarec_http_api::app;
use serde_json::{Value, json};

use crate::helpers::{Fakes, SIGNING_KEY, bearer, claims, mint, send};

/// Who calls: nobody, each role, and a pharmacist of another pharmacy.
#[derive(Debug, Clone, Copy)]
enum Caller {
    Anonymous,
    Viewer,
    Pharmacist,
    OtherPharmacist,
    Admin,
}

const CALLERS: [Caller; 5] = [
    Caller::Anonymous,
    Caller::Viewer,
    Caller::Pharmacist,
    Caller::OtherPharmacist,
    Caller::Admin,
];

async fn pharmacy(fakes: &Fakes, name: &str) -> PharmacyId {
    let new = NewPharmacy {
        name: name.to_owned(),
        address: None,
    };
    fakes
        .pharmacies
        .create(new, &AuditContext::cli())
        .await
        .unwrap()
        .id
}

fn medicine_body() -> Value {
    json!({
        "brand_name": "Paracet", "ingredients": ["acetaminophen"], "strength": "500MG",
        "dose_form": "tablet", "route": "oral", "status": "otc"
    })
}

/// Statuses per caller, in the order of [`CALLERS`].
async fn statuses(
    fakes: &Fakes,
    own: PharmacyId,
    other: PharmacyId,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> Vec<u16> {
    let app = test::init_service(app(fakes.state())).await;
    let mut statuses = Vec::new();
    for caller in CALLERS {
        let mut request = TestRequest::default().method(method.clone()).uri(uri);
        if let Some(body) = &body {
            request = request.set_json(body);
        }
        let header = match caller {
            Caller::Anonymous => None,
            Caller::Viewer => Some(fakes.bearer(Role::Viewer)),
            Caller::Pharmacist => Some(fakes.bearer_for(Role::Pharmacist, vec![own])),
            Caller::OtherPharmacist => Some(fakes.bearer_for(Role::Pharmacist, vec![other])),
            Caller::Admin => Some(fakes.bearer(Role::Admin)),
        };
        if let Some(header) = header {
            request = request.insert_header(header);
        }
        statuses.push(send(&app, request).await.status.as_u16());
    }
    statuses
}

#[actix_web::test]
async fn each_protected_endpoint_admits_exactly_its_roles() {
    let fakes = Fakes::new();
    let own = pharmacy(&fakes, "Own").await;
    let other = pharmacy(&fakes, "Other").await;
    let stock_body = json!({"quantity": 3, "price_minor": 250, "currency": "EUR", "version": 0});
    let stock_uri = format!("/api/v1/pharmacies/{own}/stock/OB-A000001-001");
    // (method, uri, body, expected for anonymous, viewer, pharmacist, other pharmacist, admin)
    let matrix: Vec<(Method, String, Option<Value>, [u16; 5])> = vec![
        (
            Method::POST,
            "/api/v1/medicines".into(),
            Some(medicine_body()),
            [401, 403, 201, 201, 201],
        ),
        (
            Method::PUT,
            "/api/v1/medicines/OB-A000002-001".into(),
            Some(medicine_body()),
            [401, 403, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/pharmacies".into(),
            Some(json!({"name": "New"})),
            [401, 403, 403, 403, 201],
        ),
        (
            Method::GET,
            "/api/v1/users".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/audit".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/diagnostics".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/medicines".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
    ];

    for (method, uri, body, expected) in matrix {
        let got = statuses(&fakes, own, other, method.clone(), &uri, body).await;
        assert_eq!(got, expected, "{method} {uri}");
    }
    // Stock: the version advances with each accepted write, so send the current one each time.
    let app = test::init_service(app(fakes.state())).await;
    let callers = [
        (None, 401),
        (Some(fakes.bearer(Role::Viewer)), 403),
        (Some(fakes.bearer_for(Role::Pharmacist, vec![other])), 403),
        (Some(fakes.bearer_for(Role::Pharmacist, vec![own])), 200),
        (Some(fakes.bearer(Role::Admin)), 200),
    ];
    let mut version = 0;
    for (header, expected) in callers {
        let mut body = stock_body.clone();
        body["version"] = json!(version);
        let mut request = TestRequest::put().uri(&stock_uri).set_json(body);
        if let Some(header) = header {
            request = request.insert_header(header);
        }
        let reply = send(&app, request).await;
        assert_eq!(reply.status.as_u16(), expected, "{}", reply.text);
        if reply.status == StatusCode::OK {
            version += 1;
        }
    }
}

#[actix_web::test]
async fn writes_pass_the_actor_request_id_and_client_ip_to_the_port() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let admin = fakes.bearer(Role::Admin);
    let admin_id = fakes
        .users
        .users
        .lock()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .id;

    let reply = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/medicines")
            .insert_header(admin)
            .insert_header(("x-request-id", "req-42"))
            .peer_addr("198.51.100.4:5000".parse().unwrap())
            .set_json(medicine_body()),
    )
    .await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(
        fakes.catalogue.contexts.last(),
        AuditContext {
            actor: Some(admin_id),
            request_id: "req-42".to_owned(),
            client_ip: Some("198.51.100.4".to_owned()),
        }
    );
}

#[actix_web::test]
async fn reads_need_a_token_when_configured() {
    let mut fakes = Fakes::new();
    fakes.config.auth.reads_require_auth = true;
    let app = test::init_service(app(fakes.state())).await;

    let anonymous = send(&app, TestRequest::get().uri("/api/v1/medicines")).await;
    let anonymous_recommendation = send(
        &app,
        TestRequest::post()
            .uri("/api/v1/recommendations")
            .set_json(json!({"symptoms": "sneezing"})),
    )
    .await;
    let viewer = send(
        &app,
        TestRequest::get()
            .uri("/api/v1/medicines")
            .insert_header(fakes.bearer(Role::Viewer)),
    )
    .await;

    anonymous.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    anonymous_recommendation.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(viewer.status, StatusCode::OK);
}

#[actix_web::test]
async fn a_demoted_admin_loses_stock_rights_before_the_token_expires() {
    let fakes = Fakes::new();
    let shop = pharmacy(&fakes, "Synthetic Shop").await;
    // The token still says admin; the stored account is now a pharmacist of no pharmacy.
    let user = fakes.users.insert(
        "demoted@example.org",
        Role::Pharmacist,
        "not-a-hash".to_owned(),
        vec![],
    );
    let stale_admin = bearer(&mint(&claims(user.id, Role::Admin), SIGNING_KEY));
    let app = test::init_service(app(fakes.state())).await;
    let request = TestRequest::put()
        .uri(&format!("/api/v1/pharmacies/{shop}/stock/OB-N000001-001"))
        .insert_header(stale_admin)
        .set_json(json!({"quantity": 1, "price_minor": 1, "currency": "EUR", "version": 0}));
    let reply = send(&app, request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
}
