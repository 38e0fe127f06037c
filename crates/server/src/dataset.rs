//! Where the import reads the dataset from: the copy embedded in the binary (so the server runs from
//! any directory) or a directory given on the command line.

use std::io::Read;
use std::path::PathBuf;

use pharmarec_domain::dataset::{DatasetError, DatasetSource};

/// Declares the embedded files once: a file missing from `data/` fails the build, not a run.
macro_rules! embedded_files {
    ($($name:literal),* $(,)?) => {
        const EMBEDDED: &[(&str, &[u8])] = &[
            $(($name, include_bytes!(concat!("../../../data/", $name)))),*
        ];
    };
}

embedded_files!(
    "ingredients.csv",
    "ingredient_synonyms.csv",
    "medicines.csv",
    "indications.csv",
    "condition_vocabulary.csv",
    "interactions.csv",
    "interactions_ansm.csv",
    "otc_label_warnings.csv",
    "pregnancy_categories.csv",
    "otc_monograph/otc_monograph_ingredients.csv",
    "otc_monograph/otc_monograph_indications.csv",
    "otc_monograph/otc_monograph_warnings.csv",
    "otc_monograph/age_rules.csv",
    "rules/patient_conditions.csv",
    "rules/condition_rules.csv",
    "rules/age_rules.csv",
    "rules/pregnancy_rules.csv",
    "rules/lactation_rules.csv",
    "rules/allergy_words.csv",
    "rules/medicine_names.csv",
    "rules/lay_vocabulary.csv",
    "rules/category_opposites.csv",
    "rules/withdrawn.csv",
);

/// The shipped dataset, compiled into the binary.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmbeddedDataset;

impl DatasetSource for EmbeddedDataset {
    fn open(&self, file: &str) -> Result<Box<dyn Read + '_>, DatasetError> {
        EMBEDDED
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, bytes)| Box::new(*bytes) as Box<dyn Read>)
            .ok_or_else(|| DatasetError::file(file, "not embedded in this build"))
    }
}

/// A dataset directory on disk (`pharmarec import --dir DIR`).
#[derive(Debug, Clone)]
pub struct DirectoryDataset(pub PathBuf);

impl DatasetSource for DirectoryDataset {
    fn open(&self, file: &str) -> Result<Box<dyn Read + '_>, DatasetError> {
        let path = self.0.join(file);
        std::fs::File::open(&path)
            .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn Read>)
            .map_err(|e| DatasetError::file(file, format!("cannot open {}: {e}", path.display())))
    }
}

#[cfg(test)]
mod tests {
    use pharmarec_domain::dataset::{DATASET_FILES, RULE_FILES, parse_rules};

    use super::*;

    #[test]
    fn every_dataset_file_is_embedded() {
        for file in DATASET_FILES.iter().chain(&RULE_FILES) {
            assert!(EmbeddedDataset.open(file).is_ok(), "{file} not embedded");
        }
        assert_eq!(EMBEDDED.len(), DATASET_FILES.len() + RULE_FILES.len());
    }

    #[test]
    fn the_embedded_rule_tables_parse() {
        let rules = parse_rules(&EmbeddedDataset).unwrap();
        assert!(!rules.monograph.ingredients.is_empty());
    }

    #[test]
    fn missing_directory_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = DirectoryDataset(dir.path().to_path_buf())
            .open("medicines.csv")
            .err()
            .unwrap();
        assert_eq!(error.file, "medicines.csv");
    }
}
