//! Single sign-on through an institution's identity provider (OpenID Connect, authorization code
//! with PKCE): the sign-in page's buttons, the start (a redirect to the provider) and the
//! callback (a redirect back into the portal, signed in). See `crate::sso` for the configuration.
//!
//! The start binds the login to the browser with a cookie (SameSite=Lax: it must come back on
//! the provider's redirect); a callback from another browser, an unknown or used `state`, or an
//! ID token whose nonce, issuer, audience or signature does not check out signs nobody in.
//! Failures send the browser to the sign-in page with a reason it explains.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    Scope, TokenResponse,
};
use portal_core::account::Membership;
use portal_core::model::SsoOption;
use portal_core::Role;
use serde::Deserialize;

use super::session::{open, user_agent, Opened};
use super::{Path, Query};
use crate::auth::{self, Transport};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// How long a login may stay at the provider.
const LOGIN_MINUTES: i64 = 10;

fn binding_cookie(transport: Transport) -> &'static str {
    match transport {
        Transport::Secure => "__Host-portal_sso",
        Transport::LoopbackHttp => "portal_sso",
    }
}

fn binding_attributes(transport: Transport) -> &'static str {
    match transport {
        Transport::Secure => "Path=/; Secure; HttpOnly; SameSite=Lax",
        Transport::LoopbackHttp => "Path=/; HttpOnly; SameSite=Lax",
    }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A local path to go on to (never another site).
fn safe_next(next: &str) -> String {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.starts_with("/sign-in")
    {
        next.to_string()
    } else {
        "/".into()
    }
}

fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(location) {
        h.insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

/// `GET /api/v1/sso`: the institutions whose people sign in with their own account.
#[utoipa::path(get, path = "/api/v1/sso", tag = "session", security(()), responses((status = 200, description = "Single sign-on options, for the sign-in page", body = Vec<SsoOption>)))]
pub async fn sso_list(State(state): State<AppState>) -> axum::Json<Vec<SsoOption>> {
    axum::Json(
        state
            .sso
            .0
            .iter()
            .map(|p| SsoOption {
                id: p.config.id.clone(),
                label: p.config.label.clone(),
            })
            .collect(),
    )
}

/// `GET /api/v1/sso/{id}/start` query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StartQuery {
    /// The portal path to go on to after signing in.
    #[serde(default)]
    pub next: String,
}

fn callback_url(state: &AppState) -> String {
    format!(
        "{}/api/v1/sso/callback",
        state.notifier.public_url.trim_end_matches('/')
    )
}

/// `GET /api/v1/sso/{id}/start`: sends the browser to the institution's identity provider.
#[utoipa::path(get, path = "/api/v1/sso/{id}/start", tag = "session", security(()), params(("id" = String, Path, description = "Single sign-on id"), StartQuery), responses((status = 303, description = "To the identity provider (or back to sign-in with sso-error=unavailable when it cannot be reached)"), (status = 404, description = "No such single sign-on", body = portal_core::model::Problem, content_type = "application/problem+json")))]
pub async fn sso_start(
    State(state): State<AppState>,
    transport: Transport,
    Path(id): Path<String>,
    Query(q): Query<StartQuery>,
) -> ApiResult<Response> {
    let Some(provider) = state.sso.get(&id) else {
        return Err(ApiError::NotFound(
            portal_core::trf!(crate::lang::current(),
                en: "There is no single sign-on “{id}”.",
                fr: "Il n’y a pas d’authentification unique « {id} »."
            ),
        ));
    };
    let client = match provider.client(&callback_url(&state)).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("single sign-on {id}: {e}");
            return Ok(see_other("/sign-in?sso-error=unavailable", &[]));
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let browser = auth::new_token()?;
    let login = db::sso::Login {
        provider: id,
        browser_hash: auth::token_hash(&browser),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next: safe_next(&q.next),
    };
    let state_hash = auth::token_hash(csrf.secret());
    let now = state.now();
    state
        .db
        .call(move |c| {
            Ok(db::sso::start(
                c,
                &state_hash,
                &login,
                now,
                now + chrono::Duration::minutes(LOGIN_MINUTES),
            )?)
        })
        .await?;
    let bind = format!(
        "{}={browser}; {}; Max-Age={}",
        binding_cookie(transport),
        binding_attributes(transport),
        LOGIN_MINUTES * 60
    );
    Ok(see_other(url.as_str(), &[bind]))
}

/// `GET /api/v1/sso/callback` query: what the identity provider sends back.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// The authorization code.
    #[serde(default)]
    pub code: String,
    /// The state the start sent.
    #[serde(default)]
    pub state: String,
    /// The provider's error, when it did not sign the person in.
    #[serde(default)]
    pub error: String,
}

/// Why a single sign-on did not sign anyone in (the sign-in page explains each).
#[derive(Debug, Clone, Copy)]
enum Failure {
    /// The login took too long, was used, or came back to another browser.
    Expired,
    /// The person cancelled or the provider refused.
    Refused,
    /// The provider could not be reached or its answer did not check out.
    Unavailable,
    /// The provider did not vouch for the e-mail address.
    Unverified,
    /// No account, no invitation, and the institution does not create members.
    NoAccount,
    /// The address belongs to another institution's account (or support's).
    OtherInstitution,
    /// The account was deactivated.
    Deactivated,
}

impl Failure {
    fn code(self) -> &'static str {
        match self {
            Failure::Expired => "expired",
            Failure::Refused => "refused",
            Failure::Unavailable => "unavailable",
            Failure::Unverified => "unverified",
            Failure::NoAccount => "no-account",
            Failure::OtherInstitution => "other-institution",
            Failure::Deactivated => "deactivated",
        }
    }
}

