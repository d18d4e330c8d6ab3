//! Cases: list, overview, create (idempotent), show, and the lifecycle actions. Handlers speak
//! HTTP; what is stored and who may see it is `db::cases`, the rules are `portal_core`.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use headers::{ETag, HeaderMapExt, IfNoneMatch};
use portal_core::access::{self, Permission};
use portal_core::model::{
    Article, CaseCorrection, CaseDetail, CaseList, CaseOverview, EntryKind, Environment,
    FieldChange, NewCase, NewComment, NewRating, NewRouting, Problem,
};
use portal_core::query::CaseQuery;
use portal_core::secrets::{NewSecrets, SecretKind};
use portal_core::validate::{self, Context};
use portal_core::{tr, trf, CaseAction, CaseStatus, Role};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Json, Path, Query};
use crate::auth::Session;
use crate::db::cases::Event;
use crate::db::idempotency::{self, Answer, Key};
use crate::db::secrets::Owner;
use crate::db::{self, Account};
use crate::error::{ApiError, ApiResult};
use crate::lang;
use crate::secrets::SecretBox;
use crate::AppState;

/// Longest accepted Idempotency-Key.
pub const IDEMPOTENCY_KEY_MAX: usize = 200;

/// Query of `GET /api/v1/cases`, for the API document; parsed by `portal_core::query::CaseQuery`
/// (a test checks that the two name the same keys).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListQuery {
    /// `mine` or `institution` (default); empty means the default.
    #[param(pattern = "^(|mine|institution)$")]
    scope: Option<String>,
    /// Status filter: a status, or `open` for every status but closed; empty means all.
    #[param(
        pattern = "^(|open|new|in_progress|awaiting_customer|with_rnd|solution_proposed|closed)$"
    )]
    status: Option<String>,
    /// Level filter (I–IV); empty means all.
    #[param(pattern = "^(|I|II|III|IV)$")]
    level: Option<String>,
    /// Request kind filter (`question` or `defect`); empty means all.
    #[param(pattern = "^(|question|defect)$")]
    kind: Option<String>,
    /// Case number or words in subject / description (at most 200 characters).
    #[param(max_length = 200)]
    q: Option<String>,
    /// Institution id (support's queue); empty means all.
    #[param(minimum = 1)]
    institution: Option<i64>,
    /// Response due (support's queue): `breached`, `within_hour`, `today` (within 24 h) or
    /// `met`; empty means any.
    #[param(pattern = "^(|breached|within_hour|today|met)$")]
    due: Option<String>,
    /// `unassigned`, or `mine` (assigned to you); empty means anyone.
    #[param(pattern = "^(|unassigned|mine)$")]
    assignee: Option<String>,
    /// Column, `-` first for descending (default `-updated_at`).
    #[param(
        pattern = "^(|-?(number|subject|status|level|kind|opened_at|updated_at|initial_response_due))$"
    )]
    sort: Option<String>,
    /// 1-based page (at most 100 000).
    #[param(minimum = 1, maximum = 100000)]
    page: Option<u32>,
    /// Rows per page (1–100, default 25).
    #[param(minimum = 1, maximum = 100)]
    page_size: Option<u32>,
}

/// The documented keys of [`ListQuery`] (the drift test compares them with core's).
pub const LIST_QUERY_KEYS: [&str; 11] = [
    "scope",
    "status",
    "level",
    "kind",
    "q",
    "institution",
    "due",
    "assignee",
    "sort",
    "page",
    "page_size",
];

/// Reads the case-list query string with core's parser; a value it does not understand is a 400
/// that says which and what to use, in the negotiated language.
fn case_query(raw: Option<String>) -> ApiResult<CaseQuery> {
    let l = lang::current();
    CaseQuery::parse(raw.as_deref().unwrap_or(""), l)
        .map_err(|errors| ApiError::bad_request(CaseQuery::errors_text(&errors, l)))
}

