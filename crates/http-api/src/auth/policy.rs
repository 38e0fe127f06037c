//! Who may do what: role policies for [`super::Authorized`], the per-pharmacy stock rule, and what
//! each caller may see.

use pharmarec_domain::{PharmacyId, Role, User};

use super::AuthenticatedUser;
use crate::error::ApiError;

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
/// # Errors
/// `forbidden` for anyone else.
///
/// # Implementation Notes
/// `writer` is the stored account that [`super::Authorized`] loaded for this request, not the token:
/// memberships are not in the token, so removing a pharmacist from a pharmacy (or demoting an admin)
/// takes effect at once, not when the token expires.
pub fn ensure_stock_writer(writer: &User, pharmacy: PharmacyId) -> Result<(), ApiError> {
    let allowed = writer.role == Role::Admin
        || (writer.role == Role::Pharmacist && writer.pharmacies.contains(&pharmacy));
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
