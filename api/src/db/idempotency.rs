//! Idempotency keys (`Idempotency-Key` header) for requests that create something: a repeat of a
//! request replays the first answer, a repeat while the first is still running answers 409 with
//! Retry-After, and the same key with a different body answers 422 (409 naming the case when the
//! first request made one: a second tab sending the same draft after an edit).
//!
//! Every idempotent endpoint goes through [`run`]: the key is claimed in its own short transaction
//! ([`claim`]) before the work starts, completed in the work's transaction ([`complete`]), or
//! released when the work fails ([`release`]), so the marker is visible to every API instance that
//! shares the database. A claim whose request died (no completion within [`PENDING_STALE_SECS`]) is
//! taken over by the next attempt. Keys are scoped by user and endpoint, and kept 7 days (the
//! contract promises at least 24 h).

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::sql::{params, Connection, OptionalExtension};
use super::{parse_ts, ts, Db};
use crate::error::{ApiError, ApiResult};

/// Seconds after which an unfinished claim is considered abandoned.
pub const PENDING_STALE_SECS: i64 = 60;
/// Days a completed key is kept.
pub const KEEP_DAYS: i64 = 7;

/// A key as stored: the endpoint it was used on, and the client's key.
#[derive(Debug, Clone)]
pub struct Key {
    /// The user it belongs to.
    pub user_id: i64,
    /// `endpoint` + client key.
    pub scoped: String,
    /// Hash of the request body.
    pub hash: String,
}

impl Key {
    /// A key for `user` on `endpoint`, guarding a request with this body.
    pub fn new(
        user_id: i64,
        endpoint: &str,
        client_key: &str,
        body: &impl serde::Serialize,
    ) -> Key {
        let json = serde_json::to_vec(body).unwrap_or_default();
        let hash = Sha256::digest(&json)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Key {
            user_id,
            scoped: format!("{endpoint} {client_key}"),
            hash,
        }
    }
}

/// What to do with a request that carries a key.
#[derive(Debug, PartialEq)]
pub enum Claim {
    /// First use: do the work, then [`complete`].
    Fresh,
    /// Already done: answer this status and body again.
    Replay(u16, String),
}

/// The answer of an idempotent request: its status and JSON body, whether it was made now or
/// replayed.
pub type Answer = (u16, String);

/// Does `work` once per key: a repeat replays the first answer. Without a key, `work` simply runs.
/// `work` runs in a transaction, which also records its answer under the key; when it fails, the
/// key is given back so a retry can do the work.
pub async fn run<F>(db: &Db, key: Option<Key>, now: DateTime<Utc>, work: F) -> ApiResult<Answer>
where
    F: FnOnce(&Connection) -> ApiResult<Answer> + Send + 'static,
{
    if let Some(k) = key.clone() {
        if let Claim::Replay(status, json) = db.call(move |c| claim(c, &k, now)).await? {
            return Ok((status, json));
        }
    }
    let k = key.clone();
    let done = db
        .call(move |c| {
            let tx = c.transaction()?;
            let (status, json) = work(&tx)?;
            if let Some(k) = &k {
                complete(&tx, k, status, &json, now)?;
            }
            tx.commit()?;
            Ok((status, json))
        })
        .await;
    if done.is_err() {
        if let Some(k) = key {
            db.call(move |c| Ok(release(c, &k)?)).await?;
        }
    }
    done
}

