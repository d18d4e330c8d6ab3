//! The people of an institution (its administrators manage them; support agents any
//! institution's), invitations, and passwords: forgotten, reset, changed.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use portal_core::account::{self, Membership, PersonChange, Target};
use portal_core::model::{
    Acceptance, FieldError, Invitation, InvitationOffer, LinkToken, NewInvitation, NewPassword,
    PasswordChange, People, Person, Problem, ResetRequest,
};
use portal_core::{tr, trf, Role};
use serde::Deserialize;

use super::session::{begin, user_agent};
use super::{Json, Path, Query};
use crate::auth::{self, Session, SessionToken, Transport};
use crate::db::people::{self as store, ResetState};
use crate::db::{self, Account};
use crate::error::{ApiError, ApiResult};
use crate::lang;
use crate::notify::SecurityChange;
use crate::AppState;

/// `GET /api/v1/people` query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// The institution (support agents; administrators always get their own).
    #[serde(default)]
    pub institution: Option<i64>,
}

/// The institution whose people `account` manages: an administrator's own; for an agent the one
/// asked for.
fn managed(account: &Account, asked: Option<i64>) -> ApiResult<i64> {
    let l = lang::current();
    if !account.manages_people() {
        return Err(ApiError::forbidden(account::manage_refusal(l)));
    }
    match (account.role(), account.institution_id(), asked) {
        (Role::Customer, Some(own), None) => Ok(own),
        (Role::Customer, Some(own), Some(i)) if i == own => Ok(own),
        (Role::Customer, _, _) => Err(ApiError::forbidden(tr!(l,
            en: "Administrators manage the people of their own institution only.",
            fr: "Les administrateurs ne gèrent que les membres de leur propre établissement."))),
        (Role::Agent, _, Some(i)) => Ok(i),
        (Role::Agent, _, None) => Err(ApiError::field(
            "institution",
            tr!(l, en: "Choose an institution.", fr: "Choisissez un établissement."),
        )),
    }
}

fn no_institution(id: i64) -> ApiError {
    ApiError::NotFound(trf!(lang::current(),
        en: "There is no institution {id}.",
        fr: "L’établissement {id} n’existe pas."))
}

/// `GET /api/v1/people`: an institution's people and pending invitations.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleQuery), responses((status = 200, description = "The institution's people (active first) and pending invitations", body = People), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not an administrator of this institution (or an agent)", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such institution", body = Problem, content_type = "application/problem+json"), (status = 422, description = "An agent did not say which institution", body = Problem, content_type = "application/problem+json")))]
pub async fn people_list(
    State(state): State<AppState>,
    Session(account): Session,
    Query(q): Query<PeopleQuery>,
) -> ApiResult<axum::Json<People>> {
    let inst = managed(&account, q.institution)?;
    let now = state.now();
    let me = account.id;
    let people = state
        .db
        .read(move |c| {
            let institution = db::accounts::institutions(c)?
                .into_iter()
                .find(|i| i.id == inst)
                .ok_or_else(|| no_institution(inst))?;
            Ok(People {
                institution,
                people: store::of_institution(c, inst, me)?,
                invitations: store::pending(c, inst, now)?,
            })
        })
        .await?;
    Ok(axum::Json(people))
}

fn nobody(id: i64) -> ApiError {
    ApiError::NotFound(trf!(lang::current(),
        en: "Nobody with id {id} belongs to this institution.",
        fr: "Personne avec l’identifiant {id} n’appartient à cet établissement."))
}

