//! Password hashing with bcrypt, and the constant-work check that hides whether an e-mail exists.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use pharmarec_domain::DomainError;
use pharmarec_domain::account::password_policy;

/// Checks `password` against the password policy and hashes it with bcrypt at `cost`.
///
/// For the CLI (first admin) and the user endpoints. The policy's "not the e-mail address" rule needs
/// the address, so callers that have one also call `password_policy::check(password, email)`.
///
/// # Errors
/// [`DomainError::Invalid`] when the policy refuses the password; [`DomainError::Internal`] when
/// bcrypt fails (an out-of-range cost).
pub fn hash_password(password: &str, cost: u32) -> Result<String, DomainError> {
    password_policy::check(password, "")?;
    bcrypt::hash(password, cost).map_err(|error| DomainError::Internal(Box::new(error)))
}

/// Whether `password` matches `hash`, or when `hash` is `None` (unknown e-mail) `false` after
/// verifying against a dummy hash of the same cost, so both cases take the same time.
///
/// CPU-bound (bcrypt): call it inside `web::block`.
pub(crate) fn verify_password(password: &str, hash: Option<&str>, cost: u32) -> bool {
    match hash {
        Some(hash) => bcrypt::verify(password, hash).unwrap_or(false),
        None => {
            // The result is ignored: only the work matters.
            let _ = bcrypt::verify(password, &dummy_hash(cost));
            false
        }
    }
}

/// A bcrypt hash of a fixed string at `cost`, computed once per cost.
fn dummy_hash(cost: u32) -> String {
    static HASHES: OnceLock<Mutex<BTreeMap<u32, String>>> = OnceLock::new();
    let hashes = HASHES.get_or_init(Mutex::default);
    let mut hashes = hashes.lock().unwrap_or_else(PoisonError::into_inner);
    hashes
        .entry(cost)
        .or_insert_with(|| {
            // An invalid cost already fails every real hash; an empty string then verifies as false.
            bcrypt::hash("pharmarec-dummy-password", cost).unwrap_or_default()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_the_policy_applies() {
        let hash = hash_password("correct horse battery", 4).unwrap();

        assert!(verify_password("correct horse battery", Some(&hash), 4));
        assert!(!verify_password("wrong horse battery", Some(&hash), 4));
        assert!(hash_password("short", 4).is_err());
    }

    #[test]
    fn unknown_users_never_verify() {
        assert!(!verify_password("pharmarec-dummy-password", None, 4));
    }
}
