//! The response cache for hot reads (medicine pages, one medicine, recommendations), through the
//! `ResponseCache` port, and its invalidation after writes.
//!
//! Both are declared in the route table, with the route they apply to: `Endpoint::cached` wraps a
//! read in [`cache_responses`], `Endpoint::invalidates_cache` wraps a write in
//! [`invalidate_after_write`]. No handler calls either.
//!
//! The key hashes everything the answer depends on — method, route, path, sorted query, canonical JSON
//! body, what the caller may see, and the catalogue version — so one patient's safety filtering is
//! never served for another request. Success bodies carry no request-dependent part (the request id
//! is only in error bodies and the `X-Request-Id` header), so cached bytes are served as they are.
//! A failing cache port is a miss, never an error.
//!
//! A miss is stored only when its key was seen before or identical requests waited for it
//! ([`admission`](super::admission)): one-off answers are neither compressed nor stored. Entries of
//! 1 KiB and more are stored gzipped ([`gzip`](super::gzip)): a client that accepts gzip gets them
//! as stored, any other inflated. Identical misses under way at once are computed once
//! ([`in_flight`](super::in_flight)).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpRequest, HttpResponse, web};
use pharmarec_observability::CacheLookup;
use serde_json::Value;

use super::gzip::{client_takes_gzip, decompress, is_gzip, to_stored};
use super::in_flight::{Flight, InFlight, Lead};
use super::outage::OutageLog;
use super::route::RoutePattern;
use crate::auth::{caller, sees_prescription};
use crate::error::ApiError;
use crate::hashing::{KeyDigest, hex};
use crate::state::AppState;

const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// The stored form, hashed into every key: entries of another form (plain JSON written by an older
/// version into a shared Redis) are never read as gzip, nor gzip as JSON by that version.
const STORED_FORM: &[u8] = b"gzip";

static CACHE: OutageLog = OutageLog::new("response_cache");

/// Route middleware: answers the route's requests from the cache, or stores their `200` answers.
pub(crate) async fn cache_responses(
    state: web::Data<AppState>,
    in_flight: web::Data<InFlight>,
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // A `GET` route answers `HEAD` too, whose body-less answer must not be stored.
    let cacheable = [Method::GET, Method::POST].contains(req.method());
    // A bad token, or no token where reads need one: the handler refuses it, so never answer from cache.
    let visibility = match caller(req.request()) {
        Ok(Some(user)) => Some(visibility(sees_prescription(Some(&user)))),
        Ok(None) if !state.config.auth.reads_require_auth => Some(visibility(false)),
        _ => None,
    };
    let (true, Some(visibility)) = (cacheable, visibility) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let body = if req.method() == Method::POST {
        let body = req.extract::<Bytes>().await?;
        // The handler reads the body again.
        req.set_payload(Payload::from(body.clone()));
        match serde_json::from_slice::<Value>(&body) {
            Ok(json) => Some(json),
            // Not JSON: the handler answers 400, which is not cached anyway.
            Err(_) => {
                return next
                    .call(req)
                    .await
                    .map(ServiceResponse::map_into_boxed_body);
            }
        }
    } else {
        None
    };
    let digest = cache_key(&state, &req, visibility, body.as_ref());
    let key = hex(&digest);
    let cached = match state.cache.get(&key).await {
        Ok(cached) => {
            CACHE.succeeded();
            state.metrics.observe_cache_request(if cached.is_some() {
                CacheLookup::Hit
            } else {
                CacheLookup::Miss
            });
            cached
        }
        Err(error) => {
            CACHE.failed(&error);
            state.metrics.observe_cache_request(CacheLookup::Error);
            return serve(next, req, None).await;
        }
    };
    // A gzip entry that does not inflate (corrupt) is a miss for a client that needs it inflated:
    // the handler answers and replaces it. A gzip client is sent the bytes as stored, unchecked.
    if let Some(response) = cached.and_then(|stored| from_stored(req.request(), stored.into())) {
        return Ok(req.into_response(response));
    }
    let admitted = state.cache_admission.seen_before(&digest);
    match in_flight.join(&key) {
        Flight::Lead(lead) => {
            let lead = Leading {
                state: &state,
                key: &key,
                lead,
                admitted,
            };
            serve(next, req, Some(lead)).await
        }
        Flight::Follow(follow) => {
            let answer = follow.answer().await;
            match answer.and_then(|stored| from_stored(req.request(), stored)) {
                Some(response) => Ok(req.into_response(response)),
                // The lead stored nothing (not a `200`, or it was cancelled): answer alone.
                None => serve(next, req, None).await,
            }
        }
    }
}

/// The `200` answer for `req` from a stored entry: a gzip entry as stored to a client that accepts
/// gzip, inflated to any other; `None` when a gzip entry does not inflate.
fn from_stored(req: &HttpRequest, stored: Bytes) -> Option<HttpResponse> {
    let gzip = is_gzip(&stored);
    let as_stored = !gzip || client_takes_gzip(req);
    let body = if as_stored {
        stored
    } else {
        decompress(&stored)?.into()
    };
    let mut response = HttpResponse::Ok()
        .content_type(mime_json())
        .insert_header((X_CACHE, "hit"))
        .body(body);
    if gzip && as_stored {
        mark_gzipped(response.headers_mut());
    }
    Some(response)
}

