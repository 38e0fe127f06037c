//! The matched route pattern of a request, resolved once by the outermost layer and read by every
//! layer that labels or keys on it (root span, metrics, rate limit, response cache).
//!
//! actix-web's `match_pattern` walks the whole route table and builds a new `String` on every call,
//! and before routing (where the app-wide middleware runs) it has nothing cached to start from; four
//! layers calling it made four walks per request.

use std::cell::RefCell;
use std::collections::HashSet;

use actix_web::HttpMessage;
use actix_web::dev::ServiceRequest;

/// Route label for requests that matched no route, so raw paths never become labels.
pub(crate) const UNMATCHED_ROUTE: &str = "unmatched";

thread_local! {
    /// Every pattern seen on this thread. Patterns come from the route table only (never from request
    /// paths), so the set is bounded by the table and its strings can live as long as the process.
    static PATTERNS: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
}

/// The route pattern of a request (`/api/v1/medicines/{id}`), or [`UNMATCHED_ROUTE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RoutePattern(&'static str);

impl RoutePattern {
    /// The request's pattern: the one stored by an outer layer, else resolved (and stored) now.
    pub(crate) fn of(req: &ServiceRequest) -> Self {
        if let Some(pattern) = req.extensions().get::<Self>() {
            return *pattern;
        }
        let pattern = Self::resolve(req);
        req.extensions_mut().insert(pattern);
        pattern
    }

    fn resolve(req: &ServiceRequest) -> Self {
        let Some(pattern) = req.match_pattern() else {
            return Self(UNMATCHED_ROUTE);
        };
        PATTERNS.with_borrow_mut(|patterns| {
            if let Some(known) = patterns.get(pattern.as_str()) {
                return Self(known);
            }
            let leaked: &'static str = Box::leak(pattern.into_boxed_str());
            patterns.insert(leaked);
            Self(leaked)
        })
    }

    /// The pattern as text.
    pub(crate) fn as_str(self) -> &'static str {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn a_pattern_is_resolved_once_and_shared() {
        let req = TestRequest::with_uri("/nowhere").to_srv_request();

        assert_eq!(RoutePattern::of(&req).as_str(), UNMATCHED_ROUTE);
        assert!(req.extensions().get::<RoutePattern>().is_some());
    }
}
