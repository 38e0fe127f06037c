//! Low-stock sweeps on both backends: one alert per crossing, even from concurrent sweeps.

use chrono::{Duration, SubsecRound, Utc};
use pharmarec_domain::ports::{
    AuditLog, KnowledgeStore, MaintenanceTasks, NoProgress, PharmacyRepository, RefreshTokenStore,
    StockRepository, UserRepository,
};
use pharmarec_domain::{
    AuditContext, AuditQuery, Money, NewPharmacy, PageRequest, RefreshTokenRecord, Role,
    StockAdjustment, StockUpdate,
};
use uuid::Uuid;

use crate::accounts::new_user;
use crate::fixtures::{id, small_kb};
use crate::helpers::{self, test_ctx};

fn line(quantity: i64, low_stock_threshold: Option<i64>, expected_version: i64) -> StockUpdate {
    StockUpdate {
        quantity,
        price: Money {
            minor: 100,
            currency: "EUR".into(),
        },
        expected_version,
        low_stock_threshold,
    }
}

#[tokio::test]
async fn concurrent_sweeps_raise_one_alert_per_crossing_and_recovery_re_arms() {
    for t in helpers::databases() {
        let db = &t.db;
        db.import(small_kb(), &NoProgress).await.unwrap();
        let new = NewPharmacy {
            name: "Synthetic Sweep Pharmacy".into(),
            address: None,
        };
        let pharmacy = PharmacyRepository::create(db, new, &test_ctx())
            .await
            .unwrap();
        let (low, fine) = (id("OB-A1-001"), id("OB-A2-001"));
        db.put(pharmacy.id, &low, line(2, Some(5), 0), &test_ctx())
            .await
            .unwrap();
        db.put(pharmacy.id, &fine, line(9, Some(5), 0), &test_ctx())
            .await
            .unwrap();

        let ctx = test_ctx();
        let sweeps = tokio::join!(
            db.sweep_low_stock(&ctx),
            db.sweep_low_stock(&ctx),
            db.sweep_low_stock(&ctx),
            db.sweep_low_stock(&ctx),
        );
        let raised: usize = [sweeps.0, sweeps.1, sweeps.2, sweeps.3]
            .into_iter()
            .map(|sweep| sweep.unwrap().raised.len())
            .sum();
        let again = db.sweep_low_stock(&test_ctx()).await.unwrap();

        assert_eq!(raised, 1, "{}: one alert for the one low line", t.name);
        assert!(
            again.raised.is_empty() && again.cleared.is_empty(),
            "{}",
            t.name
        );
        assert_eq!(again.low_lines, vec![(pharmacy.id, 1)], "{}", t.name);
        let listed = db
            .list_low(pharmacy.id, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(listed.items.len(), 1, "{}", t.name);
        assert_eq!(listed.items[0].medicine_id, low);

        let delivery = StockAdjustment {
            delta: 10,
            reason: "delivery".into(),
        };
        db.adjust(pharmacy.id, &low, delivery, &test_ctx())
            .await
            .unwrap();
        let recovered = db.sweep_low_stock(&test_ctx()).await.unwrap();
        assert_eq!(recovered.cleared.len(), 1, "{}", t.name);
        assert!(recovered.low_lines.is_empty(), "{}", t.name);
        let query = AuditQuery {
            action: Some("stock.low_stock_alert".into()),
            ..AuditQuery::default()
        };
        assert_eq!(db.audit_events(&query).await.unwrap().total_items, 1);
    }
}

#[tokio::test]
async fn only_expired_refresh_tokens_are_removed_and_the_count_is_audited() {
    for t in helpers::databases() {
        let db = &t.db;
        let user = new_user("ada@example.org", Role::Viewer, vec![]);
        let user = db.create_user(user, &AuditContext::cli()).await.unwrap();
        let token = |hash: &str, expires_in: Duration| RefreshTokenRecord {
            token_hash: hash.to_string(),
            family_id: Uuid::new_v4(),
            user_id: user.id,
            expires_at: (Utc::now() + expires_in).naive_utc().trunc_subsecs(6),
            used_at: None,
            revoked_at: None,
        };
        db.insert_refresh_token(token("expired", -Duration::seconds(1)))
            .await
            .unwrap();
        db.insert_refresh_token(token("live", Duration::days(1)))
            .await
            .unwrap();

        let removed = db.remove_expired_refresh_tokens(&test_ctx()).await.unwrap();
        let nothing_left = db.remove_expired_refresh_tokens(&test_ctx()).await.unwrap();

        assert_eq!((removed, nothing_left), (1, 0), "{}", t.name);
        assert!(db.consume_refresh_token("expired").await.unwrap().is_none());
        assert!(db.consume_refresh_token("live").await.unwrap().is_some());
        let query = AuditQuery {
            action: Some("job.refresh_token_cleanup".into()),
            ..AuditQuery::default()
        };
        let events = db.audit_events(&query).await.unwrap().items;
        assert_eq!(
            events.len(),
            1,
            "{}: one event, for the run that removed",
            t.name
        );
        assert_eq!(events[0].after.as_deref(), Some(r#"{"removed":1}"#));
    }
}
