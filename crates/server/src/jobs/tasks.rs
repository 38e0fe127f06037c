//! The scheduled tasks: one run each, with its metrics, log lines and audit context.

use pharmarec_domain::AuditContext;
use pharmarec_domain::ports::LowStockSweep;
use pharmarec_observability::JobMetrics;

use super::Scheduled;

/// A scheduled task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Task {
    /// Delete refresh tokens past their expiry.
    RefreshTokenCleanup,
    /// Raise alerts for stock lines at or below their threshold.
    LowStock,
}

impl Task {
    /// The `task` label of its metrics, and its name in logs and the audit trail.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::RefreshTokenCleanup => "refresh_token_cleanup",
            Self::LowStock => "low_stock",
        }
    }

    /// Runs the task once; a failure is logged and counted, and the next run tries again.
    pub(super) async fn run(self, scheduled: &Scheduled) {
        // The audit trail names the job where a request would have its id.
        let ctx = AuditContext {
            actor: None,
            request_id: format!("job:{}", self.name()),
            client_ip: None,
        };
        let metrics = scheduled.metrics.jobs();
        let outcome = match self {
            Self::RefreshTokenCleanup => scheduled
                .tasks
                .remove_expired_refresh_tokens(&ctx)
                .await
                .map(|removed| {
                    metrics.add_refresh_tokens_removed(removed);
                    if removed > 0 {
                        tracing::info!(removed, "expired refresh tokens removed");
                    }
                }),
            Self::LowStock => scheduled
                .tasks
                .sweep_low_stock(&ctx)
                .await
                .map(|sweep| report_low_stock(metrics, &sweep)),
        };
        metrics.observe_run(self.name(), outcome.is_ok());
        if let Err(error) = outcome {
            tracing::error!(error = %error, "scheduled task failed");
        }
    }
}

/// Metrics and one warning per alert raised; recovered lines are logged at info.
fn report_low_stock(metrics: &JobMetrics, sweep: &LowStockSweep) {
    for line in &sweep.raised {
        tracing::warn!(
            pharmacy_id = %line.pharmacy_id,
            medicine_id = %line.medicine_id,
            quantity = line.quantity,
            threshold = line.low_stock_threshold,
            "low stock"
        );
    }
    for line in &sweep.cleared {
        tracing::info!(
            pharmacy_id = %line.pharmacy_id,
            medicine_id = %line.medicine_id,
            quantity = line.quantity,
            "stock recovered above its low-stock threshold"
        );
    }
    metrics.add_low_stock_alerts(u64::try_from(sweep.raised.len()).unwrap_or(u64::MAX));
    metrics.set_low_stock_lines(
        sweep
            .low_lines
            .iter()
            .map(|(pharmacy, count)| (pharmacy.to_string(), *count)),
    );
}