/// `GET /api/v1/sso/callback`: the identity provider's redirect back; signs the person in and
/// sends the browser on.
#[utoipa::path(get, path = "/api/v1/sso/callback", tag = "session", security(()), params(CallbackQuery), responses((status = 303, description = "Signed in (sets the session cookie) and on to where the person was going; or to sign-in with sso-error=expired|refused|unavailable|unverified|no-account|other-institution|deactivated; or to sign-in with the two-step challenge after #")))]
pub async fn sso_callback(
    State(state): State<AppState>,
    transport: Transport,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let clear = format!(
        "{}=; {}; Max-Age=0",
        binding_cookie(transport),
        binding_attributes(transport)
    );
    match complete(&state, transport, &headers, q).await {
        Ok((location, session)) => {
            let mut cookies = vec![clear];
            cookies.extend(session);
            see_other(&location, &cookies)
        }
        Err(f) => see_other(&format!("/sign-in?sso-error={}", f.code()), &[clear]),
    }
}

async fn complete(
    state: &AppState,
    transport: Transport,
    headers: &HeaderMap,
    q: CallbackQuery,
) -> Result<(String, Option<String>), Failure> {
    let now = state.now();
    let state_hash = auth::token_hash(&q.state);
    let login = state
        .db
        .call(move |c| Ok(db::sso::take(c, &state_hash, now)?))
        .await
        .map_err(|_| Failure::Unavailable)?
        .ok_or(Failure::Expired)?;
    let bound = cookie(headers, binding_cookie(transport))
        .is_some_and(|b| auth::token_hash(&b) == login.browser_hash);
    if !bound {
        return Err(Failure::Expired);
    }
    if !q.error.is_empty() || q.code.is_empty() {
        return Err(Failure::Refused);
    }
    let provider = state.sso.get(&login.provider).ok_or(Failure::Unavailable)?;
    let warn = |what: &str, e: &dyn std::fmt::Display| {
        tracing::warn!("single sign-on {}: {what}: {e}", login.provider);
        Failure::Unavailable
    };
    let client = provider
        .client(&callback_url(state))
        .await
        .map_err(|e| warn("client", &e))?;
    let http = crate::sso::http().map_err(|e| warn("http", &e))?;
    let token = client
        .exchange_code(AuthorizationCode::new(q.code))
        .map_err(|e| warn("token endpoint", &e))?
        .set_pkce_verifier(PkceCodeVerifier::new(login.verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| warn("token", &e))?;
    let id_token = token.id_token().ok_or(Failure::Unavailable)?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(login.nonce.clone()),
        )
        .map_err(|e| warn("ID token", &e))?;
    // The e-mail and name: in the ID token when the provider puts them there (most do), else
    // from its userinfo endpoint with the access token just issued.
    let (mut email, mut verified, mut name) = (
        claims.email().map(|e| e.as_str().trim().to_string()),
        claims.email_verified(),
        claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().trim().to_string()),
    );
    if email.is_none() {
        let info: openidconnect::core::CoreUserInfoClaims = client
            .user_info(token.access_token().clone(), Some(claims.subject().clone()))
            .map_err(|e| warn("userinfo endpoint", &e))?
            .request_async(&http)
            .await
            .map_err(|e| warn("userinfo", &e))?;
        email = info.email().map(|e| e.as_str().trim().to_string());
        verified = info.email_verified();
        name = name.or_else(|| {
            info.name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().trim().to_string())
        });
    }
    let email = email.filter(|e| !e.is_empty()).ok_or(Failure::Unverified)?;
    if verified != Some(true) {
        return Err(Failure::Unverified);
    }
    let name = name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
    let (institution, create) = (
        provider.config.institution.clone(),
        provider.config.create_members,
    );
    let found = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let Some(inst) = db::sso::institution_named(&tx, &institution)? else {
                return Ok(Err(Failure::Unavailable));
            };
            if let Some((account, _)) = db::accounts::by_email(&tx, &email)? {
                let same =
                    account.role() == Role::Customer && account.institution_id() == Some(inst);
                return Ok(if !same {
                    Err(Failure::OtherInstitution)
                } else if account.deactivated {
                    Err(Failure::Deactivated)
                } else {
                    Ok(account)
                });
            }
            // An invitation waiting for this address: accepted now, with its membership.
            let membership = match db::people::pending_for(&tx, inst, &email, now)? {
                Some(inv) => {
                    db::people::accept(&tx, inv.id, now)?;
                    inv.membership
                }
                None if create => Membership::Member,
                None => return Ok(Err(Failure::NoAccount)),
            };
            // No password: this person signs in through the institution (a reset can set one).
            let account = db::accounts::insert_user(
                &tx,
                &email,
                &name,
                Role::Customer,
                Some(inst),
                membership,
                "!",
            )?;
            tx.commit()?;
            Ok(Ok(account))
        })
        .await
        .map_err(|_| Failure::Unavailable)??;
    match open(state, &found, transport, user_agent(headers), false).await {
        Ok(Opened::Session(c)) => Ok((login.next.clone(), c.to_str().ok().map(str::to_string))),
        Ok(Opened::Challenge(ch)) => Ok((
            format!(
                "/sign-in?next={}#challenge={ch}",
                login.next.replace('/', "%2F")
            ),
            None,
        )),
        Err(_) => Err(Failure::Unavailable),
    }
}
