//! Attachments. The bytes live in the database (no file name from a customer ever reaches the
//! file system); an upload belongs to its uploader until it is sent with a case or an update.

use chrono::{DateTime, Duration, Utc};
use portal_core::model::Attachment;

use super::sql::{params, Connection, OptionalExtension};
use super::{ts, Account, Result};

/// How long an upload never sent with anything is kept.
pub const UNSENT_KEEP_HOURS: i64 = 24;

/// Stores an upload of `owner`, and drops unsent uploads older than [`UNSENT_KEEP_HOURS`].
pub fn insert(
    conn: &Connection,
    owner: &Account,
    a: &Attachment,
    sha256: &str,
    data: &[u8],
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO uploads (public_id, user_id, name, content_type, size, sha256, data, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![a.id, owner.id, a.name, a.content_type, a.size, sha256, data, ts(now)],
    )?;
    conn.execute(
        "DELETE FROM uploads WHERE case_id IS NULL AND created_at < ?1",
        [ts(now - Duration::hours(UNSENT_KEEP_HOURS))],
    )?;
    Ok(())
}

/// Removes `owner`'s upload `id` if it was not sent yet; answers whether it did.
pub fn delete_unsent(conn: &Connection, owner: &Account, id: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM uploads WHERE public_id = ?1 AND user_id = ?2 AND case_id IS NULL",
        params![id, owner.id],
    )? == 1)
}

/// Sends `owner`'s uploads `ids` with a case (and an update of it, `event_id`). Answers `false`
/// when one of them is not `owner`'s unsent upload: nobody attaches someone else's file, and a
/// file belongs to one case.
pub fn link(
    conn: &Connection,
    owner: &Account,
    ids: &[String],
    case_id: i64,
    event_id: Option<i64>,
) -> Result<bool> {
    let mut seen = std::collections::HashSet::new();
    for id in ids.iter().filter(|id| seen.insert(id.as_str())) {
        let n = conn.execute(
            "UPDATE uploads SET case_id = ?1, event_id = ?2 WHERE public_id = ?3 AND user_id = ?4 AND case_id IS NULL",
            params![case_id, event_id, id, owner.id],
        )?;
        if n != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Every file sent with a case, as (the update it came with, file); `None` for the files sent
/// when the case was opened.
pub fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<(Option<i64>, Attachment)>> {
    conn.query_map(
        "SELECT event_id, public_id, name, content_type, size FROM uploads WHERE case_id = ?1 ORDER BY id",
        [case_id],
        |r| {
            Ok((
                r.get(0)?,
                Attachment {
                    id: r.get(1)?,
                    name: r.get(2)?,
                    content_type: r.get(3)?,
                    size: r.get(4)?,
                },
            ))
        },
    )
}

/// A file of case `case_id`: its name, content type and bytes.
pub fn download(
    conn: &Connection,
    case_id: i64,
    id: &str,
) -> Result<Option<(String, String, Vec<u8>)>> {
    conn.query_row(
        "SELECT name, content_type, data FROM uploads WHERE case_id = ?1 AND public_id = ?2",
        params![case_id, id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}
