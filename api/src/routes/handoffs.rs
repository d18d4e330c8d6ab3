//! Requests support does not handle, recorded so the institution can see what it sent where:
//! Ideas Exchange hand-offs (`/routings`) and account-manager consultations (`/consultations`),
//! read back on "Sent elsewhere" (`/handoffs`). Recording is idempotent like opening a case; a
//! consultation reaches the account manager through the notification outbox.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portal_core::access::{self, Permission};
use portal_core::kind::{before_lead_time, earliest_recommended_start};
use portal_core::model::{
    HandOff, HandOffKind, IdeaLink, NewConsultation, NewRouting, Problem, SentItem, SentList,
};
use portal_core::{tr, trf, validate, Role};
use serde::Deserialize;

use super::cases::{idempotency_key, json_answer};
use super::{Json, Query};
use crate::auth::Session;
use crate::db::idempotency::Key;
use crate::db::{self, idempotency, Account};
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

/// The answer of a recording, made now or replayed.
fn recorded(status: u16, json: String) -> Response {
    json_answer(
        StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED),
        json,
        Some("/api/v1/handoffs"),
    )
}

fn to_json(h: &HandOff) -> ApiResult<String> {
    serde_json::to_string(h).map_err(|e| ApiError::Internal(e.to_string()))
}

/// `POST /api/v1/routings`: records an idea handed to the Ideas Exchange. With an
/// `Idempotency-Key`, a repeat records nothing more and replays the first answer.
#[utoipa::path(post, path = "/api/v1/routings", tag = "hand-offs", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)"), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key (1 to 200 characters): a repeat replays the first answer", min_length = 1, max_length = 200)), request_body = NewRouting, responses((status = 201, description = "Recorded hand-off to the Ideas Exchange", body = HandOff), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 409, description = "The same Idempotency-Key is still being processed: retry after Retry-After", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn routings_create(
    State(state): State<AppState>,
    Session(account): Session,
    headers: HeaderMap,
    Json(body): Json<NewRouting>,
) -> ApiResult<Response> {
    let inst = institution_id(&account)?;
    let errors = validate::routing(&body, lang::current());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let key = idempotency_key(&headers)?.map(|k| Key::new(account.id, "POST /routings", &k, &body));
    let now = state.now();
    let (status, json) = idempotency::run(&state.db, key, now, move |tx| {
        let id = db::handoffs::insert_routing(
            tx,
            &account,
            inst,
            body.title.trim(),
            &body.description,
            now,
        )?;
        let hand_off = HandOff {
            reference: format!("IX-{id:06}"),
            created_at: now,
            earliest_recommended_start: None,
            before_lead_time: false,
        };
        Ok((201, to_json(&hand_off)?))
    })
    .await?;
    Ok(recorded(status, json))
}

/// `POST /api/v1/consultations`: a redesign request for the account manager, sent to them by
/// e-mail (with the lead-time warning when the desired start leaves less than 6 weeks); says
/// whether it does. Idempotent with an `Idempotency-Key`, like routings.
#[utoipa::path(post, path = "/api/v1/consultations", tag = "hand-offs", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)"), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key (1 to 200 characters): a repeat replays the first answer", min_length = 1, max_length = 200)), request_body = NewConsultation, responses((status = 201, description = "Sent to the account manager", body = HandOff), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 409, description = "The same Idempotency-Key is still being processed: retry after Retry-After", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn consultations_create(
    State(state): State<AppState>,
    Session(account): Session,
    headers: HeaderMap,
    Json(body): Json<NewConsultation>,
) -> ApiResult<Response> {
    let inst = institution_id(&account)?;
    let now = state.now();
    let today = now.date_naive();
    let errors = validate::consultation(&body, today, lang::current());
    let Some(desired) = body.desired_start.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let key =
        idempotency_key(&headers)?.map(|k| Key::new(account.id, "POST /consultations", &k, &body));
    let early = before_lead_time(desired, today);
    let earliest = earliest_recommended_start(today);
    let notifier = state.notifier.clone();
    let (status, json) = idempotency::run(&state.db, key, now, move |tx| {
        let id =
            db::handoffs::insert_consultation(tx, &account, inst, &body.what, desired, early, now)?;
        let reference = format!("AM-{id:06}");
        notifier.consultation(
            tx, &account, &reference, &body.what, desired, early, earliest, now,
        )?;
        let hand_off = HandOff {
            reference,
            created_at: now,
            earliest_recommended_start: Some(earliest),
            before_lead_time: early,
        };
        Ok((201, to_json(&hand_off)?))
    })
    .await?;
    Ok(recorded(status, json))
}

/// Query of `GET /api/v1/handoffs`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SentQuery {
    /// `ideas_exchange` or `account_manager`; empty for both.
    #[serde(default)]
    kind: String,
    /// Words in the reference, title, text or sender's name.
    #[serde(default)]
    q: String,
}

