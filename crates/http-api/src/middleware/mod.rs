//! Middleware, each a `from_fn` function except the well-kept crates' own (`TracingLogger`, `Cors`,
//! `Compress`).
//!
//! Order, outermost first (`app` registers them in reverse, since the last `.wrap()` is outermost):
//! `TracingLogger` (root span with the request id, completion log) → `Compress` → security headers →
//! request metrics → error envelope (renders every error with the request id, echoes `X-Request-Id`)
//! → CORS → rate limit → query and NUL checks → panic catcher → routes. The response cache and its
//! invalidation wrap single routes, declared in the route table (`routes::Endpoint`), so they run
//! inside all of these. Metrics sit outside the error envelope so they count final statuses;
//! CORS sits inside it so its rejections get the envelope too. The rate limit sits inside CORS so
//! a browser can read a `429` (it carries the CORS headers), and outside the cache so cache hits
//! count against the limit too.

mod admission;
mod cache;
mod cors;
mod errors;
mod gzip;
mod in_flight;
mod metrics;
mod nul;
mod outage;
mod panic;
mod query;
mod rate_limit;
mod request_id;
mod route;
mod security_headers;

pub use admission::CacheAdmission;
pub(crate) use cache::{cache_responses, invalidate_after_write};
pub(crate) use in_flight::InFlight;

pub(crate) use cors::cors;
pub(crate) use errors::envelope_errors;
pub(crate) use metrics::record_metrics;
pub(crate) use nul::{NUL_REASON, reject_invalid_input};
pub(crate) use panic::catch_panic;
pub(crate) use rate_limit::{count as count_rate, rate_limit, refuse as refuse_rate};
pub(crate) use request_id::{RequestId, RequestIdRootSpan};
pub(crate) use security_headers::security_headers;
