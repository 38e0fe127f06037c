//! Loads the shipped dataset (`data/` at the repository root) into a catalogue snapshot.
//!
//! Shared by the integration tests, benches and examples through `#[path]`, so they all measure
//! and test the same full catalogue.

use std::error::Error;
use std::io::Read;
use std::path::PathBuf;

use pharmarec_domain::KnowledgeVersion;
use pharmarec_domain::dataset::{DATASET_SOURCES, DatasetError, DatasetSource, parse, parse_rules};
use pharmarec_recommendation::KnowledgeSnapshot;

/// Opens dataset files from a directory.
struct DataDir(PathBuf);

impl DatasetSource for DataDir {
    fn open(&self, file: &str) -> Result<Box<dyn Read + '_>, DatasetError> {
        std::fs::File::open(self.0.join(file))
            .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn Read>)
            .map_err(|e| DatasetError::file(file, e.to_string()))
    }
}

/// The version and sources answers built from the shipped dataset cite.
pub(crate) fn shipped_version() -> KnowledgeVersion {
    KnowledgeVersion {
        catalogue_version: 1,
        sources: DATASET_SOURCES.iter().map(|s| (*s).to_string()).collect(),
    }
}

/// Parses the shipped dataset and its rule tables.
pub(crate) fn shipped_knowledge() -> Result<pharmarec_domain::KnowledgeBase, Box<dyn Error>> {
    let dir = DataDir(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data"
    )));
    let mut knowledge = parse(&dir)?;
    knowledge.rules = parse_rules(&dir)?;
    Ok(knowledge)
}

/// Parses the shipped dataset and builds the full snapshot.
pub(crate) fn shipped_catalogue() -> Result<KnowledgeSnapshot, Box<dyn Error>> {
    Ok(KnowledgeSnapshot::build(
        shipped_knowledge()?,
        shipped_version(),
    )?)
}