/// `GET /api/v1/cases`: the cases the user may see, filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListQuery), responses((status = 200, description = "One page of the cases you may see", body = CaseList), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_list(
    State(state): State<AppState>,
    Session(account): Session,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<CaseList>> {
    let q = case_query(raw)?;
    let now = state.now();
    let list = state
        .db
        .read(move |c| Ok(db::cases::list(c, &q, &account, now)?))
        .await?;
    Ok(Json(list))
}

/// Query of `GET /api/v1/cases/overview` (for the API document; parsed like the list's).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct OverviewQuery {
    /// `mine` or `institution` (default); empty means the default.
    #[param(pattern = "^(|mine|institution)$")]
    scope: Option<String>,
}

/// `GET /api/v1/cases/overview`: counts by status and by level (open cases), and cases opened
/// and closed per week over the last eight weeks, for the cases the user may see.
#[utoipa::path(get, path = "/api/v1/cases/overview", tag = "cases", params(OverviewQuery), responses((status = 200, description = "Counts by status and level, and cases opened and closed per week", body = CaseOverview), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_overview(
    State(state): State<AppState>,
    Session(account): Session,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<CaseOverview>> {
    let scope = case_query(raw)?.scope;
    let today = state.now().date_naive();
    let overview = state
        .db
        .read(move |c| Ok(db::cases::overview(c, scope, &account, today)?))
        .await?;
    Ok(Json(overview))
}

fn not_found(number: &str) -> ApiError {
    ApiError::NotFound(trf!(lang::current(),
        en: "There is no case {number} that you can see. Check the number, or ask a colleague who opened it.",
        fr: "Aucun dossier {number} ne vous est visible. Vérifiez le numéro, ou demandez au collègue qui l’a ouvert."))
}

/// The 422 when an attachment cannot be sent (removed, or already sent with another case).
fn attachment_gone() -> ApiError {
    ApiError::field(
        "attachments",
        tr!(lang::current(),
            en: "One of the attachments is no longer available (it was removed, or already sent with another case). Remove it and attach the file again.",
            fr: "L’une des pièces jointes n’est plus disponible (elle a été retirée, ou déjà envoyée avec un autre dossier). Retirez-la et joignez le fichier à nouveau."),
    )
}

/// Case `number` as `account` sees it, or 404; the articles the customer read carry their
/// titles from the knowledge center's `articles`.
pub(crate) fn load(
    conn: &db::sql::Connection,
    number: &str,
    account: &Account,
    articles: &[Article],
) -> ApiResult<(i64, CaseDetail)> {
    let (id, mut detail) =
        db::cases::load(conn, number, account)?.ok_or_else(|| not_found(number))?;
    for a in &mut detail.articles_viewed {
        if let Some(found) = articles.iter().find(|x| x.id == a.id) {
            a.title = found.title.clone();
        }
    }
    Ok((id, detail))
}

/// `GET /api/v1/cases/{number}`: one case with its timeline. Sends an `ETag`; with a matching
/// `If-None-Match` it answers 304 and no body, so polling for updates costs next to nothing.
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("If-None-Match" = Option<String>, Header, description = "ETag of the copy you have")), responses((status = 200, description = "The case with its timeline", body = CaseDetail), (status = 304, description = "Unchanged since the ETag you sent"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_show(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (n, articles, viewer) = (number.clone(), state.articles.clone(), account.id);
    let (id, detail, news) = state
        .db
        .read(move |c| {
            let (id, detail) = load(c, &n, &account, &articles)?;
            let news = db::cases::has_news(c, account.id, id)?;
            Ok((id, detail, news))
        })
        .await?;
    // Opening a case with news marks it seen ("news since your last visit").
    if news {
        let now = state.now();
        state
            .db
            .call(move |c| Ok(db::cases::mark_seen(c, viewer, id, now)?))
            .await?;
    }
    let json = serde_json::to_vec(&detail).map_err(|e| ApiError::Internal(e.to_string()))?;
    let digest: String = Sha256::digest(&json)
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect();
    let etag: ETag = format!("\"{digest}\"")
        .parse()
        .map_err(|_| ApiError::Internal("ETag".into()))?;
    let unchanged = headers
        .typed_get::<IfNoneMatch>()
        .is_some_and(|inm| !inm.precondition_passes(&etag));
    let mut res = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        json_answer(StatusCode::OK, json, None)
    };
    res.headers_mut().typed_insert(etag);
    Ok(res)
}

/// A JSON answer, with a `Location` when it names a new resource.
pub(crate) fn json_answer(
    status: StatusCode,
    body: impl Into<axum::body::Body>,
    location: Option<&str>,
) -> Response {
    let mut res = (status, body.into()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(v) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        h.insert(header::LOCATION, v);
    }
    res
}

/// An idempotent request's answer (made now or replayed) with the case's address.
fn answer((status, json): Answer, number: &str) -> Response {
    json_answer(
        StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED),
        json,
        Some(&format!("/api/v1/cases/{number}")),
    )
}

