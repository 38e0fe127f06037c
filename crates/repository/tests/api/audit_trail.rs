//! The audit trail as stored: append-only at the database level, filtered and paged newest first.

use std::time::Duration;

use pharmarec_domain::ports::{AuditLog, PharmacyRepository, UserRepository};
use pharmarec_domain::{AuditAction, AuditQuery, NewAuditEvent, PageRequest, Role};

use crate::accounts::{new_user, pharmacy};
use crate::audit::{all, ctx, page, pharmacy_input};
use crate::helpers;

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_audit_events() {
    for t in helpers::databases() {
        pharmacy(&t.db, "P").await;
        let before = all(&t.db).await;
        let mut statements = vec![
            "UPDATE audit_events SET action = 'forged'",
            "DELETE FROM audit_events",
        ];
        if t.name == "postgres" {
            statements.push("TRUNCATE audit_events");
        }
        for sql in statements {
            let error = t.execute_raw(sql).unwrap_err();
            assert!(
                error.to_string().contains("append-only"),
                "{}: {sql}: {error}",
                t.name
            );
        }
        assert_eq!(all(&t.db).await, before, "{}", t.name);
    }
}

#[tokio::test]
async fn audit_events_filter_by_actor_action_entity_and_time_newest_first() {
    for t in helpers::databases() {
        let db = &t.db;
        let (a, b) = (ctx("req-a"), ctx("req-b"));
        let first = PharmacyRepository::create(db, pharmacy_input(), &a)
            .await
            .unwrap();
        PharmacyRepository::create(db, pharmacy_input(), &a)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
        let middle = chrono::Utc::now().naive_utc();
        tokio::time::sleep(Duration::from_millis(20)).await;
        PharmacyRepository::create(db, pharmacy_input(), &b)
            .await
            .unwrap();
        db.create_user(new_user("ada@example.org", Role::Viewer, vec![]), &b)
            .await
            .unwrap();
        let every = all(db).await;
        let ids: Vec<i64> = every.iter().map(|e| e.id).collect();
        assert!(
            ids.windows(2).all(|w| w[0] > w[1]),
            "{}: newest first {ids:?}",
            t.name
        );

        let by_actor = AuditQuery {
            actor: a.actor,
            ..AuditQuery::default()
        };
        assert_eq!(
            page(db, by_actor).await,
            (every[2..].to_vec(), 2),
            "{}",
            t.name
        );
        let by_action = AuditQuery {
            action: Some("pharmacy.create".into()),
            ..AuditQuery::default()
        };
        assert_eq!(page(db, by_action).await, (every[1..].to_vec(), 3));
        let by_type = AuditQuery {
            entity_type: Some("user".into()),
            ..AuditQuery::default()
        };
        assert_eq!(page(db, by_type).await, (every[..1].to_vec(), 1));
        let by_entity = AuditQuery {
            entity_id: Some(first.id.to_string()),
            ..AuditQuery::default()
        };
        assert_eq!(page(db, by_entity).await, (every[3..].to_vec(), 1));
        let since = AuditQuery {
            from: Some(middle),
            ..AuditQuery::default()
        };
        assert_eq!(
            page(db, since).await,
            (every[..2].to_vec(), 2),
            "{}",
            t.name
        );
        let until = AuditQuery {
            to: Some(middle),
            ..AuditQuery::default()
        };
        assert_eq!(
            page(db, until).await,
            (every[2..].to_vec(), 2),
            "{}",
            t.name
        );
        let none = AuditQuery {
            actor: b.actor,
            to: Some(middle),
            ..AuditQuery::default()
        };
        assert_eq!(page(db, none).await, (vec![], 0));

        let second_page = AuditQuery {
            page: PageRequest::new(2, 3).unwrap(),
            ..AuditQuery::default()
        };
        assert_eq!(
            page(db, second_page).await,
            (every[3..].to_vec(), 4),
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn a_note_is_recorded_with_its_actor_and_details_and_no_before() {
    for t in helpers::databases() {
        let context = ctx("req-note");
        let note = NewAuditEvent {
            action: AuditAction::BasketFindingDismiss,
            entity_id: "interaction:alpha+beta".into(),
            after: serde_json::json!({"reason_code": "other", "reason": "why"}),
        };

        t.db.record_events(vec![note], &context).await.unwrap();

        let events = all(&t.db).await;
        assert_eq!(events.len(), 1, "{}", t.name);
        let event = &events[0];
        assert_eq!(
            (
                event.action.as_str(),
                event.entity_type.as_str(),
                event.entity_id.as_str()
            ),
            (
                "basket.dismiss_finding",
                "basket_finding",
                "interaction:alpha+beta"
            ),
            "{}",
            t.name
        );
        assert_eq!(
            (event.actor, event.request_id.as_str()),
            (context.actor, "req-note")
        );
        assert_eq!(event.before, None);
        let details: serde_json::Value =
            serde_json::from_str(event.after.as_deref().unwrap()).unwrap();
        assert_eq!(details["reason"], "why", "{}", t.name);
    }
}
