//! What a person hears about, and who follows a case: e-mail preferences, colleagues added to a
//! case, following / muting it, escalating it (the 24/7 line alerted in parallel for Level I/II),
//! and "news since your last visit" (`GET /api/v1/news`, cheap to poll: ETag / 304).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use headers::{ETag, HeaderMapExt, IfNoneMatch};
use portal_core::access::{self, Permission};
use portal_core::model::{
    AddFollower, CaseDetail, EntryKind, Escalation, Following, News, Preferences, Problem, User,
};
use portal_core::trf;

use super::workspace::on_case;
use super::{Json, Path};
use crate::auth::Session;
use crate::db::cases::Event;
use crate::db::{self, Account};
use crate::error::{ApiError, ApiResult};
use crate::lang;
use crate::AppState;

/// `GET /api/v1/me/preferences`: what the person wants by e-mail, and in which language.
#[utoipa::path(get, path = "/api/v1/me/preferences", tag = "notifications", responses((status = 200, description = "The preferences", body = Preferences), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json")))]
pub async fn preferences_show(
    State(state): State<AppState>,
    Session(account): Session,
) -> ApiResult<Json<Preferences>> {
    let p = state
        .db
        .read(move |c| Ok(db::accounts::preferences(c, account.id)?))
        .await?;
    Ok(Json(p))
}

/// `PUT /api/v1/me/preferences` {notify, lang}.
#[utoipa::path(put, path = "/api/v1/me/preferences", tag = "notifications", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = Preferences, responses((status = 200, description = "Kept", body = Preferences), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn preferences_update(
    State(state): State<AppState>,
    Session(account): Session,
    Json(body): Json<Preferences>,
) -> ApiResult<Json<Preferences>> {
    state
        .db
        .call(move |c| Ok(db::accounts::set_preferences(c, account.id, &body)?))
        .await?;
    Ok(Json(body))
}

/// `GET /api/v1/colleagues` (customers): the people of the institution, to add to a case.
#[utoipa::path(get, path = "/api/v1/colleagues", tag = "notifications", responses((status = 200, description = "The institution's people", body = Vec<User>), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role", body = Problem, content_type = "application/problem+json")))]
pub async fn colleagues_list(
    State(state): State<AppState>,
    Session(account): Session,
) -> ApiResult<Json<Vec<User>>> {
    let inst = institution(&account)?;
    let list = state
        .db
        .read(move |c| Ok(db::accounts::colleagues(c, inst)?))
        .await?;
    Ok(Json(list.into_iter().map(|(_, u)| u).collect()))
}

fn institution(account: &Account) -> ApiResult<i64> {
    let l = lang::current();
    access::check(account.role(), Permission::AddColleagues, l).map_err(ApiError::forbidden)?;
    account
        .institution_id()
        .ok_or_else(|| ApiError::forbidden(Permission::AddColleagues.refusal(l)))
}

/// Adds the colleague with this e-mail address (of `by`'s institution) to case `case_id`, and
/// tells them; 422 when there is no such colleague.
pub(crate) fn add_colleague(
    tx: &db::sql::Connection,
    notifier: &crate::notify::Notifier,
    case_id: i64,
    email: &str,
    by: &Account,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<()> {
    let inst = by.institution_id().unwrap_or(-1);
    let who = db::accounts::colleagues(tx, inst)?
        .into_iter()
        .find(|(_, u)| u.email.eq_ignore_ascii_case(email.trim()))
        .ok_or_else(|| {
            let e = email.trim();
            ApiError::field("followers", trf!(lang::current(),
                en: "{e} is not a colleague at your institution: add people who have an account of your institution.",
                fr: "{e} n’est pas un collègue de votre établissement : ajoutez des personnes qui ont un compte de votre établissement."))
        })?;
    if db::followers::follow(tx, case_id, who.0, by.id, now)? {
        notifier.added(tx, case_id, who.0, by, now)?;
    }
    Ok(())
}

/// `POST /api/v1/cases/{number}/followers` {email} (customers): a colleague of the same
/// institution follows the case from now on (and is told).
#[utoipa::path(post, path = "/api/v1/cases/{number}/followers", tag = "notifications", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = AddFollower, responses((status = 200, description = "Added; the case as it is now", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn followers_create(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<AddFollower>,
) -> ApiResult<Json<CaseDetail>> {
    let notifier = state.notifier.clone();
    let detail = on_case(
        &state,
        account,
        number,
        Permission::AddColleagues,
        move |c| add_colleague(c.tx, &notifier, c.id, &body.email, c.by, c.now),
    )
    .await?;
    Ok(Json(detail))
}

