//! Two-step sign-in: sealed TOTP secrets, recovery codes, the password step's challenges.

use chrono::{DateTime, Utc};

use super::sql::{params, Connection, OptionalExtension};
use super::{parse_ts, ts, Result};

/// What a user's secret is sealed as (a sealed value copied to another user does not open).
pub fn seal_as(user: i64) -> String {
    format!("user:{user}:totp")
}

/// Keeps a secret being enrolled (replacing an earlier one not confirmed).
pub fn set_pending(conn: &Connection, user: i64, sealed: &[u8]) -> Result<()> {
    conn.execute(
        "UPDATE users SET totp_pending = ?2 WHERE id = ?1",
        params![user, sealed.to_vec()],
    )?;
    Ok(())
}

/// The secret being enrolled, sealed.
pub fn pending(conn: &Connection, user: i64) -> Result<Option<Vec<u8>>> {
    conn.query_row(
        "SELECT totp_pending FROM users WHERE id = ?1",
        [user],
        |r| r.get(0),
    )
}

/// The confirmed secret, sealed, with the last time step a code was accepted for.
pub fn secret(conn: &Connection, user: i64) -> Result<Option<(Vec<u8>, Option<i64>)>> {
    Ok(conn
        .query_row(
            "SELECT totp_sealed, totp_last_step FROM users WHERE id = ?1 AND totp_enabled_at IS NOT NULL",
            [user],
            |r| Ok((r.get::<_, Option<Vec<u8>>>(0)?, r.get::<_, Option<i64>>(1)?)),
        )
        .optional()?
        .and_then(|(s, step)| s.map(|s| (s, step))))
}

/// Turns two-step sign-in on with the pending secret and new recovery codes (their hashes).
pub fn enable(
    conn: &Connection,
    user: i64,
    step: i64,
    code_hashes: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE users SET totp_sealed = totp_pending, totp_pending = NULL, totp_enabled_at = ?2, totp_last_step = ?3 WHERE id = ?1",
        params![user, ts(now), step],
    )?;
    conn.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [user])?;
    for h in code_hashes {
        conn.execute(
            "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)",
            params![user, h],
        )?;
    }
    Ok(())
}

/// Turns two-step sign-in off.
pub fn disable(conn: &Connection, user: i64) -> Result<()> {
    conn.execute(
        "UPDATE users SET totp_sealed = NULL, totp_pending = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = ?1",
        [user],
    )?;
    conn.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [user])?;
    Ok(())
}

/// Records that a code of time step `step` was used (answers false when that step or a later
/// one was used already: a code works once).
pub fn use_step(conn: &Connection, user: i64, step: i64) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
        params![user, step],
    )? == 1)
}

/// Uses a recovery code (by its hash) once; answers whether it was there unused.
pub fn use_recovery(conn: &Connection, user: i64, hash: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
        params![user, hash, ts(now)],
    )? == 1)
}

/// Recovery codes not used yet.
pub fn recovery_left(conn: &Connection, user: i64) -> Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL",
        [user],
        |r| r.get(0),
    )
}

/// A new challenge for `user` after a right password (expired ones are forgotten).
pub fn challenge_create(
    conn: &Connection,
    token_hash: &str,
    user: i64,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "DELETE FROM sign_in_challenges WHERE expires_at <= ?1",
        [ts(now)],
    )?;
    conn.execute(
        "INSERT INTO sign_in_challenges (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash, user, ts(expires)],
    )?;
    Ok(())
}

/// The user of a live challenge, counting this attempt; `None` when it is unknown, expired or
/// has had `max` attempts (then it is gone).
pub fn challenge_attempt(
    conn: &Connection,
    token_hash: &str,
    now: DateTime<Utc>,
    max: i64,
) -> Result<Option<i64>> {
    let row: Option<(i64, String, i64)> = conn
        .query_row(
            "SELECT user_id, expires_at, attempts FROM sign_in_challenges WHERE token_hash = ?1",
            [token_hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((user, expires, attempts)) = row else {
        return Ok(None);
    };
    if parse_ts(&expires)? <= now || attempts >= max {
        challenge_end(conn, token_hash)?;
        return Ok(None);
    }
    conn.execute(
        "UPDATE sign_in_challenges SET attempts = attempts + 1 WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(Some(user))
}

/// Ends a challenge (used, or too many attempts).
pub fn challenge_end(conn: &Connection, token_hash: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM sign_in_challenges WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(())
}

/// Marks a session as started (or confirmed) with the second step.
pub fn mark_session(conn: &Connection, token_hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET second_factor = 1 WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(())
}
