//! Audited writes: one event per committed write (none for a failed one), with context and
//! snapshots, and never a password or token hash.

use pharmarec_domain::ports::{
    AuditLog, KnowledgeStore, MedicineRepository, NoProgress, PharmacyRepository,
    RefreshTokenStore, StockRepository, UserRepository,
};
use pharmarec_domain::{
    AuditContext, AuditEvent, AuditQuery, DomainError, PageRequest, PharmacyId, RefreshTokenRecord,
    Role, UserId,
};
use pharmarec_repository::Database;
use pharmarec_test_support::contract::{adjustment, update as stock};
use serde_json::{Value, json};

use crate::accounts::{PASSWORD_HASH, new_user, pharmacy};
use crate::fixtures::{id, new_medicine, small_kb};
use crate::helpers::test_ctx;
use crate::helpers::{self, TestDb};

/// A context with a fresh actor, the given request id and a documentation IP address.
pub(crate) fn ctx(request_id: &str) -> AuditContext {
    AuditContext {
        actor: Some(UserId::new()),
        request_id: request_id.to_string(),
        client_ip: Some("203.0.113.7".to_string()),
    }
}

pub(crate) fn pharmacy_input() -> pharmarec_domain::NewPharmacy {
    pharmarec_domain::NewPharmacy {
        name: "Audited".into(),
        address: Some("2 High St".into()),
    }
}

fn json_of<T: serde::Serialize>(value: &T) -> Option<Value> {
    Some(serde_json::to_value(value).unwrap())
}

fn parsed(text: &Option<String>) -> Option<Value> {
    text.as_deref().map(|t| serde_json::from_str(t).unwrap())
}

pub(crate) async fn page(db: &Database, query: AuditQuery) -> (Vec<AuditEvent>, u64) {
    let page = db.audit_events(&query).await.unwrap();
    (page.items, page.total_items)
}

/// Every event, newest first.
pub(crate) async fn all(db: &Database) -> Vec<AuditEvent> {
    let query = AuditQuery {
        page: PageRequest::new(1, 100).unwrap(),
        ..AuditQuery::default()
    };
    page(db, query).await.0
}

/// The newest event, after checking the trail holds `expected` events.
async fn newest(t: &TestDb, expected: usize) -> AuditEvent {
    let events = all(&t.db).await;
    assert_eq!(events.len(), expected, "{}: {events:#?}", t.name);
    events.into_iter().next().unwrap()
}

fn assert_event(event: &AuditEvent, ctx: &AuditContext, action: &str, entity: (&str, &str)) {
    assert_eq!(
        (
            event.action.as_str(),
            event.entity_type.as_str(),
            event.entity_id.as_str()
        ),
        (action, entity.0, entity.1)
    );
    assert_eq!(
        (&event.actor, &event.request_id, &event.client_ip),
        (&ctx.actor, &ctx.request_id, &ctx.client_ip),
        "{action}"
    );
}