/// `GET /api/v1/handoffs`: what the institution sent elsewhere (support: every institution's),
/// newest first.
#[utoipa::path(get, path = "/api/v1/handoffs", tag = "hand-offs", params(SentQuery), responses((status = 200, description = "Ideas Exchange hand-offs and account-manager consultations, newest first", body = SentList), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role", body = Problem, content_type = "application/problem+json")))]
pub async fn handoffs_list(
    State(state): State<AppState>,
    Session(account): Session,
    Query(query): Query<SentQuery>,
) -> ApiResult<axum::Json<SentList>> {
    let l = lang::current();
    let kind = match query.kind.as_str() {
        "" => None,
        k => Some(HandOffKind::parse(k).ok_or_else(|| {
            ApiError::bad_request(trf!(l,
                en: "“{k}” is not a place requests are sent to: use ideas_exchange or account_manager, or leave it out for both.",
                fr: "« {k} » n’est pas une destination : utilisez ideas_exchange ou account_manager, ou omettez-le pour les deux."))
        })?),
    };
    let scope = match account.role() {
        Role::Agent => None,
        Role::Customer => Some(
            account
                .institution_id()
                .ok_or_else(|| ApiError::forbidden(Permission::SendHandOff.refusal(l)))?,
        ),
    };
    // A basic member sees what they sent themselves.
    let only_by = (!account.sees_institution()).then_some(account.id);
    let items = state
        .db
        .call(move |c| Ok(db::handoffs::sent(c, scope, only_by)?))
        .await?;
    let words: Vec<String> = query.q.split_whitespace().map(str::to_lowercase).collect();
    let matches = |i: &SentItem| {
        let text = format!(
            "{} {} {} {} {}",
            i.reference, i.title, i.description, i.by, i.institution
        )
        .to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    };
    let items = items
        .into_iter()
        .filter(|i| kind.is_none_or(|k| i.kind == k) && matches(i))
        .collect();
    Ok(axum::Json(SentList { items }))
}

/// 404 for a reference nothing visible has.
fn nothing_sent(reference: &str) -> ApiError {
    ApiError::NotFound(trf!(lang::current(),
        en: "There is nothing sent elsewhere with the reference {reference}.",
        fr: "Rien n’a été envoyé ailleurs avec la référence {reference}."))
}

/// The row id in a reference such as `IX-000003`.
fn reference_id(reference: &str, prefix: &str) -> ApiResult<i64> {
    reference
        .strip_prefix(prefix)
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| nothing_sent(reference))
}

/// `PUT /api/v1/routings/{reference}/idea` {url}: the idea's link on the Ideas Exchange, given by
/// the institution (or support) once the idea is posted there.
#[utoipa::path(put, path = "/api/v1/routings/{reference}/idea", tag = "hand-offs", params(("reference" = String, Path, description = "Hand-off reference, e.g. IX-000003"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = IdeaLink, responses((status = 200, description = "The hand-off with its link", body = SentItem), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn ideas_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(reference): Path<String>,
    Json(body): Json<IdeaLink>,
) -> ApiResult<axum::Json<SentItem>> {
    let id = reference_id(&reference, "IX-")?;
    if let Some(m) = validate::idea_link(&body.url, lang::current()) {
        return Err(ApiError::field("url", m));
    }
    let url = body.url.trim().to_string();
    let not_found = {
        let r = reference.clone();
        move || nothing_sent(&r)
    };
    let item = state
        .db
        .call(move |c| {
            let inst = db::handoffs::routing_institution(c, id)?;
            let visible = match (inst, account.role()) {
                (Some(_), Role::Agent) => true,
                (Some(i), Role::Customer) => account.institution_id() == Some(i),
                (None, _) => false,
            };
            let scope = (account.role() == Role::Customer).then_some(inst).flatten();
            // A basic member links only the ideas they sent.
            let only_by = (!account.sees_institution()).then_some(account.id);
            let find = |c: &db::sql::Connection| -> ApiResult<Option<SentItem>> {
                Ok(db::handoffs::sent(c, scope, only_by)?
                    .into_iter()
                    .find(|i| i.reference == reference))
            };
            if !visible || find(c)?.is_none() {
                return Err(not_found());
            }
            db::handoffs::set_idea_url(c, id, &url)?;
            find(c)?.ok_or_else(not_found)
        })
        .await?;
    Ok(axum::Json(item))
}

/// `POST /api/v1/consultations/{reference}/acknowledgement` (support, for the account manager's
/// side): the consultation arrived and is being scheduled; the institution sees "acknowledged".
#[utoipa::path(post, path = "/api/v1/consultations/{reference}/acknowledgement", tag = "hand-offs", params(("reference" = String, Path, description = "Hand-off reference, e.g. AM-000002"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 204, description = "Acknowledged (again: no change)"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn consultations_acknowledge(
    State(state): State<AppState>,
    Session(account): Session,
    Path(reference): Path<String>,
) -> ApiResult<StatusCode> {
    if account.role() != Role::Agent {
        return Err(ApiError::forbidden(tr!(lang::current(),
            en: "Only Ex Libris staff acknowledge a consultation for the account manager.",
            fr: "Seul le personnel d’Ex Libris accuse réception d’une consultation pour le responsable de compte.")));
    }
    let id = reference_id(&reference, "AM-")?;
    let now = state.now();
    let found = state
        .db
        .call(move |c| Ok(db::handoffs::acknowledge(c, id, now)?))
        .await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(nothing_sent(&reference))
    }
}