/// The request's Idempotency-Key, checked.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let l = lang::current();
    let key = v
        .to_str()
        .map_err(|_| {
            ApiError::bad_request(tr!(l,
            en: "Idempotency-Key must be plain ASCII text.",
            fr: "L’en-tête Idempotency-Key doit être du texte ASCII simple."))
        })?
        .trim()
        .to_string();
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX {
        return Err(ApiError::bad_request(trf!(l,
            en: "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} characters.",
            fr: "L’en-tête Idempotency-Key doit compter de 1 à {IDEMPOTENCY_KEY_MAX} caractères.")));
    }
    Ok(Some(key))
}

/// The values of `new` to seal, as (kind, plaintext): credentials as JSON, access as text.
pub(crate) fn seal_inputs(new: &NewSecrets) -> Vec<(SecretKind, String)> {
    let mut out = Vec::new();
    if let Some(c) = &new.app_credentials {
        out.push((
            SecretKind::AppCredentials,
            serde_json::to_string(c).unwrap_or_default(),
        ));
    }
    if let Some(a) = &new.connect_layer_access {
        out.push((SecretKind::ConnectLayer, a.clone()));
    }
    out
}

/// The institution's support access profile, opened: (kind, plaintext) of what it holds.
pub(crate) fn profile_secrets(
    conn: &db::sql::Connection,
    key: &SecretBox,
    institution_id: i64,
) -> ApiResult<Vec<(SecretKind, String)>> {
    let owner = Owner::Institution(institution_id);
    let mut out = Vec::new();
    for kind in SecretKind::ALL {
        if let Some(sealed) = db::secrets::get(conn, owner, kind)? {
            let plain = key.open(&sealed, &owner.seal_as(kind)).map_err(|_| {
                ApiError::Internal(format!(
                    "the access profile's {} does not open with this key",
                    kind.as_str()
                ))
            })?;
            out.push((kind, String::from_utf8_lossy(&plain).into_owned()));
        }
    }
    Ok(out)
}

fn to_json(detail: &CaseDetail) -> ApiResult<String> {
    serde_json::to_string(detail).map_err(|e| ApiError::Internal(e.to_string()))
}

