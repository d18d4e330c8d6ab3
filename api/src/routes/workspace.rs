//! Support's side of a case: assignment, internal notes, level changes with a reason, asking the
//! customer for access, and revealing the secrets they gave (recorded on the timeline, which the
//! customer sees). Also the directory support's screens need: agents and institutions.

use axum::extract::State;
use axum::http::StatusCode;
use portal_core::access::{self, Permission};
use portal_core::model::{
    AccessRequest, Assign, CaseDetail, Credentials, EntryKind, InstitutionRef, LevelChange,
    NewNote, Problem, User,
};
use portal_core::secrets::{Revealed, SecretKind};
use portal_core::{tr, trf, CaseStatus};

use super::cases::load;
use super::{Json, Path};
use crate::auth::Session;
use crate::db::cases::Event;
use crate::db::secrets::Owner;
use crate::db::sql::Connection;
use crate::db::{self, Account};
use crate::error::{ApiError, ApiResult};
use crate::lang;
use crate::AppState;

fn allowed(account: &Account, p: Permission) -> ApiResult<()> {
    access::check(account.role(), p, lang::current()).map_err(ApiError::forbidden)
}

/// Runs `work` on case `number` (its row id and detail before) in one transaction, if `account`
/// has `permission` and may see the case; answers the case after.
pub(crate) async fn on_case<F>(
    state: &AppState,
    account: Account,
    number: String,
    permission: Permission,
    work: F,
) -> ApiResult<CaseDetail>
where
    F: FnOnce(&Case) -> ApiResult<()> + Send + 'static,
{
    allowed(&account, permission)?;
    let (articles, notifier) = (state.articles.clone(), state.notifier.clone());
    let now = state.now();
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let (id, before) = load(&tx, &number, &account, &articles)?;
            work(&Case {
                tx: &tx,
                id,
                before: &before,
                by: &account,
                notifier: &notifier,
                now,
            })?;
            let (_, after) = load(&tx, &number, &account, &articles)?;
            tx.commit()?;
            Ok(after)
        })
        .await
}

/// A case being worked on in a transaction: what `on_case`'s work gets.
pub(crate) struct Case<'a> {
    /// The transaction.
    pub tx: &'a Connection,
    /// The case's row id.
    pub id: i64,
    /// The case before the work.
    pub before: &'a CaseDetail,
    /// Who does it.
    pub by: &'a Account,
    notifier: &'a crate::notify::Notifier,
    /// When.
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Case<'_> {
    /// Records an event on the case, with the e-mails it causes.
    pub fn record(&self, e: &Event) -> ApiResult<i64> {
        self.notifier.record(
            self.tx,
            self.id,
            self.by,
            e,
            self.before.summary.status,
            self.now,
        )
    }
}

fn closed(detail: &CaseDetail) -> ApiError {
    let n = &detail.summary.number;
    ApiError::conflict(trf!(lang::current(),
        en: "Case {n} is closed: reopen it first.",
        fr: "Le dossier {n} est clôturé : rouvrez-le d’abord."))
}

/// `GET /api/v1/agents` (support): the support agents, for assigning cases.
#[utoipa::path(get, path = "/api/v1/agents", tag = "support", responses((status = 200, description = "The support agents", body = Vec<User>), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role", body = Problem, content_type = "application/problem+json")))]
pub async fn agents_list(
    State(state): State<AppState>,
    Session(account): Session,
) -> ApiResult<Json<Vec<User>>> {
    allowed(&account, Permission::AssignCases)?;
    Ok(Json(state.db.read(|c| Ok(db::accounts::agents(c)?)).await?))
}

/// `GET /api/v1/institutions` (support): every institution, for the queue's filter and
/// announcements.
#[utoipa::path(get, path = "/api/v1/institutions", tag = "support", responses((status = 200, description = "Every institution", body = Vec<InstitutionRef>), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role", body = Problem, content_type = "application/problem+json")))]
pub async fn institutions_list(
    State(state): State<AppState>,
    Session(account): Session,
) -> ApiResult<Json<Vec<InstitutionRef>>> {
    allowed(&account, Permission::SeeEveryInstitution)?;
    Ok(Json(
        state
            .db
            .read(|c| Ok(db::accounts::institutions(c)?))
            .await?,
    ))
}

