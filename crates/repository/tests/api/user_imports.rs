//! `KnowledgeImports` on each backend: licensed sources and a pharmacy catalogue join the stored
//! knowledge, stay apart from it, and survive a re-import of the shipped knowledge (synthetic data).

use pharmarec_domain::imports::{LicensedFormat, LicensedImport, parse_catalogue, parse_licensed};
use pharmarec_domain::ports::{KnowledgeImports, KnowledgeStore, NoProgress};
use pharmarec_domain::{InteractionSource, Severity};

use crate::fixtures::small_kb;
use crate::helpers::{self, test_ctx};

const SYNTHETIC_GENERIC: &str = "ingredient_a,ingredient_b,severity,description\n\
    alpha,beta,minor,SYNTHETIC test row\n\
    alpha,no-such-drug,major,SYNTHETIC test row\n\
    PARAGAMMA,alpha,moderate,SYNTHETIC test row\n";

fn licensed(text: &str) -> LicensedImport {
    let rows = parse_licensed(LicensedFormat::Generic, text.as_bytes()).unwrap();
    LicensedImport::new(
        "synthetic_source".parse().unwrap(),
        LicensedFormat::Generic,
        Some("Synthetic source".into()),
        None,
        rows,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_licensed_source_joins_by_name_and_survives_a_shipped_import() {
    for t in helpers::databases() {
        let db = &t.db;
        db.import(small_kb(), &NoProgress).await.unwrap();
        let report = db
            .import_interactions(licensed(SYNTHETIC_GENERIC), &NoProgress, &test_ctx())
            .await
            .unwrap();
        assert_eq!(report.interactions.inserted, 2, "{}", t.name);
        assert_eq!(
            (report.unmatched_rows, report.unmatched_names.as_slice()),
            (1, ["no-such-drug".to_string()].as_slice())
        );

        // A shipped import that changes the shipped interactions leaves the licensed ones alone.
        let mut changed = small_kb();
        changed.interactions[0].severity = Severity::Minor;
        db.import(changed, &NoProgress).await.unwrap();
        let loaded = db.load().await.unwrap();
        let licensed_rows: Vec<(&str, &str, Severity)> = loaded
            .interactions
            .iter()
            .filter(|i| matches!(i.source, InteractionSource::Licensed(_)))
            .map(|i| {
                (
                    i.pair.first().as_str(),
                    i.pair.second().as_str(),
                    i.severity,
                )
            })
            .collect();
        assert_eq!(
            licensed_rows,
            [
                ("alpha", "beta", Severity::Minor),
                ("alpha", "gamma", Severity::Moderate)
            ],
            "{}",
            t.name
        );
        assert_eq!(loaded.interactions.len(), 4);

        let version = db.catalogue_version().await.unwrap();
        let again = db
            .import_interactions(licensed(SYNTHETIC_GENERIC), &NoProgress, &test_ctx())
            .await
            .unwrap();
        assert_eq!(
            (again.interactions.unchanged, again.catalogue_version),
            (2, version)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogue_products_are_local_and_an_unknown_ingredient_writes_nothing() {
    for t in helpers::databases() {
        let db = &t.db;
        db.import(small_kb(), &NoProgress).await.unwrap();
        let header = "product_code,name,ingredients,strengths,dose_form,route,status\n";
        let good = "SYN-1,Synthetic One,paragamma;alpha,1MG;2MG,tablet,oral,otc\n";
        let bad = format!("{header}{good}SYN-2,Synthetic Two,no-such-drug,1MG,tablet,oral,otc\n");
        let refused = db
            .import_catalogue(
                parse_catalogue(bad.as_bytes(), None).unwrap(),
                &NoProgress,
                &test_ctx(),
            )
            .await
            .unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("line 3: unknown ingredient 'no-such-drug'")
        );
        assert_eq!(db.load().await.unwrap().medicines.len(), 4, "{}", t.name);

        let file = || parse_catalogue(format!("{header}{good}").as_bytes(), None).unwrap();
        let first = db
            .import_catalogue(file(), &NoProgress, &test_ctx())
            .await
            .unwrap();
        assert_eq!(first.products.inserted, 1);
        // The shipped import compares imported products only: the local one stays.
        db.import(small_kb(), &NoProgress).await.unwrap();
        let again = db
            .import_catalogue(file(), &NoProgress, &test_ctx())
            .await
            .unwrap();
        assert_eq!(
            (again.products.unchanged, again.catalogue_version),
            (1, first.catalogue_version)
        );
        let loaded = db.load().await.unwrap();
        let product = loaded
            .medicines
            .iter()
            .find(|m| m.id.as_str() == "LOC-SYN-1")
            .expect("imported product");
        assert_eq!(
            product
                .ingredient_keys()
                .map(|k| k.as_str())
                .collect::<Vec<_>>(),
            ["gamma", "alpha"]
        );
    }
}