/// `POST /api/v1/cases`: opens a support case. With an `Idempotency-Key`, a repeat of the same
/// request replays the first answer (one case, however often it is sent), a repeat while the
/// first is still running answers 409, and the same key with a different body answers 422.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)"), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key (1 to 200 characters): a repeat replays the first answer; another body under a key that already made a case is 409 already-sent, naming it", min_length = 1, max_length = 200)), request_body = NewCase, responses((status = 201, description = "Opened: the case with its number and response due", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 409, description = "The same Idempotency-Key is still being processed (retry after Retry-After), or it already made a case (type already-sent, `case_number`)", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_create(
    State(state): State<AppState>,
    Session(account): Session,
    headers: HeaderMap,
    Json(body): Json<NewCase>,
) -> ApiResult<Response> {
    access::check(account.role(), Permission::OpenCase, lang::current())
        .map_err(ApiError::forbidden)?;
    let Some(institution) = account.institution.clone() else {
        return Err(ApiError::forbidden(
            Permission::OpenCase.refusal(lang::current()),
        ));
    };
    let key = idempotency_key(&headers)?.map(|k| Key::new(account.id, "POST /cases", &k, &body));
    let profile = if body.use_access_profile {
        let inst = institution.id;
        state
            .db
            .read(move |c| Ok(db::secrets::status(c, Owner::Institution(inst))?))
            .await?
    } else {
        Vec::new()
    };
    let holds = |kind: SecretKind| {
        profile
            .iter()
            .any(|s| s.kind == kind && s.state == portal_core::secrets::SecretState::Provided)
    };
    let context = Context {
        has_connect_layer: institution.has_connect_layer,
        limits: state.config.base().attachment_limits,
        profile_credentials: holds(SecretKind::AppCredentials),
        profile_connect_layer: holds(SecretKind::ConnectLayer),
    };
    let errors = validate::new_case(&body, context, lang::current());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = state.now();
    let due = state
        .region(&institution.region)?
        .initial_response_due(body.level, now)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let (key_box, articles) = (state.secrets.clone(), state.articles.clone());
    let notifier = state.notifier.clone();
    let done = idempotency::run(&state.db, key, now, move |tx| {
        let (id, number) = db::cases::insert(tx, &account, institution.id, &body, now, due)?;
        let case = Owner::Case(id);
        let typed = NewSecrets {
            app_credentials: body.credentials.clone().filter(|c| c.is_complete()),
            connect_layer_access: Some(body.connect_layer_access.clone())
                .filter(|a| !a.trim().is_empty()),
        };
        let from_profile = if body.use_access_profile {
            profile_secrets(tx, &key_box, institution.id)?
        } else {
            Vec::new()
        };
        // Typed values win over the profile's.
        for (kind, plain) in from_profile
            .into_iter()
            .filter(|(k, _)| !typed.kinds().contains(k))
            .chain(seal_inputs(&typed))
        {
            let sealed = key_box
                .seal(plain.as_bytes(), &case.seal_as(kind))
                .map_err(ApiError::Internal)?;
            db::secrets::put(tx, case, kind, &sealed, account.id, now)?;
        }
        if !db::uploads::link(tx, &account, &body.attachments, id, None)? {
            return Err(attachment_gone());
        }
        for email in &body.followers {
            super::notifications::add_colleague(tx, &notifier, id, email, &account, now)?;
        }
        let (_, detail) = load(tx, &number, &account, &articles)?;
        tracing::info!(case = %number, "case opened");
        Ok((201, to_json(&detail)?))
    })
    .await?;
    let number = serde_json::from_str::<serde_json::Value>(&done.1)
        .ok()
        .and_then(|v| v["summary"]["number"].as_str().map(String::from))
        .unwrap_or_default();
    Ok(answer(done, &number))
}

/// Applies `action` to a case, with `body` for comments and solutions, and answers the new detail
/// (`status` on success); with a `key`, once.
#[allow(clippy::too_many_arguments)]
async fn act(
    state: &AppState,
    account: Account,
    number: &str,
    action: CaseAction,
    body: String,
    files: Vec<String>,
    key: Option<Key>,
    status: u16,
    rejects_solution: bool,
) -> ApiResult<Answer> {
    let now = state.now();
    let (n, articles) = (number.to_string(), state.articles.clone());
    let notifier = state.notifier.clone();
    idempotency::run(&state.db, key, now, move |tx| {
        let (id, detail) = load(tx, &n, &account, &articles)?;
        let from = detail.summary.status;
        let to = from.after(account.role(), action).ok_or_else(|| {
            let l = lang::current();
            let (status, done) = (from.label(l).to_lowercase(), action_past(action, l));
            ApiError::conflict(trf!(l,
                en: "A case that is {status} cannot be {done}.",
                fr: "Un dossier au statut « {status} » ne peut pas être {done}."))
        })?;
        // A customer's answer to a proposed solution that says it did not solve it.
        let rejected = rejects_solution
            && from == CaseStatus::SolutionProposed
            && account.role() == Role::Customer;
        let (kind, text, moved) = match action {
            CaseAction::Comment => (
                if rejected {
                    EntryKind::SolutionRejected
                } else {
                    EntryKind::Comment
                },
                body.as_str(),
                (to != from).then_some(to),
            ),
            CaseAction::ProposeSolution => (EntryKind::Solution, body.as_str(), Some(to)),
            CaseAction::Accept => (EntryKind::SolutionAccepted, "", Some(to)),
            _ => (EntryKind::Status, "", Some(to)),
        };
        let e = Event {
            status: moved,
            ..Event::new(kind, text)
        };
        let event = notifier.record(tx, id, &account, &e, from, now)?;
        if !db::uploads::link(tx, &account, &files, id, Some(event))? {
            return Err(attachment_gone());
        }
        let (_, detail) = load(tx, &n, &account, &articles)?;
        Ok((status, to_json(&detail)?))
    })
    .await
}

