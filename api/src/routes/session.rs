//! Sign-in, sign-out and who am I.

use portal_core::model::Problem;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portal_core::model::{Me, SessionInfo, SessionList, SignIn, SignInChallenge};
use portal_core::tr;

use super::Json;
use crate::auth::{self, ClientAddr, MaybeSession, Session, SessionToken, Transport};
use crate::db;
use crate::db::sessions::limiter;
use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// A real hash of a random password, verified when the account does not exist so that a missing
/// account takes as long as a wrong password (no account enumeration by timing).
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let pw = auth::new_token().unwrap_or_default();
        auth::hash_password(&pw).unwrap_or_default()
    })
}

/// `POST /api/v1/session` {email, password}: starts a session (cookie) and answers with [`Me`].
#[utoipa::path(post, path = "/api/v1/session", tag = "session", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = SignIn, security(()), responses((status = 200, description = "Signed in; sets the session cookie (__Host-portal_session, Secure; over plain HTTP to a loopback address portal_session without Secure)", body = Me), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Too many attempts: wait Retry-After seconds", body = Problem, content_type = "application/problem+json")))]
pub async fn session_create(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    transport: Transport,
    headers: HeaderMap,
    Json(body): Json<SignIn>,
) -> ApiResult<Response> {
    let agent = user_agent(&headers);
    let email = body.email.trim().to_string();
    if email.is_empty() || body.password.is_empty() {
        let lang = crate::lang::current();
        let mut errors = Vec::new();
        if email.is_empty() {
            errors.push(portal_core::model::FieldError::new(
                "email",
                tr!(lang, en: "Enter your e-mail address.", fr: "Saisissez votre adresse e-mail."),
            ));
        }
        if body.password.is_empty() {
            errors.push(portal_core::model::FieldError::new(
                "password",
                tr!(lang, en: "Enter your password.", fr: "Saisissez votre mot de passe."),
            ));
        }
        return Err(ApiError::Validation(errors));
    }
    let now = state.now();
    let lookup = email.clone();
    let (wait, found) = state
        .db
        .call(move |c| {
            let wait = limiter::retry_after(c, &lookup, addr, now)?;
            let found = match wait {
                Some(_) => None,
                None => db::accounts::by_email(c, &lookup)?,
            };
            Ok((wait, found))
        })
        .await?;
    if let Some(secs) = wait {
        return Err(ApiError::TooManyRequests(secs));
    }
    let password = body.password;
    let (account, ok) = tokio::task::spawn_blocking(move || match found {
        Some((account, hash)) => {
            let ok = auth::verify_password(&password, &hash);
            (Some(account), ok)
        }
        None => {
            auth::verify_password(&password, dummy_hash());
            (None, false)
        }
    })
    .await
    .map_err(|e| ApiError::Internal(format!("verify: {e}")))?;
    let account = match (account, ok) {
        // The right password for an account its institution deactivated: say so (only someone
        // who knows the password learns it).
        (Some(a), true) if a.deactivated => {
            return Err(ApiError::Http(
                StatusCode::FORBIDDEN,
                tr!(crate::lang::current(),
                    en: "Your institution's administrator deactivated this account. Ask them to reactivate it.",
                    fr: "L’administrateur de votre établissement a désactivé ce compte. Demandez-lui de le réactiver.").into(),
            ));
        }
        (Some(a), true) => a,
        _ => {
            state
                .db
                .call(move |c| Ok(limiter::fail(c, &email, addr, now)?))
                .await?;
            return Err(ApiError::Http(
                StatusCode::UNAUTHORIZED,
                tr!(crate::lang::current(),
                    en: "That e-mail address and password do not match an account. Check both and try again.",
                    fr: "Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte. Vérifiez les deux et réessayez.").into(),
            ));
        }
    };
    state
        .db
        .call(move |c| Ok(limiter::succeed(c, &email)?))
        .await?;
    begin(&state, account, transport, agent, false).await
}

/// What `GET /me` says of `account`.
pub fn me_of(account: db::Account) -> Me {
    Me {
        membership: account.membership,
        two_factor: account.two_factor,
        user: account.user,
        institution: account.institution,
    }
}

/// How long the code step may follow the password step.
const CHALLENGE_MINUTES: i64 = 5;
/// Codes tried against one challenge before it ends.
pub const CHALLENGE_ATTEMPTS: i64 = 5;

/// The browser's own name from a request, for the person's list of sessions (short: nothing else
/// is kept).
pub fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}

/// Starts a session for `account` (signing in, accepting an invitation, resetting a password):
/// the answer is [`Me`] with the session cookie. An account with two-step sign-in gets a session
/// only with `second_factor` (its code was checked); else the answer is 202 with a
/// [`SignInChallenge`] for `POST /session/second-factor`.
pub async fn begin(
    state: &AppState,
    account: db::Account,
    transport: Transport,
    agent: String,
    second_factor: bool,
) -> ApiResult<Response> {
    match open(state, &account, transport, agent, second_factor).await? {
        Opened::Challenge(challenge) => Ok((
            StatusCode::ACCEPTED,
            axum::Json(SignInChallenge { challenge }),
        )
            .into_response()),
        Opened::Session(cookie) => {
            let mut res = (StatusCode::OK, axum::Json(me_of(account))).into_response();
            res.headers_mut().insert(header::SET_COOKIE, cookie);
            Ok(res)
        }
    }
}

