//! [`ConnectGate`]: lets a pool's owner stop new connects and wait for those under way.
//!
//! r2d2 opens connections on its own worker threads, to refill `min_idle` after a checkout and to
//! serve waiting checkouts, and retries failed connects there in the background. A process that exits
//! while one of those threads is inside `PgConnection::establish` (libpq's TLS handshake) crashes in
//! OpenSSL's exit-time cleanup: `pharmarec user create` ended with a segmentation fault in about 3 %
//! of runs (issue 10). Every connect passes through the gate, so [`ConnectGate::close`] can refuse new
//! ones and wait until none is running.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Counts connects under way and refuses new ones once closed.
#[derive(Debug, Default)]
pub(crate) struct ConnectGate {
    state: Mutex<GateState>,
    settled: Condvar,
}

#[derive(Debug, Default)]
struct GateState {
    closed: bool,
    in_flight: usize,
}

/// One connect under way; leaving the gate when dropped, also on error or panic.
#[derive(Debug)]
pub(crate) struct Pass<'a>(&'a ConnectGate);

impl ConnectGate {
    /// Holds the lock even if a thread panicked with it: the counters stay meaningful.
    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Admits one connect, or `None` once the gate is closed.
    pub(crate) fn enter(&self) -> Option<Pass<'_>> {
        let mut state = self.lock();
        if state.closed {
            return None;
        }
        state.in_flight += 1;
        Some(Pass(self))
    }

    /// Refuses every later connect and waits up to `timeout` for the running ones to finish.
    ///
    /// Returns whether none is left running.
    pub(crate) fn close(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        state.closed = true;
        while state.in_flight > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = self
                .settled
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        if state.in_flight == 0 {
            self.0.settled.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn close_waits_for_a_running_connect_and_refuses_new_ones() {
        let gate = Arc::new(ConnectGate::default());
        let (entered, wait_for_entry) = std::sync::mpsc::channel();
        let connecting = {
            let gate = gate.clone();
            std::thread::spawn(move || {
                let _pass = gate.enter().unwrap();
                entered.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(200));
            })
        };
        wait_for_entry.recv().unwrap();

        let started = Instant::now();
        let settled = gate.close(Duration::from_secs(5));

        assert!(settled);
        assert!(
            started.elapsed() >= Duration::from_millis(100),
            "did not wait"
        );
        assert!(gate.enter().is_none(), "a closed gate admits no connect");
        connecting.join().unwrap();
    }

    #[test]
    fn close_gives_up_after_the_timeout() {
        let gate = ConnectGate::default();
        let _stuck = gate.enter().unwrap();

        assert!(!gate.close(Duration::from_millis(20)));
    }
}
