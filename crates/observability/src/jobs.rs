//! Metrics of the scheduled tasks: runs, leadership, removed tokens and low-stock alerts.
//!
//! The task label is `task`, not `job`: Prometheus sets `job` on every scraped series itself.
//!
//! Only the instance holding the scheduler lock runs the tasks, so only its gauges are meaningful:
//! an instance that is not (or no longer) the leader drops its per-pharmacy low-stock series, and
//! alert rules aggregate with `max` across instances.

use std::time::{SystemTime, UNIX_EPOCH};

use prometheus::{
    GaugeVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, core::Collector,
};

use crate::ObservabilityError;

/// Counters and gauges of the scheduled tasks, registered in the [`crate::Metrics`] registry.
#[derive(Clone)]
pub struct JobMetrics {
    runs: IntCounterVec,
    last_success: GaugeVec,
    leader: IntGauge,
    tokens_removed: IntCounter,
    low_stock_alerts: IntCounter,
    low_stock_lines: IntGaugeVec,
}

fn register<C: Collector + Clone + 'static>(
    registry: &Registry,
    collector: C,
) -> Result<C, ObservabilityError> {
    registry.register(Box::new(collector.clone()))?;
    Ok(collector)
}

impl JobMetrics {
    /// Creates the metrics and registers them in `registry`.
    pub(crate) fn register(registry: &Registry) -> Result<Self, ObservabilityError> {
        Ok(Self {
            runs: register(
                registry,
                IntCounterVec::new(
                    Opts::new(
                        "pharmarec_scheduled_task_runs_total",
                        "Scheduled task runs by task and outcome (ok, error)",
                    ),
                    &["task", "outcome"],
                )?,
            )?,
            last_success: register(
                registry,
                GaugeVec::new(
                    Opts::new(
                        "pharmarec_scheduled_task_last_success_timestamp_seconds",
                        "Unix time of the task's last successful run on this instance",
                    ),
                    &["task"],
                )?,
            )?,
            leader: register(
                registry,
                IntGauge::new(
                    "pharmarec_scheduler_leader",
                    "1 when this instance holds the scheduler lock and runs the scheduled tasks",
                )?,
            )?,
            tokens_removed: register(
                registry,
                IntCounter::new(
                    "pharmarec_refresh_tokens_removed_total",
                    "Expired refresh tokens deleted by the cleanup task",
                )?,
            )?,
            low_stock_alerts: register(
                registry,
                IntCounter::new(
                    "pharmarec_low_stock_alerts_total",
                    "Low-stock alerts raised (one per stock line per crossing of its threshold)",
                )?,
            )?,
            low_stock_lines: register(
                registry,
                IntGaugeVec::new(
                    Opts::new(
                        "pharmarec_low_stock_lines",
                        "Stock lines at or below their low-stock threshold, by pharmacy id",
                    ),
                    &["pharmacy"],
                )?,
            )?,
        })
    }

    /// Records one run of `task`; a success also sets its last-success time.
    pub fn observe_run(&self, task: &str, succeeded: bool) {
        let outcome = if succeeded { "ok" } else { "error" };
        self.runs.with_label_values(&[task, outcome]).inc();
        if succeeded {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0.0, |since| since.as_secs_f64());
            self.last_success.with_label_values(&[task]).set(now);
        }
    }

    /// Records whether this instance leads; a standby drops its low-stock series, which the leader
    /// owns.
    pub fn set_leader(&self, leads: bool) {
        self.leader.set(i64::from(leads));
        if !leads {
            self.low_stock_lines.reset();
        }
    }

    /// Counts refresh tokens removed by one cleanup run.
    pub fn add_refresh_tokens_removed(&self, removed: u64) {
        self.tokens_removed.inc_by(removed);
    }

    /// Counts low-stock alerts raised by one check.
    pub fn add_low_stock_alerts(&self, raised: u64) {
        self.low_stock_alerts.inc_by(raised);
    }

    /// Replaces the per-pharmacy low-stock gauges; pharmacies left out have no low line.
    pub fn set_low_stock_lines<P: AsRef<str>>(&self, lines: impl IntoIterator<Item = (P, u64)>) {
        self.low_stock_lines.reset();
        for (pharmacy, count) in lines {
            self.low_stock_lines
                .with_label_values(&[pharmacy.as_ref()])
                .set(i64::try_from(count).unwrap_or(i64::MAX));
        }
    }
}

impl std::fmt::Debug for JobMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobMetrics").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use crate::Metrics;

    #[test]
    fn job_runs_removed_tokens_and_alerts_are_exported() {
        let metrics = Metrics::new().unwrap();
        let jobs = metrics.jobs();

        jobs.observe_run("low_stock", true);
        jobs.observe_run("low_stock", false);
        jobs.add_refresh_tokens_removed(3);
        jobs.add_low_stock_alerts(2);
        jobs.set_leader(true);
        let text = metrics.render().unwrap();

        assert!(
            text.contains(
                r#"pharmarec_scheduled_task_runs_total{outcome="ok",task="low_stock"} 1"#
            )
        );
        assert!(text.contains(
            r#"pharmarec_scheduled_task_runs_total{outcome="error",task="low_stock"} 1"#
        ));
        assert!(text.contains(
            r#"pharmarec_scheduled_task_last_success_timestamp_seconds{task="low_stock"}"#
        ));
        assert!(text.contains("pharmarec_refresh_tokens_removed_total 3"));
        assert!(text.contains("pharmarec_low_stock_alerts_total 2"));
        assert!(text.contains("pharmarec_scheduler_leader 1"));
    }

    #[test]
    fn low_stock_gauges_are_replaced_and_dropped_when_leadership_is_lost() {
        let metrics = Metrics::new().unwrap();
        let jobs = metrics.jobs();

        jobs.set_low_stock_lines([("p1", 2), ("p2", 1)]);
        jobs.set_low_stock_lines([("p2", 4)]);
        let replaced = metrics.render().unwrap();
        jobs.set_leader(false);
        let standby = metrics.render().unwrap();

        assert!(!replaced.contains(r#"pharmarec_low_stock_lines{pharmacy="p1"}"#));
        assert!(replaced.contains(r#"pharmarec_low_stock_lines{pharmacy="p2"} 4"#));
        assert!(!standby.contains("pharmarec_low_stock_lines{"));
        assert!(standby.contains("pharmarec_scheduler_leader 0"));
    }
}