/// `PATCH /api/v1/people/{id}`: changes a person's membership, deactivates (their sessions end at
/// once; their cases stay) or reactivates them. The last administrator stays one.
#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path, description = "The person's id"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = PersonChange, responses((status = 200, description = "The person as they are now", body = Person), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not an administrator of this person's institution, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such person in an institution you manage", body = Problem, content_type = "application/problem+json"), (status = 409, description = "The change would leave the institution without an administrator, or deactivate yourself", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn people_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(id): Path<i64>,
    Json(change): Json<PersonChange>,
) -> ApiResult<axum::Json<Person>> {
    if !account.manages_people() {
        return Err(ApiError::forbidden(
            account::manage_refusal(lang::current()),
        ));
    }
    let now = state.now();
    let person = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let (inst, membership, active) = store::standing(&tx, id)?.ok_or_else(|| nobody(id))?;
            if account.role() == Role::Customer && account.institution_id() != Some(inst) {
                return Err(nobody(id));
            }
            let target = Target {
                membership,
                active,
                is_self: id == account.id,
                active_admins: store::active_admins(&tx, inst)?,
            };
            if let Some(why) = account::change_refusal(target, change, lang::current()) {
                return Err(ApiError::conflict(why));
            }
            if let Some(m) = change.membership {
                store::set_membership(&tx, id, m)?;
            }
            if let Some(a) = change.active {
                store::set_active(&tx, id, a, now)?;
            }
            let person = store::of_institution(&tx, inst, account.id)?
                .into_iter()
                .find(|p| p.id == id)
                .ok_or_else(|| nobody(id))?;
            tx.commit()?;
            Ok(person)
        })
        .await?;
    Ok(axum::Json(person))
}

/// Sends invitation `id`'s e-mail with a fresh token (the old link stops working).
#[allow(clippy::too_many_arguments)]
fn send_invitation(
    state: &AppState,
    tx: &db::sql::Connection,
    by: &Account,
    inst: i64,
    id: Option<i64>,
    email: &str,
    membership: Membership,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Invitation> {
    let token = auth::new_token()?;
    let hash = auth::token_hash(&token);
    let expires = now + Duration::days(account::INVITATION_DAYS);
    let id = match id {
        Some(id) => {
            store::renew(tx, id, membership, &hash, by.id, now, expires)?;
            id
        }
        None => store::invite(tx, inst, email, membership, &hash, by.id, now, expires)?,
    };
    let institution = db::accounts::institutions(tx)?
        .into_iter()
        .find(|i| i.id == inst)
        .ok_or_else(|| no_institution(inst))?;
    state.notifier.invitation(
        tx,
        email,
        (&by.user.name, lang::current()),
        &institution.name,
        membership,
        &token,
        expires,
        now,
    )?;
    store::pending_one(tx, inst, id, now)?
        .ok_or_else(|| ApiError::Internal("invitation vanished".into()))
}

/// `POST /api/v1/invitations`: invites a colleague by e-mail (a single-use link, valid 7 days).
/// Inviting an address with a pending invitation sends it again.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "people", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewInvitation, responses((status = 201, description = "Invited: the e-mail is on its way", body = Invitation), (status = 200, description = "Already invited: sent again with a new link", body = Invitation), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not an administrator (or an agent), or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such institution", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input (the address, or it already has an account): one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn invitations_create(
    State(state): State<AppState>,
    Session(account): Session,
    Json(body): Json<NewInvitation>,
) -> ApiResult<Response> {
    let l = lang::current();
    let inst = managed(&account, body.institution_id)?;
    if let Some(m) = account::email(&body.email, l) {
        return Err(ApiError::Validation(vec![FieldError::new("email", m)]));
    }
    let now = state.now();
    let st = state.clone();
    let (invitation, renewed) = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            if !db::accounts::institution_exists(&tx, inst)? {
                return Err(no_institution(inst));
            }
            let email = body.email.trim().to_string();
            if store::email_taken(&tx, &email)? {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "email",
                    trf!(l,
                        en: "{email} already has an account. If they forgot the password, “Forgot your password?” on the sign-in page sends them a new link.",
                        fr: "{email} a déjà un compte. En cas d’oubli du mot de passe, « Mot de passe oublié ? » sur la page de connexion envoie un nouveau lien."),
                )]));
            }
            let pending = store::pending_for(&tx, inst, &email, now)?.map(|p| p.id);
            let inv = send_invitation(&st, &tx, &account, inst, pending, &email, body.membership, now)?;
            tx.commit()?;
            Ok((inv, pending.is_some()))
        })
        .await?;
    let status = if renewed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, axum::Json(invitation)).into_response())
}

