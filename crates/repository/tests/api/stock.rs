//! Pharmacies, stock (`put` with optimistic versions, atomic `adjust`) and the health probe.

use std::sync::Arc;

use pharmarec_domain::ports::{
    HealthProbe, KnowledgeStore, NoProgress, PharmacyRepository, StockRepository,
};
use pharmarec_domain::{
    ConflictKind, DomainError, MedicineId, Money, NewPharmacy, PageRequest, Pharmacy, PharmacyId,
    StockAdjustment, StockUpdate,
};

use crate::fixtures::{id, small_kb};
use crate::helpers::test_ctx;
use crate::helpers::{self, TestDb};

async fn with_pharmacy() -> Vec<(TestDb, Pharmacy)> {
    let mut all = Vec::new();
    for t in helpers::databases() {
        t.db.import(small_kb(), &NoProgress).await.unwrap();
        let pharmacy = PharmacyRepository::create(
            &t.db,
            NewPharmacy {
                name: "Main Street".into(),
                address: Some("1 Main St".into()),
            },
            &test_ctx(),
        )
        .await
        .unwrap();
        all.push((t, pharmacy));
    }
    all
}

fn update(quantity: i64, expected_version: i64) -> StockUpdate {
    StockUpdate {
        quantity,
        price: Money {
            minor: 1299,
            currency: "EUR".into(),
        },
        expected_version,
        low_stock_threshold: None,
    }
}

fn adjustment(delta: i64) -> StockAdjustment {
    StockAdjustment {
        delta,
        reason: "test".into(),
    }
}

#[tokio::test]
async fn pharmacies_are_created_read_and_listed_by_name() {
    for (t, main) in with_pharmacy().await {
        let db = &t.db;
        assert_eq!(
            PharmacyRepository::get(db, main.id).await.unwrap(),
            main,
            "{}",
            t.name
        );
        let other = PharmacyRepository::create(
            db,
            NewPharmacy {
                name: "Abbey".into(),
                address: None,
            },
            &test_ctx(),
        )
        .await
        .unwrap();
        let page = PharmacyRepository::list(db, PageRequest::new(1, 1).unwrap())
            .await
            .unwrap();
        assert_eq!((page.items, page.total_items), (vec![other], 2));
        let unknown = PharmacyRepository::get(db, PharmacyId::new())
            .await
            .unwrap_err();
        assert!(matches!(
            unknown,
            DomainError::NotFound {
                entity: pharmarec_domain::Entity::Pharmacy,
                ..
            }
        ));
    }
}