fn action_past(a: CaseAction, lang: portal_core::Lang) -> &'static str {
    match a {
        CaseAction::Comment => tr!(lang, en: "commented on", fr: "commenté"),
        CaseAction::Close => tr!(lang, en: "closed", fr: "clôturé"),
        CaseAction::Reopen => tr!(lang, en: "reopened", fr: "rouvert"),
        CaseAction::Accept => tr!(lang,
            en: "accepted (no solution is proposed)",
            fr: "accepté (aucune solution n’est proposée)"),
        CaseAction::ProposeSolution => {
            tr!(lang, en: "given a proposed solution", fr: "doté d’une proposition de solution")
        }
    }
}

/// The text of an update, checked against core's rules and the deployment's file limit.
fn checked_comment(body: &NewComment, state: &AppState) -> ApiResult<String> {
    let l = lang::current();
    let limits = state.config.base().attachment_limits;
    if let Some(m) = validate::attachment_count(body.attachments.len(), limits, l) {
        return Err(ApiError::field("attachments", m));
    }
    match validate::comment(&body.body, l) {
        Some(m) => Err(ApiError::field("body", m)),
        None => Ok(body.body.clone()),
    }
}

/// `POST /api/v1/cases/{number}/comments` {body, attachments}: adds an update; a customer's answer
/// to a case awaiting them hands it back to support. With an `Idempotency-Key`, a retry never
/// posts the update twice (same rules as creating a case).
#[utoipa::path(post, path = "/api/v1/cases/{number}/comments", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)"), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key (1 to 200 characters): a repeat replays the first answer; another body under the same key is 422", min_length = 1, max_length = 200)), request_body = NewComment, responses((status = 201, description = "Posted; the case as it is now", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "The same Idempotency-Key is still being processed: retry after Retry-After", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn comments_create(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    headers: HeaderMap,
    Json(body): Json<NewComment>,
) -> ApiResult<Response> {
    let text = checked_comment(&body, &state)?;
    let key = idempotency_key(&headers)?.map(|k| {
        Key::new(
            account.id,
            &format!("POST /cases/{number}/comments"),
            &k,
            &body,
        )
    });
    let done = act(
        &state,
        account,
        &number,
        CaseAction::Comment,
        text,
        body.attachments,
        key,
        201,
        body.rejects_solution,
    )
    .await?;
    Ok(answer(done, &number))
}

/// `POST /api/v1/cases/{number}/{close|reopen|accept}`: a status transition the core lifecycle
/// allows for this user here (accept: the customer accepts the proposed solution).
#[utoipa::path(post, path = "/api/v1/cases/{number}/{action}", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("action" = String, Path, description = "close, reopen or accept", pattern = "^(close|reopen|accept)$"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 200, description = "The case after the action", body = CaseDetail), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_transition(
    State(state): State<AppState>,
    Session(account): Session,
    Path((number, action)): Path<(String, String)>,
) -> ApiResult<Response> {
    let Some(a) = CaseAction::parse(&action).filter(|a| a.is_transition()) else {
        return Err(ApiError::NotFound(trf!(lang::current(),
            en: "There is no case action “{action}”; use close, reopen or accept.",
            fr: "Il n’existe pas d’action « {action} » sur un dossier ; utilisez close, reopen ou accept.")));
    };
    let done = act(
        &state,
        account,
        &number,
        a,
        String::new(),
        Vec::new(),
        None,
        200,
        false,
    )
    .await?;
    Ok(json_answer(StatusCode::OK, done.1, None))
}

