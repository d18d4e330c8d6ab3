//! Sign-in, sessions and the guard every state-changing request passes.
//!
//! - Passwords: argon2id hashes (the PHC string is stored).
//! - Sessions: a random 256-bit token in a `__Host-` cookie (Secure, HttpOnly, SameSite=Strict,
//!   Path=/); the database keeps only its SHA-256, so a leaked database holds no usable session.
//! - Sign-in attempts are rate limited per account and per client address
//!   (`db::sessions::limiter`).
//! - State-changing requests must carry `X-Requested-With` (a cross-site form cannot set it).

use std::net::{IpAddr, SocketAddr};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::db;
use crate::error::ApiError;
use crate::AppState;

/// The session cookie's name. `__Host-` makes the browser insist on Secure, Path=/ and no Domain.
pub const SESSION_COOKIE: &str = "__Host-portal_session";
/// How long a session lasts.
pub const SESSION_DAYS: i64 = 14;

/// Hashes a password with argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
    let salt =
        SaltString::encode_b64(&bytes).map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hash: {e}")))
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new random session token (URL-safe base64 of 32 bytes).
pub fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database stores for a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={}",
        SESSION_DAYS * 24 * 3600
    )
}

/// The `Set-Cookie` value that ends a session.
pub fn expired_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The session token sent with a request, if any.
pub fn request_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Extractor: the signed-in account, or 401 problem+json.
pub struct Session(pub db::Account);

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = request_token(parts).ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(&token);
        let now = state.now();
        state
            .db
            .read(move |c| Ok(db::accounts::by_session(c, &hash, now)?))
            .await?
            .map(Session)
            .ok_or(ApiError::Unauthorized)
    }
}

/// Extractor: the signed-in account when there is one (public endpoints that say more to people
/// who are signed in).
pub struct MaybeSession(pub Option<db::Account>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Session::from_request_parts(parts, state).await {
            Ok(Session(account)) => Ok(MaybeSession(Some(account))),
            Err(ApiError::Unauthorized) => Ok(MaybeSession(None)),
            Err(e) => Err(e),
        }
    }
}

/// Extractor: the client's address when the server knows it (not in in-process tests).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Middleware: state-changing API requests must carry `X-Requested-With`.
pub async fn require_requested_with(req: Request, next: Next) -> Result<Response, ApiError> {
    // Only the methods that change state; any other method goes on to its 405.
    let changing = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if changing && !req.headers().contains_key("x-requested-with") {
        return Err(ApiError::forbidden(
            portal_core::tr!(crate::lang::current(),
            en: "This request must carry the header X-Requested-With (the portal sends it); cross-site form posts are refused.",
            fr: "Cette requête doit porter l’en-tête X-Requested-With (le portail l’envoie) ; les envois de formulaires d’autres sites sont refusés."),
        ));
    }
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("northfield-demo").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("northfield-demo", &h));
        assert!(!verify_password("northfield-dem0", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
