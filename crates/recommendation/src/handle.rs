//! Lock-free sharing of the current snapshot, swapped atomically when the catalogue changes.

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::Catalogue;

/// Holds the current [`Catalogue`]; readers never lock, writers replace the whole snapshot.
///
/// An unloaded handle holds [`Catalogue::empty`], on which every clinical check returns an error.
#[derive(Debug)]
pub struct CatalogueHandle {
    current: ArcSwap<Catalogue>,
}

impl CatalogueHandle {
    /// A handle serving `catalogue`.
    pub fn new(catalogue: Arc<Catalogue>) -> Self {
        Self {
            current: ArcSwap::new(catalogue),
        }
    }

    /// A handle with no knowledge yet: checks fail until [`CatalogueHandle::replace`] is called.
    pub fn unloaded() -> Self {
        Self::new(Arc::new(Catalogue::empty()))
    }

    /// The snapshot to answer one request from; keep it for the whole request.
    pub fn current(&self) -> Arc<Catalogue> {
        self.current.load_full()
    }

    /// Atomically makes `catalogue` the current snapshot; requests in flight finish on the old one.
    pub fn replace(&self, catalogue: Arc<Catalogue>) {
        self.current.store(catalogue);
    }
}

impl Default for CatalogueHandle {
    fn default() -> Self {
        Self::unloaded()
    }
}
