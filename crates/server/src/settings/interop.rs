//! `[interop]`: the CDS Hooks service and the FHIR side (`docs/INTEROPERABILITY.md`).

use std::path::PathBuf;

use serde::Deserialize;

/// `[interop]`; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteropSettings {
    /// PEM bundle of CA certificates trusted for EHR FHIR servers besides the public roots.
    pub fhir_extra_ca_file: Option<PathBuf>,
}

impl InteropSettings {
    /// What the interop crate is started with.
    pub fn config(&self) -> pharmarec_interop::InteropConfig {
        pharmarec_interop::InteropConfig {
            fhir_extra_ca_file: self.fhir_extra_ca_file.clone(),
        }
    }
}