fn no_invitation(id: i64) -> ApiError {
    ApiError::NotFound(trf!(lang::current(),
        en: "There is no pending invitation {id}: it was accepted, withdrawn or expired. Reload the list.",
        fr: "Il n’y a pas d’invitation en attente {id} : elle a été acceptée, retirée ou a expiré. Rechargez la liste."))
}

/// `POST /api/v1/invitations/{id}/resend`: sends a pending invitation again with a new link,
/// valid 7 days from now (the old link stops working).
#[utoipa::path(post, path = "/api/v1/invitations/{id}/resend", tag = "people", params(("id" = i64, Path, description = "Invitation id"), PeopleQuery, ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 200, description = "Sent again", body = Invitation), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not an administrator (or an agent), or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such pending invitation", body = Problem, content_type = "application/problem+json"), (status = 422, description = "An agent did not say which institution", body = Problem, content_type = "application/problem+json")))]
pub async fn invitations_resend(
    State(state): State<AppState>,
    Session(account): Session,
    Path(id): Path<i64>,
    Query(q): Query<PeopleQuery>,
) -> ApiResult<axum::Json<Invitation>> {
    let inst = managed(&account, q.institution)?;
    let now = state.now();
    let st = state.clone();
    let inv = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let old = store::pending_one(&tx, inst, id, now)?.ok_or_else(|| no_invitation(id))?;
            let inv = send_invitation(
                &st,
                &tx,
                &account,
                inst,
                Some(id),
                &old.email,
                old.membership,
                now,
            )?;
            tx.commit()?;
            Ok(inv)
        })
        .await?;
    Ok(axum::Json(inv))
}