/// Marks an answer as carrying gzip, as actix's `Compress` would (which then leaves it alone).
fn mark_gzipped(headers: &mut HeaderMap) {
    headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
}

fn mime_json() -> HeaderValue {
    HeaderValue::from_static("application/json")
}

fn visibility(prescription: bool) -> &'static str {
    if prescription { "rx" } else { "otc" }
}

/// A request computing the answer for its key, for itself and for the requests waiting for it.
struct Leading<'a> {
    state: &'a AppState,
    key: &'a str,
    lead: Lead,
    /// Whether the key was seen before, so its answer is stored.
    admitted: bool,
}

/// Calls the handler and, when it leads (`lead`) and the answer is `200`, hands its body to the
/// requests waiting for the same key and stores it when admitted.
async fn serve(
    next: Next<impl MessageBody + 'static>,
    req: ServiceRequest,
    lead: Option<Leading<'_>>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    if response.status() != StatusCode::OK {
        return Ok(response);
    }
    let (req, response) = response.into_parts();
    let (mut response, body) = response.into_parts();
    // Handlers answer with one buffer, taken as it is; a streamed body would be collected (a copy).
    let json = match body.try_into_bytes() {
        Ok(json) => json,
        Err(body) => actix_web::body::to_bytes(body)
            .await
            .map_err(|error| ApiError::Internal(error.to_string().into()))?,
    };
    let stored = match lead {
        Some(lead) => store(lead, &json).await,
        None => None,
    };
    let headers = response.headers_mut();
    headers.insert(X_CACHE, HeaderValue::from_static("miss"));
    if !headers.contains_key(header::CONTENT_TYPE) {
        headers.insert(header::CONTENT_TYPE, mime_json());
    }
    let body = match stored {
        Some(stored) if is_gzip(&stored) && client_takes_gzip(&req) => {
            mark_gzipped(headers);
            stored
        }
        _ => json,
    };
    Ok(ServiceResponse::new(
        req,
        response.set_body(body).map_into_boxed_body(),
    ))
}

/// Hands `json` to `lead`'s followers and, when its key is admitted or it has followers (a second
/// sighting too), stores it. Returns the stored form, or `None` when nothing was stored (not
/// admitted; or compressing failed, when the followers answer alone).
async fn store(leading: Leading<'_>, json: &Bytes) -> Option<Bytes> {
    let Leading {
        state,
        key,
        lead,
        admitted,
    } = leading;
    if !admitted && !lead.has_followers() {
        // A request joining now gets the answer as it is (a plain entry).
        lead.publish(json.clone());
        return None;
    }
    let stored = match to_stored(json) {
        Ok(stored) => stored,
        Err(error) => {
            tracing::warn!(%error, "cannot compress an answer for the response cache");
            return None;
        }
    };
    let answer = Bytes::from(stored.clone());
    lead.publish(answer.clone());
    // The lead ends after the put, once later requests can find the entry.
    match state.cache.put(key, stored, state.config.cache.ttl).await {
        Ok(()) => CACHE.succeeded(),
        Err(error) => CACHE.failed(&error),
    }
    Some(answer)
}

/// SHA-256 over every input the answer depends on. Each field but the last is length-prefixed so
/// fields cannot run into each other; the body comes last, written straight into the digest.
///
/// # Implementation Notes
/// The body is the request's JSON with object keys sorted at every level, so key order does not change
/// the key: serde_json's `Value` keeps objects in a `BTreeMap` (no `preserve_order` feature in this
/// workspace; the test below fails if one turns it on), so serialising the parsed value writes them
/// sorted.
fn cache_key(
    state: &AppState,
    req: &ServiceRequest,
    visibility: &str,
    body: Option<&Value>,
) -> [u8; 32] {
    let mut query: Vec<&str> = req
        .query_string()
        .split('&')
        .filter(|p| !p.is_empty())
        .collect();
    query.sort_unstable();
    let version = state
        .knowledge
        .current()
        .knowledge_version()
        .catalogue_version;
    let mut digest = KeyDigest::new();
    digest.field(STORED_FORM);
    digest.field(req.method().as_str().as_bytes());
    digest.field(RoutePattern::of(req).as_str().as_bytes());
    digest.field(req.path().as_bytes());
    digest.fields_joined(&query, b'&');
    digest.field(visibility.as_bytes());
    digest.field(&version.to_be_bytes());
    if let Some(body) = body {
        digest.json(body);
    }
    digest.finish()
}

/// Route middleware: once the write answered with success, drops every cached response.
pub(crate) async fn invalidate_after_write(
    state: web::Data<AppState>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let response = next.call(req).await?;
    if response.status().is_success() {
        invalidate(&state).await;
    }
    Ok(response)
}

/// Drops every cached response. A failure is logged and ignored: the entries then expire with
/// their TTL.
async fn invalidate(state: &AppState) {
    match state.cache.invalidate().await {
        Ok(()) => CACHE.succeeded(),
        Err(error) => CACHE.failed(&error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_an_object_serialise_sorted_at_every_level() {
        let a: Value =
            serde_json::from_str(r#"{"b":1,"a":{"y":[1,{"d":2,"c":3}],"x":null}}"#).unwrap();

        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}"#
        );
    }
}