/// `PUT /api/v1/cases/{number}/assignee` {assignee} (support): assigns the case to an agent by
/// e-mail, or unassigns it (`null`); a timeline entry says who.
#[utoipa::path(put, path = "/api/v1/cases/{number}/assignee", tag = "support", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = Assign, responses((status = 200, description = "The case, assigned", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn assignee_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<Assign>,
) -> ApiResult<Json<CaseDetail>> {
    let detail = on_case(&state, account, number, Permission::AssignCases, move |c| {
        let (tx, id, before, by, now) = (c.tx, c.id, c.before, c.by, c.now);
        let agent = match body
            .assignee
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            None => None,
            Some(email) => Some(db::accounts::agent_by_email(tx, email)?.ok_or_else(|| {
                ApiError::field(
                    "assignee",
                    trf!(lang::current(),
                    en: "There is no support agent {email}.",
                    fr: "Il n’y a pas d’agent du support {email}."),
                )
            })?),
        };
        let name = agent.as_ref().map(|(_, n)| n.clone());
        if name == before.summary.assignee {
            return Ok(());
        }
        db::cases::set_assignee(tx, id, agent.as_ref().map(|(i, _)| *i))?;
        let body = name.unwrap_or_default();
        db::cases::record(tx, id, by, &Event::new(EntryKind::Assignment, &body), now)?;
        Ok(())
    })
    .await?;
    Ok(Json(detail))
}

/// `POST /api/v1/cases/{number}/notes` {body} (support): an internal note. Customers never see
/// it: not in their timeline, not in their answers, and the case does not change for them (its
/// `updated_at` and ETag stay).
#[utoipa::path(post, path = "/api/v1/cases/{number}/notes", tag = "support", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewNote, responses((status = 201, description = "Noted; the case as support sees it", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn notes_create(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<NewNote>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    allowed(&account, Permission::WriteNotes)?;
    if let Some(m) = portal_core::validate::comment(&body.body, lang::current()) {
        return Err(ApiError::field("body", m));
    }
    let detail = on_case(&state, account, number, Permission::WriteNotes, move |c| {
        let (tx, id, by, now) = (c.tx, c.id, c.by, c.now);
        db::cases::record(tx, id, by, &Event::new(EntryKind::Note, &body.body), now)?;
        Ok(())
    })
    .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// `POST /api/v1/cases/{number}/level` {level, reason} (support): changes the response level;
/// until support first responds, the response due follows the new level from now (the rule:
/// `RegionClock::due_after_level_change`). The customer sees the change and the reason.
#[utoipa::path(post, path = "/api/v1/cases/{number}/level", tag = "support", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = LevelChange, responses((status = 200, description = "The case at its new level, with its response due", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn level_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<LevelChange>,
) -> ApiResult<Json<CaseDetail>> {
    let clocks = state.clocks.clone();
    let detail = on_case(&state, account, number, Permission::ChangeLevel, move |c| {
        let (tx, id, before, now) = (c.tx, c.id, c.before, c.now);
        let s = &before.summary;
        if !s.status.is_open() {
            return Err(closed(before));
        }
        let errors = portal_core::validate::level_change(&body, s.level, lang::current());
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let clock = clocks
            .iter()
            .find(|c| c.region.id == before.region)
            .ok_or_else(|| ApiError::Internal(format!("no clock for region {}", before.region)))?;
        let due = clock
            .due_after_level_change(body.level, now, s.initial_response_due, s.first_response_at)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        db::cases::set_level(tx, id, body.level, due)?;
        let event = Event {
            level: Some((s.level, body.level)),
            ..Event::new(EntryKind::LevelChange, body.reason.trim())
        };
        c.record(&event)?;
        Ok(())
    })
    .await?;
    Ok(Json(detail))
}

