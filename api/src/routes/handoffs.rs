//! Requests support does not handle, recorded so the institution can see what it sent where:
//! Ideas Exchange hand-offs (`/routings`) and account-manager consultations (`/consultations`).

use axum::extract::State;
use axum::http::StatusCode;
use portal_core::access::{self, Permission};
use portal_core::kind::{before_lead_time, earliest_recommended_start};
use portal_core::model::{HandOff, NewConsultation, NewRouting, Problem};
use portal_core::validate;

use super::Json;
use crate::auth::Session;
use crate::db::{self, Account};
use crate::error::{ApiError, ApiResult};
use crate::lang;
use crate::AppState;

/// The institution of a customer who may send hand-offs.
fn institution_id(account: &Account) -> ApiResult<i64> {
    let refused = || ApiError::forbidden(Permission::SendHandOff.refusal(lang::current()));
    access::check(account.role(), Permission::SendHandOff, lang::current())
        .map_err(|_| refused())?;
    account.institution_id().ok_or_else(refused)
}

/// `POST /api/v1/routings`: records an idea handed to the Ideas Exchange.
#[utoipa::path(post, path = "/api/v1/routings", tag = "hand-offs", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewRouting, responses((status = 201, description = "Recorded hand-off to the Ideas Exchange", body = HandOff), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn routings_create(
    State(state): State<AppState>,
    Session(account): Session,
    Json(body): Json<NewRouting>,
) -> ApiResult<(StatusCode, Json<HandOff>)> {
    let inst = institution_id(&account)?;
    let errors = validate::routing(&body, lang::current());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = state.now();
    let id = state
        .db
        .call(move |c| {
            Ok(db::handoffs::insert_routing(
                c,
                &account,
                inst,
                body.title.trim(),
                &body.description,
                now,
            )?)
        })
        .await?;
    let hand_off = HandOff {
        reference: format!("IX-{id:06}"),
        created_at: now,
        earliest_recommended_start: None,
        before_lead_time: false,
    };
    Ok((StatusCode::CREATED, Json(hand_off)))
}

/// `POST /api/v1/consultations`: a redesign request for the account manager; says whether the
/// desired start leaves the recommended 6 weeks' lead time.
#[utoipa::path(post, path = "/api/v1/consultations", tag = "hand-offs", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewConsultation, responses((status = 201, description = "Sent to the account manager", body = HandOff), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn consultations_create(
    State(state): State<AppState>,
    Session(account): Session,
    Json(body): Json<NewConsultation>,
) -> ApiResult<(StatusCode, Json<HandOff>)> {
    let inst = institution_id(&account)?;
    let now = state.now();
    let today = now.date_naive();
    let errors = validate::consultation(&body, today, lang::current());
    let Some(desired) = body.desired_start.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let early = before_lead_time(desired, today);
    let id = state
        .db
        .call(move |c| {
            Ok(db::handoffs::insert_consultation(
                c, &account, inst, &body.what, desired, early, now,
            )?)
        })
        .await?;
    let hand_off = HandOff {
        reference: format!("AM-{id:06}"),
        created_at: now,
        earliest_recommended_start: Some(earliest_recommended_start(today)),
        before_lead_time: early,
    };
    Ok((StatusCode::CREATED, Json(hand_off)))
}