/// `POST /api/v1/cases/{number}/solution` {body} (agents): proposes a solution.
#[utoipa::path(post, path = "/api/v1/cases/{number}/solution", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewComment, responses((status = 200, description = "Solution proposed (agents)", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn solution_create(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<NewComment>,
) -> ApiResult<Response> {
    // Customers may not even learn whether the case exists through this path.
    access::check(account.role(), Permission::ProposeSolution, lang::current())
        .map_err(ApiError::forbidden)?;
    let text = checked_comment(&body, &state)?;
    let done = act(
        &state,
        account,
        &number,
        CaseAction::ProposeSolution,
        text,
        body.attachments,
        None,
        200,
        false,
    )
    .await?;
    Ok(json_answer(StatusCode::OK, done.1, None))
}

/// Query of `GET /api/v1/cases/similar`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SimilarQuery {
    /// The subject and description being written.
    #[serde(default)]
    text: String,
}

/// `GET /api/v1/cases/similar?text=`: the open cases the user may see that look like the request
/// being written (at most three), so a colleague's report can be followed instead of repeated.
#[utoipa::path(get, path = "/api/v1/cases/similar", tag = "cases", params(SimilarQuery), responses((status = 200, description = "Open cases that share words with the text, most alike first", body = CaseList), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_similar(
    State(state): State<AppState>,
    Session(account): Session,
    Query(q): Query<SimilarQuery>,
) -> ApiResult<Json<CaseList>> {
    if q.text.chars().count() > 2000 {
        return Err(ApiError::bad_request(tr!(lang::current(),
            en: "Compare at most 2000 characters.",
            fr: "Comparez au plus 2000 caractères.")));
    }
    let words = portal_core::similar::keywords(&q.text);
    let items = state
        .db
        .read(move |c| {
            Ok(db::cases::similar(
                c,
                &account,
                &words,
                portal_core::similar::OFFERED_MAX,
            )?)
        })
        .await?;
    let total = items.len() as u64;
    Ok(Json(CaseList {
        items,
        total,
        page: 1,
        page_size: portal_core::similar::OFFERED_MAX as u32,
    }))
}

/// The changes a correction makes to `d`, field by field (old and new), in people's words for
/// the environment and product area.
fn changes(
    d: &CaseDetail,
    c: &CaseCorrection,
    areas: &[portal_core::model::ProductArea],
) -> Vec<FieldChange> {
    let area = |v: &str| {
        areas
            .iter()
            .find(|a| a.value == v)
            .map_or_else(|| v.to_string(), |a| a.label.clone())
    };
    let env = |e: Environment| match e {
        Environment::Production => "Production",
        Environment::Sandbox => "Sandbox",
    };
    let mut out = Vec::new();
    let mut push = |field: &str, from: String, to: String| {
        if from != to {
            out.push(FieldChange {
                field: field.into(),
                from,
                to,
            });
        }
    };
    if let Some(e) = c.environment {
        push("environment", env(d.environment).into(), env(e).into());
    }
    if let Some(a) = &c.product_area {
        push("product_area", area(&d.product_area), area(a));
    }
    if let Some(s) = &c.scenario {
        push("scenario.steps", d.scenario.steps.clone(), s.steps.clone());
        push(
            "scenario.expected",
            d.scenario.expected.clone(),
            s.expected.clone(),
        );
        push(
            "scenario.actual",
            d.scenario.actual.clone(),
            s.actual.clone(),
        );
    }
    out
}

