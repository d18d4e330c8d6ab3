//! Who follows which case (colleagues added, people who follow it, cases muted), and everyone
//! connected with a case as the notification rules need them.

use chrono::{DateTime, Utc};
use portal_core::model::Follower;
use portal_core::notify::{Candidate, Preference};
use portal_core::{Lang, Role};

use super::sql::{params, Connection, OptionalExtension};
use super::{stored, ts, Result};

/// `user` follows case `case_id` (added by `by`); answers whether they were not already.
pub fn follow(
    conn: &Connection,
    case_id: i64,
    user: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let known = conn
        .query_row(
            "SELECT muted FROM followers WHERE case_id = ?1 AND user_id = ?2",
            params![case_id, user],
            |r| r.get::<_, bool>(0),
        )
        .optional()?;
    match known {
        Some(false) => Ok(false),
        Some(true) => {
            set_muted(conn, case_id, user, false, by, now)?;
            Ok(false)
        }
        None => {
            conn.execute(
                "INSERT INTO followers (case_id, user_id, muted, added_by, added_at) VALUES (?1, ?2, 0, ?3, ?4)",
                params![case_id, user, by, ts(now)],
            )?;
            Ok(true)
        }
    }
}

/// `user` stops following case `case_id`.
pub fn unfollow(conn: &Connection, case_id: i64, user: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM followers WHERE case_id = ?1 AND user_id = ?2",
        params![case_id, user],
    )?;
    Ok(())
}

/// Mutes (or unmutes) case `case_id` for `user`: no e-mail about it, whoever they are on it.
pub fn set_muted(
    conn: &Connection,
    case_id: i64,
    user: i64,
    muted: bool,
    by: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE followers SET muted = ?3 WHERE case_id = ?1 AND user_id = ?2",
        params![case_id, user, muted],
    )?;
    if changed == 0 {
        conn.execute(
            "INSERT INTO followers (case_id, user_id, muted, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![case_id, user, muted, by, ts(now)],
        )?;
    }
    Ok(())
}

/// The followers of a case (not those who only muted it), by name.
pub fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<(i64, Follower)>> {
    conn.query_map(
        "SELECT u.id, u.name FROM followers f JOIN users u ON u.id = f.user_id \
         WHERE f.case_id = ?1 AND f.muted = 0 ORDER BY u.name",
        [case_id],
        |r| Ok((r.get(0)?, Follower { name: r.get(1)? })),
    )
}

/// Whether `user` follows and whether they muted case `case_id`.
pub fn state(conn: &Connection, case_id: i64, user: i64) -> Result<(bool, bool)> {
    Ok(conn
        .query_row(
            "SELECT muted FROM followers WHERE case_id = ?1 AND user_id = ?2",
            params![case_id, user],
            |r| r.get::<_, bool>(0),
        )
        .optional()?
        .map_or((false, false), |muted| (!muted, muted)))
}

/// A person connected with a case, as notifications need them.
#[derive(Debug, Clone)]
pub struct Person {
    /// For the rules.
    pub candidate: Candidate,
    /// Where to write.
    pub email: String,
    /// Their name.
    pub name: String,
    /// The language they read.
    pub lang: Lang,
}

/// Everyone connected with case `case_id`: its opener, its followers and the agent it is
/// assigned to (each once), with their preferences and whether they muted it.
pub fn connected(conn: &Connection, case_id: i64) -> Result<Vec<Person>> {
    conn.query_map(
        "SELECT u.id, u.role, u.notify, u.email, u.name, u.lang, COALESCE(f.muted, 0) FROM users u \
         LEFT JOIN followers f ON f.case_id = ?1 AND f.user_id = u.id \
         WHERE u.id IN (SELECT opened_by FROM cases WHERE id = ?1) \
            OR u.id IN (SELECT assignee_id FROM cases WHERE id = ?1) \
            OR u.id IN (SELECT user_id FROM followers WHERE case_id = ?1) \
         ORDER BY u.id",
        [case_id],
        |r| {
            Ok(Person {
                candidate: Candidate {
                    id: r.get(0)?,
                    role: stored("role", &r.get::<_, String>(1)?, Role::parse)?,
                    preference: stored("preference", &r.get::<_, String>(2)?, Preference::parse)?,
                    muted: r.get(6)?,
                },
                email: r.get(3)?,
                name: r.get(4)?,
                lang: Lang::from_tag(&r.get::<_, String>(5)?).unwrap_or_default(),
            })
        },
    )
}

/// One person by id, as notifications need them.
pub fn person(conn: &Connection, user: i64) -> Result<Option<Person>> {
    conn.query_row(
        "SELECT id, role, notify, email, name, lang FROM users WHERE id = ?1",
        [user],
        |r| {
            Ok(Person {
                candidate: Candidate {
                    id: r.get(0)?,
                    role: stored("role", &r.get::<_, String>(1)?, Role::parse)?,
                    preference: stored("preference", &r.get::<_, String>(2)?, Preference::parse)?,
                    muted: false,
                },
                email: r.get(3)?,
                name: r.get(4)?,
                lang: Lang::from_tag(&r.get::<_, String>(5)?).unwrap_or_default(),
            })
        },
    )
    .optional()
}