/// Claims the key, or says how the earlier request with it went.
pub fn claim(conn: &mut Connection, key: &Key, now: DateTime<Utc>) -> ApiResult<Claim> {
    let tx = conn.transaction()?;
    let prior: Option<(String, u16, String, String)> = tx
        .query_row(
            "SELECT request_hash, status, response, created_at FROM idempotency_keys WHERE user_id = ?1 AND key = ?2",
            params![key.user_id, key.scoped],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let claim = match prior {
        Some((hash, status, response, _)) if hash != key.hash => {
            if let Some(number) = made_case(key, status, &response) {
                return Err(ApiError::AlreadySent(number));
            }
            return Err(ApiError::field(
                "idempotency_key",
                portal_core::tr!(crate::lang::current(),
                    en: "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
                    fr: "Cette clé Idempotency-Key a déjà servi pour une autre demande. Utilisez une nouvelle clé pour une nouvelle demande."),
            ));
        }
        Some((_, 0, _, at)) => {
            let started = parse_ts(&at)?;
            if (now - started).num_seconds() < PENDING_STALE_SECS {
                return Err(ApiError::InProgress);
            }
            // The first attempt died without an answer: this one takes over.
            tx.execute(
                "UPDATE idempotency_keys SET created_at = ?3 WHERE user_id = ?1 AND key = ?2",
                params![key.user_id, key.scoped, ts(now)],
            )?;
            Claim::Fresh
        }
        Some((_, status, response, _)) => Claim::Replay(status, response),
        None => {
            match tx.execute(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at) VALUES (?1, ?2, ?3, 0, '', ?4)",
                params![key.user_id, key.scoped, key.hash, ts(now)],
            ) {
                Ok(_) => Claim::Fresh,
                // Another API instance claimed it between our read and our write.
                Err(super::sql::Error::UniqueViolation(_)) => return Err(ApiError::InProgress),
                Err(e) => return Err(e.into()),
            }
        }
    };
    tx.commit()?;
    Ok(claim)
}

/// The number of the case a completed request for a new case made, if any.
fn made_case(key: &Key, status: u16, response: &str) -> Option<String> {
    if status != 201 || !key.scoped.starts_with("POST /cases ") {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(response).ok()?;
    v.pointer("/summary/number")?.as_str().map(str::to_string)
}

/// Records the answer of the claimed request (inside the work's transaction).
pub fn complete(
    conn: &Connection,
    key: &Key,
    status: u16,
    response: &str,
    now: DateTime<Utc>,
) -> super::Result<()> {
    conn.execute(
        "UPDATE idempotency_keys SET status = ?3, response = ?4 WHERE user_id = ?1 AND key = ?2",
        params![key.user_id, key.scoped, status, response],
    )?;
    conn.execute(
        "DELETE FROM idempotency_keys WHERE created_at < ?1",
        [ts(now - chrono::Duration::days(KEEP_DAYS))],
    )?;
    Ok(())
}

/// Gives the key back after the work failed, so a retry can do it.
pub fn release(conn: &Connection, key: &Key) -> super::Result<()> {
    conn.execute(
        "DELETE FROM idempotency_keys WHERE user_id = ?1 AND key = ?2 AND status = 0",
        params![key.user_id, key.scoped],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
            .single()
            .expect("instant")
    }

    #[tokio::test]
    async fn claims_replays_conflicts_and_takes_over_abandoned_keys() {
        let db = Db::for_tests().expect("db");
        let result = db
            .call(|c| {
                c.execute_batch(
                    "INSERT INTO users (id, email, name, role, password_hash) VALUES (1, 'a@b', 'A', 'agent', 'x');",
                )?;
                let key = Key::new(1, "POST /cases", "k1", &"body");
                assert_eq!(claim(c, &key, now())?, Claim::Fresh);
                // Still running.
                assert!(matches!(claim(c, &key, now()), Err(ApiError::InProgress)));
                // A different body.
                let other = Key::new(1, "POST /cases", "k1", &"other");
                assert!(matches!(claim(c, &other, now()), Err(ApiError::Validation(_))));
                // The same key on another endpoint is another key.
                let elsewhere = Key::new(1, "POST /cases/CS-1/comments", "k1", &"body");
                assert_eq!(claim(c, &elsewhere, now())?, Claim::Fresh);
                // Abandoned: taken over after a minute.
                let later = now() + chrono::Duration::seconds(PENDING_STALE_SECS + 1);
                assert_eq!(claim(c, &key, later)?, Claim::Fresh);
                complete(c, &key, 201, "{\"ok\":1}", later)?;
                assert_eq!(claim(c, &key, later)?, Claim::Replay(201, "{\"ok\":1}".into()));
                // Released keys can be claimed again.
                release(c, &elsewhere)?;
                assert_eq!(claim(c, &elsewhere, now())?, Claim::Fresh);
                Ok(())
            })
            .await;
        assert!(result.is_ok(), "{result:?}");
    }
}
