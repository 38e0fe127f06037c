//! Per-client-IP request rate limiting through the `RateLimiter` port (Redis shared by every instance,
//! or in-process), with `X-RateLimit-*` headers and `429 rate_limited`.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use pharmarec_domain::ports::RateDecision;

use super::outage::OutageLog;
use crate::client_ip;
use crate::error::ApiError;
use crate::state::AppState;

/// Every limit counts requests per minute.
pub(crate) const WINDOW: Duration = Duration::from_secs(60);

/// Not limited: orchestrator probes and Prometheus scrapes come from a few addresses at a fixed rate,
/// and refusing them would make a busy instance look dead and blind its monitoring.
const EXEMPT_ROUTES: [&str; 3] = ["/health", "/ready", "/metrics"];

static LIMITER: OutageLog = OutageLog::new("rate_limiter");

/// Counts one hit of `key` against `limit`; `None` when the limiter port fails, in which case the
/// request is allowed: losing rate limiting for a while is better than refusing every request.
pub(crate) async fn count(state: &AppState, key: &str, limit: u32) -> Option<RateDecision> {
    match state.rate_limiter.hit(key, limit, WINDOW).await {
        Ok(decision) => {
            LIMITER.succeeded();
            Some(decision)
        }
        Err(error) => {
            LIMITER.failed(&error);
            None
        }
    }
}

/// `429 rate_limited` when `decision` refuses the request.
pub(crate) fn refuse(decision: &RateDecision) -> Result<(), ApiError> {
    if decision.allowed {
        Ok(())
    } else {
        Err(ApiError::RateLimited {
            retry_after: decision.reset_after,
        })
    }
}

/// Middleware: counts the request against its route's limit (or the default) for the client IP.
pub(crate) async fn rate_limit(
    state: web::Data<AppState>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let route = req.match_pattern();
    if route.as_deref().is_some_and(|r| EXEMPT_ROUTES.contains(&r)) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let config = &state.config.rate_limit;
    // Routes with their own limit count separately; all others share the client's default budget.
    let (bucket, limit) = match route
        .as_deref()
        .and_then(|r| config.per_route.get(r).map(|l| (r, *l)))
    {
        Some((route, limit)) => (route, limit),
        None => ("default", config.requests_per_minute),
    };
    let ip = client_ip::resolve(req.peer_addr(), req.headers(), &config.trusted_proxies)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let Some(decision) = count(&state, &format!("rate:{bucket}:{ip}"), limit).await else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let mut response = match refuse(&decision) {
        Ok(()) => next.call(req).await?.map_into_boxed_body(),
        Err(error) => req.error_response(error),
    };
    set_headers(response.headers_mut(), &decision);
    Ok(response)
}

/// `X-RateLimit-Limit`, `-Remaining` and `-Reset` (seconds until the window resets, rounded up).
fn set_headers(headers: &mut HeaderMap, decision: &RateDecision) {
    let reset = decision.reset_after.as_secs() + u64::from(decision.reset_after.subsec_nanos() > 0);
    for (name, value) in [
        ("x-ratelimit-limit", u64::from(decision.limit)),
        ("x-ratelimit-remaining", u64::from(decision.remaining)),
        ("x-ratelimit-reset", reset),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}
