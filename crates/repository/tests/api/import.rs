//! `KnowledgeStore::import` and `load`: real dataset, idempotence, atomicity, local records.

use std::sync::Mutex;
use std::time::Instant;

use pharmarec_domain::ports::{
    KnowledgeStore, MedicineQuery, MedicineRepository, NoProgress, PharmacyRepository,
    ProgressSink, StockRepository,
};
use pharmarec_domain::{DomainError, KnowledgeBase, Money, NewPharmacy, StockUpdate};

use crate::fixtures::{id, key, new_medicine, small_kb};
use crate::helpers::test_ctx;
use crate::helpers::{self, sorted};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_dataset_imports_then_reimports_unchanged_and_round_trips() {
    let dataset = helpers::real_dataset();
    let counts = dataset.counts();
    for t in helpers::databases() {
        let db = &t.db;
        assert!(db.is_empty().await.unwrap());

        let started = Instant::now();
        let first = db.import(dataset.clone(), &NoProgress).await.unwrap();
        eprintln!(
            "{}: first import of the real dataset took {:?}",
            t.name,
            started.elapsed()
        );
        assert_eq!(
            first.medicines.inserted, counts.medicines as u64,
            "{}",
            t.name
        );
        let reference_rows = counts.ingredients
            + counts.synonyms
            + counts.indications
            + counts.condition_terms
            + counts.interactions
            + counts.label_warnings
            + counts.pregnancy;
        assert_eq!(
            first.reference.inserted, reference_rows as u64,
            "{}",
            t.name
        );
        assert_eq!(first.catalogue_version, 1);
        assert!(!db.is_empty().await.unwrap());

        let started = Instant::now();
        let second = db.import(dataset.clone(), &NoProgress).await.unwrap();
        eprintln!(
            "{}: unchanged re-import took {:?}",
            t.name,
            started.elapsed()
        );
        assert!(!second.changed(), "{}: {second:?}", t.name);
        assert_eq!(second.medicines.unchanged, counts.medicines as u64);
        assert_eq!(second.reference.unchanged, reference_rows as u64);
        assert_eq!(db.catalogue_version().await.unwrap(), 1, "{}", t.name);

        let started = Instant::now();
        let loaded = db.load().await.unwrap();
        eprintln!("{}: load took {:?}", t.name, started.elapsed());
        assert_eq!(loaded.counts(), counts, "{}", t.name);
        assert!(
            sorted(loaded) == sorted(dataset.clone()),
            "{}: load differs",
            t.name
        );

        let started = Instant::now();
        let query = MedicineQuery {
            text: Some("Ibuprofen".into()),
            class: Some("Nonsteroidal Anti-inflammatory Drug".into()),
            ..MedicineQuery::default()
        };
        let found = db.search(&query).await.unwrap();
        eprintln!(
            "{}: search over all medicines took {:?}",
            t.name,
            started.elapsed()
        );
        assert!(found.total_items > 20, "{}: {}", t.name, found.total_items);
        assert!(
            found
                .items
                .iter()
                .all(|m| m.ingredient_keys().any(|k| k.as_str() == "ibuprofen"))
        );
    }
}

/// Records every progress call.
#[derive(Default)]
struct Recorder(Mutex<Vec<(String, u64)>>);

impl ProgressSink for Recorder {
    fn stage(&self, name: &str, total: u64) {
        self.0
            .lock()
            .unwrap()
            .push((format!("stage {name}"), total));
    }
    fn advance(&self, done: u64) {
        self.0.lock().unwrap().push(("advance".into(), done));
    }
}

#[tokio::test]
async fn import_reports_progress_per_table() {
    for t in helpers::databases() {
        let progress = Recorder::default();
        t.db.import(small_kb(), &progress).await.unwrap();
        let events = progress.0.into_inner().unwrap();
        let at = events
            .iter()
            .position(|(e, _)| e == "stage medicines")
            .unwrap();
        assert_eq!(events[at].1, 4, "{}", t.name);
        let advanced: u64 = events[at + 1..]
            .iter()
            .take_while(|(e, _)| e == "advance")
            .map(|(_, n)| n)
            .sum();
        assert_eq!(advanced, 4, "{}: {events:?}", t.name);
        assert!(events.iter().any(|(e, _)| e == "stage interactions"));
    }
}

/// A second knowledge base that changes something in every step an import performs.
fn changed_kb() -> KnowledgeBase {
    let mut kb = small_kb();
    kb.ingredients[0].epc_classes.push("Class New".into());
    kb.synonyms[0].synonym = "gammaform".into();
    kb.medicines[2].brand_name = "BETACAP FORTE".into();
    kb
}

