//! The port contract of `pharmarec-test-support`, run against the in-memory fakes the HTTP layer's
//! tests use and against `Database` on every available backend: the fakes may not drift from
//! production.

use std::sync::Arc;

use pharmarec_domain::ports::{KnowledgeStore, NoProgress};
use pharmarec_test_support::contract::{self, Subject};

use crate::fixtures::small_kb;
use crate::helpers::{self, TestDb};

/// The fakes, then each database (kept alive beside its subject) with the small fixture imported.
async fn subjects() -> Vec<(Subject, Option<TestDb>)> {
    let mut all = vec![(Subject::fakes(), None)];
    for t in helpers::databases() {
        t.db.import(small_kb(), &NoProgress).await.unwrap();
        let db = Arc::new(t.db.clone());
        let subject = Subject {
            name: t.name,
            catalogue: db.clone(),
            pharmacies: db.clone(),
            stock: db.clone(),
            users: db,
            known_ingredient: "alpha".parse().unwrap(),
        };
        all.push((subject, Some(t)));
    }
    all
}

/// Runs `clause` on every subject.
async fn on_every_subject(clause: impl AsyncFn(&Subject)) {
    for (subject, _db) in subjects().await {
        clause(&subject).await;
    }
}

#[tokio::test]
async fn stock_ports_keep_the_contract() {
    on_every_subject(contract::stock).await;
}

#[tokio::test]
async fn catalogue_ports_keep_the_contract() {
    on_every_subject(contract::catalogue).await;
}

#[tokio::test]
async fn pharmacy_ports_keep_the_contract() {
    on_every_subject(contract::pharmacies).await;
}

#[tokio::test]
async fn user_ports_keep_the_contract() {
    on_every_subject(contract::users).await;
}
