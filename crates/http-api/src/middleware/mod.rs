//! Middleware, each a `from_fn` function except the well-kept crates' own (`TracingLogger`, `Cors`,
//! `Compress`).
//!
//! Order, outermost first (`app` registers them in reverse, since the last `.wrap()` is outermost):
//! `TracingLogger` (root span with the request id, completion log) → `Compress` → security headers →
//! request metrics → error envelope (renders every error with the request id, echoes `X-Request-Id`)
//! → CORS → panic catcher → routes. Metrics sit outside the error envelope so they count final statuses;
//! CORS sits inside it so its rejections get the envelope too.

mod cors;
mod errors;
mod metrics;
mod panic;
mod request_id;
mod security_headers;

pub(crate) use cors::cors;
pub(crate) use errors::envelope_errors;
pub(crate) use metrics::record_metrics;
pub(crate) use panic::catch_panic;
pub(crate) use request_id::RequestIdRootSpan;
pub(crate) use security_headers::security_headers;
