//! Scheduled tasks inside the service, so no cron is needed: expired refresh tokens are deleted and
//! low-stock alerts raised on their own intervals (`[jobs]` settings).
//!
//! Every instance runs the scheduler loop, but only the holder of the [`LeaderLock`] does the work:
//! on PostgreSQL a session advisory lock ([`AdvisoryLock`]) that the holder keeps until it stops, so
//! a standby takes over within one `poll_interval_secs` of the holder going away. On SQLite the
//! database is one file owned by one process, so that process leads ([`SingleProcess`]).

mod tasks;

use std::sync::Arc;
use std::time::Duration;

use pharmarec_domain::DomainError;
use pharmarec_domain::ports::{LeaderLock, MaintenanceTasks};
use pharmarec_observability::Metrics;
use pharmarec_repository::{AdvisoryLock, Backend, Database, SCHEDULER_LOCK_KEY};
use secrecy::ExposeSecret;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};
use tracing::Instrument;

use crate::settings::Settings;
use tasks::Task;

/// The [`LeaderLock`] of a SQLite deployment: its one process always leads.
#[derive(Debug, Clone, Copy, Default)]
pub struct SingleProcess;

#[async_trait::async_trait]
impl LeaderLock for SingleProcess {
    async fn try_lead(&self) -> Result<bool, DomainError> {
        Ok(true)
    }
}

/// What the scheduler loop works with.
struct Scheduled {
    tasks: Arc<dyn MaintenanceTasks>,
    lock: Arc<dyn LeaderLock>,
    metrics: Arc<Metrics>,
}

/// The running scheduler loop; dropping it stops the loop, which closes the lock's connection and so
/// hands the lock to another instance.
#[derive(Debug)]
pub struct Scheduler {
    task: JoinHandle<()>,
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the scheduler loop for this instance, or `None` when `jobs.enabled` is false.
pub fn start(settings: &Settings, db: &Arc<Database>, metrics: Arc<Metrics>) -> Option<Scheduler> {
    if !settings.jobs.enabled {
        return None;
    }
    let lock: Arc<dyn LeaderLock> = match db.backend() {
        Backend::Postgres => Arc::new(AdvisoryLock::new(
            settings.database.url.expose_secret(),
            SCHEDULER_LOCK_KEY,
        )),
        Backend::Sqlite => Arc::new(SingleProcess),
    };
    let scheduled = Scheduled {
        tasks: db.clone(),
        lock,
        metrics,
    };
    let jobs = &settings.jobs;
    let every = [
        (
            Task::RefreshTokenCleanup,
            jobs.refresh_token_cleanup_interval_secs,
        ),
        (Task::LowStock, jobs.low_stock_interval_secs),
    ]
    .map(|(task, secs)| (task, Duration::from_secs(secs)));
    let poll = Duration::from_secs(jobs.poll_interval_secs);
    let task = actix_web::rt::spawn(run(scheduled, every, poll));
    Some(Scheduler { task })
}

/// Each `poll`: keeps or takes the lock, then, when leading, runs every task that is due. A new
/// leader runs every task at once, since the previous one may have stopped just before its turn.
async fn run(scheduled: Scheduled, every: [(Task, Duration); 2], poll: Duration) {
    let mut due = [Instant::now(); 2];
    let mut leading = false;
    let mut ticker = tokio::time::interval(poll);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let leads = scheduled.lock.try_lead().await.unwrap_or_else(|error| {
            tracing::warn!(error = %error, "scheduler lock unavailable; not running tasks");
            false
        });
        scheduled.metrics.jobs().set_leader(leads);
        if leads != leading {
            tracing::info!(leads, "scheduler leadership changed");
            leading = leads;
            due = [Instant::now(); 2];
        }
        if !leads {
            continue;
        }
        for ((task, interval), next) in every.iter().zip(due.iter_mut()) {
            let now = Instant::now();
            if *next <= now {
                *next = now + *interval;
                let span = tracing::info_span!("scheduled task", task = task.name());
                task.run(&scheduled).instrument(span).await;
            }
        }
    }
}
