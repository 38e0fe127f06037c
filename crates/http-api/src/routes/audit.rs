//! `GET /api/v1/audit`: the append-only audit trail, for administrators. There is deliberately no
//! route that changes or deletes events.

use actix_web::{HttpResponse, web};
use pharmarec_domain::AuditQuery;

use crate::auth::{AdminOnly, Authorized};
use crate::dto::{AuditEventDto, AuditListQuery};
use crate::envelope::{self, ErrorEnvelope, Paginated};
use crate::error::ApiError;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::new("/audit").get(list_audit_events));
}

/// A filtered page of recorded writes, newest first.
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "audit",
    params(AuditListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of audit events", body = Paginated<AuditEventDto>),
        (status = 400, description = "`invalid_query`: unknown filter, `actor` not a UUID, `from`/`to` not RFC 3339", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: page or per_page out of range", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list_audit_events(
    _admin: Authorized<AdminOnly>,
    state: web::Data<AppState>,
    query: web::Query<AuditListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = AuditQuery::try_from(query.into_inner())?;
    let page = state.audit.audit_events(&query).await?;
    Ok(envelope::paginated(page.map(AuditEventDto::from)))
}
