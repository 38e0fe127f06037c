//! Lock-free sharing of the current snapshot, swapped atomically when the catalogue changes.

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::KnowledgeSnapshot;

/// Holds the current [`KnowledgeSnapshot`]; readers never lock, writers replace the whole snapshot.
///
/// An unloaded handle holds [`KnowledgeSnapshot::empty`], on which every clinical check returns an error.
#[derive(Debug)]
pub struct KnowledgeHandle {
    current: ArcSwap<KnowledgeSnapshot>,
}

impl KnowledgeHandle {
    /// A handle serving `catalogue`.
    pub fn new(catalogue: Arc<KnowledgeSnapshot>) -> Self {
        Self {
            current: ArcSwap::new(catalogue),
        }
    }

    /// A handle with no knowledge yet: checks fail until [`KnowledgeHandle::replace`] is called.
    pub fn unloaded() -> Self {
        Self::new(Arc::new(KnowledgeSnapshot::empty()))
    }

    /// The snapshot to answer one request from; keep it for the whole request.
    pub fn current(&self) -> Arc<KnowledgeSnapshot> {
        self.current.load_full()
    }

    /// Atomically makes `catalogue` the current snapshot; requests in flight finish on the old one.
    pub fn replace(&self, catalogue: Arc<KnowledgeSnapshot>) {
        self.current.store(catalogue);
    }
}

impl Default for KnowledgeHandle {
    fn default() -> Self {
        Self::unloaded()
    }
}
