//! Sign-in, sessions and the guard every state-changing request passes.
//!
//! - Passwords: argon2id hashes (the PHC string is stored).
//! - Sessions: a random 256-bit token in a `__Host-` cookie (Secure, HttpOnly, SameSite=Strict,
//!   Path=/); the database keeps only its SHA-256, so a leaked database holds no usable session.
//! - Sign-in attempts are rate limited per account and per client address.
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

use crate::db::{account_by_session, Account};
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
pub struct Session(pub Account);

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
            .call(move |c| Ok(account_by_session(c, &hash, now)?))
            .await?
            .map(Session)
            .ok_or(ApiError::Unauthorized)
    }
}

/// Extractor: the signed-in account when there is one (public endpoints that say more to people
/// who are signed in).
pub struct MaybeSession(pub Option<Account>);

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
            "This request must carry the header X-Requested-With (the portal sends it); cross-site form posts are refused.",
        ));
    }
    Ok(next.run(req).await)
}

/// Failed sign-in attempts per account and per client address in a sliding window, kept in the
/// database (table `sign_in_failures`): every API instance behind a load balancer counts the same
/// attempts, and old ones are pruned, so whatever e-mail addresses an attacker types, the record
/// stays as small as the window's failures.
pub mod limiter {
    use chrono::{DateTime, Utc};
    use std::net::IpAddr;

    use crate::db::{parse_ts, ts};
    use crate::sql::{params, Connection, OptionalExtension, Result};

    /// Failures allowed per account in [`WINDOW_SECS`].
    pub const MAX_PER_ACCOUNT: i64 = 5;
    /// Failures allowed per client address in [`WINDOW_SECS`].
    pub const MAX_PER_ADDRESS: i64 = 20;
    /// The rate-limit window, in seconds (15 minutes).
    pub const WINDOW_SECS: i64 = 15 * 60;

    fn account_key(email: &str) -> String {
        format!("account:{}", email.trim().to_lowercase())
    }

    fn keys(email: &str, addr: Option<IpAddr>) -> Vec<(String, i64)> {
        let mut keys = vec![(account_key(email), MAX_PER_ACCOUNT)];
        if let Some(a) = addr {
            keys.push((format!("addr:{a}"), MAX_PER_ADDRESS));
        }
        keys
    }

    fn window_start(now: DateTime<Utc>) -> String {
        ts(now - chrono::Duration::seconds(WINDOW_SECS))
    }

    /// `Some(seconds)` to wait when the account or the address is locked out at `now`.
    pub fn retry_after(
        conn: &Connection,
        email: &str,
        addr: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>> {
        let mut wait = None;
        for (key, max) in keys(email, addr) {
            let (count, oldest): (i64, Option<String>) = conn
                .query_row(
                    "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE who = ?1 AND at > ?2",
                    params![key, window_start(now)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .unwrap_or((0, None));
            if count < max {
                continue;
            }
            let oldest = match oldest {
                Some(t) => parse_ts(&t)?,
                None => now,
            };
            let left = (WINDOW_SECS - (now - oldest).num_seconds()).max(1);
            let left = u64::try_from(left).unwrap_or(1);
            wait = Some(wait.map_or(left, |w: u64| w.max(left)));
        }
        Ok(wait)
    }

    /// Records a failed attempt against the account and the address, and forgets failures that
    /// have left the window.
    pub fn fail(
        conn: &Connection,
        email: &str,
        addr: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        conn.execute(
            "DELETE FROM sign_in_failures WHERE at <= ?1",
            [window_start(now)],
        )?;
        for (key, _) in keys(email, addr) {
            conn.execute(
                "INSERT INTO sign_in_failures (who, at) VALUES (?1, ?2)",
                params![key, ts(now)],
            )?;
        }
        Ok(())
    }

    /// Forgets the account's failures after a successful sign-in (the address's stay).
    pub fn succeed(conn: &Connection, email: &str) -> Result<()> {
        conn.execute(
            "DELETE FROM sign_in_failures WHERE who = ?1",
            [account_key(email)],
        )?;
        Ok(())
    }
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

    #[tokio::test]
    async fn limiter_locks_an_account_after_five_failures() {
        let db = crate::db::Db::for_tests().expect("db");
        db.call(|c| {
            limiter_walk(c);
            Ok(())
        })
        .await
        .expect("walk");
    }

    fn limiter_walk(c: &mut crate::sql::Connection) {
        use limiter::*;
        let t = chrono::Utc::now();
        let addr: Option<IpAddr> = "192.0.2.7".parse().ok();
        for _ in 0..MAX_PER_ACCOUNT {
            assert_eq!(retry_after(c, "A@x", addr, t).ok(), Some(None));
            fail(c, "a@x", addr, t).expect("fail");
        }
        let wait = retry_after(c, "a@x", None, t).ok().flatten();
        assert_eq!(wait, Some(WINDOW_SECS as u64));
        assert_eq!(retry_after(c, "b@x", None, t).ok(), Some(None));
        // The window slides: a minute later a minute less to wait; after it, free again.
        let later = t + chrono::Duration::seconds(60);
        let wait = retry_after(c, "a@x", None, later).ok().flatten();
        assert_eq!(wait, Some(WINDOW_SECS as u64 - 60));
        let after = t + chrono::Duration::seconds(WINDOW_SECS);
        assert_eq!(retry_after(c, "a@x", None, after).ok(), Some(None));
        // Success forgets the account's failures, not the address's; old failures are pruned.
        fail(c, "a@x", addr, t).expect("fail");
        succeed(c, "A@X").expect("succeed");
        assert_eq!(retry_after(c, "a@x", None, t).ok(), Some(None));
        for i in 0..MAX_PER_ADDRESS {
            fail(c, &format!("u{i}@x"), addr, t).expect("fail");
        }
        assert!(retry_after(c, "new@x", addr, t).ok().flatten().is_some());
        fail(c, "z@x", None, after).expect("fail");
        let left: i64 = c
            .query_row("SELECT COUNT(*) FROM sign_in_failures", (), |r| r.get(0))
            .expect("count");
        assert_eq!(left, 1, "only the failure inside the window is kept");
    }
}
