//! Requests support does not handle, recorded so the institution can see what it sent where
//! (Ideas Exchange hand-offs and account-manager consultations), and knowledge articles that
//! answered a question (deflections).

use chrono::{DateTime, NaiveDate, Utc};

use super::sql::{params, Connection};
use super::{ts, Account, Result};

/// Records an idea handed to the Ideas Exchange; answers its id.
pub fn insert_routing(
    conn: &Connection,
    by: &Account,
    institution_id: i64,
    title: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.query_row(
        "INSERT INTO routings (user_id, institution_id, title, description, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![by.id, institution_id, title, description, ts(now)],
        |r| r.get(0),
    )
}

/// Records a redesign request for the account manager; answers its id.
pub fn insert_consultation(
    conn: &Connection,
    by: &Account,
    institution_id: i64,
    what: &str,
    desired_start: NaiveDate,
    before_lead_time: bool,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.query_row(
        "INSERT INTO consultations (user_id, institution_id, what, desired_start, before_lead_time, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![by.id, institution_id, what, desired_start.to_string(), before_lead_time, ts(now)],
        |r| r.get(0),
    )
}

/// Counts a knowledge article that answered `by`'s question; answers how often it has.
pub fn insert_deflection(
    conn: &Connection,
    by: &Account,
    article_id: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO deflections (user_id, institution_id, article_id, at) VALUES (?1, ?2, ?3, ?4)",
        params![by.id, by.institution_id(), article_id, ts(now)],
    )?;
    conn.query_row(
        "SELECT COUNT(*) FROM deflections WHERE article_id = ?1",
        [article_id],
        |r| r.get(0),
    )
}
