//! The transactional outbox: e-mails written in the same transaction as the event they are about,
//! sent by the delivery worker (`crate::mailer`), each at least once and with a stable Message-ID
//! (mail clients drop a duplicate). With several API instances, each row is claimed by one
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer). A claim is a lease: a worker
//! that dies after claiming leaves the row to be claimed again when the lease ends.

use chrono::{DateTime, Duration, Utc};
use portal_core::model::DeliveryFailure;

use super::sql::{params, Connection, Dialect, OptionalExtension};
use super::{parse_ts, ts, Result};

/// How long a claim holds a row.
pub const LEASE_SECS: i64 = 120;
/// Attempts before a message is given up.
pub const ATTEMPTS_MAX: i64 = 8;

/// A message to send.
#[derive(Debug, Clone)]
pub struct Mail {
    /// Recipient address.
    pub recipient: String,
    /// The case it is about.
    pub case_id: Option<i64>,
    /// What happened (`comment`, `escalation`, …).
    pub event: String,
    /// Subject line.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML alternative.
    pub html: String,
    /// `<…@…>`, stable across retries.
    pub message_id: String,
}

/// Writes a message to send; to an address that failed for good, it is recorded as failed at once
/// (support sees it) and not sent.
pub fn enqueue(conn: &Connection, m: &Mail, now: DateTime<Utc>) -> Result<()> {
    let bounced: Option<String> = conn
        .query_row(
            "SELECT reason FROM bounced_addresses WHERE address = ?1",
            [m.recipient.to_lowercase()],
            |r| r.get(0),
        )
        .optional()?;
    let failed = bounced.as_ref().map(|_| ts(now));
    let error = bounced.map(|r| format!("not sent: this address failed for good before ({r})"));
    conn.execute(
        "INSERT INTO outbox (message_id, recipient, case_id, event, subject, text_body, html_body, created_at, \
         next_attempt_at, failed_at, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10)",
        params![
            m.message_id,
            m.recipient,
            m.case_id,
            m.event,
            m.subject,
            m.text,
            m.html,
            ts(now),
            failed,
            error
        ],
    )?;
    Ok(())
}

/// A claimed message.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// Row id.
    pub id: i64,
    /// The message.
    pub mail: Mail,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// Claims up to `limit` messages due at `now` for this worker (a lease of [`LEASE_SECS`]).
pub fn claim(conn: &mut Connection, now: DateTime<Utc>, limit: i64) -> Result<Vec<Claimed>> {
    let lock = match conn.dialect() {
        Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
        Dialect::Sqlite => "",
    };
    let tx = conn.transaction()?;
    let rows = tx.query_map(
        &format!(
            "UPDATE outbox SET locked_until = ?2, attempts = attempts + 1 WHERE id IN ( \
               SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1 \
               AND (locked_until IS NULL OR locked_until <= ?1) ORDER BY id LIMIT ?3 {lock}) \
             RETURNING id, message_id, recipient, case_id, event, subject, text_body, html_body, attempts"
        ),
        params![ts(now), ts(now + Duration::seconds(LEASE_SECS)), limit],
        |r| {
            Ok(Claimed {
                id: r.get(0)?,
                mail: Mail {
                    message_id: r.get(1)?,
                    recipient: r.get(2)?,
                    case_id: r.get(3)?,
                    event: r.get(4)?,
                    subject: r.get(5)?,
                    text: r.get(6)?,
                    html: r.get(7)?,
                },
                attempts: r.get(8)?,
            })
        },
    )?;
    tx.commit()?;
    Ok(rows)
}

/// Events whose message holds a single-use link (an invitation, a password reset): once sent,
/// their bodies are blanked, so the database never keeps a working link.
pub const LINK_EVENTS: [&str; 2] = ["invitation", "password_reset"];

/// The message went out.
pub fn sent(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET sent_at = ?2, locked_until = NULL, last_error = NULL WHERE id = ?1",
        params![id, ts(now)],
    )?;
    conn.execute(
        "UPDATE outbox SET text_body = '(sent: it held a single-use link)', html_body = ''          WHERE id = ?1 AND event IN (?2, ?3)",
        params![id, LINK_EVENTS[0], LINK_EVENTS[1]],
    )?;
    Ok(())
}

/// A try failed for now: again at `at`.
pub fn retry(conn: &Connection, id: i64, at: DateTime<Utc>, error: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET next_attempt_at = ?2, locked_until = NULL, last_error = ?3 WHERE id = ?1",
        params![id, ts(at), error],
    )?;
    Ok(())
}

/// Given up; with `bounce`, the address is marked so nothing more is sent to it.
pub fn failed(
    conn: &Connection,
    id: i64,
    recipient: &str,
    now: DateTime<Utc>,
    error: &str,
    bounce: bool,
) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET failed_at = ?2, locked_until = NULL, last_error = ?3 WHERE id = ?1",
        params![id, ts(now), error],
    )?;
    if bounce {
        conn.execute(
            "DELETE FROM bounced_addresses WHERE address = ?1",
            [recipient.to_lowercase()],
        )?;
        conn.execute(
            "INSERT INTO bounced_addresses (address, at, reason) VALUES (?1, ?2, ?3)",
            params![recipient.to_lowercase(), ts(now), error],
        )?;
    }
    Ok(())
}

/// Messages about case `case_id` that could not be delivered (shown to support).
pub fn failures_for_case(conn: &Connection, case_id: i64) -> Result<Vec<DeliveryFailure>> {
    conn.query_map(
        "SELECT recipient, failed_at, COALESCE(last_error, '') FROM outbox WHERE case_id = ?1 AND failed_at IS NOT NULL ORDER BY id DESC LIMIT 20",
        [case_id],
        |r| {
            Ok(DeliveryFailure {
                recipient: r.get(0)?,
                at: parse_ts(&r.get::<_, String>(1)?)?,
                reason: r.get(2)?,
            })
        },
    )
}

/// (pending, sent, failed) messages.
pub fn counts(conn: &Connection) -> Result<(i64, i64, i64)> {
    conn.query_row(
        "SELECT COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM outbox",
        (),
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
