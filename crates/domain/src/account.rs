//! Accounts: users, roles, e-mail addresses, the password policy and refresh-token records.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};
use uuid::Uuid;

use crate::{DomainError, PharmacyId};

/// A user id (UUID v4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(Uuid);

impl UserId {
    /// A fresh random id.
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for UserId {
    fn default() -> Self {
        Self::new()
    }
}

impl From<Uuid> for UserId {
    fn from(id: Uuid) -> Self {
        Self(id)
    }
}

impl FromStr for UserId {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s)
            .map(Self)
            .map_err(|_| DomainError::invalid("user_id", "must be a UUID"))
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a user may do. Ordered by privilege.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// Reads, including prescription medicines when reads require authentication.
    Viewer,
    /// Catalogue writes, and stock writes for the pharmacies they belong to.
    Pharmacist,
    /// Everything, including user management, the audit trail and diagnostics.
    Admin,
}

/// A normalised (trimmed, lower-case) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let email = value.trim().to_lowercase();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !email.chars().any(char::is_whitespace)
            && email.matches('@').count() == 1;
        if valid {
            Ok(Self(email))
        } else {
            Err(DomainError::invalid(
                "email",
                "must be a valid e-mail address",
            ))
        }
    }
}

impl FromStr for Email {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(s.to_string())
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Password rules (NIST SP 800-63B style): length matters, composition rules do not.
pub mod password_policy {
    use crate::DomainError;

    /// Fewest characters accepted.
    pub const MIN_CHARS: usize = 12;
    /// Most characters accepted (bcrypt reads only the first 72 bytes; longer is refused, not cut).
    pub const MAX_BYTES: usize = 72;

    /// Checks a new password against the policy.
    ///
    /// # Errors
    /// [`DomainError::Invalid`] naming the rule broken.
    pub fn check(password: &str, email: &str) -> Result<(), DomainError> {
        if password.chars().count() < MIN_CHARS {
            return Err(DomainError::invalid(
                "password",
                format!("must be at least {MIN_CHARS} characters"),
            ));
        }
        if password.len() > MAX_BYTES {
            return Err(DomainError::invalid(
                "password",
                format!("must be at most {MAX_BYTES} bytes"),
            ));
        }
        let mut distinct: Vec<char> = password.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 4 {
            return Err(DomainError::invalid(
                "password",
                "must not be a repeated pattern of few characters",
            ));
        }
        if password.eq_ignore_ascii_case(email) {
            return Err(DomainError::invalid(
                "password",
                "must not be the e-mail address",
            ));
        }
        Ok(())
    }
}

/// A stored user. `password_hash` is a bcrypt hash and never leaves the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login name.
    pub email: Email,
    /// Role.
    pub role: Role,
    /// bcrypt hash of the password.
    pub password_hash: String,
    /// Pharmacies a pharmacist may write stock for.
    pub pharmacies: Vec<PharmacyId>,
    /// When created (UTC).
    pub created_at: NaiveDateTime,
    /// When disabled (UTC): a disabled user cannot log in, refresh or act. `None` = enabled.
    pub disabled_at: Option<NaiveDateTime>,
}

impl User {
    /// Whether the account may log in and act.
    pub fn is_enabled(&self) -> bool {
        self.disabled_at.is_none()
    }
}

/// A user to create; the password is already hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name.
    pub email: Email,
    /// Role.
    pub role: Role,
    /// bcrypt hash.
    pub password_hash: String,
    /// Pharmacies (pharmacists only).
    pub pharmacies: Vec<PharmacyId>,
}

/// A refresh token as stored: only its SHA-256 hash, with the family it rotates in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTokenRecord {
    /// Hex SHA-256 of the token; the token itself is never stored.
    pub token_hash: String,
    /// Tokens rotated from one login share a family; reuse of a spent one revokes it.
    pub family_id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// Expiry (UTC).
    pub expires_at: NaiveDateTime,
    /// When it was exchanged for a new one, if it was.
    pub used_at: Option<NaiveDateTime>,
    /// When its family was revoked (logout, reuse detected), if it was.
    pub revoked_at: Option<NaiveDateTime>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            " Ada@Example.ORG ".parse::<Email>().unwrap().as_str(),
            "ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "@example.org",
            "ada@",
            "ada@example",
            "a b@example.org",
            "a@b@example.org",
        ] {
            assert!(bad.parse::<Email>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn password_policy_wants_length_not_composition() {
        assert!(password_policy::check("correct horse battery", "a@b.org").is_ok());
        assert!(password_policy::check("short", "a@b.org").is_err());
        assert!(password_policy::check("aaaaaaaaaaaaaaaa", "a@b.org").is_err());
        assert!(
            password_policy::check(&"x1y2".repeat(20), "a@b.org").is_err(),
            "over 72 bytes"
        );
        assert!(password_policy::check("ada@example.org", "ada@example.org").is_err());
    }

    #[test]
    fn roles_are_ordered_by_privilege() {
        assert!(Role::Viewer < Role::Pharmacist && Role::Pharmacist < Role::Admin);
        assert_eq!("pharmacist".parse::<Role>().unwrap(), Role::Pharmacist);
    }
}
