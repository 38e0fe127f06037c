//! Ports for the scheduled maintenance tasks and for choosing the one instance that runs them.

use async_trait::async_trait;

use crate::{AuditContext, DomainError, PharmacyId, StockLevel};

/// What one low-stock check did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LowStockSweep {
    /// Lines that fell to or below their threshold since the last check: one alert each.
    pub raised: Vec<StockLevel>,
    /// Lines that were alerted and are above their threshold again (or lost it): re-armed.
    pub cleared: Vec<StockLevel>,
    /// Lines at or below their threshold now, per pharmacy (pharmacies with none are left out).
    pub low_lines: Vec<(PharmacyId, u64)>,
}

/// Housekeeping writes run by the scheduler; each is audited in its own transaction.
#[async_trait]
pub trait MaintenanceTasks: Send + Sync {
    /// Deletes refresh tokens past their expiry and returns how many; records one audit event when
    /// any were removed (a count, never a token hash).
    async fn remove_expired_refresh_tokens(&self, ctx: &AuditContext) -> Result<u64, DomainError>;
    /// Raises an alert for every line that crossed its threshold since the last check and re-arms
    /// lines that recovered, recording one audit event per line changed.
    ///
    /// # Implementation Notes
    /// Each line is marked with a guarded update (only if not yet alerted), so two concurrent checks
    /// still raise one alert per crossing; the leader lock only avoids the wasted work.
    async fn sweep_low_stock(&self, ctx: &AuditContext) -> Result<LowStockSweep, DomainError>;
}

/// Picks the one instance that runs the scheduled tasks.
#[async_trait]
pub trait LeaderLock: Send + Sync {
    /// Whether this instance holds the lock now, taking it when it is free. Once taken it is kept
    /// until the instance stops or loses its connection, so the same instance runs every tick.
    async fn try_lead(&self) -> Result<bool, DomainError>;
}
