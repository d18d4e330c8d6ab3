//! Requests support does not handle, recorded so the institution can see what it sent where
//! (Ideas Exchange hand-offs and account-manager consultations), and knowledge articles that
//! answered a question (deflections).

use chrono::{DateTime, NaiveDate, Utc};
use portal_core::model::{HandOffKind, SentItem};

use super::sql::{params, Connection, OptionalExtension};
use super::{parse_ts, ts, Account, Result};

/// The most a "Sent elsewhere" list shows of each kind (newest first).
pub const SENT_MAX: i64 = 500;

/// The hand-offs of `institution` (every institution's for `None`: support), newest first.
pub fn sent(
    conn: &Connection,
    institution: Option<i64>,
    only_by: Option<i64>,
) -> Result<Vec<SentItem>> {
    // Institution and user ids start at 1: 0 stands for all of them.
    let scope = |col: &str| {
        let by = col.replace("institution_id", "user_id");
        format!("WHERE (?1 = 0 OR {col} = ?1) AND (?2 = 0 OR {by} = ?2)")
    };
    let (inst, by) = (institution.unwrap_or(0), only_by.unwrap_or(0));
    let mut items = conn.query_map(
        &format!(
            "SELECT r.id, r.title, r.description, u.name, i.name, r.created_at, r.idea_url, c.number \
             FROM routings r JOIN users u ON u.id = r.user_id JOIN institutions i ON i.id = r.institution_id \
             LEFT JOIN cases c ON c.id = r.case_id {} ORDER BY r.id DESC LIMIT {SENT_MAX}",
            scope("r.institution_id")
        ),
        [inst, by],
        |r| {
            let id: i64 = r.get(0)?;
            Ok(SentItem {
                reference: format!("IX-{id:06}"),
                kind: HandOffKind::IdeasExchange,
                title: r.get(1)?,
                description: r.get(2)?,
                by: r.get(3)?,
                institution: r.get(4)?,
                created_at: parse_ts(&r.get::<_, String>(5)?)?,
                idea_url: r.get(6)?,
                case_number: r.get(7)?,
                desired_start: None,
                before_lead_time: false,
                acknowledged_at: None,
            })
        },
    )?;
    let consultations = conn.query_map(
        &format!(
            "SELECT k.id, k.what, u.name, i.name, k.created_at, k.desired_start, k.before_lead_time, k.acknowledged_at \
             FROM consultations k JOIN users u ON u.id = k.user_id JOIN institutions i ON i.id = k.institution_id \
             {} ORDER BY k.id DESC LIMIT {SENT_MAX}",
            scope("k.institution_id")
        ),
        [inst, by],
        |r| {
            let id: i64 = r.get(0)?;
            let what: String = r.get(1)?;
            let acknowledged: Option<String> = r.get(7)?;
            Ok(SentItem {
                reference: format!("AM-{id:06}"),
                kind: HandOffKind::AccountManager,
                title: first_line(&what),
                description: what,
                by: r.get(2)?,
                institution: r.get(3)?,
                created_at: parse_ts(&r.get::<_, String>(4)?)?,
                idea_url: None,
                case_number: None,
                desired_start: r.get::<_, String>(5)?.parse().ok(),
                before_lead_time: r.get::<_, i64>(6)? != 0,
                acknowledged_at: acknowledged.as_deref().map(parse_ts).transpose()?,
            })
        },
    )?;
    items.extend(consultations);
    items.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.reference.cmp(&a.reference))
    });
    Ok(items)
}

/// A consultation's title: its first line, at most 120 characters.
fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// Links routing `id` to the case it was moved from.
pub fn link_case(conn: &Connection, id: i64, case_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE routings SET case_id = ?2 WHERE id = ?1",
        params![id, case_id],
    )?;
    Ok(())
}

/// The Ideas Exchange hand-off case `case_id` was moved to (`IX-…`), if it was.
pub fn moved_to(conn: &Connection, case_id: i64) -> Result<Option<String>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM routings WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(id.map(|id| format!("IX-{id:06}")))
}

/// The institution of routing `id` (`None`: no such routing).
pub fn routing_institution(conn: &Connection, id: i64) -> Result<Option<i64>> {
    conn.query_row(
        "SELECT institution_id FROM routings WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
}

/// Sets the link to the idea on the Ideas Exchange.
pub fn set_idea_url(conn: &Connection, id: i64, url: &str) -> Result<()> {
    conn.execute(
        "UPDATE routings SET idea_url = ?2 WHERE id = ?1",
        params![id, url],
    )?;
    Ok(())
}

/// Marks consultation `id` acknowledged (once: the first time counts); `false` when there is no
/// such consultation.
pub fn acknowledge(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let found: Option<Option<String>> = conn
        .query_row(
            "SELECT acknowledged_at FROM consultations WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    match found {
        None => Ok(false),
        Some(Some(_)) => Ok(true),
        Some(None) => {
            conn.execute(
                "UPDATE consultations SET acknowledged_at = ?2 WHERE id = ?1",
                params![id, ts(now)],
            )?;
            Ok(true)
        }
    }
}

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