/// `PUT /api/v1/cases/{number}/following` {following, muted} (anyone who may see the case):
/// follow it, stop following, or mute it (no e-mail about it).
#[utoipa::path(put, path = "/api/v1/cases/{number}/following", tag = "notifications", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = Following, responses((status = 200, description = "The case as it is now", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn following_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<Following>,
) -> ApiResult<Json<CaseDetail>> {
    let articles = state.articles.clone();
    let now = state.now();
    let detail = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let (id, _) = super::cases::load(&tx, &number, &account, &articles)?;
            match (body.following, body.muted) {
                (_, true) => db::followers::set_muted(&tx, id, account.id, true, account.id, now)?,
                (true, false) => {
                    db::followers::follow(&tx, id, account.id, account.id, now)?;
                }
                (false, false) => db::followers::unfollow(&tx, id, account.id)?,
            }
            let (_, after) = super::cases::load(&tx, &number, &account, &articles)?;
            tx.commit()?;
            Ok(after)
        })
        .await?;
    Ok(Json(detail))
}

/// `POST /api/v1/cases/{number}/escalation` {level, reason} (customers): raises the level; the
/// response due follows the new level from now (as when support changes it), and for Level I/II
/// the 24/7 line is alerted by e-mail in parallel — the escalation policy, built in.
#[utoipa::path(post, path = "/api/v1/cases/{number}/escalation", tag = "notifications", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = Escalation, responses((status = 200, description = "Escalated; the case at its new level", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn escalation_create(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<Escalation>,
) -> ApiResult<Json<CaseDetail>> {
    let (clocks, notifier) = (state.clocks.clone(), state.notifier.clone());
    let detail = on_case(&state, account, number, Permission::Escalate, move |c| {
        let s = &c.before.summary;
        if !s.status.is_open() {
            let n = &s.number;
            return Err(ApiError::conflict(trf!(lang::current(),
                en: "Case {n} is closed: reopen it, or open a new case.",
                fr: "Le dossier {n} est clôturé : rouvrez-le, ou ouvrez un nouveau dossier.")));
        }
        let errors = portal_core::validate::escalation(
            &body,
            s.level,
            s.kind,
            c.before.environment,
            lang::current(),
        );
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let clock = clocks
            .iter()
            .find(|k| k.region.id == c.before.region)
            .ok_or_else(|| ApiError::Internal(format!("no clock for {}", c.before.region)))?;
        let due = clock
            .due_after_level_change(
                body.level,
                c.now,
                s.initial_response_due,
                s.first_response_at,
            )
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        db::cases::set_level(c.tx, c.id, body.level, due)?;
        c.record(&Event {
            level: Some((s.level, body.level)),
            ..Event::new(EntryKind::LevelChange, body.reason.trim())
        })?;
        if body.level.is_down() {
            notifier.escalated(c.tx, c.id, c.by, body.reason.trim(), c.now)?;
        }
        Ok(())
    })
    .await?;
    Ok(Json(detail))
}

/// `GET /api/v1/news`: the person's cases (opened, followed, or assigned to them) with news since
/// they last opened them. Sends an ETag; with a matching `If-None-Match`, 304.
#[utoipa::path(get, path = "/api/v1/news", tag = "notifications", params(("If-None-Match" = Option<String>, Header, description = "ETag of the copy you have")), responses((status = 200, description = "The cases with news", body = News), (status = 304, description = "Unchanged since the ETag you sent"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json")))]
pub async fn news_show(
    State(state): State<AppState>,
    Session(account): Session,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let cases = state
        .db
        .read(move |c| Ok(db::cases::news(c, &account)?))
        .await?;
    let news = News {
        count: cases.len() as u64,
        cases,
    };
    let json = serde_json::to_vec(&news).map_err(|e| ApiError::Internal(e.to_string()))?;
    let digest: String = sha2::Digest::finalize(sha2::Digest::chain_update(
        <sha2::Sha256 as sha2::Digest>::new(),
        &json,
    ))
    .iter()
    .take(8)
    .map(|b| format!("{b:02x}"))
    .collect();
    let etag: ETag = format!("\"n{digest}\"")
        .parse()
        .map_err(|_| ApiError::Internal("ETag".into()))?;
    let unchanged = headers
        .typed_get::<IfNoneMatch>()
        .is_some_and(|inm| !inm.precondition_passes(&etag));
    let mut res = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json")], json).into_response()
    };
    res.headers_mut().typed_insert(etag);
    Ok(res)
}
