//! The people of an institution as its administrators manage them: memberships, deactivation,
//! invitations and password resets. Invitation and reset links carry a random token; the database
//! keeps only its SHA-256 (like sessions), so a copy of the database opens no account.

use chrono::{DateTime, Utc};
use portal_core::account::Membership;
use portal_core::model::{Invitation, InvitationOffer, Person};

use super::sql::{params, Connection, OptionalExtension};
use super::{parse_ts, parse_ts_opt, stored, ts, Result};

/// The customers of institution `inst`, active first then by name; `me` is marked.
pub fn of_institution(conn: &Connection, inst: i64, me: i64) -> Result<Vec<Person>> {
    conn.query_map(
        "SELECT id, email, name, membership, deactivated_at IS NULL, last_sign_in_at FROM users \
         WHERE institution_id = ?1 AND role = 'customer' ORDER BY deactivated_at IS NULL DESC, lower(name), id",
        [inst],
        |r| {
            let id: i64 = r.get(0)?;
            Ok(Person {
                id,
                email: r.get(1)?,
                name: r.get(2)?,
                membership: stored("membership", &r.get::<_, String>(3)?, Membership::parse)?,
                active: r.get(4)?,
                last_sign_in_at: parse_ts_opt(r.get(5)?)?,
                you: id == me,
            })
        },
    )
}

/// A customer's institution, membership and whether they are active.
pub fn standing(conn: &Connection, user: i64) -> Result<Option<(i64, Membership, bool)>> {
    conn.query_row(
        "SELECT institution_id, membership, deactivated_at IS NULL FROM users \
         WHERE id = ?1 AND role = 'customer' AND institution_id IS NOT NULL",
        [user],
        |r| {
            Ok((
                r.get(0)?,
                stored("membership", &r.get::<_, String>(1)?, Membership::parse)?,
                r.get(2)?,
            ))
        },
    )
    .optional()
}

/// How many active administrators institution `inst` has.
pub fn active_admins(conn: &Connection, inst: i64) -> Result<usize> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM users WHERE institution_id = ?1 AND role = 'customer' \
         AND membership = 'admin' AND deactivated_at IS NULL",
        [inst],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Sets a person's membership.
pub fn set_membership(conn: &Connection, user: i64, m: Membership) -> Result<()> {
    conn.execute(
        "UPDATE users SET membership = ?2 WHERE id = ?1",
        params![user, m.as_str()],
    )?;
    Ok(())
}

/// Deactivates a person (every session of theirs ends at once) or reactivates them.
pub fn set_active(conn: &Connection, user: i64, active: bool, now: DateTime<Utc>) -> Result<()> {
    if active {
        conn.execute(
            "UPDATE users SET deactivated_at = NULL WHERE id = ?1",
            [user],
        )?;
    } else {
        conn.execute(
            "UPDATE users SET deactivated_at = ?2 WHERE id = ?1 AND deactivated_at IS NULL",
            params![user, ts(now)],
        )?;
        conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user])?;
        conn.execute("DELETE FROM password_resets WHERE user_id = ?1", [user])?;
    }
    Ok(())
}

/// Whether an account with this e-mail address exists (any case).
pub fn email_taken(conn: &Connection, email: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM users WHERE lower(email) = lower(?1)",
            [email.trim()],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .is_some())
}

const INVITATION_SQL: &str = "SELECT v.id, v.email, v.membership, u.name, v.sent_at, v.expires_at \
     FROM invitations v JOIN users u ON u.id = v.invited_by";

fn invitation_row(r: &super::sql::Row) -> Result<Invitation> {
    Ok(Invitation {
        id: r.get(0)?,
        email: r.get(1)?,
        membership: stored("membership", &r.get::<_, String>(2)?, Membership::parse)?,
        invited_by: r.get(3)?,
        sent_at: parse_ts(&r.get::<_, String>(4)?)?,
        expires_at: parse_ts(&r.get::<_, String>(5)?)?,
    })
}

/// The pending invitations of institution `inst` (not accepted, revoked or expired), newest first.
pub fn pending(conn: &Connection, inst: i64, now: DateTime<Utc>) -> Result<Vec<Invitation>> {
    conn.query_map(
        &format!(
            "{INVITATION_SQL} WHERE v.institution_id = ?1 AND v.accepted_at IS NULL AND v.revoked_at IS NULL \
             AND v.expires_at > ?2 ORDER BY v.sent_at DESC, v.id DESC"
        ),
        params![inst, ts(now)],
        invitation_row,
    )
}

