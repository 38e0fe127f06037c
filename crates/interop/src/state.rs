//! What the interop routes keep between requests: the cards shown per hook instance, and the
//! ingredient name index of the current catalogue version.
//!
//! # Why in memory
//! A card shown at `order-select` must not be shown again at `order-sign` for the same
//! `hookInstance`. The record is a bounded FIFO in process memory: the oldest hook instances are
//! forgotten first once [`MAX_INSTANCES`] is reached, so memory stays bounded whatever clients
//! send. Behind several replicas without session affinity, a repeated card is the failure mode —
//! a duplicate, never a missing warning — so it was preferred to a Redis round trip on every
//! hook call.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pharmarec_domain::PageRequest;
use pharmarec_http_api::AppState;

use crate::cds::{CdsAuth, SharedReplayStore, TrustedIssuer};
use crate::error::InteropError;
use crate::ingredients::IngredientNames;

/// Hook instances remembered at most.
pub(crate) const MAX_INSTANCES: usize = 10_000;

/// Shared by every worker: create one per server and hand it to [`crate::configure`].
#[derive(Debug, Clone)]
pub struct InteropState {
    shown: Arc<Mutex<Shown>>,
    names: Arc<Mutex<Option<VersionedNames>>>,
    /// The TLS configuration of calls to FHIR servers and JWK Set URLs, built once at start-up.
    fhir_tls: Arc<rustls::ClientConfig>,
    /// Checks the CDS client's JWT.
    cds_auth: Arc<CdsAuth>,
}

/// The interop settings read at start-up.
#[derive(Debug, Clone, Default)]
pub struct InteropConfig {
    /// A PEM bundle of CA certificates trusted for FHIR servers besides the public roots.
    pub fhir_extra_ca_file: Option<PathBuf>,
    /// The public base URL of the CDS services (the JWT `aud` is `{base}/cds-services/{id}`).
    pub cds_public_base_url: Option<String>,
    /// EHRs whose JWTs are accepted; empty = calls are not authenticated.
    pub cds_trusted_issuers: Vec<TrustedIssuer>,
    /// The Redis shared by every instance for the CDS token replay record; `None` = in process only.
    pub cds_replay_store: Option<SharedReplayStore>,
}

/// The ingredient names and the catalogue version they were read from.
type VersionedNames = (i64, Arc<IngredientNames>);

#[derive(Debug, Default)]
struct Shown {
    by_instance: HashMap<String, HashSet<String>>,
    order: VecDeque<String>,
}

impl InteropState {
    /// The state for a server started with `config`.
    ///
    /// # Errors
    /// [`InteropError`] when the extra CA bundle or a trusted issuer cannot be used.
    pub fn new(config: &InteropConfig) -> Result<Self, InteropError> {
        // One trust for every outbound call: FHIR servers and the EHRs' JWK Set URLs.
        let tls = Arc::new(crate::tls::client_config(
            config.fhir_extra_ca_file.as_deref(),
        )?);
        Ok(Self {
            cds_auth: Arc::new(CdsAuth::new(
                config.cds_public_base_url.as_deref(),
                &config.cds_trusted_issuers,
                &tls,
                config.cds_replay_store.as_ref(),
            )?),
            shown: Arc::default(),
            names: Arc::default(),
            fhir_tls: tls,
        })
    }

    /// The CDS client JWT verifier.
    pub(crate) fn cds_auth(&self) -> &CdsAuth {
        &self.cds_auth
    }

    /// The TLS configuration of calls to FHIR servers.
    pub(crate) fn fhir_tls(&self) -> Arc<rustls::ClientConfig> {
        self.fhir_tls.clone()
    }

    /// Records that `fingerprint` is shown for `instance`; `false` when it already was.
    pub(crate) fn first_showing(&self, instance: &str, fingerprint: &str) -> bool {
        // A poisoned lock only means another request panicked mid-insert; the map is still usable.
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        if !shown.by_instance.contains_key(instance) {
            if shown.order.len() >= MAX_INSTANCES
                && let Some(oldest) = shown.order.pop_front()
            {
                shown.by_instance.remove(&oldest);
            }
            shown.order.push_back(instance.to_string());
        }
        shown
            .by_instance
            .entry(instance.to_string())
            .or_default()
            .insert(fingerprint.to_string())
    }

    /// The ingredient names of catalogue `version`, read through the catalogue port once per
    /// version.
    pub(crate) async fn names(
        &self,
        state: &AppState,
        version: i64,
    ) -> Result<Arc<IngredientNames>, InteropError> {
        if let Some((cached, names)) = &*self.names.lock().unwrap_or_else(|p| p.into_inner())
            && *cached == version
        {
            return Ok(names.clone());
        }
        let mut ingredients = Vec::new();
        for page in 1.. {
            let request = PageRequest::new(page, PageRequest::MAX_PER_PAGE)?;
            let found = state.medicines.ingredients(None, request).await?;
            let done = found.items.is_empty() || u64::from(page) >= found.total_pages();
            ingredients.extend(found.items);
            if done {
                break;
            }
        }
        let names = Arc::new(IngredientNames::new(&ingredients));
        *self.names.lock().unwrap_or_else(|p| p.into_inner()) = Some((version, names.clone()));
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_shown_once_per_instance() {
        let state = InteropState::new(&InteropConfig::default()).unwrap();
        assert!(state.first_showing("a", "card"));
        assert!(!state.first_showing("a", "card"));
        assert!(state.first_showing("b", "card"));
    }

    #[test]
    fn the_oldest_instance_is_forgotten_at_the_bound() {
        let state = InteropState::new(&InteropConfig::default()).unwrap();
        assert!(state.first_showing("first", "card"));
        for i in 0..MAX_INSTANCES {
            state.first_showing(&i.to_string(), "card");
        }
        // "first" was evicted: the record stays bounded, and the card would show again.
        assert!(state.first_showing("first", "card"));
        let shown = state.shown.lock().unwrap();
        assert_eq!(shown.by_instance.len(), MAX_INSTANCES);
    }
}