/// `PATCH /api/v1/cases/{number}/details` {environment, product_area, scenario}: the opener (or
/// support) corrects an open case; each change is a timeline entry with the old and new value.
/// Raising the level is an escalation (`POST …/escalation`), not a correction.
#[utoipa::path(patch, path = "/api/v1/cases/{number}/details", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = CaseCorrection, responses((status = 200, description = "The case as corrected", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not the opener or support, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "The case is closed", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_correct(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<CaseCorrection>,
) -> ApiResult<Json<CaseDetail>> {
    let now = state.now();
    let (articles, notifier) = (state.articles.clone(), state.notifier.clone());
    let areas = state.config.get(lang::current()).product_areas.clone();
    let detail = state
        .db
        .call(move |c| {
            let l = lang::current();
            let tx = c.transaction()?;
            let (id, detail) = load(&tx, &number, &account, &articles)?;
            if !detail.summary.status.is_open() {
                return Err(ApiError::conflict(tr!(l,
                    en: "A closed case cannot be corrected: reopen it first.",
                    fr: "Un dossier clôturé ne peut pas être corrigé : rouvrez-le d’abord.")));
            }
            if !detail.can_correct {
                return Err(ApiError::forbidden(tr!(l,
                    en: "Only the person who opened the case, or support, can correct it. Add an update instead.",
                    fr: "Seule la personne qui a ouvert le dossier, ou le support, peut le corriger. Ajoutez plutôt un message.")));
            }
            let mut errors =
                validate::correction(&body, detail.summary.kind, detail.summary.level, l);
            if let Some(a) = &body.product_area {
                if !areas.iter().any(|x| &x.value == a) && errors.iter().all(|e| e.field != "product_area") {
                    errors.push(portal_core::model::FieldError::new(
                        "product_area",
                        tr!(l,
                            en: "Choose the product area from the list.",
                            fr: "Choisissez le domaine du produit dans la liste."),
                    ));
                }
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let changed = changes(&detail, &body, &areas);
            if changed.is_empty() {
                return Ok(detail);
            }
            db::cases::correct(&tx, id, &body)?;
            let json = serde_json::to_string(&changed).map_err(|e| ApiError::Internal(e.to_string()))?;
            let e = Event::new(EntryKind::Corrected, &json);
            notifier.record(&tx, id, &account, &e, detail.summary.status, now)?;
            let (_, detail) = load(&tx, &number, &account, &articles)?;
            tx.commit()?;
            Ok(detail)
        })
        .await?;
    Ok(Json(detail))
}

/// `POST /api/v1/cases/{number}/idea` {title, description}: the opener's institution or support
/// moves an open case to the Ideas Exchange (it reads like new functionality): the hand-off is
/// recorded with a link to the case, and the case closes with a history entry naming it
/// (`portal_core::enhancement::may_move_to_ideas` decides which cases may). With an
/// `Idempotency-Key`, once.
#[utoipa::path(post, path = "/api/v1/cases/{number}/idea", tag = "hand-offs", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)"), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key (1 to 200 characters): a repeat replays the first answer", min_length = 1, max_length = 200)), request_body = NewRouting, responses((status = 201, description = "Moved: the case, closed, with `moved_to`", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "This case cannot move (closed, or a production outage), or the key is still being processed", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_to_idea(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    headers: HeaderMap,
    Json(body): Json<NewRouting>,
) -> ApiResult<Response> {
    let errors = validate::routing(&body, lang::current());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let key = idempotency_key(&headers)?
        .map(|k| Key::new(account.id, &format!("POST /cases/{number}/idea"), &k, &body));
    let now = state.now();
    let (articles, notifier) = (state.articles.clone(), state.notifier.clone());
    let n = number.clone();
    let done = idempotency::run(&state.db, key, now, move |tx| {
        let l = lang::current();
        let (id, detail) = load(tx, &n, &account, &articles)?;
        let s = &detail.summary;
        if !portal_core::enhancement::may_move_to_ideas(s.kind, s.level, s.status) {
            return Err(ApiError::conflict(if s.status.is_open() {
                tr!(l,
                    en: "A production outage (Level I or II) is not an idea: it stays with support.",
                    fr: "Une panne de production (niveau I ou II) n’est pas une idée : elle reste au support.")
            } else {
                tr!(l,
                    en: "A closed case cannot move to the Ideas Exchange.",
                    fr: "Un dossier clôturé ne peut pas aller sur l’Ideas Exchange.")
            }));
        }
        let routing = db::handoffs::insert_routing(
            tx,
            &account,
            s.institution_id,
            body.title.trim(),
            &body.description,
            now,
        )?;
        db::handoffs::link_case(tx, routing, id)?;
        let reference = format!("IX-{routing:06}");
        let e = Event {
            status: Some(CaseStatus::Closed),
            ..Event::new(EntryKind::MovedToIdeas, &reference)
        };
        notifier.record(tx, id, &account, &e, s.status, now)?;
        let (_, detail) = load(tx, &n, &account, &articles)?;
        Ok((201, to_json(&detail)?))
    })
    .await?;
    Ok(answer(done, &number))
}