/// The pending invitation `id` of institution `inst`.
pub fn pending_one(
    conn: &Connection,
    inst: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Invitation>> {
    conn.query_row(
        &format!(
            "{INVITATION_SQL} WHERE v.institution_id = ?1 AND v.id = ?2 AND v.accepted_at IS NULL \
             AND v.revoked_at IS NULL AND v.expires_at > ?3"
        ),
        params![inst, id, ts(now)],
        invitation_row,
    )
    .optional()
}

/// The pending invitation of institution `inst` for `email`, if one is out.
pub fn pending_for(
    conn: &Connection,
    inst: i64,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Option<Invitation>> {
    conn.query_row(
        &format!(
            "{INVITATION_SQL} WHERE v.institution_id = ?1 AND lower(v.email) = lower(?2) AND v.accepted_at IS NULL \
             AND v.revoked_at IS NULL AND v.expires_at > ?3 ORDER BY v.id DESC LIMIT 1"
        ),
        params![inst, email.trim(), ts(now)],
        invitation_row,
    )
    .optional()
}

/// A new invitation; answers its id.
#[allow(clippy::too_many_arguments)]
pub fn invite(
    conn: &Connection,
    inst: i64,
    email: &str,
    membership: Membership,
    token_hash: &str,
    by: i64,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<i64> {
    conn.query_row(
        "INSERT INTO invitations (institution_id, email, membership, token_hash, invited_by, sent_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![inst, email.trim(), membership.as_str(), token_hash, by, ts(now), ts(expires)],
        |r| r.get(0),
    )
}

/// Gives invitation `id` a new token and expiry (the old link stops working), sent by `by` now,
/// with `membership`.
pub fn renew(
    conn: &Connection,
    id: i64,
    membership: Membership,
    token_hash: &str,
    by: i64,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE invitations SET token_hash = ?2, invited_by = ?3, sent_at = ?4, expires_at = ?5, membership = ?6 WHERE id = ?1",
        params![id, token_hash, by, ts(now), ts(expires), membership.as_str()],
    )?;
    Ok(())
}

/// Revokes invitation `id`.
pub fn revoke(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE invitations SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, ts(now)],
    )?;
    Ok(())
}

/// What an invitation link holds, however it stands.
pub struct Found {
    /// Row id.
    pub id: i64,
    /// Its institution's row id.
    pub institution_id: i64,
    /// What the link offers.
    pub offer: InvitationOffer,
    /// Accepted already.
    pub accepted: bool,
    /// Revoked by an administrator.
    pub revoked: bool,
}

/// The invitation whose token hashes to `token_hash`.
pub fn by_token(conn: &Connection, token_hash: &str) -> Result<Option<Found>> {
    conn.query_row(
        "SELECT v.id, v.institution_id, v.email, i.name, v.membership, u.name, v.expires_at, \
         v.accepted_at IS NOT NULL, v.revoked_at IS NOT NULL \
         FROM invitations v JOIN institutions i ON i.id = v.institution_id JOIN users u ON u.id = v.invited_by \
         WHERE v.token_hash = ?1",
        [token_hash],
        |r| {
            Ok(Found {
                id: r.get(0)?,
                institution_id: r.get(1)?,
                offer: InvitationOffer {
                    email: r.get(2)?,
                    institution: r.get(3)?,
                    membership: stored("membership", &r.get::<_, String>(4)?, Membership::parse)?,
                    invited_by: r.get(5)?,
                    expires_at: parse_ts(&r.get::<_, String>(6)?)?,
                },
                accepted: r.get(7)?,
                revoked: r.get(8)?,
            })
        },
    )
    .optional()
}

/// Marks invitation `id` accepted (once: answers whether this call did it).
pub fn accept(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE invitations SET accepted_at = ?2 WHERE id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL",
        params![id, ts(now)],
    )? == 1)
}

/// A new password-reset token for `user` (earlier unused ones stop working).
pub fn reset_create(
    conn: &Connection,
    user: i64,
    token_hash: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "DELETE FROM password_resets WHERE user_id = ?1 OR expires_at <= ?2",
        params![user, ts(now)],
    )?;
    conn.execute(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, user, ts(now), ts(expires)],
    )?;
    Ok(())
}

/// How a reset link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetState {
    /// Usable, for this user.
    Usable(i64),
    /// Used already.
    Used,
    /// Past its hour.
    Expired,
    /// No such link (or replaced by a newer one).
    Unknown,
}

/// The state of the reset link whose token hashes to `token_hash`.
pub fn reset_state(conn: &Connection, token_hash: &str, now: DateTime<Utc>) -> Result<ResetState> {
    let row: Option<(i64, String, Option<String>)> = conn
        .query_row(
            "SELECT r.user_id, r.expires_at, r.used_at FROM password_resets r JOIN users u ON u.id = r.user_id \
             WHERE r.token_hash = ?1 AND u.deactivated_at IS NULL",
            [token_hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        None => ResetState::Unknown,
        Some((_, _, Some(_))) => ResetState::Used,
        Some((_, expires, None)) if parse_ts(&expires)? <= now => ResetState::Expired,
        Some((user, _, None)) => ResetState::Usable(user),
    })
}

/// Uses the reset link (once: answers whether this call did).
pub fn reset_use(conn: &Connection, token_hash: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE password_resets SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
        params![token_hash, ts(now)],
    )? == 1)
}

/// Sets a person's password hash; unused reset links stop working; with `end_sessions`, ends their
/// sessions except the one whose token hashes to it (empty: every one).
pub fn set_password(
    conn: &Connection,
    user: i64,
    hash: &str,
    end_sessions: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user, hash],
    )?;
    conn.execute(
        "DELETE FROM password_resets WHERE user_id = ?1 AND used_at IS NULL",
        [user],
    )?;
    if let Some(keep) = end_sessions {
        conn.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2",
            params![user, keep],
        )?;
    }
    Ok(())
}

/// The password hash of a user.
pub fn password_hash(conn: &Connection, user: i64) -> Result<String> {
    conn.query_row(
        "SELECT password_hash FROM users WHERE id = ?1",
        [user],
        |r| r.get(0),
    )
}
