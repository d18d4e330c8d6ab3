//! Sessions (only the SHA-256 of each token is stored) and failed sign-in attempts, shared by
//! every API instance.

use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;

use super::sql::{params, Connection, OptionalExtension};
use super::{parse_ts, ts, Result};

/// Starts a session for `user_id` until `expires_at` in the browser `user_agent`, and forgets
/// expired ones.
pub fn create(
    conn: &Connection,
    token_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    user_agent: &str,
) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [ts(now)])?;
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent) \
         VALUES (?1, ?2, ?3, ?4, ?3, ?5)",
        params![token_hash, user_id, ts(now), ts(expires_at), user_agent],
    )?;
    Ok(())
}

/// Notes that a session was used now, at most once a minute (a write per request would be
/// wasteful).
pub fn touch(conn: &Connection, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND (last_seen_at IS NULL OR last_seen_at < ?3)",
        params![token_hash, ts(now), ts(now - Duration::seconds(60))],
    )?;
    Ok(())
}

/// The live sessions of `user_id` (not ended, not idle since `idle_since`), most recently used
/// first: (token hash, created, last seen, expires, user agent).
#[allow(clippy::type_complexity)]
pub fn of_user(
    conn: &Connection,
    user_id: i64,
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>, DateTime<Utc>, DateTime<Utc>, String)>> {
    conn.query_map(
        "SELECT token_hash, created_at, COALESCE(last_seen_at, created_at), expires_at, user_agent FROM sessions \
         WHERE user_id = ?1 AND expires_at > ?2 AND COALESCE(last_seen_at, created_at) > ?3 \
         ORDER BY COALESCE(last_seen_at, created_at) DESC",
        params![user_id, ts(now), ts(idle_since)],
        |r| {
            Ok((
                r.get(0)?,
                parse_ts(&r.get::<_, String>(1)?)?,
                parse_ts(&r.get::<_, String>(2)?)?,
                parse_ts(&r.get::<_, String>(3)?)?,
                r.get(4)?,
            ))
        },
    )
}

/// Ends every session of `user_id` but `keep` (a token hash); answers how many ended.
pub fn delete_others(conn: &Connection, user_id: i64, keep: &str) -> Result<usize> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2",
        params![user_id, keep],
    )
}

/// Ends a session.
pub fn delete(conn: &Connection, token_hash: &str) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Failed sign-in attempts per account and per client address in a sliding window (table
/// `sign_in_failures`): every API instance behind a load balancer counts the same attempts, and
/// old ones are pruned, so whatever e-mail addresses an attacker types, the record stays as small
/// as the window's failures.
pub mod limiter {
    use super::*;

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
        ts(now - Duration::seconds(WINDOW_SECS))
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

    #[cfg(test)]
    mod tests {
        use super::*;

        #[tokio::test]
        async fn an_account_is_locked_after_five_failures() {
            let db = crate::db::Db::for_tests().expect("db");
            db.call(|c| {
                walk(c);
                Ok(())
            })
            .await
            .expect("walk");
        }

        fn walk(c: &mut Connection) {
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
            let later = t + Duration::seconds(60);
            let wait = retry_after(c, "a@x", None, later).ok().flatten();
            assert_eq!(wait, Some(WINDOW_SECS as u64 - 60));
            let after = t + Duration::seconds(WINDOW_SECS);
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
}