#[tokio::test]
async fn every_committed_write_records_one_event_with_context_and_snapshots() {
    for t in helpers::databases() {
        let db = &t.db;
        let report = db.import(small_kb(), &NoProgress).await.unwrap();
        let event = newest(&t, 1).await;
        let version = report.catalogue_version.to_string();
        assert_event(
            &event,
            &AuditContext::cli(),
            "catalogue.import",
            ("catalogue", &version),
        );
        assert_eq!(
            (event.before, parsed(&event.after)),
            (None, json_of(&report))
        );
        db.import(small_kb(), &NoProgress).await.unwrap();
        newest(&t, 1).await; // An import that changes nothing records nothing.

        let c = ctx("req-1");
        let shop = PharmacyRepository::create(db, pharmacy_input(), &c)
            .await
            .unwrap();
        let event = newest(&t, 2).await;
        assert_event(
            &event,
            &c,
            "pharmacy.create",
            ("pharmacy", &shop.id.to_string()),
        );
        assert_eq!((event.before, parsed(&event.after)), (None, json_of(&shop)));

        let created = MedicineRepository::create(db, new_medicine("Gel", &["alpha"]), &c)
            .await
            .unwrap();
        let event = newest(&t, 3).await;
        assert_event(
            &event,
            &c,
            "medicine.create",
            ("medicine", created.id.as_str()),
        );
        assert_eq!(
            (event.before, parsed(&event.after)),
            (None, json_of(&created))
        );

        let updated =
            MedicineRepository::update(db, &created.id, new_medicine("Gel 2", &["beta"]), &c)
                .await
                .unwrap();
        let event = newest(&t, 4).await;
        assert_event(
            &event,
            &c,
            "medicine.update",
            ("medicine", created.id.as_str()),
        );
        assert_eq!(
            (parsed(&event.before), parsed(&event.after)),
            (json_of(&created), json_of(&updated))
        );

        let line = format!("{}/{}", shop.id, created.id);
        let put = StockRepository::put(db, shop.id, &created.id, stock(5, 0), &c)
            .await
            .unwrap();
        let event = newest(&t, 5).await;
        assert_event(&event, &c, "stock.put", ("stock", &line));
        assert_eq!((event.before, parsed(&event.after)), (None, json_of(&put)));
        let replaced = StockRepository::put(db, shop.id, &created.id, stock(7, 1), &c)
            .await
            .unwrap();
        let event = newest(&t, 6).await;
        assert_eq!(
            (parsed(&event.before), parsed(&event.after)),
            (json_of(&put), json_of(&replaced))
        );

        let adjusted = StockRepository::adjust(db, shop.id, &created.id, adjustment(-2), &c)
            .await
            .unwrap();
        let event = newest(&t, 7).await;
        assert_event(&event, &c, "stock.adjust", ("stock", &line));
        // An adjustment's snapshots keep format 1, without the threshold it never changes.
        let format_1 = |line| {
            let mut json = json_of(line).unwrap();
            json.as_object_mut().unwrap().remove("low_stock_threshold");
            json
        };
        let mut expected = format_1(&adjusted);
        expected["delta"] = json!(-2);
        expected["reason"] = json!("sold");
        assert_eq!(
            (parsed(&event.before), parsed(&event.after)),
            (Some(format_1(&replaced)), Some(expected))
        );

        // Only unstocked local products can be deleted: `created` is stocked above.
        let doomed = MedicineRepository::create(db, new_medicine("Doomed Gel", &["alpha"]), &c)
            .await
            .unwrap();
        newest(&t, 8).await;
        MedicineRepository::delete(db, &doomed.id, &c)
            .await
            .unwrap();
        let event = newest(&t, 9).await;
        assert_event(
            &event,
            &c,
            "medicine.delete",
            ("medicine", doomed.id.as_str()),
        );
        assert_eq!(
            (parsed(&event.before), event.after),
            (json_of(&doomed), None)
        );

        let user = db
            .create_user(
                new_user("ada@example.org", Role::Pharmacist, vec![shop.id]),
                &c,
            )
            .await
            .unwrap();
        let event = newest(&t, 10).await;
        assert_event(&event, &c, "user.create", ("user", &user.id.to_string()));
        let after = parsed(&event.after).unwrap();
        assert_eq!(
            (&after["email"], &after["role"]),
            (&json!("ada@example.org"), &json!("pharmacist"))
        );
        assert_eq!(after["pharmacies"], json!([shop.id]));
        assert!(after.get("password_hash").is_none(), "{after}");

        db.update_user(user.id, Role::Viewer, vec![], &c)
            .await
            .unwrap();
        let key = user.id.to_string();
        // A change of rights is audited, then the revocation of the user's tokens it implies.
        let revoked = newest(&t, 12).await;
        assert_event(&revoked, &c, "user.revoke_tokens", ("user", &key));
        let event = all(db).await.remove(1);
        assert_event(&event, &c, "user.update", ("user", &key));
        let (before, after) = (
            parsed(&event.before).unwrap(),
            parsed(&event.after).unwrap(),
        );
        assert_eq!(
            (&before["role"], &after["role"]),
            (&json!("pharmacist"), &json!("viewer"))
        );
        assert_eq!(after["pharmacies"], json!([]));

        db.disable_user(user.id, &c).await.unwrap();
        newest(&t, 14).await;
        let event = all(db).await.remove(1);
        assert_event(&event, &c, "user.disable", ("user", &key));
        assert!(parsed(&event.before).unwrap()["disabled_at"].is_null());
        assert!(parsed(&event.after).unwrap()["disabled_at"].is_string());
    }
}