/// `DELETE /api/v1/invitations/{id}`: withdraws a pending invitation (its link stops working).
#[utoipa::path(delete, path = "/api/v1/invitations/{id}", tag = "people", params(("id" = i64, Path, description = "Invitation id"), PeopleQuery, ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 204, description = "Withdrawn"), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not an administrator (or an agent), or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such pending invitation", body = Problem, content_type = "application/problem+json"), (status = 422, description = "An agent did not say which institution", body = Problem, content_type = "application/problem+json")))]
pub async fn invitations_delete(
    State(state): State<AppState>,
    Session(account): Session,
    Path(id): Path<i64>,
    Query(q): Query<PeopleQuery>,
) -> ApiResult<StatusCode> {
    let inst = managed(&account, q.institution)?;
    let now = state.now();
    state
        .db
        .call(move |c| {
            store::pending_one(c, inst, id, now)?.ok_or_else(|| no_invitation(id))?;
            store::revoke(c, id, now)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A usable invitation behind `token`, or why not (404 unknown, 410 used, withdrawn or expired).
fn usable_invitation(
    c: &db::sql::Connection,
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<store::Found> {
    let l = lang::current();
    let found = store::by_token(c, &auth::token_hash(token.trim()))?.ok_or_else(|| {
        ApiError::NotFound(
            tr!(l,
            en: "This is not a working invitation link. Open the whole link from the e-mail, or ask your administrator to send a new one.",
            fr: "Ce lien d’invitation ne fonctionne pas. Ouvrez le lien complet de l’e-mail, ou demandez à votre administrateur d’en envoyer un nouveau.")
            .into(),
        )
    })?;
    let by = &found.offer.invited_by;
    let gone = |m: String| Err(ApiError::Http(StatusCode::GONE, m));
    if found.accepted {
        let email = &found.offer.email;
        return gone(trf!(l,
            en: "This invitation was used already. Sign in as {email}; if you forgot the password, use “Forgot your password?”.",
            fr: "Cette invitation a déjà servi. Connectez-vous en tant que {email} ; en cas d’oubli du mot de passe, utilisez « Mot de passe oublié ? »."));
    }
    if found.revoked {
        return gone(trf!(l,
            en: "{by} withdrew this invitation. Ask them if you still need an account.",
            fr: "{by} a retiré cette invitation. Demandez-lui si vous avez encore besoin d’un compte."));
    }
    if found.offer.expires_at <= now {
        let when = found.offer.expires_at.format("%Y-%m-%d %H:%M UTC");
        return gone(trf!(l,
            en: "This invitation expired on {when}. Ask {by} to send it again.",
            fr: "Cette invitation a expiré le {when}. Demandez à {by} de l’envoyer de nouveau."));
    }
    Ok(found)
}

/// `POST /api/v1/invitations/offer` {token}: what an invitation link offers (the address, the
/// institution, the membership), before the person sets a name and password. Changes nothing.
#[utoipa::path(post, path = "/api/v1/invitations/offer", tag = "people", security(()), params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = LinkToken, responses((status = 200, description = "The invitation", body = InvitationOffer), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No invitation has this token", body = Problem, content_type = "application/problem+json"), (status = 410, description = "Used, withdrawn or expired: the detail says which and what to do", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn invitations_offer(
    State(state): State<AppState>,
    Json(body): Json<LinkToken>,
) -> ApiResult<axum::Json<InvitationOffer>> {
    let now = state.now();
    let found = state
        .db
        .read(move |c| usable_invitation(c, &body.token, now))
        .await?;
    Ok(axum::Json(found.offer))
}

/// `POST /api/v1/accounts` {token, name, password}: accepts an invitation. The account is made
/// with the invited address and membership, and the person is signed in.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "people", security(()), params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = Acceptance, responses((status = 200, description = "The account is made and signed in (sets the session cookie)", body = portal_core::model::Me), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No invitation has this token", body = Problem, content_type = "application/problem+json"), (status = 410, description = "Used, withdrawn or expired: the detail says which and what to do", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid name or password (too short, common or breached): one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn accounts_create(
    State(state): State<AppState>,
    transport: Transport,
    headers: HeaderMap,
    Json(body): Json<Acceptance>,
) -> ApiResult<Response> {
    let l = lang::current();
    let now = state.now();
    let token = body.token.clone();
    let found = state
        .db
        .read(move |c| usable_invitation(c, &token, now))
        .await?;
    let mut errors = account::new_account(&body.name, &body.password, l);
    if errors.iter().all(|e| e.field != "password") {
        let context = [
            found.offer.email.as_str(),
            body.name.as_str(),
            found.offer.institution.as_str(),
        ];
        if let Some(m) = auth::password_refusal(&body.password, &context, l) {
            errors.push(FieldError::new("password", m));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let password = body.password;
    let hash = auth::hash_password_off_thread(password).await?;
    let name = body.name.trim().to_string();
    let account = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            // Once: a second submit of the same link finds it used.
            let found = usable_invitation(&tx, &body.token, now)?;
            if !store::accept(&tx, found.id, now)? || store::email_taken(&tx, &found.offer.email)? {
                return Err(ApiError::Http(
                    StatusCode::GONE,
                    tr!(l,
                    en: "This invitation was used already. Sign in with its address.",
                    fr: "Cette invitation a déjà servi. Connectez-vous avec son adresse.")
                    .into(),
                ));
            }
            let account = db::accounts::insert_user(
                &tx,
                &found.offer.email,
                &name,
                Role::Customer,
                Some(found.institution_id),
                found.offer.membership,
                &hash,
            )?;
            tx.commit()?;
            Ok(account)
        })
        .await?;
    begin(&state, account, transport, user_agent(&headers), false).await
}

/// `POST /api/v1/password-resets` {email}: sends a single-use reset link (valid 1 hour) when the
/// address has an active account. The answer is the same either way, and leaves before the
/// lookup (no account enumeration, by answer or by time).
#[utoipa::path(post, path = "/api/v1/password-resets", tag = "people", security(()), params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = ResetRequest, responses((status = 202, description = "If the address has an account, a link is on its way (the same answer either way)", body = Problem), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Not an e-mail address", body = Problem, content_type = "application/problem+json")))]
pub async fn password_resets_create(
    State(state): State<AppState>,
    Json(body): Json<ResetRequest>,
) -> ApiResult<Response> {
    let l = lang::current();
    if let Some(m) = account::email(&body.email, l) {
        return Err(ApiError::Validation(vec![FieldError::new("email", m)]));
    }
    let email = body.email.trim().to_string();
    let st = state.clone();
    let now = state.now();
    let answer_lang = l;
    // The work happens after the answer: its time says nothing about the address.
    tokio::spawn(async move {
        let notifier = st.notifier.clone();
        let done = st
            .db
            .call(move |c| {
                let tx = c.transaction()?;
                let Some((account, _)) = db::accounts::by_email(&tx, &email)? else {
                    return Ok(());
                };
                if account.deactivated || account.user.email == db::accounts::SYSTEM_EMAIL {
                    return Ok(());
                }
                let token = auth::new_token()?;
                let expires = now + Duration::minutes(account::RESET_MINUTES);
                store::reset_create(&tx, account.id, &auth::token_hash(&token), now, expires)?;
                notifier.password_reset(
                    &tx,
                    &account.user.email,
                    answer_lang,
                    &token,
                    expires,
                    now,
                )?;
                tx.commit()?;
                Ok(())
            })
            .await;
        if let Err(e) = done {
            tracing::error!("password reset: {e:?}");
        }
    });
    let detail = tr!(l,
        en: "If this address has an account, a link to choose a new password is on its way. It works once, for an hour. No e-mail within a few minutes? Check the address and your spam folder, or ask your institution's administrator.",
        fr: "Si cette adresse a un compte, un lien pour choisir un nouveau mot de passe est en route. Il fonctionne une fois, pendant une heure. Pas d’e-mail d’ici quelques minutes ? Vérifiez l’adresse et vos courriers indésirables, ou demandez à l’administrateur de votre établissement.");
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(serde_json::json!({ "status": 202, "title": "Accepted", "detail": detail })),
    )
        .into_response())
}