/// `PUT /api/v1/cases/{number}/rating` {score, comment}: a customer of the case's institution rates
/// support's answer once the case is closed; once per case, changeable for 14 days
/// (`portal_core::feedback`).
#[utoipa::path(put, path = "/api/v1/cases/{number}/rating", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewRating, responses((status = 200, description = "The case with its rating", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in, or the rating can no longer change", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn ratings_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<NewRating>,
) -> ApiResult<Json<CaseDetail>> {
    let l = lang::current();
    if account.role() != Role::Customer {
        return Err(ApiError::forbidden(tr!(l,
            en: "Only the institution's staff rate support's answer.",
            fr: "Seul le personnel de l’établissement évalue la réponse du support.")));
    }
    let errors = validate::rating(body.score, &body.comment, l);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = state.now();
    let articles = state.articles.clone();
    let detail = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let (id, detail) = load(&tx, &number, &account, &articles)?;
            let first = detail.rating.as_ref().map(|r| r.first_rated_at);
            if let Some(m) = portal_core::feedback::refusal(
                account.role(),
                detail.summary.status,
                first,
                now,
                lang::current(),
            ) {
                return Err(ApiError::conflict(m));
            }
            db::ratings::put(&tx, id, &account, body.score, body.comment.trim(), now)?;
            let (_, detail) = load(&tx, &number, &account, &articles)?;
            tx.commit()?;
            Ok(detail)
        })
        .await?;
    Ok(Json(detail))
}

/// Body of `PATCH /api/v1/cases/{number}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CasePatch {
    /// The new status.
    pub status: CaseStatus,
}

/// `PATCH /api/v1/cases/{number}` {status} (agents): moves a case along its lifecycle.
#[utoipa::path(patch, path = "/api/v1/cases/{number}", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = CasePatch, responses((status = 200, description = "Moved along its lifecycle (agents)", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(patch): Json<CasePatch>,
) -> ApiResult<Json<CaseDetail>> {
    access::check(account.role(), Permission::SetStatus, lang::current())
        .map_err(ApiError::forbidden)?;
    let now = state.now();
    let (articles, notifier) = (state.articles.clone(), state.notifier.clone());
    let detail = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let (id, detail) = load(&tx, &number, &account, &articles)?;
            let from = detail.summary.status;
            if !from.can_move(account.role(), patch.status) {
                let l = lang::current();
                let (status, to) = (
                    from.label(l).to_lowercase(),
                    patch.status.label(l).to_lowercase(),
                );
                return Err(ApiError::conflict(trf!(l,
                    en: "A case that is {status} cannot move to {to}.",
                    fr: "Un dossier au statut « {status} » ne peut pas passer à « {to} »."
                )));
            }
            let e = Event {
                status: Some(patch.status),
                ..Event::new(EntryKind::Status, "")
            };
            notifier.record(&tx, id, &account, &e, from, now)?;
            let (_, detail) = load(&tx, &number, &account, &articles)?;
            tx.commit()?;
            Ok(detail)
        })
        .await?;
    Ok(Json(detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_list_query_is_cores() {
        assert_eq!(LIST_QUERY_KEYS, CaseQuery::KEYS);
    }
}
