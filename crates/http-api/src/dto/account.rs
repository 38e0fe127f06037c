//! Login, tokens and users. Password and token hashes never appear in any of these.

use chrono::{DateTime, Utc};
use pharmarec_domain::{PharmacyId, Role, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use uuid::Uuid;
use validator::Validate;

use super::text::{ascii_email, password_fits};

/// Every role, in the order of their rights.
const ROLES: [Role; 3] = [Role::Viewer, Role::Pharmacist, Role::Admin];

/// The role as the wire spells it: one of the domain's role names, stated as an enumeration.
fn role_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(ROLES.map(<&'static str>::from)))
        .examples(["pharmacist"])
        .into()
}

/// Body of `POST /api/v1/auth/login`.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginRequest {
    /// E-mail address (case and surrounding spaces do not matter).
    #[validate(length(max = 254, message = "must be at most 254 characters"))]
    #[schema(max_length = 254)]
    pub(crate) email: String,
    /// Password.
    #[validate(length(max = 1024, message = "must be at most 1024 characters"))]
    #[schema(max_length = 1024)]
    pub(crate) password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never let a password reach a log line through Debug.
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// Body of `POST /api/v1/auth/refresh` and `POST /api/v1/auth/logout`.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    #[validate(length(max = 256, message = "must be at most 256 characters"))]
    #[schema(max_length = 256)]
    pub(crate) refresh_token: String,
}

impl std::fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshRequest").finish_non_exhaustive()
    }
}

/// A new token pair.
#[derive(Serialize, ToSchema)]
pub(crate) struct TokenPairDto {
    /// JWT (HS256) to send as `Authorization: Bearer …`.
    pub(crate) access_token: String,
    /// Always `Bearer`.
    pub(crate) token_type: &'static str,
    /// Seconds until the access token expires.
    pub(crate) expires_in: u64,
    /// Single-use token for `POST /api/v1/auth/refresh`; each use returns a new one.
    pub(crate) refresh_token: String,
    /// Seconds until the refresh token expires.
    pub(crate) refresh_expires_in: u64,
}

/// A user, without the password hash.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UserDto {
    /// Id.
    pub(crate) id: Uuid,
    /// E-mail address (normalised).
    email: String,
    /// `admin`, `pharmacist` or `viewer`.
    #[schema(schema_with = role_schema)]
    role: Role,
    /// Pharmacies whose stock a pharmacist may change.
    pharmacies: Vec<Uuid>,
    /// Creation time (UTC).
    created_at: DateTime<Utc>,
    /// When the account was disabled (UTC); absent while it is enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled_at: Option<DateTime<Utc>>,
}

impl From<User> for UserDto {
    fn from(user: User) -> Self {
        Self {
            id: user.id.as_uuid(),
            email: user.email.into(),
            role: user.role,
            pharmacies: user.pharmacies.iter().map(PharmacyId::as_uuid).collect(),
            created_at: user.created_at.and_utc(),
            disabled_at: user.disabled_at.map(|at| at.and_utc()),
        }
    }
}

/// Body of `POST /api/v1/users`.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewUserRequest {
    /// E-mail address, the login name: printable ASCII, surrounding spaces and case ignored.
    #[validate(
        length(max = 254, message = "must be at most 254 characters"),
        custom(function = "ascii_email")
    )]
    // The pattern is `text::email_pattern`, set by `openapi::document` (utoipa wants a literal).
    #[schema(max_length = 254)]
    pub(crate) email: String,
    /// Password: at least 12 characters and at least 4 different ones, not the e-mail address; at
    /// most 72 ASCII characters, or at most 18 characters when others are used (bcrypt reads 72
    /// bytes).
    #[validate(custom(function = "password_fits"))]
    #[schema(min_length = 12, max_length = 72)]
    pub(crate) password: String,
    /// `admin`, `pharmacist` or `viewer`.
    #[schema(schema_with = role_schema)]
    pub(crate) role: Role,
    /// Pharmacies a pharmacist belongs to (pharmacists only; empty for other roles).
    #[serde(default)]
    #[validate(length(max = 100, message = "must list at most 100 pharmacies"))]
    #[schema(max_items = 100)]
    pub(crate) pharmacies: Vec<Uuid>,
}

impl std::fmt::Debug for NewUserRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUserRequest")
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// Body of `PUT /api/v1/users/{id}`.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateUserRequest {
    /// New role.
    #[schema(schema_with = role_schema)]
    pub(crate) role: Role,
    /// New pharmacy memberships (pharmacists only; empty for other roles).
    #[serde(default)]
    #[validate(length(max = 100, message = "must list at most 100 pharmacies"))]
    #[schema(max_items = 100)]
    pub(crate) pharmacies: Vec<Uuid>,
}