#[tokio::test]
async fn port_writes_record_the_callers_context() {
    for t in helpers::databases() {
        let db = &t.db;
        db.import(small_kb(), &NoProgress).await.unwrap();
        let created = MedicineRepository::create(db, new_medicine("Gel", &["alpha"]), &test_ctx())
            .await
            .unwrap();
        let event = newest(&t, 2).await;
        assert_event(
            &event,
            &test_ctx(),
            "medicine.create",
            ("medicine", created.id.as_str()),
        );
    }
}

#[tokio::test]
async fn failed_writes_record_no_event() {
    for t in helpers::databases() {
        let db = &t.db;
        let c = ctx("req-fail");
        db.import(small_kb(), &NoProgress).await.unwrap();
        let shop = pharmacy(db, "P").await;
        let stocked = id("OB-A1-001");
        StockRepository::put(db, shop.id, &stocked, stock(1, 0), &c)
            .await
            .unwrap();
        db.create_user(new_user("ada@example.org", Role::Admin, vec![]), &c)
            .await
            .unwrap();
        let before = all(db).await;
        assert_eq!(before.len(), 4, "{}", t.name);

        let failures: Vec<DomainError> = vec![
            StockRepository::put(db, shop.id, &stocked, stock(2, 0), &c)
                .await
                .unwrap_err(),
            StockRepository::adjust(db, shop.id, &stocked, adjustment(-2), &c)
                .await
                .unwrap_err(),
            StockRepository::adjust(db, shop.id, &id("OB-A2-001"), adjustment(1), &c)
                .await
                .unwrap_err(),
            db.create_user(new_user("ADA@example.org", Role::Viewer, vec![]), &c)
                .await
                .unwrap_err(),
            db.create_user(
                new_user("bob@example.org", Role::Pharmacist, vec![PharmacyId::new()]),
                &c,
            )
            .await
            .unwrap_err(),
            MedicineRepository::delete(db, &stocked, &c)
                .await
                .unwrap_err(),
            MedicineRepository::create(db, new_medicine("Bad", &["unobtainium"]), &c)
                .await
                .unwrap_err(),
            MedicineRepository::update(db, &id("OB-NONE-1"), new_medicine("X", &["alpha"]), &c)
                .await
                .unwrap_err(),
        ];
        assert_eq!(failures.len(), 8);
        assert_eq!(all(db).await, before, "{}: {failures:#?}", t.name);
    }
}

#[tokio::test]
async fn no_password_or_token_hash_reaches_the_audit_trail() {
    for t in helpers::databases() {
        let db = &t.db;
        let c = ctx("req-secret");
        let user = db
            .create_user(new_user("ada@example.org", Role::Pharmacist, vec![]), &c)
            .await
            .unwrap();
        db.update_user(user.id, Role::Viewer, vec![], &c)
            .await
            .unwrap();
        let token_hash = "f00dfeedTOKENHASH";
        let family = uuid::Uuid::new_v4();
        db.insert_refresh_token(RefreshTokenRecord {
            token_hash: token_hash.into(),
            family_id: family,
            user_id: user.id,
            expires_at: chrono::Utc::now().naive_utc(),
            used_at: None,
            revoked_at: None,
        })
        .await
        .unwrap();
        db.consume_refresh_token(token_hash).await.unwrap();
        db.revoke_refresh_family(family).await.unwrap();

        let events = all(db).await;
        // Create, update and the revocation the update implies (a count, no hashes); no token events.
        assert_eq!(events.len(), 3, "{}: tokens are not audited", t.name);
        let text = format!("{events:?}");
        for secret in [PASSWORD_HASH, "SECRETHASH", "password", token_hash] {
            assert!(!text.contains(secret), "{}: {secret} in {text}", t.name);
        }
    }
}
