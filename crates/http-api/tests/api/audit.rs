//! The audit trail: admin-only, filtered and paged, and read-only over HTTP.

use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use chrono::NaiveDateTime;
use pharmarec_domain::{AuditEvent, AuditQuery, Role, UserId};
use pharmarec_http_api::app;

use crate::helpers::{Fakes, send};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn event(id: i64, actor: UserId, action: &str, when: &str) -> AuditEvent {
    AuditEvent {
        id,
        at: at(when),
        actor: Some(actor),
        action: action.to_owned(),
        entity_type: "medicine".to_owned(),
        entity_id: format!("LOC-{id}"),
        before: None,
        after: Some(r#"{"brand_name":"X"}"#.to_owned()),
        request_id: format!("req-{id}"),
        client_ip: Some("198.51.100.1".to_owned()),
    }
}

#[actix_web::test]
async fn admins_filter_and_page_the_trail() {
    let fakes = Fakes::new();
    let actor = UserId::new();
    fakes.audit.events.lock().unwrap().extend([
        event(1, actor, "medicine.create", "2026-01-01 10:00:00"),
        event(2, actor, "medicine.update", "2026-01-02 10:00:00"),
        event(3, UserId::new(), "medicine.update", "2026-01-03 10:00:00"),
    ]);
    let app = test::init_service(app(fakes.state())).await;
    let uri = format!(
        "/api/v1/audit?actor={actor}&action=medicine.update&entity_type=medicine&entity_id=LOC-2\
         &from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00%2B00:00&page=1&per_page=5"
    );

    let reply = send(
        &app,
        TestRequest::get()
            .uri(&uri)
            .insert_header(fakes.bearer(Role::Admin)),
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["meta"]["total_items"], 1);
    let item = &reply.body["data"][0];
    assert_eq!(item["id"], 2);
    assert_eq!(item["after"]["brand_name"], "X");
    assert_eq!(item["request_id"], "req-2");
    let query = fakes.audit.last_query.lock().unwrap().clone().unwrap();
    assert_eq!(
        query,
        AuditQuery {
            actor: Some(actor),
            action: Some("medicine.update".to_owned()),
            entity_type: Some("medicine".to_owned()),
            entity_id: Some("LOC-2".to_owned()),
            from: Some(at("2026-01-02 00:00:00")),
            to: Some(at("2026-01-03 00:00:00")),
            page: query.page,
        }
    );
    assert_eq!(query.page.per_page(), 5);
}

#[actix_web::test]
async fn bad_filters_are_400_and_the_trail_cannot_be_changed() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let admin = fakes.bearer(Role::Admin);

    for query in ["from=yesterday", "actor=bob", "colour=red"] {
        let reply = send(
            &app,
            TestRequest::get()
                .uri(&format!("/api/v1/audit?{query}"))
                .insert_header(admin.clone()),
        )
        .await;
        reply.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    }
    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        let reply = send(
            &app,
            TestRequest::default()
                .method(method.clone())
                .uri("/api/v1/audit")
                .insert_header(admin.clone()),
        )
        .await;
        reply.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
    let one = send(
        &app,
        TestRequest::delete()
            .uri("/api/v1/audit/1")
            .insert_header(admin),
    )
    .await;
    one.assert_error(StatusCode::NOT_FOUND, "route_not_found");
}
