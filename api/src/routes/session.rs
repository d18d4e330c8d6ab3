//! Sign-in, sign-out and who am I.

use std::time::Instant;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use portal_core::model::{Me, SignIn};
use rusqlite::params;

use super::Json;
use crate::auth::{self, ClientAddr, Session};
use crate::db::{account_by_email, ts};
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
pub async fn session_create(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(body): Json<SignIn>,
) -> ApiResult<Response> {
    let email = body.email.trim().to_string();
    if email.is_empty() || body.password.is_empty() {
        let mut errors = Vec::new();
        if email.is_empty() {
            errors.push(portal_core::model::FieldError::new(
                "email",
                "Enter your e-mail address.",
            ));
        }
        if body.password.is_empty() {
            errors.push(portal_core::model::FieldError::new(
                "password",
                "Enter your password.",
            ));
        }
        return Err(ApiError::Validation(errors));
    }
    if let Ok(mut l) = state.limiter.lock() {
        if let Some(secs) = l.retry_after(&email, addr, Instant::now()) {
            return Err(ApiError::TooManyRequests(secs));
        }
    }
    let lookup = email.clone();
    let found = state
        .db
        .call(move |c| Ok(account_by_email(c, &lookup)?))
        .await?;
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
        (Some(a), true) => a,
        _ => {
            if let Ok(mut l) = state.limiter.lock() {
                l.fail(&email, addr, Instant::now());
            }
            return Err(ApiError::Http(
                StatusCode::UNAUTHORIZED,
                "That e-mail address and password do not match an account. Check both and try again.".into(),
            ));
        }
    };
    if let Ok(mut l) = state.limiter.lock() {
        l.succeed(&email);
    }
    let token = auth::new_token()?;
    let hash = auth::token_hash(&token);
    let now = state.now();
    let user_id = account.id;
    state
        .db
        .call(move |c| {
            c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [ts(now)])?;
            c.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![hash, user_id, ts(now), ts(now + Duration::days(auth::SESSION_DAYS))],
            )?;
            Ok(())
        })
        .await?;
    let me = Me {
        user: account.user,
        institution: account.institution,
    };
    let mut res = (StatusCode::OK, axum::Json(me)).into_response();
    let cookie = HeaderValue::from_str(&auth::session_cookie(&token))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    res.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(res)
}

/// `DELETE /api/v1/session`: ends the session on the server and clears the browser's state.
pub async fn session_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers;
    if let Some(token) = auth::request_token(&parts) {
        let hash = auth::token_hash(&token);
        state
            .db
            .call(move |c| Ok(c.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])?))
            .await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&auth::expired_cookie()) {
        h.insert(header::SET_COOKIE, v);
    }
    // Cookies only: the portal clears the user's own drafts itself; another user's are theirs.
    h.insert("clear-site-data", HeaderValue::from_static("\"cookies\""));
    Ok(res)
}

/// `GET /api/v1/me`: the signed-in user and their institution.
pub async fn me(Session(account): Session) -> Json<Me> {
    Json(Me {
        user: account.user,
        institution: account.institution,
    })
}
