//! `MedicineRepository`: search, filters, sort, paging, and versioned writes.

use pharmarec_domain::ports::{
    KnowledgeStore, MedicineQuery, MedicineRepository, MedicineSort, NoProgress,
    PharmacyRepository, StockRepository,
};
use pharmarec_domain::{
    DomainError, Entity, MarketingStatus, Medicine, MedicineOrigin, Money, NewPharmacy,
    PageRequest, StockUpdate,
};

use crate::fixtures::{id, new_medicine, small_kb};
use crate::helpers::test_ctx;
use crate::helpers::{self, TestDb};

async fn seeded() -> Vec<TestDb> {
    let all = helpers::databases();
    for t in &all {
        t.db.import(small_kb(), &NoProgress).await.unwrap();
    }
    all
}

fn ids(items: &[Medicine]) -> Vec<&str> {
    items.iter().map(|m| m.id.as_str()).collect()
}

fn query(text: Option<&str>) -> MedicineQuery {
    MedicineQuery {
        text: text.map(str::to_string),
        ..MedicineQuery::default()
    }
}

#[tokio::test]
async fn search_matches_brand_ingredient_and_synonym_case_insensitively() {
    for t in seeded().await {
        let db = &t.db;
        let by_brand = db.search(&query(Some("zeta"))).await.unwrap();
        assert_eq!(
            ids(&by_brand.items),
            ["OB-A0-001", "OB-A1-001"],
            "{}: tie-break by id",
            t.name
        );
        assert_eq!(by_brand.total_items, 2);

        let by_ingredient = db.search(&query(Some("BETA"))).await.unwrap();
        assert_eq!(
            ids(&by_ingredient.items),
            ["OB-A2-001", "OB-A3-001"],
            "{}",
            t.name
        );

        let by_synonym = db.search(&query(Some("paraGAMMA"))).await.unwrap();
        assert_eq!(ids(&by_synonym.items), ["OB-A0-001"], "{}", t.name);

        let wildcard = db.search(&query(Some("%"))).await.unwrap();
        assert_eq!(wildcard.total_items, 0, "{}: % must match itself", t.name);

        let full = db.search(&query(None)).await.unwrap();
        assert_eq!(full.total_items, 4);
        let loaded = MedicineRepository::get(db, &id("OB-A2-001")).await.unwrap();
        assert_eq!(full.items.iter().find(|m| m.id == loaded.id), Some(&loaded));
        assert_eq!(
            loaded.ingredients[1].ingredient.as_str(),
            "beta",
            "label order kept"
        );
    }
}

#[tokio::test]
async fn search_filters_sorts_and_pages() {
    for t in seeded().await {
        let db = &t.db;
        let class = MedicineQuery {
            class: Some("Class A".into()),
            ..query(None)
        };
        assert_eq!(
            ids(&db.search(&class).await.unwrap().items),
            ["OB-A2-001", "OB-A1-001"]
        );

        let otc_capsules = MedicineQuery {
            status: Some(MarketingStatus::Otc),
            dose_form: Some("capsule".into()),
            ..query(None)
        };
        assert_eq!(
            ids(&db.search(&otc_capsules).await.unwrap().items),
            ["OB-A0-001"]
        );

        let desc = MedicineQuery {
            sort: MedicineSort::NameDesc,
            ..query(None)
        };
        assert_eq!(
            ids(&db.search(&desc).await.unwrap().items),
            ["OB-A0-001", "OB-A1-001", "OB-A3-001", "OB-A2-001"],
            "{}",
            t.name
        );

        let page2 = MedicineQuery {
            sort: MedicineSort::Id,
            page: PageRequest::new(2, 3).unwrap(),
            ..query(None)
        };
        let page = db.search(&page2).await.unwrap();
        assert_eq!(ids(&page.items), ["OB-A3-001"], "{}", t.name);
        assert_eq!((page.total_items, page.total_pages()), (4, 2));
    }
}