#[tokio::test]
async fn a_failing_import_leaves_the_database_exactly_as_before() {
    for t in helpers::databases() {
        let db = &t.db;
        db.import(small_kb(), &NoProgress).await.unwrap();
        let local =
            MedicineRepository::create(db, new_medicine("Local Cream", &["alpha"]), &test_ctx())
                .await
                .unwrap();
        let before = db.load().await.unwrap();
        let version = db.catalogue_version().await.unwrap();

        // Refused up front: a product naming an ingredient the knowledge base lacks.
        let mut unknown = changed_kb();
        unknown.medicines[0].ingredients[0].ingredient = key("omega");
        let error = db.import(unknown, &NoProgress).await.unwrap_err();
        assert!(
            matches!(&error, DomainError::Invalid { reason, .. } if reason.contains("omega")),
            "{}: {error:?}",
            t.name
        );

        // Fails midway, after ingredients, synonyms and products were written: duplicate product id.
        let mut duplicate = changed_kb();
        let mut copy = duplicate.medicines[0].clone();
        copy.id = id("OB-NEW-001");
        duplicate.medicines.push(copy.clone());
        duplicate.medicines.push(copy);
        let error = db.import(duplicate, &NoProgress).await.unwrap_err();
        assert!(
            matches!(error, DomainError::Conflict { .. }),
            "{}: {error:?}",
            t.name
        );

        // Fails at the last table: a pregnancy entry for an ingredient that exists nowhere.
        let mut dangling = changed_kb();
        dangling.pregnancy[0].ingredient = key("omega");
        assert!(
            db.import(dangling, &NoProgress).await.is_err(),
            "{}",
            t.name
        );

        assert!(
            db.load().await.unwrap() == before,
            "{}: database changed",
            t.name
        );
        assert_eq!(db.catalogue_version().await.unwrap(), version);
        assert_eq!(MedicineRepository::get(db, &local.id).await.unwrap(), local);
    }
}

#[tokio::test]
async fn import_never_touches_local_records_and_keeps_stocked_products() {
    for t in helpers::databases() {
        let db = &t.db;
        db.import(small_kb(), &NoProgress).await.unwrap();
        let local =
            MedicineRepository::create(db, new_medicine("Local Cream", &["gamma"]), &test_ctx())
                .await
                .unwrap();
        let pharmacy = PharmacyRepository::create(
            db,
            NewPharmacy {
                name: "Corner".into(),
                address: None,
            },
            &test_ctx(),
        )
        .await
        .unwrap();
        let update = StockUpdate {
            quantity: 3,
            price: Money {
                minor: 250,
                currency: "EUR".into(),
            },
            expected_version: 0,
            low_stock_threshold: None,
        };
        let stocked = id("OB-A1-001");
        db.put(pharmacy.id, &stocked, update.clone(), &test_ctx())
            .await
            .unwrap();
        db.put(pharmacy.id, &local.id, update, &test_ctx())
            .await
            .unwrap();
        let stock_before = db.all_for(pharmacy.id).await.unwrap();
        let version = db.catalogue_version().await.unwrap();

        // The source drops OB-A1-001 (stocked) and OB-A0-001 (not stocked) and renames OB-A3-001.
        let mut next = changed_kb();
        next.medicines
            .retain(|m| !["OB-A1-001", "OB-A0-001"].contains(&m.id.as_str()));
        let report = db.import(next.clone(), &NoProgress).await.unwrap();
        assert_eq!(report.medicines.removed, 1, "{}: {report:?}", t.name);
        assert_eq!(report.medicines.updated, 1, "{}", t.name);
        assert_eq!(
            report.medicines.unchanged, 2,
            "{}: kept + unchanged",
            t.name
        );
        assert!(report.reference.changed());
        assert_eq!(report.catalogue_version, version + 1);

        assert!(
            MedicineRepository::get(db, &stocked).await.is_ok(),
            "{}: stocked product deleted",
            t.name
        );
        assert!(matches!(
            MedicineRepository::get(db, &id("OB-A0-001")).await,
            Err(DomainError::NotFound { .. })
        ));
        assert_eq!(MedicineRepository::get(db, &local.id).await.unwrap(), local);
        assert_eq!(
            PharmacyRepository::get(db, pharmacy.id).await.unwrap(),
            pharmacy
        );
        assert_eq!(db.all_for(pharmacy.id).await.unwrap(), stock_before);
        let renamed = MedicineRepository::get(db, &id("OB-A3-001")).await.unwrap();
        assert_eq!(renamed.brand_name, "BETACAP FORTE");

        // Same source again: nothing to write, the kept product stays, the version stays.
        let again = db.import(next, &NoProgress).await.unwrap();
        assert!(!again.changed(), "{}: {again:?}", t.name);
        assert_eq!(again.catalogue_version, version + 1);
        let loaded = db.load().await.unwrap();
        assert_eq!(
            loaded.ingredients[0].epc_classes.last().unwrap(),
            "Class New"
        );
        assert_eq!(
            loaded.medicines.len(),
            4,
            "{}: 2 imported + kept + local",
            t.name
        );
    }
}