#[tokio::test]
async fn put_creates_then_replaces_only_with_the_current_version() {
    for (t, pharmacy) in with_pharmacy().await {
        let db = &t.db;
        let medicine = id("OB-A1-001");
        let created = db
            .put(pharmacy.id, &medicine, update(5, 0), &test_ctx())
            .await
            .unwrap();
        assert_eq!((created.quantity, created.version), (5, 1), "{}", t.name);

        let again = db
            .put(pharmacy.id, &medicine, update(6, 0), &test_ctx())
            .await
            .unwrap_err();
        assert!(
            matches!(again, DomainError::Conflict { .. }),
            "{}: {again:?}",
            t.name
        );
        let replaced = db
            .put(pharmacy.id, &medicine, update(7, 1), &test_ctx())
            .await
            .unwrap();
        assert_eq!((replaced.quantity, replaced.version), (7, 2));
        let stale = db
            .put(pharmacy.id, &medicine, update(8, 1), &test_ctx())
            .await
            .unwrap_err();
        assert!(
            matches!(&stale, DomainError::Conflict { reason, .. } if reason == "stale version")
        );
        assert_eq!(
            db.all_for(pharmacy.id).await.unwrap(),
            vec![replaced],
            "{}",
            t.name
        );

        let no_medicine = db
            .put(pharmacy.id, &id("OB-NONE-1"), update(1, 0), &test_ctx())
            .await
            .unwrap_err();
        assert!(matches!(
            no_medicine,
            DomainError::NotFound {
                entity: pharmarec_domain::Entity::Medicine,
                ..
            }
        ));
        let no_pharmacy = db
            .put(PharmacyId::new(), &medicine, update(1, 0), &test_ctx())
            .await
            .unwrap_err();
        assert!(matches!(
            no_pharmacy,
            DomainError::NotFound {
                entity: pharmarec_domain::Entity::Pharmacy,
                ..
            }
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_adjusts_lose_no_update() {
    for (t, pharmacy) in with_pharmacy().await {
        let db = Arc::new(t.db.clone());
        let medicine = id("OB-A2-001");
        db.put(pharmacy.id, &medicine, update(10, 0), &test_ctx())
            .await
            .unwrap();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (db, medicine) = (Arc::clone(&db), medicine.clone());
                tokio::spawn(async move {
                    db.adjust(pharmacy.id, &medicine, adjustment(1), &test_ctx())
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let line = db.all_for(pharmacy.id).await.unwrap().pop().unwrap();
        assert_eq!((line.quantity, line.version), (30, 21), "{}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_line_let_exactly_one_win() {
    for (t, pharmacy) in with_pharmacy().await {
        let db = Arc::new(t.db.clone());
        let tasks: Vec<_> = (0..10)
            .map(|n| {
                let db = Arc::clone(&db);
                tokio::spawn(async move {
                    db.put(pharmacy.id, &id("OB-A1-001"), update(n, 0), &test_ctx())
                        .await
                })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => won += 1,
                // The losers' primary-key violation is the stale version it is, not a duplicate.
                Err(error) => assert!(
                    matches!(
                        error,
                        DomainError::Conflict {
                            kind: ConflictKind::StaleVersion,
                            ..
                        }
                    ),
                    "{}: {error:?}",
                    t.name
                ),
            }
        }
        assert_eq!(won, 1, "{}", t.name);
        assert_eq!(db.all_for(pharmacy.id).await.unwrap()[0].version, 1);
    }
}

#[tokio::test]
async fn adjust_below_zero_is_a_conflict_and_changes_nothing() {
    for (t, pharmacy) in with_pharmacy().await {
        let db = &t.db;
        let medicine = id("OB-A3-001");
        db.put(pharmacy.id, &medicine, update(2, 0), &test_ctx())
            .await
            .unwrap();
        let sold = db
            .adjust(pharmacy.id, &medicine, adjustment(-2), &test_ctx())
            .await
            .unwrap();
        assert_eq!((sold.quantity, sold.version), (0, 2), "{}", t.name);
        let error = db
            .adjust(pharmacy.id, &medicine, adjustment(-1), &test_ctx())
            .await
            .unwrap_err();
        assert!(
            matches!(error, DomainError::Conflict { .. }),
            "{}: {error:?}",
            t.name
        );
        assert_eq!(db.all_for(pharmacy.id).await.unwrap(), vec![sold]);

        let missing = db
            .adjust(pharmacy.id, &id("OB-A1-001"), adjustment(1), &test_ctx())
            .await
            .unwrap_err();
        assert!(
            matches!(missing, DomainError::NotFound { .. }),
            "{}: {missing:?}",
            t.name
        );
    }
}

#[tokio::test]
async fn stock_lists_page_by_medicine_id() {
    for (t, pharmacy) in with_pharmacy().await {
        let db = &t.db;
        for medicine in ["OB-A3-001", "OB-A1-001", "OB-A2-001"] {
            db.put(pharmacy.id, &id(medicine), update(1, 0), &test_ctx())
                .await
                .unwrap();
        }
        let page = StockRepository::list(db, pharmacy.id, PageRequest::new(2, 2).unwrap())
            .await
            .unwrap();
        let ids: Vec<MedicineId> = page.items.iter().map(|l| l.medicine_id.clone()).collect();
        assert_eq!(
            (ids, page.total_items),
            (vec![id("OB-A3-001")], 3),
            "{}",
            t.name
        );
        assert_eq!(db.all_for(pharmacy.id).await.unwrap().len(), 3);
        let unknown = db.all_for(PharmacyId::new()).await.unwrap_err();
        assert!(matches!(unknown, DomainError::NotFound { .. }));
    }
}

#[tokio::test]
async fn health_probe_pings_and_reports_pool_figures() {
    for t in helpers::databases() {
        assert_eq!(t.db.name(), "database");
        t.db.ping().await.unwrap();
        let stats = t.db.pool_stats().unwrap();
        assert_eq!(stats.max_size, 8, "{}", t.name);
        assert!(stats.connections >= 1 && stats.idle <= stats.connections);
    }
}
