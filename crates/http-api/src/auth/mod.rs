//! Accounts on the HTTP edge: access and refresh tokens, password hashing, the caller extractors and
//! the authorization policies. See `docs/SECURITY.md` for the model.

mod credentials;
mod extract;
mod passwords;
mod policy;
mod tokens;

pub use credentials::authenticate;
pub use extract::{audit_context, bearer_token, check_read_access};
pub use passwords::hash_password;

pub(crate) use extract::{Audit, AuthenticatedUser, Authorized, MaybeUser, caller};
pub(crate) use passwords::verify_password;
pub use policy::ensure_stock_writer;
pub(crate) use policy::{AdminOnly, PharmacistOrAdmin, sees_prescription};
pub(crate) use tokens::{RefreshToken, hash_refresh_token, issue_access_token};
