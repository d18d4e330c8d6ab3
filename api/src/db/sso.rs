//! Single sign-on logins under way, and matching the people an identity provider signs in.

use chrono::{DateTime, Utc};

use super::sql::{params, Connection, OptionalExtension};
use super::{parse_ts, ts, Result};

/// A login under way.
pub struct Login {
    /// The provider's id.
    pub provider: String,
    /// The SHA-256 of the browser's binding cookie.
    pub browser_hash: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier.
    pub verifier: String,
    /// Where to go after signing in.
    pub next: String,
}

/// Keeps a login under way until `expires` (older ones are forgotten).
pub fn start(
    conn: &Connection,
    state_hash: &str,
    l: &Login,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    conn.execute("DELETE FROM sso_logins WHERE expires_at <= ?1", [ts(now)])?;
    conn.execute(
        "INSERT INTO sso_logins (state_hash, provider, browser_hash, nonce, verifier, next, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![state_hash, l.provider, l.browser_hash, l.nonce, l.verifier, l.next, ts(expires)],
    )?;
    Ok(())
}

/// Takes the login whose state hashes to `state_hash` (once), if it has not expired.
pub fn take(conn: &Connection, state_hash: &str, now: DateTime<Utc>) -> Result<Option<Login>> {
    let row = conn
        .query_row(
            "SELECT provider, browser_hash, nonce, verifier, next, expires_at FROM sso_logins WHERE state_hash = ?1",
            [state_hash],
            |r| {
                Ok((
                    Login {
                        provider: r.get(0)?,
                        browser_hash: r.get(1)?,
                        nonce: r.get(2)?,
                        verifier: r.get(3)?,
                        next: r.get(4)?,
                    },
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    conn.execute("DELETE FROM sso_logins WHERE state_hash = ?1", [state_hash])?;
    match row {
        Some((l, expires)) if parse_ts(&expires)? > now => Ok(Some(l)),
        _ => Ok(None),
    }
}

/// The id of the institution named `name`.
pub fn institution_named(conn: &Connection, name: &str) -> Result<Option<i64>> {
    conn.query_row("SELECT id FROM institutions WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .optional()
}
