//! Per-client-IP request rate limiting through the `RateLimiter` port (Redis shared by every instance,
//! or in-process), with `X-RateLimit-*` headers and `429 rate_limited`.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use pharmarec_domain::ports::RateDecision;

use super::outage::OutageLog;
use super::route::RoutePattern;
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
    let route = RoutePattern::of(&req).as_str();
    if EXEMPT_ROUTES.contains(&route) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let config = &state.config.rate_limit;
    // Routes with their own limit count separately; all others share the client's default budget.
    let (bucket, limit) = match config.per_route.get(route) {
        Some(limit) => (route, *limit),
        None => ("default", config.requests_per_minute),
    };
    let mut key = String::with_capacity(64);
    key.push_str("rate:");
    key.push_str(bucket);
    key.push(':');
    match client_ip::resolve(req.peer_addr(), req.headers(), &config.trusted_proxies) {
        Some(ip) => push_ip(&mut key, ip),
        None => key.push_str("unknown"),
    }
    let Some(decision) = count(&state, &key, limit).await else {
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

/// Appends `ip` as its `Display` form. IPv4 octets are written with `itoa`: `core::fmt` (`Ipv4Addr`'s
/// `Display` pads through a buffer, then each octet's) cost about 1,000 instructions per request.
fn push_ip(key: &mut String, ip: IpAddr) {
    let IpAddr::V4(v4) = ip else {
        // Writing into a `String` cannot fail.
        let _ = write!(key, "{ip}");
        return;
    };
    let mut buf = itoa::Buffer::new();
    for (at, octet) in v4.octets().into_iter().enumerate() {
        if at > 0 {
            key.push('.');
        }
        key.push_str(buf.format(octet));
    }
}

/// A number as a header value with one allocation (`HeaderValue::from(u32)` makes two or three and
/// goes through `core::fmt`).
fn number_header(n: u64) -> HeaderValue {
    HeaderValue::from_str(itoa::Buffer::new().format(n)).unwrap_or_else(|_| HeaderValue::from(n))
}

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

thread_local! {
    /// The last limit's header value: the limit is the same for almost every request, and building
    /// a header value from a number allocates.
    static LIMIT_VALUE: RefCell<(u32, HeaderValue)> = RefCell::new((0, HeaderValue::from(0_u32)));
    /// `0` ..= `60`, every value `X-RateLimit-Reset` takes with the one-minute window.
    static SECONDS: Vec<HeaderValue> = (0..=WINDOW.as_secs()).map(HeaderValue::from).collect();
}

/// `X-RateLimit-Limit`, `-Remaining` and `-Reset` (seconds until the window resets, rounded up).
fn set_headers(headers: &mut HeaderMap, decision: &RateDecision) {
    let reset = decision.reset_after.as_secs() + u64::from(decision.reset_after.subsec_nanos() > 0);
    let limit = LIMIT_VALUE.with_borrow_mut(|(limit, value)| {
        if *limit != decision.limit {
            *limit = decision.limit;
            *value = HeaderValue::from(decision.limit);
        }
        value.clone()
    });
    headers.insert(LIMIT, limit);
    headers.insert(REMAINING, number_header(decision.remaining.into()));
    let reset = SECONDS.with(|seconds| {
        usize::try_from(reset)
            .ok()
            .and_then(|at| seconds.get(at).cloned())
            .unwrap_or_else(|| HeaderValue::from(reset))
    });
    headers.insert(RESET, reset);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ips_are_written_as_displayed() {
        for ip in [
            "0.0.0.0",
            "127.0.0.1",
            "10.20.30.40",
            "255.255.255.255",
            "192.168.100.9",
            "::1",
            "2001:db8::ff00:42:8329",
            "::ffff:192.0.2.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            let mut key = String::from("rate:default:");

            push_ip(&mut key, ip);

            assert_eq!(key, format!("rate:default:{ip}"));
        }
    }

    #[test]
    fn numbers_become_their_decimal_header_values() {
        for n in [0, 7, 10, 99, 100, 4_294_967_295, u64::MAX] {
            assert_eq!(number_header(n), n.to_string().as_str());
        }
    }
}
