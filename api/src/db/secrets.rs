//! Sealed secrets of cases and of institutions' support access profiles. Only sealed bytes are
//! stored (sealing and opening is `crate::secrets::SecretBox`, with the server's key); an erased
//! secret keeps its row without the value, so the case can say it was given and erased.

use chrono::{DateTime, Duration, Utc};
use portal_core::secrets::{SecretKind, SecretState, SecretStatus};

use super::sql::{params, Connection, OptionalExtension};
use super::{parse_ts, stored, ts, Result};

/// Whose secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A case (row id).
    Case(i64),
    /// An institution's support access profile (row id).
    Institution(i64),
}

impl Owner {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Owner::Case(id) => ("case", id),
            Owner::Institution(id) => ("institution", id),
        }
    }

    /// What a value is sealed as (its additional data): a value copied to another row, or
    /// another kind, does not open.
    pub fn seal_as(self, kind: SecretKind) -> String {
        let (owner, id) = self.parts();
        format!("{owner}:{id}:{}", kind.as_str())
    }
}

/// Keeps a sealed value (replacing the one there, erased or not).
pub fn put(
    conn: &Connection,
    owner: Owner,
    kind: SecretKind,
    sealed: &[u8],
    by: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let (o, id) = owner.parts();
    let changed = conn.execute(
        "UPDATE secrets SET sealed = ?4, updated_by = ?5, updated_at = ?6, erased_at = NULL \
         WHERE owner = ?1 AND owner_id = ?2 AND kind = ?3",
        params![o, id, kind.as_str(), sealed, by, ts(now)],
    )?;
    if changed == 0 {
        conn.execute(
            "INSERT INTO secrets (owner, owner_id, kind, sealed, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![o, id, kind.as_str(), sealed, by, ts(now)],
        )?;
    }
    Ok(())
}

/// The sealed value, if one is kept (not erased).
pub fn get(conn: &Connection, owner: Owner, kind: SecretKind) -> Result<Option<Vec<u8>>> {
    let (o, id) = owner.parts();
    Ok(conn
        .query_row(
            "SELECT sealed FROM secrets WHERE owner = ?1 AND owner_id = ?2 AND kind = ?3",
            params![o, id, kind.as_str()],
            |r| r.get::<_, Option<Vec<u8>>>(0),
        )
        .optional()?
        .flatten())
}

/// Where each kind stands (never a value), in [`SecretKind::ALL`] order.
pub fn status(conn: &Connection, owner: Owner) -> Result<Vec<SecretStatus>> {
    let (o, id) = owner.parts();
    let rows = conn.query_map(
        "SELECT kind, sealed IS NOT NULL, updated_at, erased_at FROM secrets WHERE owner = ?1 AND owner_id = ?2",
        params![o, id],
        |r| {
            let kind = stored("secret kind", &r.get::<_, String>(0)?, SecretKind::parse)?;
            let kept: bool = r.get(1)?;
            let erased: Option<String> = r.get(3)?;
            Ok(match (kept, erased) {
                (true, _) => SecretStatus {
                    kind,
                    state: SecretState::Provided,
                    at: Some(parse_ts(&r.get::<_, String>(2)?)?),
                },
                (false, at) => SecretStatus {
                    kind,
                    state: SecretState::Erased,
                    at: at.as_deref().map(parse_ts).transpose()?,
                },
            })
        },
    )?;
    Ok(SecretKind::ALL
        .into_iter()
        .map(|kind| {
            rows.iter()
                .find(|s| s.kind == kind)
                .cloned()
                .unwrap_or(SecretStatus {
                    kind,
                    state: SecretState::Missing,
                    at: None,
                })
        })
        .collect())
}

/// Erases the kept values of `owner`; answers the kinds erased.
pub fn erase(conn: &Connection, owner: Owner, now: DateTime<Utc>) -> Result<Vec<SecretKind>> {
    let (o, id) = owner.parts();
    let kinds = conn.query_map(
        "UPDATE secrets SET sealed = NULL, erased_at = ?3 WHERE owner = ?1 AND owner_id = ?2 AND sealed IS NOT NULL RETURNING kind",
        params![o, id, ts(now)],
        |r| stored("secret kind", &r.get::<_, String>(0)?, SecretKind::parse),
    )?;
    Ok(kinds)
}

/// Closed cases whose secrets are kept more than `retention_days` after they were closed.
pub fn cases_due_for_erasure(
    conn: &Connection,
    now: DateTime<Utc>,
    retention_days: u32,
) -> Result<Vec<i64>> {
    let cutoff = ts(now - Duration::days(i64::from(retention_days)));
    conn.query_map(
        "SELECT c.id FROM cases c WHERE c.status = 'closed' \
         AND EXISTS (SELECT 1 FROM secrets s WHERE s.owner = 'case' AND s.owner_id = c.id AND s.sealed IS NOT NULL) \
         AND (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = c.id AND e.status = 'closed') <= ?1",
        [cutoff],
        |r| r.get(0),
    )
}

/// Secrets stored before they were sealed (migration 8): the plaintext app credentials of
/// `case_secrets` and the Connect Layer access of `cases`, as (case id, kind, plaintext, opener).
/// [`crate::maintenance::seal_legacy`] seals them and then [`forget_legacy`] removes the
/// plaintext.
pub fn legacy(conn: &Connection) -> Result<Vec<(i64, SecretKind, String, i64)>> {
    let mut out = conn.query_map(
        "SELECT s.case_id, s.app_username, s.app_password, c.opened_by FROM case_secrets s JOIN cases c ON c.id = s.case_id",
        (),
        |r| {
            let creds = portal_core::model::Credentials {
                username: r.get(1)?,
                password: r.get(2)?,
            };
            let json = serde_json::to_string(&creds).unwrap_or_default();
            Ok((r.get(0)?, SecretKind::AppCredentials, json, r.get(3)?))
        },
    )?;
    out.extend(conn.query_map(
        "SELECT id, connect_layer_access, opened_by FROM cases WHERE connect_layer_access <> ''",
        (),
        |r| Ok((r.get(0)?, SecretKind::ConnectLayer, r.get(1)?, r.get(2)?)),
    )?);
    Ok(out)
}

/// Removes the plaintext that [`legacy`] listed.
pub fn forget_legacy(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM case_secrets", ())?;
    conn.execute(
        "UPDATE cases SET connect_layer_access = '' WHERE connect_layer_access <> ''",
        (),
    )?;
    Ok(())
}
