//! `[interop]`: the CDS Hooks service and the FHIR side (`docs/INTEROPERABILITY.md`).

use std::path::PathBuf;

use pharmarec_interop::TrustedIssuer;
use serde::Deserialize;

/// `[interop]`; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteropSettings {
    /// PEM bundle of CA certificates trusted for EHR FHIR servers besides the public roots.
    pub fhir_extra_ca_file: Option<PathBuf>,
    /// Public base URL of the CDS services, e.g. `https://pharmarec.example` (the JWT `aud`).
    pub cds_public_base_url: Option<String>,
    /// EHRs whose signed JWTs the CDS services require; empty = no JWT is checked.
    #[serde(default)]
    pub cds_trusted_issuers: Vec<TrustedIssuer>,
}

impl InteropSettings {
    /// What the interop crate is started with.
    pub fn config(&self) -> pharmarec_interop::InteropConfig {
        pharmarec_interop::InteropConfig {
            fhir_extra_ca_file: self.fhir_extra_ca_file.clone(),
            cds_public_base_url: self.cds_public_base_url.clone(),
            cds_trusted_issuers: self.cds_trusted_issuers.clone(),
        }
    }
}