#[tokio::test]
async fn ingredients_and_conditions_are_searchable_and_paged() {
    for t in seeded().await {
        let db = &t.db;
        let first = PageRequest::new(1, 2).unwrap();
        let all = db.ingredients(None, first).await.unwrap();
        assert_eq!(all.total_items, 3);
        assert_eq!(all.items[0].key.as_str(), "alpha");
        assert_eq!(
            all.items[1].epc_classes,
            ["Class B", "Class A2"],
            "{}",
            t.name
        );
        let by_synonym = db.ingredients(Some("paragam"), first).await.unwrap();
        assert_eq!(by_synonym.items.len(), 1);
        assert_eq!(by_synonym.items[0].key.as_str(), "gamma");

        let fever = db.conditions(Some("FEV"), first).await.unwrap();
        assert_eq!(
            (fever.items.clone(), fever.total_items),
            (vec!["Fever".to_string()], 1)
        );
        let conditions = db
            .conditions(None, PageRequest::new(2, 2).unwrap())
            .await
            .unwrap();
        assert_eq!(conditions.total_items, 3, "{}: distinct conditions", t.name);
        assert_eq!(conditions.items, ["Tension-Type Headache"]);
    }
}

#[tokio::test]
async fn writes_bump_the_version_and_check_ingredients_and_stock() {
    for t in seeded().await {
        let db = &t.db;
        let v0 = db.catalogue_version().await.unwrap();
        let error = MedicineRepository::create(
            db,
            new_medicine("Bad", &["alpha", "unobtainium"]),
            &test_ctx(),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&error, DomainError::NotFound { entity: Entity::Ingredient, id } if id == "unobtainium"),
            "{}: {error:?}",
            t.name
        );
        assert_eq!(
            db.catalogue_version().await.unwrap(),
            v0,
            "failed write keeps the version"
        );

        let created = MedicineRepository::create(
            db,
            new_medicine("Local Gel", &["alpha", "beta"]),
            &test_ctx(),
        )
        .await
        .unwrap();
        assert!(created.id.is_local());
        assert_eq!(created.origin, MedicineOrigin::Local);
        assert_eq!(
            MedicineRepository::get(db, &created.id).await.unwrap(),
            created
        );
        assert_eq!(db.catalogue_version().await.unwrap(), v0 + 1);

        let updated = db
            .update(
                &created.id,
                new_medicine("Local Gel 2", &["gamma"]),
                &test_ctx(),
            )
            .await
            .unwrap();
        assert_eq!(
            MedicineRepository::get(db, &created.id).await.unwrap(),
            updated
        );
        assert_eq!(updated.ingredients.len(), 1);
        let refused = db
            .update(
                &id("OB-A3-001"),
                new_medicine("Renamed", &["beta"]),
                &test_ctx(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(refused, DomainError::Conflict { .. }),
            "{}: imported products change only through the import: {refused:?}",
            t.name
        );
        let refused = MedicineRepository::delete(db, &id("OB-A3-001"), &test_ctx())
            .await
            .unwrap_err();
        assert!(
            matches!(refused, DomainError::Conflict { .. }),
            "{}",
            t.name
        );
        let unchanged = MedicineRepository::get(db, &id("OB-A3-001")).await.unwrap();
        assert!(matches!(unchanged.origin, MedicineOrigin::Imported { .. }));
        assert_ne!(
            unchanged.brand_name, "Renamed",
            "a refused edit changes nothing"
        );

        let pharmacy = PharmacyRepository::create(
            db,
            NewPharmacy {
                name: "P".into(),
                address: None,
            },
            &test_ctx(),
        )
        .await
        .unwrap();
        let update = StockUpdate {
            quantity: 1,
            price: Money {
                minor: 1,
                currency: "EUR".into(),
            },
            expected_version: 0,
            low_stock_threshold: None,
        };
        db.put(pharmacy.id, &created.id, update, &test_ctx())
            .await
            .unwrap();
        let error = MedicineRepository::delete(db, &created.id, &test_ctx())
            .await
            .unwrap_err();
        assert!(
            matches!(error, DomainError::Conflict { .. }),
            "{}: {error:?}",
            t.name
        );

        let spare =
            MedicineRepository::create(db, new_medicine("Spare Gel", &["alpha"]), &test_ctx())
                .await
                .unwrap();
        MedicineRepository::delete(db, &spare.id, &test_ctx())
            .await
            .unwrap();
        assert!(matches!(
            MedicineRepository::get(db, &spare.id).await,
            Err(DomainError::NotFound { .. })
        ));
        let missing = MedicineRepository::delete(db, &spare.id, &test_ctx())
            .await
            .unwrap_err();
        assert!(matches!(missing, DomainError::NotFound { .. }));
        assert_eq!(db.catalogue_version().await.unwrap(), v0 + 4);
    }
}
