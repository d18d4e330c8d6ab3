//! Service announcements (the banner): for everyone, or for one institution.

use chrono::{DateTime, Utc};
use portal_core::access::Permission;
use portal_core::announcement::{Announcement, AnnouncementKind, NewAnnouncement};

use super::sql::{params, Connection, OptionalExtension, Row};
use super::{parse_ts, parse_ts_opt, stored, ts, Account, Result};

/// The public id of an announcement's row.
pub fn public_id(id: i64) -> String {
    format!("AN-{id:06}")
}

/// The row id of a public id (`AN-000001`).
pub fn row_id(public: &str) -> Option<i64> {
    public.strip_prefix("AN-").and_then(|d| d.parse().ok())
}

/// Columns of [`row`]; the last says whether the viewer may open the announcement's case, in the
/// same query (`?2`: the viewer sees every institution; `?3`: the viewer's institution, or -1).
const COLUMNS: &str = "a.id, a.kind, a.message, a.case_number, a.created_at, a.expires_at, \
     EXISTS (SELECT 1 FROM cases c WHERE c.number = a.case_number AND (?2 OR c.institution_id = ?3)), \
     a.starts_at, a.institution_id";

fn row(r: &Row) -> Result<Announcement> {
    Ok(Announcement {
        id: public_id(r.get(0)?),
        kind: stored(
            "announcement kind",
            &r.get::<_, String>(1)?,
            AnnouncementKind::parse,
        )?,
        message: r.get(2)?,
        case_number: r.get(3)?,
        case_visible: r.get(6)?,
        created_at: parse_ts(&r.get::<_, String>(4)?)?,
        expires_at: parse_ts_opt(r.get(5)?)?,
        starts_at: parse_ts_opt(r.get(7)?)?,
        institution_id: r.get(8)?,
    })
}

/// (sees every institution, their institution or -1) for the visibility parameters.
fn viewer_params(viewer: Option<&Account>) -> (bool, i64) {
    match viewer {
        Some(a) if Permission::SeeEveryInstitution.allows(a.role()) => (true, -1),
        Some(a) => (false, a.institution_id().unwrap_or(-1)),
        None => (false, -1),
    }
}

/// What shows now for `viewer` (signed out: the announcements for everyone; a customer: also
/// their institution's; an agent: all), newest first, at most `limit`; with `scheduled`, also
/// those that start later (support's screen).
pub fn showing(
    conn: &Connection,
    viewer: Option<&Account>,
    now: DateTime<Utc>,
    limit: i64,
    scheduled: bool,
) -> Result<Vec<Announcement>> {
    let (all, inst) = viewer_params(viewer);
    conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM announcements a \
             WHERE a.withdrawn_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > ?1) \
             AND (?5 OR a.starts_at IS NULL OR a.starts_at <= ?1) \
             AND (?2 OR a.institution_id IS NULL OR a.institution_id = ?3) ORDER BY a.id DESC LIMIT ?4"
        ),
        params![ts(now), all, inst, limit, scheduled],
        row,
    )
}

/// Posts an announcement by `author`; answers it as `author` sees it.
pub fn insert(
    conn: &Connection,
    author: &Account,
    a: &NewAnnouncement,
    now: DateTime<Utc>,
) -> Result<Announcement> {
    let id: i64 = conn.query_row(
        "INSERT INTO announcements (kind, message, case_number, institution_id, created_by, created_at, expires_at, starts_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        params![
            a.kind.as_str(),
            a.message.trim(),
            a.case_number,
            a.institution_id,
            author.id,
            ts(now),
            a.expires_at.map(ts),
            a.starts_at.map(ts)
        ],
        |r| r.get(0),
    )?;
    let (all, inst) = viewer_params(Some(author));
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM announcements a WHERE a.id = ?1"),
        params![id, all, inst],
        row,
    )
}

/// Withdraws an announcement that shows; answers whether there was one.
pub fn withdraw(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn
        .query_row(
            "UPDATE announcements SET withdrawn_at = ?1 WHERE id = ?2 AND withdrawn_at IS NULL RETURNING id",
            params![ts(now), id],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .is_some())
}
