//! Turns a panic in a handler into a `500 internal_error` envelope instead of a dropped connection.

use std::any::Any;
use std::panic::AssertUnwindSafe;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use futures_util::FutureExt;

use crate::error::ApiError;

/// The payload of a caught panic, kept as the source of the internal error that reports it.
#[derive(Debug, thiserror::Error)]
#[error("handler panicked: {0}")]
struct HandlerPanicked(String);

/// Middleware: catches a panic while the inner service handles the request.
///
/// # Implementation Notes
/// `AssertUnwindSafe` is sound here because nothing the panicking future touched is used again: the
/// request and its handler state are dropped, and shared state is behind `Arc`s of `Send + Sync` ports.
pub(crate) async fn catch_panic(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    // The call itself runs inside the future, so a panic while building it is caught too.
    match AssertUnwindSafe(async move { next.call(req).await })
        .catch_unwind()
        .await
    {
        Ok(result) => result,
        Err(payload) => {
            let error = HandlerPanicked(panic_message(payload.as_ref()));
            Err(ApiError::Internal(Box::new(error)).into())
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-text panic payload".to_owned())
}