/// `POST /api/v1/password-resets/completion` {token, password}: sets the new password, ends every
/// session of the account and signs this browser in.
#[utoipa::path(post, path = "/api/v1/password-resets/completion", tag = "people", security(()), params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewPassword, responses((status = 200, description = "Password set; signed in here, signed out everywhere else (sets the session cookie)", body = portal_core::model::Me), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No reset link has this token", body = Problem, content_type = "application/problem+json"), (status = 410, description = "Used or expired: ask for a new link", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "The password is too short, common or breached", body = Problem, content_type = "application/problem+json")))]
pub async fn password_resets_complete(
    State(state): State<AppState>,
    transport: Transport,
    headers: HeaderMap,
    Json(body): Json<NewPassword>,
) -> ApiResult<Response> {
    let l = lang::current();
    let now = state.now();
    let hash = auth::token_hash(body.token.trim());
    let check = move |c: &db::sql::Connection, hash: &str| -> ApiResult<i64> {
        match store::reset_state(c, hash, now)? {
            ResetState::Usable(user) => Ok(user),
            ResetState::Unknown => Err(ApiError::NotFound(tr!(l,
                en: "This is not a working reset link. Open the whole link from the newest e-mail, or ask for a new one.",
                fr: "Ce lien de réinitialisation ne fonctionne pas. Ouvrez le lien complet du dernier e-mail, ou demandez-en un nouveau.").into())),
            ResetState::Used => Err(ApiError::Http(StatusCode::GONE, tr!(l,
                en: "This reset link was used already. Sign in with your new password, or ask for a new link.",
                fr: "Ce lien de réinitialisation a déjà servi. Connectez-vous avec votre nouveau mot de passe, ou demandez un nouveau lien.").into())),
            ResetState::Expired => Err(ApiError::Http(StatusCode::GONE, tr!(l,
                en: "This reset link expired: links work for an hour. Ask for a new one.",
                fr: "Ce lien de réinitialisation a expiré : les liens fonctionnent une heure. Demandez-en un nouveau.").into())),
        }
    };
    let h = hash.clone();
    let account = state
        .db
        .read(move |c| {
            let user = check(c, &h)?;
            db::accounts::by_id(c, user)?.ok_or(ApiError::Unauthorized)
        })
        .await?;
    let context = [
        account.user.email.as_str(),
        account.user.name.as_str(),
        account.institution.as_ref().map_or("", |i| i.name.as_str()),
    ];
    if let Some(m) = auth::password_refusal(&body.password, &context, l) {
        return Err(ApiError::Validation(vec![FieldError::new("password", m)]));
    }
    let password = body.password;
    let new_hash = auth::hash_password_off_thread(password).await?;
    let (user, email, notifier) = (
        account.id,
        account.user.email.clone(),
        state.notifier.clone(),
    );
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            check(&tx, &hash)?;
            if !store::reset_use(&tx, &hash, now)? {
                return Err(ApiError::Http(
                    StatusCode::GONE,
                    tr!(l,
                    en: "This reset link was used already.",
                    fr: "Ce lien de réinitialisation a déjà servi.")
                    .into(),
                ));
            }
            store::set_password(&tx, user, &new_hash, Some(""))?;
            notifier.security_notice(&tx, user, &email, SecurityChange::PasswordReset, now)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    begin(&state, account, transport, user_agent(&headers), false).await
}

