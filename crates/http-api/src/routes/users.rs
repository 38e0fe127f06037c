//! `/api/v1/users`: user management, for administrators.

use actix_web::{HttpResponse, web};
use pharmarec_domain::account::password_policy;
use pharmarec_domain::{Email, NewUser, PharmacyId, Role, UserId};
use uuid::Uuid;

use super::API_PREFIX;
use crate::auth::{AdminOnly, Audit, Authorized, hash_password};
use crate::dto::{NewUserRequest, PagingQuery, UpdateUserRequest, UserDto};
use crate::envelope::{self, Envelope, ErrorEnvelope, Paginated};
use crate::error::{ApiError, FieldError};
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        Endpoint::new("/users")
            .get(list_users)
            .post(create_user)
            .invalidates_cache(),
    )
    .service(
        Endpoint::new("/users/{id}")
            .get(get_user)
            .put(update_user)
            .invalidates_cache(),
    )
    .service(
        Endpoint::new("/users/{id}/disable")
            .post(disable_user)
            .invalidates_cache(),
    );
}

/// Creates a user; the password is checked against the policy and stored as a bcrypt hash.
#[utoipa::path(
    post, path = "/api/v1/users", tag = "users",
    request_body = NewUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names the new user", body = Envelope<UserDto>,
            headers(("Location" = String, description = "URL of the new user"))),
        (status = 400, description = "`invalid_json` or `invalid_body`", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 404, description = "`pharmacy_not_found`", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the e-mail is taken", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: bad e-mail, password policy, pharmacies on a non-pharmacist", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn create_user(
    _admin: Authorized<AdminOnly>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    Validated(body): Validated<web::Json<NewUserRequest>>,
) -> Result<HttpResponse, ApiError> {
    let NewUserRequest {
        email,
        password,
        role,
        pharmacies,
    } = body.into_inner();
    let email = Email::try_from(email)?;
    password_policy::check(&password, email.as_str())?;
    let pharmacies = memberships(&state, role, pharmacies).await?;
    let cost = state.config.auth.bcrypt_cost;
    let password_hash = web::block(move || hash_password(&password, cost))
        .await
        .map_err(|error| ApiError::Internal(Box::new(error)))??;
    let user = state
        .users
        .create_user(
            NewUser {
                email,
                role,
                password_hash,
                pharmacies,
            },
            &audit,
        )
        .await?;
    tracing::info!(user_id = %user.id, role = %user.role, "user created");
    let location = format!("{API_PREFIX}/users/{}", user.id);
    Ok(envelope::created(&location, UserDto::from(user)))
}

/// A page of users by e-mail.
#[utoipa::path(
    get, path = "/api/v1/users", tag = "users",
    params(PagingQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of users", body = Paginated<UserDto>),
        (status = 400, description = "`invalid_query`", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list_users(
    _admin: Authorized<AdminOnly>,
    state: web::Data<AppState>,
    query: web::Query<PagingQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = state.users.users(query.to_page_request()?).await?;
    Ok(envelope::paginated(page.map(UserDto::from)))
}

/// One user.
#[utoipa::path(
    get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user", body = Envelope<UserDto>),
        (status = 400, description = "`invalid_path`", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 404, description = "`user_not_found`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %id))]
pub(crate) async fn get_user(
    _admin: Authorized<AdminOnly>,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user = state.users.user(UserId::from(*id)).await?;
    Ok(envelope::ok(UserDto::from(user)))
}

/// Changes a user's role and pharmacy memberships. A change of either revokes the user's refresh
/// tokens at once; their access tokens lose the old rights at once too, since privileged requests
/// check the stored account.
#[utoipa::path(
    put, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    request_body = UpdateUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated user", body = Envelope<UserDto>),
        (status = 400, description = "`invalid_json`, `invalid_body` or `invalid_path`", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 404, description = "`user_not_found` or `pharmacy_not_found`", body = ErrorEnvelope),
        (status = 409, description = "`last_admin`: demoting the last enabled administrator", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: pharmacies on a non-pharmacist", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %id))]
pub(crate) async fn update_user(
    _admin: Authorized<AdminOnly>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    Validated(body): Validated<web::Json<UpdateUserRequest>>,
) -> Result<HttpResponse, ApiError> {
    let UpdateUserRequest { role, pharmacies } = body.into_inner();
    let pharmacies = memberships(&state, role, pharmacies).await?;
    let user = state
        .users
        .update_user(UserId::from(*id), role, pharmacies, &audit)
        .await?;
    tracing::info!(role = %user.role, "user updated");
    Ok(envelope::ok(UserDto::from(user)))
}

/// Disables a user: no login, refresh or privileged action from then on, and every refresh token
/// of theirs is revoked in the same transaction. Disabling a disabled user changes nothing.
#[utoipa::path(
    post, path = "/api/v1/users/{id}/disable", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The disabled user, with `disabled_at`", body = Envelope<UserDto>),
        (status = 400, description = "`invalid_path`", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 404, description = "`user_not_found`", body = ErrorEnvelope),
        (status = 409, description = "`last_admin`: the last enabled administrator", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %id))]
pub(crate) async fn disable_user(
    _admin: Authorized<AdminOnly>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user = state.users.disable_user(UserId::from(*id), &audit).await?;
    tracing::info!("user disabled");
    Ok(envelope::ok(UserDto::from(user)))
}

/// Checks pharmacy memberships: only pharmacists have them, and each pharmacy must exist.
async fn memberships(
    state: &AppState,
    role: Role,
    pharmacies: Vec<Uuid>,
) -> Result<Vec<PharmacyId>, ApiError> {
    if role != Role::Pharmacist && !pharmacies.is_empty() {
        return Err(ApiError::Validation(vec![FieldError {
            field: "pharmacies".to_owned(),
            reason: "only pharmacists belong to pharmacies".to_owned(),
        }]));
    }
    let mut ids: Vec<PharmacyId> = pharmacies.into_iter().map(PharmacyId::from).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        state.pharmacies.get(*id).await?;
    }
    Ok(ids)
}