/// What [`open`] did.
pub enum Opened {
    /// A session: its `Set-Cookie` value.
    Session(HeaderValue),
    /// The account has two-step sign-in: the challenge for the code step.
    Challenge(String),
}

/// Opens a session for `account` (or, for an account with two-step sign-in whose code was not
/// checked, a challenge for the code step).
pub async fn open(
    state: &AppState,
    account: &db::Account,
    transport: Transport,
    agent: String,
    second_factor: bool,
) -> ApiResult<Opened> {
    let now = state.now();
    if account.two_factor && !second_factor {
        let challenge = auth::new_token()?;
        let hash = auth::token_hash(&challenge);
        let user = account.id;
        state
            .db
            .call(move |c| {
                Ok(db::two_factor::challenge_create(
                    c,
                    &hash,
                    user,
                    now,
                    now + chrono::Duration::minutes(CHALLENGE_MINUTES),
                )?)
            })
            .await?;
        return Ok(Opened::Challenge(challenge));
    }
    let token = auth::new_token()?;
    let hash = auth::token_hash(&token);
    let (user_id, lang) = (account.id, crate::lang::current());
    let lifetime = state.sessions.lifetime;
    state
        .db
        .call(move |c| {
            // E-mails follow the language the person uses the portal in.
            db::accounts::set_lang(c, user_id, lang)?;
            db::accounts::signed_in(c, user_id, now)?;
            let until = now + lifetime;
            db::sessions::create(c, &hash, user_id, now, until, &agent)?;
            if second_factor {
                db::two_factor::mark_session(c, &hash)?;
            }
            Ok(())
        })
        .await?;
    HeaderValue::from_str(&auth::session_cookie(&token, transport, lifetime))
        .map(Opened::Session)
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// `DELETE /api/v1/session`: ends the session on the server and clears the browser's state.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 204, description = "Signed out on the server; Clear-Site-Data sent"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json")))]
pub async fn session_delete(
    State(state): State<AppState>,
    transport: Transport,
    token: SessionToken,
) -> ApiResult<Response> {
    if let SessionToken(Some(token)) = token {
        let hash = auth::token_hash(&token);
        state
            .db
            .call(move |c| Ok(db::sessions::delete(c, &hash)?))
            .await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&auth::expired_cookie(transport)) {
        h.insert(header::SET_COOKIE, v);
    }
    // Cookies only: the portal clears the user's own drafts itself; another user's are theirs.
    h.insert("clear-site-data", HeaderValue::from_static("\"cookies\""));
    Ok(res)
}

/// `GET /api/v1/me`: the signed-in user and their institution; 204 when nobody is signed in (not
/// an error: public pages ask it, and a browser logs every 401 as a failure).
#[utoipa::path(get, path = "/api/v1/me", tag = "session", security((), ("session" = [])), responses((status = 200, description = "The signed-in person and their institution", body = Me), (status = 204, description = "Nobody is signed in (no session cookie, or the session ended)")))]
pub async fn me(MaybeSession(account): MaybeSession) -> Response {
    match account {
        Some(account) => axum::Json(me_of(account)).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// `GET /api/v1/me/sessions`: the signed-in person's live sessions (where they are signed in).
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "session", responses((status = 200, description = "Live sessions, most recently used first", body = SessionList), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json")))]
pub async fn sessions_list(
    State(state): State<AppState>,
    Session(account): Session,
    SessionToken(token): SessionToken,
) -> ApiResult<axum::Json<SessionList>> {
    let current = token.map(|t| auth::token_hash(&t)).unwrap_or_default();
    let now = state.now();
    let idle = state.sessions.idle;
    let rows = state
        .db
        .read(move |c| Ok(db::sessions::of_user(c, account.id, now, now - idle)?))
        .await?;
    let items = rows
        .into_iter()
        .map(
            |(hash, created_at, last_seen_at, expires_at, user_agent)| SessionInfo {
                // A label, not the token's hash: eight hex digits of a hash of the hash.
                id: auth::token_hash(&hash).chars().take(8).collect(),
                current: hash == current,
                created_at,
                last_seen_at,
                expires_at,
                user_agent,
            },
        )
        .collect();
    Ok(axum::Json(SessionList {
        items,
        idle_hours: u32::try_from(idle.num_hours()).unwrap_or(u32::MAX),
        lifetime_days: u32::try_from(state.sessions.lifetime.num_days()).unwrap_or(u32::MAX),
    }))
}

/// `DELETE /api/v1/me/sessions`: signs the person out everywhere else (every session but this
/// one ends at once).
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "session", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 200, description = "The sessions left (this one)", body = SessionList), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing, or the request came from another site", body = Problem, content_type = "application/problem+json")))]
pub async fn sessions_delete_others(
    State(state): State<AppState>,
    Session(account): Session,
    SessionToken(token): SessionToken,
) -> ApiResult<axum::Json<SessionList>> {
    let keep = token.as_deref().map(auth::token_hash).unwrap_or_default();
    let user = account.id;
    state
        .db
        .call(move |c| Ok(db::sessions::delete_others(c, user, &keep)?))
        .await?;
    sessions_list(State(state), Session(account), SessionToken(token)).await
}