/// `PUT /api/v1/me/password`: changes the signed-in person's password (the current one first),
/// and on request ends their other sessions.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "session", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = PasswordChange, responses((status = 204, description = "Changed"), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "The current password is wrong, or the new one is too short, common or breached", body = Problem, content_type = "application/problem+json")))]
pub async fn password_update(
    State(state): State<AppState>,
    Session(account): Session,
    SessionToken(token): SessionToken,
    Json(body): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    let l = lang::current();
    let user = account.id;
    let stored = state
        .db
        .read(move |c| Ok(store::password_hash(c, user)?))
        .await?;
    let current = body.current.clone();
    let ok = auth::verify_password_off_thread(current, stored).await?;
    let mut errors = Vec::new();
    if !ok {
        errors.push(FieldError::new(
            "current",
            tr!(l,
                en: "That is not your current password. Type it again; if you forgot it, sign out and use “Forgot your password?”.",
                fr: "Ce n’est pas votre mot de passe actuel. Saisissez-le de nouveau ; en cas d’oubli, déconnectez-vous et utilisez « Mot de passe oublié ? »."),
        ));
    }
    let context = [
        account.user.email.as_str(),
        account.user.name.as_str(),
        account.institution.as_ref().map_or("", |i| i.name.as_str()),
        body.current.as_str(),
    ];
    if let Some(m) = auth::password_refusal(&body.password, &context, l) {
        errors.push(FieldError::new("password", m));
    } else if ok && body.password == body.current {
        errors.push(FieldError::new(
            "password",
            tr!(l,
                en: "The new password is the current one. Choose another.",
                fr: "Le nouveau mot de passe est l’actuel. Choisissez-en un autre."),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let password = body.password;
    let hash = auth::hash_password_off_thread(password).await?;
    // Keep this session; the others too unless asked to end them.
    let keep = token.as_deref().map(auth::token_hash).unwrap_or_default();
    let others = body.sign_out_others;
    let (email, notifier, now) = (
        account.user.email.clone(),
        state.notifier.clone(),
        state.now(),
    );
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            store::set_password(&tx, user, &hash, others.then_some(keep.as_str()))?;
            notifier.security_notice(&tx, user, &email, SecurityChange::PasswordChanged, now)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