/// `POST /api/v1/cases/{number}/access-requests` {secrets, message} (support): asks the customer
/// for app credentials and/or Connect Layer access; the case awaits the customer, whose case page
/// opens the secure fields.
#[utoipa::path(post, path = "/api/v1/cases/{number}/access-requests", tag = "support", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = AccessRequest, responses((status = 201, description = "Asked; the case awaits the customer", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn access_requests_create(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<AccessRequest>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    let detail = on_case(
        &state,
        account,
        number,
        Permission::RequestAccess,
        move |c| {
            let (tx, before) = (c.tx, c.before);
            if !before.summary.status.is_open() {
                return Err(closed(before));
            }
            let has_cl = db::accounts::has_connect_layer(tx, before.summary.institution_id)?;
            let errors = portal_core::validate::access_request(&body, has_cl, lang::current());
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let mut kinds: Vec<SecretKind> = Vec::new();
            for k in &body.secrets {
                if !kinds.contains(k) {
                    kinds.push(*k);
                }
            }
            let event = Event {
                status: (before.summary.status != CaseStatus::AwaitingCustomer)
                    .then_some(CaseStatus::AwaitingCustomer),
                secrets: &kinds,
                ..Event::new(EntryKind::AccessRequest, body.message.trim())
            };
            c.record(&event)?;
            Ok(())
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// `POST /api/v1/cases/{number}/secrets/reveal` (support): the secrets of the case, opened. Each
/// reveal is recorded on the timeline, which the customer sees ("Support viewed the app
/// credentials"). Customers never get secrets back from any endpoint.
#[utoipa::path(post, path = "/api/v1/cases/{number}/secrets/reveal", tag = "support", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 200, description = "The secrets kept for the case (none when none were given or they were erased)", body = Revealed), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn secrets_reveal(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
) -> ApiResult<Json<Revealed>> {
    allowed(&account, Permission::RevealSecrets)?;
    super::two_factor::require_second_factor(&account)?;
    let now = state.now();
    let (key, articles) = (state.secrets.clone(), state.articles.clone());
    let revealed = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let (id, _) = load(&tx, &number, &account, &articles)?;
            let owner = Owner::Case(id);
            let mut out = Revealed::default();
            let mut kinds = Vec::new();
            for kind in SecretKind::ALL {
                let Some(sealed) = db::secrets::get(&tx, owner, kind)? else {
                    continue;
                };
                let plain = key.open(&sealed, &owner.seal_as(kind)).map_err(|_| {
                    ApiError::Internal(format!(
                        "case {number}: {} does not open with this key",
                        kind.as_str()
                    ))
                })?;
                let text = String::from_utf8_lossy(&plain).into_owned();
                match kind {
                    SecretKind::AppCredentials => {
                        out.app_credentials =
                            Some(serde_json::from_str::<Credentials>(&text).map_err(|e| {
                                ApiError::Internal(format!("case {number}: app credentials: {e}"))
                            })?)
                    }
                    SecretKind::ConnectLayer => out.connect_layer_access = Some(text),
                }
                kinds.push(kind);
            }
            if !kinds.is_empty() {
                let event = Event {
                    secrets: &kinds,
                    ..Event::new(EntryKind::SecretsViewed, "")
                };
                db::cases::record(&tx, id, &account, &event, now)?;
            }
            tx.commit()?;
            tracing::info!(case = %number, agent = account.id, "secrets revealed");
            Ok(out)
        })
        .await?;
    Ok(Json(revealed))
}

/// The refusal for secrets of the Connect Layer from an institution without one.
pub(crate) fn no_connect_layer() -> ApiError {
    ApiError::field(
        "connect_layer_access",
        tr!(lang::current(),
            en: "Your institution has no local Connect Layer to give access to.",
            fr: "Votre établissement n’a pas de Connect Layer local auquel donner accès."),
    )
}
