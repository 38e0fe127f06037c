//! The clinical catalogue: the all-or-nothing import (CLI and first start), building the engine
//! snapshot, and keeping it fresh when any instance changes the catalogue.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::Context;
use pharmarec_domain::ClinicalRules;
use pharmarec_domain::KnowledgeVersion;
use pharmarec_domain::dataset::{self, DATASET_SOURCES, DatasetError, DatasetSource};

use crate::dataset::EmbeddedDataset;
use pharmarec_domain::ports::{ImportReport, KnowledgeStore, ProgressSink};
use pharmarec_recommendation::{KnowledgeHandle, KnowledgeSnapshot};

/// Parses `source` completely, then imports it in one transaction.
///
/// Parsing finishes before the database is touched, so a malformed row changes nothing.
///
/// # Errors
/// `file:line: reason` for a malformed row, or the store's error.
pub async fn import_dataset<S>(
    store: &dyn KnowledgeStore,
    source: S,
    progress: &dyn ProgressSink,
) -> anyhow::Result<ImportReport>
where
    S: DatasetSource + Send + 'static,
{
    progress.stage("parsing dataset", 1);
    let knowledge = tokio::task::spawn_blocking(move || dataset::parse(&source))
        .await
        .context("dataset parsing task failed")?
        .context("the dataset is malformed; nothing was imported")?;
    progress.advance(1);
    store
        .import(knowledge, progress)
        .await
        .context("import failed; the database is unchanged")
}

/// Loads the stored knowledge and builds an engine snapshot from it.
///
/// The version is read before the knowledge, so a write landing in between yields a snapshot tagged
/// with the older version: the next refresh sees the newer one and rebuilds. Never the other way round.
///
/// # Errors
/// The store fails, or the knowledge does not form a valid snapshot.
pub async fn load_snapshot(store: &dyn KnowledgeStore) -> anyhow::Result<Arc<KnowledgeSnapshot>> {
    let catalogue_version = store.catalogue_version().await?;
    let mut knowledge = store.load().await?;
    // The rule tables ship with the binary; the store holds the catalogue they are applied to.
    knowledge.rules = embedded_rules()?;
    let version = KnowledgeVersion {
        catalogue_version,
        sources: DATASET_SOURCES.iter().map(|s| (*s).to_string()).collect(),
    };
    let catalogue =
        tokio::task::spawn_blocking(move || KnowledgeSnapshot::build(knowledge, version))
            .await
            .context("snapshot build task failed")?
            .context("cannot build the engine snapshot")?;
    Ok(Arc::new(catalogue))
}

/// The rule tables compiled into the binary, parsed once: every snapshot rebuild (after each catalogue
/// write, on every instance) reuses them.
fn embedded_rules() -> anyhow::Result<ClinicalRules> {
    static RULES: OnceLock<Result<ClinicalRules, DatasetError>> = OnceLock::new();
    RULES
        .get_or_init(|| dataset::parse_rules(&EmbeddedDataset))
        .clone()
        .context("the embedded rule tables")
}

/// Polls the catalogue version and swaps in a rebuilt snapshot when it changed.
///
/// Every instance runs one, so a write on any instance reaches all of them within `interval`. A failed
/// refresh keeps serving the previous snapshot and tries again at the next tick.
pub async fn keep_fresh(
    store: Arc<dyn KnowledgeStore>,
    handle: Arc<KnowledgeHandle>,
    interval: Duration,
) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let served = handle.current().knowledge_version().catalogue_version;
        match store.catalogue_version().await {
            Ok(stored) if stored == served => {}
            Ok(stored) => match load_snapshot(store.as_ref()).await {
                Ok(snapshot) => {
                    handle.replace(snapshot);
                    tracing::info!(from = served, to = stored, "engine snapshot refreshed");
                }
                Err(error) => tracing::warn!("snapshot refresh failed: {error:#}"),
            },
            Err(error) => tracing::warn!(%error, "catalogue version check failed"),
        }
    }
}
