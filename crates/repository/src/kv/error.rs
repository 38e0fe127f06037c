//! [`KvError`]: why a Redis store could not be set up. Failures of individual operations are
//! [`DomainError`](pharmarec_domain::DomainError)s instead, like every port method.

use deadpool_redis::BuildError;
use deadpool_redis::redis::RedisError;

/// Why [`RedisStore::connect`](super::RedisStore::connect) failed.
///
/// Messages never include the URL, which may carry a password.
#[derive(Debug, thiserror::Error)]
pub enum KvError {
    /// The Redis URL does not parse or names an unsupported scheme.
    #[error("invalid redis url")]
    InvalidUrl(#[source] RedisError),
    /// The connection pool could not be built.
    #[error("cannot build the redis pool")]
    Pool(#[source] BuildError),
}
