//! Coalescing of identical cache misses: while one request (the lead) computes the answer for a
//! cache key, the others with the same key wait for that answer instead of running the handler too.
//!
//! Without it, a burst of identical uncached requests (256 connections asking the same catalogue
//! search at once) ran the same query hundreds of times on every blocking thread, and the memory
//! that work touched stayed with the process (docs/PERFORMANCE.md, "Server memory").

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use actix_web::web::Bytes;
use tokio::sync::watch;

type Flights = Arc<Mutex<HashMap<String, watch::Receiver<Option<Bytes>>>>>;

/// The answers being computed right now, by cache key. `app` makes one per worker, so requests on
/// different workers are not coalesced: at most one computation per key and worker.
#[derive(Debug, Default)]
pub(crate) struct InFlight {
    flights: Flights,
}

/// A request's part in computing its answer.
#[derive(Debug)]
pub(crate) enum Flight {
    /// Nobody is computing this answer: this request does, and hands it on with [`Lead::publish`].
    Lead(Lead),
    /// Another request is computing it: wait with [`Follow::answer`].
    Follow(Follow),
}

impl InFlight {
    /// Joins the computation of `key`'s answer, leading it when none is under way.
    pub(crate) fn join(&self, key: &str) -> Flight {
        let mut flights = lock(&self.flights);
        if let Some(answer) = flights.get(key) {
            return Flight::Follow(Follow(answer.clone()));
        }
        let (sender, answer) = watch::channel(None);
        flights.insert(key.to_owned(), answer);
        Flight::Lead(Lead {
            flights: Arc::clone(&self.flights),
            key: key.to_owned(),
            sender,
        })
    }
}

/// The request computing an answer. Dropping it without [`Lead::publish`] (an answer that is not
/// stored, a cancelled request) sends the waiting requests to compute their own. Requests joining
/// after `publish` get the answer at once, so the lead is best dropped once the answer is cached.
#[derive(Debug)]
pub(crate) struct Lead {
    flights: Flights,
    key: String,
    sender: watch::Sender<Option<Bytes>>,
}

impl Lead {
    /// Whether other requests wait for this answer now.
    pub(crate) fn has_followers(&self) -> bool {
        // The map keeps one receiver; each follower holds a clone until it has the answer.
        self.sender.receiver_count() > 1
    }

    /// Hands `answer` (in the cache's stored form) to every request waiting for it.
    pub(crate) fn publish(&self, answer: Bytes) {
        self.sender.send_replace(Some(answer));
    }
}

impl Drop for Lead {
    fn drop(&mut self) {
        // Later requests with this key are misses of their own (or cache hits) again.
        lock(&self.flights).remove(&self.key);
    }
}

/// A request waiting for another's answer.
#[derive(Debug)]
pub(crate) struct Follow(watch::Receiver<Option<Bytes>>);

impl Follow {
    /// The lead's answer, or `None` when the lead ended without one.
    pub(crate) async fn answer(mut self) -> Option<Bytes> {
        self.0.wait_for(Option::is_some).await.ok()?.clone()
    }
}

/// Locks the map, ignoring poisoning: each critical section is one map operation, so a poisoned
/// map is still a consistent one.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(flight: Flight) -> Lead {
        match flight {
            Flight::Lead(lead) => lead,
            Flight::Follow(_) => panic!("expected to lead"),
        }
    }

    fn follow(flight: Flight) -> Follow {
        match flight {
            Flight::Follow(follow) => follow,
            Flight::Lead(_) => panic!("expected to follow"),
        }
    }

    #[tokio::test]
    async fn followers_get_the_leads_answer_and_the_next_request_leads_again() {
        let in_flight = InFlight::default();
        let first = lead(in_flight.join("k"));
        assert!(!first.has_followers());
        let second = follow(in_flight.join("k"));
        let third = follow(in_flight.join("k"));
        assert!(first.has_followers());
        let other = lead(in_flight.join("other"));

        first.publish(Bytes::from_static(b"answer"));
        let late = follow(in_flight.join("k"));
        drop(first);

        for waiting in [second, third, late] {
            assert_eq!(waiting.answer().await.as_deref(), Some(&b"answer"[..]));
        }
        lead(in_flight.join("k"));
        drop(other);
    }

    #[tokio::test]
    async fn a_lead_dropped_without_an_answer_releases_its_followers() {
        let in_flight = InFlight::default();
        let first = lead(in_flight.join("k"));
        let second = follow(in_flight.join("k"));

        drop(first);

        assert_eq!(second.answer().await, None);
        lead(in_flight.join("k"));
    }
}
