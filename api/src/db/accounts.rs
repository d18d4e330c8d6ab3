//! Institutions and users.

use super::sql::{params, Connection, OptionalExtension, Row};
use super::{stored, Result};
use portal_core::account::Membership;
use portal_core::model::{Contact, Institution, User};
use portal_core::Role;

/// A signed-in user as the handlers see them.
#[derive(Debug, Clone)]
pub struct Account {
    /// Row id.
    pub id: i64,
    /// Public view.
    pub user: User,
    /// Their institution (customers only).
    pub institution: Option<Institution>,
    /// What they may see and do in it (customers only).
    pub membership: Option<Membership>,
    /// Whether their institution deactivated them (they cannot sign in).
    pub deactivated: bool,
    /// Whether they turned on two-step sign-in.
    pub two_factor: bool,
    /// Whether this request's session was started (or confirmed) with the second step.
    pub second_factor_session: bool,
}

impl Account {
    /// The role.
    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Whether they see every case of their institution (members and administrators; support sees
    /// every institution's).
    pub fn sees_institution(&self) -> bool {
        self.membership.is_none_or(Membership::sees_institution)
    }

    /// Whether they manage people (their institution's administrators; agents any institution's).
    pub fn manages_people(&self) -> bool {
        portal_core::account::manages_people(self.role(), self.membership)
    }

    /// The institution's row id, for customers.
    pub fn institution_id(&self) -> Option<i64> {
        self.institution.as_ref().map(|i| i.id)
    }
}

const ACCOUNT_SQL: &str = "SELECT u.id, u.email, u.name, u.role, i.id, i.name, i.region, i.has_connect_layer, \
     i.account_manager_name, i.account_manager_email, u.password_hash, u.membership, u.deactivated_at, u.totp_enabled_at IS NOT NULL FROM users u LEFT JOIN institutions i ON i.id = u.institution_id";

/// Columns [`ACCOUNT_SQL`] selects.
const ACCOUNT_COLUMNS: usize = 14;

fn account_row(r: &Row) -> Result<Account> {
    let institution = match r.get::<_, Option<i64>>(4)? {
        Some(id) => Some(Institution {
            id,
            name: r.get(5)?,
            region: r.get(6)?,
            has_connect_layer: r.get(7)?,
            account_manager: Contact {
                name: r.get(8)?,
                email: r.get(9)?,
                phone: None,
            },
        }),
        None => None,
    };
    let role = stored("role", &r.get::<_, String>(3)?, Role::parse)?;
    let membership = match role {
        Role::Agent => None,
        Role::Customer => Some(stored(
            "membership",
            &r.get::<_, String>(11)?,
            Membership::parse,
        )?),
    };
    Ok(Account {
        id: r.get(0)?,
        user: User {
            email: r.get(1)?,
            name: r.get(2)?,
            role,
        },
        institution,
        membership,
        deactivated: r.get::<_, Option<String>>(12)?.is_some(),
        two_factor: r.get(13)?,
        second_factor_session: false,
    })
}

/// The account with this e-mail address (any case), with its password hash.
pub fn by_email(conn: &Connection, email: &str) -> Result<Option<(Account, String)>> {
    conn.query_row(
        &format!("{ACCOUNT_SQL} WHERE lower(u.email) = lower(?1)"),
        [email.trim()],
        |r| Ok((account_row(r)?, r.get(10)?)),
    )
    .optional()
}

/// The account of a user id.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Account>> {
    conn.query_row(&format!("{ACCOUNT_SQL} WHERE u.id = ?1"), [id], account_row)
        .optional()
}

/// The account behind a live session (by the hash of its token).
pub fn by_session(
    conn: &Connection,
    token_hash: &str,
    now: chrono::DateTime<chrono::Utc>,
    idle_since: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(Account, chrono::DateTime<chrono::Utc>)>> {
    let sql = ACCOUNT_SQL.replacen(
        " FROM users u",
        ", COALESCE(s.last_seen_at, s.created_at), s.second_factor FROM users u",
        1,
    );
    conn.query_row(
        &format!("{sql} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ?1 AND s.expires_at > ?2 \
                  AND u.deactivated_at IS NULL AND COALESCE(s.last_seen_at, s.created_at) > ?3"),
        params![token_hash, super::ts(now), super::ts(idle_since)],
        |r| {
            let seen = super::parse_ts(&r.get::<_, String>(ACCOUNT_COLUMNS)?)?;
            let mut account = account_row(r)?;
            account.second_factor_session = r.get::<_, i64>(ACCOUNT_COLUMNS + 1)? != 0;
            Ok((account, seen))
        },
    )
    .optional()
}

/// Whether an institution with this id exists.
pub fn institution_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM institutions WHERE id = ?1", [id], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
        .is_some())
}

/// Whether any user exists (an empty database gets the demo data).
pub fn any_user(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT COUNT(*) FROM users", (), |r| r.get::<_, i64>(0))? > 0)
}

/// A new institution.
pub struct NewInstitution<'a> {
    /// Name.
    pub name: &'a str,
    /// Support region id.
    pub region: &'a str,
    /// Runs a local Connect Layer.
    pub has_connect_layer: bool,
    /// Its account manager.
    pub account_manager: (&'a str, &'a str),
}

