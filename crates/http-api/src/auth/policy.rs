//! Who may do what: role policies for [`super::Authorized`], the per-pharmacy stock rule, and what
//! each caller may see.

use pharmarec_domain::{DomainError, PharmacyId, Role};

use super::AuthenticatedUser;
use crate::error::ApiError;
use crate::state::AppState;

/// A rule on the caller's role, checked by [`super::Authorized`].
pub(crate) trait Policy {
    /// Whether `role` passes.
    fn allows(role: Role) -> bool;
}

/// Catalogue writes, and the first gate of stock writes: pharmacists and administrators.
#[derive(Debug)]
pub(crate) struct PharmacistOrAdmin;

impl Policy for PharmacistOrAdmin {
    fn allows(role: Role) -> bool {
        role >= Role::Pharmacist
    }
}

/// User management, the audit trail, pharmacies and diagnostics: administrators only.
#[derive(Debug)]
pub(crate) struct AdminOnly;

impl Policy for AdminOnly {
    fn allows(role: Role) -> bool {
        role == Role::Admin
    }
}

/// Stock writes: administrators, or pharmacists who belong to `pharmacy`.
///
/// # Implementation Notes
/// Memberships are loaded from the user repository on each stock write rather than carried in the
/// token, so removing a pharmacist from a pharmacy takes effect at once, not when the token expires.
/// The stored role is used too, for the same reason.
pub(crate) async fn ensure_stock_writer(
    state: &AppState,
    caller: &AuthenticatedUser,
    pharmacy: PharmacyId,
) -> Result<(), ApiError> {
    // No shortcut on the token's role: a demoted admin loses stock rights at once, like a pharmacist.
    let user = match state.users.user(caller.id).await {
        Ok(user) => user,
        // A deleted account keeps a valid token until it expires, but no rights.
        Err(DomainError::NotFound { .. }) => return Err(ApiError::Forbidden),
        Err(error) => return Err(error.into()),
    };
    let allowed = user.role == Role::Admin
        || (user.role == Role::Pharmacist && user.pharmacies.contains(&pharmacy));
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Whether the caller may see prescription medicines in recommendations: pharmacists and
/// administrators; anonymous callers and viewers get over-the-counter products only.
pub(crate) fn sees_prescription(caller: Option<&AuthenticatedUser>) -> bool {
    caller.is_some_and(|user| user.role >= Role::Pharmacist)
}
