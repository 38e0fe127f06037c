//! Logging of an optional port's failures once per outage, not once per request.

use std::fmt::Display;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a port is currently failing; logs a warning when it starts and when it recovers.
///
/// A Redis outage would otherwise log on every request, drowning everything else.
#[derive(Debug)]
pub(crate) struct OutageLog {
    port: &'static str,
    down: AtomicBool,
}

impl OutageLog {
    /// A log for `port`, initially up.
    pub(crate) const fn new(port: &'static str) -> Self {
        Self {
            port,
            down: AtomicBool::new(false),
        }
    }

    /// Records a failure; warns only if the port was up.
    pub(crate) fn failed(&self, error: &impl Display) {
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(port = self.port, error = %error, "port failing; degrading until it recovers");
        }
    }

    /// Records a success; notes the recovery if the port was down.
    pub(crate) fn succeeded(&self) {
        // Read first: a swap on every request wrote this shared line from both workers, and the
        // cores passing it back and forth showed as 1 % of `/version`'s CPU under perf.
        if self.down.load(Ordering::Relaxed) && self.down.swap(false, Ordering::Relaxed) {
            tracing::info!(port = self.port, "port recovered");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_success_marks_a_failing_port_up_and_leaves_an_up_port_up() {
        let log = OutageLog::new("test port");
        let down = || log.down.load(Ordering::Relaxed);

        log.succeeded();
        assert!(!down());
        log.failed(&"refused");
        assert!(down());
        log.failed(&"refused again");
        assert!(down());
        log.succeeded();
        assert!(!down());
    }
}