/// Adds an institution; answers its id.
pub fn insert_institution(conn: &Connection, i: &NewInstitution) -> Result<i64> {
    conn.query_row(
        "INSERT INTO institutions (name, region, has_connect_layer, account_manager_name, account_manager_email) \
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![i.name, i.region, i.has_connect_layer, i.account_manager.0, i.account_manager.1],
        |r| r.get(0),
    )
}

/// Adds a user with an argon2id password hash (customers with their `membership`); answers the
/// account.
pub fn insert_user(
    conn: &Connection,
    email: &str,
    name: &str,
    role: Role,
    institution_id: Option<i64>,
    membership: Membership,
    password_hash: &str,
) -> Result<Account> {
    let id: i64 = conn.query_row(
        "INSERT INTO users (email, name, role, institution_id, membership, password_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![email, name, role.as_str(), institution_id, membership.as_str(), password_hash],
        |r| r.get(0),
    )?;
    by_id(conn, id)?.ok_or(super::sql::Error::NoRows)
}

/// The support agents, by name.
pub fn agents(conn: &Connection) -> Result<Vec<User>> {
    conn.query_map(
        "SELECT email, name FROM users WHERE role = 'agent' AND email <> ?1 ORDER BY name",
        [SYSTEM_EMAIL],
        |r| {
            Ok(User {
                email: r.get(0)?,
                name: r.get(1)?,
                role: Role::Agent,
            })
        },
    )
}

/// The row id and name of the agent with this e-mail address.
pub fn agent_by_email(conn: &Connection, email: &str) -> Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT id, name FROM users WHERE role = 'agent' AND lower(email) = lower(?1) AND email <> ?2",
        params![email.trim(), SYSTEM_EMAIL],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Every institution, by name.
pub fn institutions(conn: &Connection) -> Result<Vec<portal_core::model::InstitutionRef>> {
    conn.query_map(
        "SELECT id, name, region FROM institutions ORDER BY name",
        (),
        |r| {
            Ok(portal_core::model::InstitutionRef {
                id: r.get(0)?,
                name: r.get(1)?,
                region: r.get(2)?,
            })
        },
    )
}

/// The address of the portal's own account, the author of what happens by itself (secrets
/// erased after a case closed). It cannot sign in: its password hash is no hash.
pub const SYSTEM_EMAIL: &str = "portal@system.invalid";

/// The portal's own account (made on first use).
pub fn system(conn: &Connection) -> Result<Account> {
    if let Some((a, _)) = by_email(conn, SYSTEM_EMAIL)? {
        return Ok(a);
    }
    insert_user(
        conn,
        SYSTEM_EMAIL,
        "Support portal",
        Role::Agent,
        None,
        Membership::Member,
        "!",
    )
}

/// Whether institution `id` runs a local Connect Layer.
pub fn has_connect_layer(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT has_connect_layer FROM institutions WHERE id = ?1",
            [id],
            |r| r.get::<_, bool>(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// A person's e-mail preferences.
pub fn preferences(conn: &Connection, user: i64) -> Result<portal_core::model::Preferences> {
    conn.query_row(
        "SELECT notify, lang FROM users WHERE id = ?1",
        [user],
        |r| {
            Ok(portal_core::model::Preferences {
                notify: stored(
                    "preference",
                    &r.get::<_, String>(0)?,
                    portal_core::notify::Preference::parse,
                )?,
                lang: portal_core::Lang::from_tag(&r.get::<_, String>(1)?).unwrap_or_default(),
            })
        },
    )
}

/// Keeps a person's e-mail preferences.
pub fn set_preferences(
    conn: &Connection,
    user: i64,
    p: &portal_core::model::Preferences,
) -> Result<()> {
    conn.execute(
        "UPDATE users SET notify = ?2, lang = ?3 WHERE id = ?1",
        params![user, p.notify.as_str(), p.lang.code()],
    )?;
    Ok(())
}

/// Notes that a person signed in now.
pub fn signed_in(conn: &Connection, user: i64, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    conn.execute(
        "UPDATE users SET last_sign_in_at = ?2 WHERE id = ?1",
        params![user, super::ts(now)],
    )?;
    Ok(())
}

/// Keeps the language a person reads (their e-mails follow the portal's language).
pub fn set_lang(conn: &Connection, user: i64, lang: portal_core::Lang) -> Result<()> {
    conn.execute(
        "UPDATE users SET lang = ?2 WHERE id = ?1 AND lang <> ?2",
        params![user, lang.code()],
    )?;
    Ok(())
}

/// The people of institution `id` (colleagues), by name.
pub fn colleagues(conn: &Connection, id: i64) -> Result<Vec<(i64, User)>> {
    conn.query_map(
        "SELECT id, email, name FROM users WHERE institution_id = ?1 AND role = 'customer' AND deactivated_at IS NULL ORDER BY name",
        [id],
        |r| {
            Ok((
                r.get(0)?,
                User {
                    email: r.get(1)?,
                    name: r.get(2)?,
                    role: Role::Customer,
                },
            ))
        },
    )
}
