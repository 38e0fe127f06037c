//! `[interop]`: the CDS Hooks service and the FHIR side (`docs/INTEROPERABILITY.md`).

use std::path::PathBuf;

use pharmarec_interop::{SharedReplayStore, TrustedIssuer};
use secrecy::ExposeSecret;
use serde::Deserialize;

use super::RedisSettings;

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
    /// What the interop crate is started with; with `redis.url` set, the CDS token replay record
    /// is shared by every instance through that Redis.
    pub fn config(&self, redis: &RedisSettings) -> pharmarec_interop::InteropConfig {
        pharmarec_interop::InteropConfig {
            fhir_extra_ca_file: self.fhir_extra_ca_file.clone(),
            cds_public_base_url: self.cds_public_base_url.clone(),
            cds_trusted_issuers: self.cds_trusted_issuers.clone(),
            cds_replay_store: redis.url.as_ref().map(|url| SharedReplayStore {
                url: url.expose_secret().to_string(),
                key_prefix: redis.key_prefix.clone(),
            }),
        }
    }
}
