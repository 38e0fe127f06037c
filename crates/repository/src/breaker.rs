//! Fails fast while the database is known to be down.
//!
//! Without it every request waits the pool's whole checkout timeout (5 s by default) before its
//! `503`, and so do the health probes. After a checkout fails, requests are refused at once for a
//! back-off that doubles with each failed attempt (up to [`MAX_BACKOFF`]); then exactly one request
//! tries the database again, and its outcome closes the breaker or re-opens it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// First back-off after a failure.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest back-off: a recovered database is noticed within this.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
struct State {
    /// Consecutive failed attempts; 0 = closed.
    failures: u32,
    /// While open: no attempt before this instant.
    retry_at: Option<Instant>,
    /// A trial attempt is running: everyone else still fails fast.
    trial: bool,
}

/// The database is down; try again in `retry_in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the database is down (last checkout failed); next attempt in {}ms", retry_in.as_millis())]
pub(crate) struct KnownDown {
    pub(crate) retry_in: Duration,
}

#[derive(Debug, Default)]
pub(crate) struct Breaker {
    state: Mutex<State>,
}

impl Breaker {
    /// May a checkout be attempted now?
    pub(crate) fn admit(&self, now: Instant) -> Result<(), KnownDown> {
        // A poisoned lock only means another thread panicked mid-update: the state is still usable.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match state.retry_at {
            None => Ok(()),
            Some(at) if now >= at && !state.trial => {
                state.trial = true;
                Ok(())
            }
            Some(at) => Err(KnownDown {
                retry_in: at.saturating_duration_since(now),
            }),
        }
    }

    /// Records the outcome of an admitted checkout.
    pub(crate) fn record(&self, succeeded: bool, now: Instant) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.trial = false;
        if succeeded {
            if state.failures > 0 {
                tracing::info!("database reachable again");
            }
            *state = State::default();
            return;
        }
        if state.failures == 0 {
            tracing::warn!("database checkout failed: failing fast until it answers again");
        }
        state.failures = state.failures.saturating_add(1);
        let backoff = FIRST_BACKOFF
            .saturating_mul(1u32 << state.failures.saturating_sub(1).min(8))
            .min(MAX_BACKOFF);
        state.retry_at = Some(now + backoff);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_refuses_at_once_until_the_backoff_then_admits_one_trial() {
        let breaker = Breaker::default();
        let t0 = Instant::now();
        assert!(breaker.admit(t0).is_ok());
        breaker.record(false, t0);
        let refused = breaker.admit(t0 + Duration::from_millis(100)).unwrap_err();
        assert_eq!(refused.retry_in, Duration::from_millis(400));
        let later = t0 + FIRST_BACKOFF;
        assert!(breaker.admit(later).is_ok(), "one trial after the back-off");
        assert!(breaker.admit(later).is_err(), "only one trial at a time");
        breaker.record(false, later);
        assert_eq!(
            breaker.admit(later).unwrap_err().retry_in,
            FIRST_BACKOFF * 2,
            "the back-off doubles"
        );
        breaker.record(true, later);
        assert!(breaker.admit(later).is_ok(), "a success closes it");
    }

    #[test]
    fn the_backoff_is_capped() {
        let breaker = Breaker::default();
        let now = Instant::now();
        for _ in 0..20 {
            breaker.record(false, now);
        }
        assert_eq!(breaker.admit(now).unwrap_err().retry_in, MAX_BACKOFF);
    }
}
