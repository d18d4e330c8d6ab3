//! Secrets customers give support, write-only: on a case (`PUT …/secrets`), and once for the
//! institution in its support access profile, which new defect cases can use. Values are sealed
//! (`crate::secrets`) before they reach the database, and no endpoint returns them to customers.

use axum::extract::State;
use portal_core::access::{self, Permission};
use portal_core::model::{AccessProfile, CaseDetail, EntryKind, Problem};
use portal_core::secrets::{NewSecrets, SecretKind, SecretState};
use portal_core::{tr, CaseStatus};

use super::cases::seal_inputs;
use super::workspace::{no_connect_layer, on_case};
use super::{Json, Path};
use crate::auth::Session;
use crate::db::cases::Event;
use crate::db::secrets::Owner;
use crate::db::{self, Account};
use crate::error::{ApiError, ApiResult};
use crate::lang;
use crate::AppState;

/// Checks new secrets for people; the Connect Layer access only where there is one.
fn checked(new: &NewSecrets, has_connect_layer: bool) -> ApiResult<()> {
    let errors = new.validate(lang::current());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if new.connect_layer_access.is_some() && !has_connect_layer {
        return Err(no_connect_layer());
    }
    Ok(())
}

/// `PUT /api/v1/cases/{number}/secrets` {app_credentials?, connect_layer_access?} (the case's
/// institution): gives or replaces them, write-only. A timeline entry says which; a case awaiting
/// exactly these goes back to support.
#[utoipa::path(put, path = "/api/v1/cases/{number}/secrets", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewSecrets, responses((status = 200, description = "Kept for support; the case as it is now (never the values)", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn case_secrets_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<NewSecrets>,
) -> ApiResult<Json<CaseDetail>> {
    let key = state.secrets.clone();
    let detail = on_case(
        &state,
        account,
        number,
        Permission::UpdateSecrets,
        move |c| {
            let (tx, id, before, by, now) = (c.tx, c.id, c.before, c.by, c.now);
            let s = &before.summary;
            if !s.status.is_open() {
                let n = &s.number;
                return Err(ApiError::conflict(portal_core::trf!(lang::current(),
                en: "Case {n} is closed: reopen it to give support access again.",
                fr: "Le dossier {n} est clôturé : rouvrez-le pour redonner un accès au support.")));
            }
            checked(
                &body,
                db::accounts::has_connect_layer(tx, s.institution_id)?,
            )?;
            let owner = Owner::Case(id);
            for (kind, plain) in seal_inputs(&body) {
                let sealed = key
                    .seal(plain.as_bytes(), &owner.seal_as(kind))
                    .map_err(ApiError::Internal)?;
                db::secrets::put(tx, owner, kind, &sealed, by.id, now)?;
            }
            let kinds = body.kinds();
            let answered = !before.access_requested.is_empty()
                && before.access_requested.iter().all(|k| kinds.contains(k));
            let event = Event {
                secrets: &kinds,
                status: (answered && s.status == CaseStatus::AwaitingCustomer)
                    .then_some(CaseStatus::InProgress),
                ..Event::new(EntryKind::SecretsUpdated, "")
            };
            c.record(&event)?;
            Ok(())
        },
    )
    .await?;
    Ok(Json(detail))
}

fn institution(account: &Account) -> ApiResult<i64> {
    let l = lang::current();
    access::check(account.role(), Permission::ManageAccessProfile, l)
        .map_err(ApiError::forbidden)?;
    if !account.sees_institution() {
        return Err(ApiError::forbidden(tr!(l,
            en: "The support access profile holds the whole institution's access: its members and administrators keep it. Ask one of them.",
            fr: "Le profil d’accès pour le support contient les accès de tout l’établissement : ses membres et administrateurs le tiennent. Demandez à l’un d’eux.")));
    }
    account
        .institution_id()
        .ok_or_else(|| ApiError::forbidden(Permission::ManageAccessProfile.refusal(l)))
}

fn profile(statuses: Vec<portal_core::secrets::SecretStatus>) -> AccessProfile {
    let usable = statuses
        .iter()
        .any(|s| s.kind == SecretKind::AppCredentials && s.state == SecretState::Provided);
    AccessProfile {
        secrets: statuses,
        usable,
    }
}

/// `GET /api/v1/institution/access-profile` (customers): what the institution's support access
/// profile holds (never the values).
#[utoipa::path(get, path = "/api/v1/institution/access-profile", tag = "cases", responses((status = 200, description = "What the profile holds", body = AccessProfile), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role", body = Problem, content_type = "application/problem+json")))]
pub async fn access_profile_show(
    State(state): State<AppState>,
    Session(account): Session,
) -> ApiResult<Json<AccessProfile>> {
    let inst = institution(&account)?;
    let statuses = state
        .db
        .read(move |c| Ok(db::secrets::status(c, Owner::Institution(inst))?))
        .await?;
    Ok(Json(profile(statuses)))
}

/// `PUT /api/v1/institution/access-profile` {app_credentials?, connect_layer_access?}
/// (customers): keeps working test-app credentials and Connect Layer access once for the
/// institution, sealed; new defect cases can use them.
#[utoipa::path(put, path = "/api/v1/institution/access-profile", tag = "cases", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewSecrets, responses((status = 200, description = "Kept; what the profile holds now", body = AccessProfile), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn access_profile_update(
    State(state): State<AppState>,
    Session(account): Session,
    Json(body): Json<NewSecrets>,
) -> ApiResult<Json<AccessProfile>> {
    let inst = institution(&account)?;
    let has_cl = account
        .institution
        .as_ref()
        .is_some_and(|i| i.has_connect_layer);
    checked(&body, has_cl)?;
    let now = state.now();
    let key = state.secrets.clone();
    let statuses = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let owner = Owner::Institution(inst);
            for (kind, plain) in seal_inputs(&body) {
                let sealed = key
                    .seal(plain.as_bytes(), &owner.seal_as(kind))
                    .map_err(ApiError::Internal)?;
                db::secrets::put(&tx, owner, kind, &sealed, account.id, now)?;
            }
            let statuses = db::secrets::status(&tx, owner)?;
            tx.commit()?;
            Ok(statuses)
        })
        .await?;
    Ok(Json(profile(statuses)))
}
