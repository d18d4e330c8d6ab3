//! Storage: one embedded SQLite database (WAL), schema migrations by `PRAGMA user_version`, and the
//! queries the handlers need. Handlers call [`Db::call`], which runs the closure on a blocking
//! thread so the async workers never wait on disk.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{ApiError, ApiResult};
use portal_core::model::{
    Attachment, CaseSummary, Contact, EntryKind, Environment, Institution, Scenario, TimelineEntry,
    User,
};
use portal_core::{CaseStatus, Level, RequestKind, Role};

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: the walking skeleton.
    r#"
    CREATE TABLE institutions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        region TEXT NOT NULL,
        has_connect_layer INTEGER NOT NULL,
        account_manager_name TEXT NOT NULL,
        account_manager_email TEXT NOT NULL
    );
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
        institution_id INTEGER REFERENCES institutions(id),
        password_hash TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        number TEXT UNIQUE,
        institution_id INTEGER NOT NULL REFERENCES institutions(id),
        opened_by INTEGER NOT NULL REFERENCES users(id),
        kind TEXT NOT NULL,
        level TEXT NOT NULL,
        status TEXT NOT NULL,
        product_area TEXT NOT NULL,
        environment TEXT NOT NULL,
        subject TEXT NOT NULL,
        description TEXT NOT NULL,
        scenario_steps TEXT NOT NULL,
        scenario_expected TEXT NOT NULL,
        scenario_actual TEXT NOT NULL,
        frequency TEXT NOT NULL,
        connect_layer_access TEXT NOT NULL,
        articles_viewed TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        initial_response_due TEXT NOT NULL,
        first_response_at TEXT
    );
    CREATE INDEX cases_institution ON cases (institution_id, updated_at);
    -- Write-only secrets live apart, so no case query can select them by accident.
    CREATE TABLE case_secrets (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        app_username TEXT NOT NULL,
        app_password TEXT NOT NULL
    );
    CREATE TABLE case_events (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        author_id INTEGER NOT NULL REFERENCES users(id),
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT
    );
    CREATE INDEX case_events_case ON case_events (case_id, id);
    CREATE TABLE idempotency_keys (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, key)
    );
    "#,
    // 2: knowledge deflections and hand-offs to the Ideas Exchange and the account manager.
    r#"
    CREATE TABLE deflections (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        institution_id INTEGER REFERENCES institutions(id),
        article_id TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE routings (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        institution_id INTEGER NOT NULL REFERENCES institutions(id),
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE consultations (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        institution_id INTEGER NOT NULL REFERENCES institutions(id),
        what TEXT NOT NULL,
        desired_start TEXT NOT NULL,
        before_lead_time INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    "#,
    // 3: case lists filtered by status.
    r#"
    CREATE INDEX cases_institution_status ON cases (institution_id, status, updated_at);
    "#,
    // 4: attachments. The bytes live in the database (no file names from customers ever reach the
    // file system); an upload belongs to its uploader until it is sent with a case or an update.
    r#"
    CREATE TABLE uploads (
        id INTEGER PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL,
        case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
        event_id INTEGER REFERENCES case_events(id) ON DELETE CASCADE
    );
    CREATE INDEX uploads_case ON uploads (case_id, id);
    "#,
    // 5: service announcements (the banner): for everyone, or for one institution.
    r#"
    CREATE TABLE announcements (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        case_number TEXT,
        institution_id INTEGER REFERENCES institutions(id) ON DELETE CASCADE,
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT,
        withdrawn_at TEXT
    );
    "#,
    // 6: search by any three or more characters of a case's number, subject or description
    // without scanning every case (FTS5 trigram index, kept in step by triggers).
    r#"
    CREATE VIRTUAL TABLE cases_search USING fts5(
        number, subject, description, content='cases', content_rowid='id', tokenize='trigram'
    );
    INSERT INTO cases_search (rowid, number, subject, description)
        SELECT id, number, subject, description FROM cases;
    CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
        INSERT INTO cases_search (rowid, number, subject, description)
            VALUES (new.id, new.number, new.subject, new.description);
    END;
    CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
        INSERT INTO cases_search (cases_search, rowid, number, subject, description)
            VALUES ('delete', old.id, old.number, old.subject, old.description);
    END;
    CREATE TRIGGER cases_search_update AFTER UPDATE OF number, subject, description ON cases BEGIN
        INSERT INTO cases_search (cases_search, rowid, number, subject, description)
            VALUES ('delete', old.id, old.number, old.subject, old.description);
        INSERT INTO cases_search (rowid, number, subject, description)
            VALUES (new.id, new.number, new.subject, new.description);
    END;
    "#,
];

/// The database handle shared by all handlers.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

/// Formats an instant the way the database stores it (sortable text, UTC, milliseconds).
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses a stored instant.
pub fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

fn bad_value(what: &str, v: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unknown {what} {v:?}").into(),
    )
}

/// Parses a stored role.
pub fn parse_role(s: &str) -> rusqlite::Result<Role> {
    match s {
        "customer" => Ok(Role::Customer),
        "agent" => Ok(Role::Agent),
        _ => Err(bad_value("role", s)),
    }
}

/// The stored name of a role.
pub fn role_str(r: Role) -> &'static str {
    match r {
        Role::Customer => "customer",
        Role::Agent => "agent",
    }
}

impl Db {
    /// Opens (or creates) the database file and applies pending migrations.
    pub fn open(path: &Path) -> ApiResult<Db> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::init(conn)
    }

    /// An in-memory database (tests).
    pub fn memory() -> ApiResult<Db> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> ApiResult<Db> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tx = conn.transaction()?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
        }
        tx.commit()?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on a blocking thread.
    pub async fn call<R, F>(&self, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    {
        let conn = self.conn.clone();
        let lang = crate::lang::current();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| ApiError::Internal("database lock poisoned".into()))?;
            crate::lang::with(lang, || f(&mut guard))
        })
        .await
        .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }
}

/// A signed-in user as the handlers see them.
#[derive(Debug, Clone)]
pub struct Account {
    /// Row id.
    pub id: i64,
    /// Public view.
    pub user: User,
    /// Their institution (customers only).
    pub institution: Option<Institution>,
}

impl Account {
    /// The role.
    pub fn role(&self) -> Role {
        self.user.role
    }
}

const ACCOUNT_SQL: &str = "SELECT u.id, u.email, u.name, u.role, i.id, i.name, i.region, i.has_connect_layer, \
     i.account_manager_name, i.account_manager_email FROM users u LEFT JOIN institutions i ON i.id = u.institution_id";

fn account_row(r: &Row) -> rusqlite::Result<Account> {
    let role = parse_role(&r.get::<_, String>(3)?)?;
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
    Ok(Account {
        id: r.get(0)?,
        user: User {
            email: r.get(1)?,
            name: r.get(2)?,
            role,
        },
        institution,
    })
}

/// Looks up an account and its password hash by e-mail.
pub fn account_by_email(
    conn: &Connection,
    email: &str,
) -> rusqlite::Result<Option<(Account, String)>> {
    conn.query_row(
        &format!("SELECT a.*, u2.password_hash FROM ({ACCOUNT_SQL}) a JOIN users u2 ON u2.id = a.id WHERE u2.email = ?1"),
        [email.trim()],
        |r| Ok((account_row(r)?, r.get(10)?)),
    )
    .optional()
}

/// Looks up the account of a live session.
pub fn account_by_session(
    conn: &Connection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        &format!("{ACCOUNT_SQL} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ?1 AND s.expires_at > ?2"),
        params![token_hash, ts(now)],
        account_row,
    )
    .optional()
}

/// Columns of a case summary, in [`summary_row`]'s order.
pub const SUMMARY_COLUMNS: &str =
    "c.number, c.subject, c.kind, c.level, c.status, i.name, u.name, c.opened_at, \
     c.updated_at, c.initial_response_due, c.first_response_at";

/// `FROM` clause that goes with [`SUMMARY_COLUMNS`].
pub const SUMMARY_FROM: &str = "FROM cases c JOIN institutions i ON i.id = c.institution_id JOIN users u ON u.id = c.opened_by";

/// Reads a case summary from a row selected with [`SUMMARY_COLUMNS`] (starting at column 0).
pub fn summary_row(r: &Row) -> rusqlite::Result<CaseSummary> {
    let kind: String = r.get(2)?;
    let level: String = r.get(3)?;
    let status: String = r.get(4)?;
    Ok(CaseSummary {
        number: r.get(0)?,
        subject: r.get(1)?,
        kind: RequestKind::parse(&kind).ok_or_else(|| bad_value("kind", &kind))?,
        level: Level::parse(&level).ok_or_else(|| bad_value("level", &level))?,
        status: CaseStatus::parse(&status).ok_or_else(|| bad_value("status", &status))?,
        institution: r.get(5)?,
        opened_by: r.get(6)?,
        opened_at: parse_ts(&r.get::<_, String>(7)?)?,
        updated_at: parse_ts(&r.get::<_, String>(8)?)?,
        initial_response_due: parse_ts(&r.get::<_, String>(9)?)?,
        first_response_at: r
            .get::<_, Option<String>>(10)?
            .map(|s| parse_ts(&s))
            .transpose()?,
    })
}

/// The stored name of an environment.
pub fn parse_environment(s: &str) -> Environment {
    if s == "sandbox" {
        Environment::Sandbox
    } else {
        Environment::Production
    }
}

/// Reads a scenario from three columns.
pub fn scenario(steps: String, expected: String, actual: String) -> Scenario {
    Scenario {
        steps,
        expected,
        actual,
    }
}

/// The timeline of a case, oldest first, each update with its attachments.
pub fn timeline(conn: &Connection, case_id: i64) -> rusqlite::Result<Vec<TimelineEntry>> {
    let files = attachments(conn, case_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT e.at, u.name, u.role, e.kind, e.body, e.status, e.id FROM case_events e JOIN users u ON u.id = e.author_id \
         WHERE e.case_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        let kind: String = r.get(3)?;
        let status: Option<String> = r.get(5)?;
        let event_id: i64 = r.get(6)?;
        Ok((
            event_id,
            TimelineEntry {
                at: parse_ts(&r.get::<_, String>(0)?)?,
                author: r.get(1)?,
                author_role: parse_role(&r.get::<_, String>(2)?)?,
                kind: match kind.as_str() {
                    "comment" => EntryKind::Comment,
                    "solution" => EntryKind::Solution,
                    "status" => EntryKind::Status,
                    other => return Err(bad_value("event kind", other)),
                },
                body: r.get(4)?,
                status: status.as_deref().and_then(CaseStatus::parse),
                attachments: Vec::new(),
            },
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (event_id, mut entry) = row?;
        entry.attachments = files
            .iter()
            .filter(|(e, _)| *e == Some(event_id))
            .map(|(_, a)| a.clone())
            .collect();
        entries.push(entry);
    }
    Ok(entries)
}

/// Every file sent with a case, as (update it came with, file); `None` for the files sent when
/// the case was opened.
pub fn attachments(
    conn: &Connection,
    case_id: i64,
) -> rusqlite::Result<Vec<(Option<i64>, Attachment)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT event_id, public_id, name, content_type, size FROM uploads WHERE case_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get(0)?,
            Attachment {
                id: r.get(1)?,
                name: r.get(2)?,
                content_type: r.get(3)?,
                size: r.get::<_, i64>(4)?.try_into().unwrap_or(0),
            },
        ))
    })?;
    rows.collect()
}

/// The files sent when the case was opened.
pub fn case_attachments(conn: &Connection, case_id: i64) -> rusqlite::Result<Vec<Attachment>> {
    Ok(attachments(conn, case_id)?
        .into_iter()
        .filter(|(e, _)| e.is_none())
        .map(|(_, a)| a)
        .collect())
}

/// Sends the account's uploads `ids` with a case (and an update of it, `event_id`). An id that is
/// not the account's, or was already sent, is a 422 on `attachments`: nobody attaches someone
/// else's file, and a file belongs to one case.
pub fn link_uploads(
    conn: &Connection,
    account: &Account,
    ids: &[String],
    case_id: i64,
    event_id: Option<i64>,
) -> ApiResult<()> {
    let mut seen = std::collections::HashSet::new();
    for id in ids.iter().filter(|id| seen.insert(id.as_str())) {
        let n = conn.execute(
            "UPDATE uploads SET case_id = ?1, event_id = ?2 WHERE public_id = ?3 AND user_id = ?4 AND case_id IS NULL",
            params![case_id, event_id, id, account.id],
        )?;
        if n != 1 {
            return Err(ApiError::field(
                "attachments",
                "One of the attachments is no longer available (it was removed, or already sent with another case). Remove it and attach the file again.",
            ));
        }
    }
    Ok(())
}

/// Stored name of an entry kind.
pub fn entry_kind_str(k: EntryKind) -> &'static str {
    match k {
        EntryKind::Comment => "comment",
        EntryKind::Status => "status",
        EntryKind::Solution => "solution",
    }
}

/// Appends an event to a case's timeline and touches `updated_at`; an agent's first comment or
/// solution records the first response. Answers the event's id.
pub fn add_event(
    conn: &Connection,
    case_id: i64,
    author: &Account,
    kind: EntryKind,
    body: &str,
    status: Option<CaseStatus>,
    now: DateTime<Utc>,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO case_events (case_id, at, author_id, kind, body, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![case_id, ts(now), author.id, entry_kind_str(kind), body, status.map(|s| s.as_str())],
    )?;
    let event_id = conn.last_insert_rowid();
    conn.execute(
        "UPDATE cases SET updated_at = ?2 WHERE id = ?1",
        params![case_id, ts(now)],
    )?;
    if let Some(s) = status {
        conn.execute(
            "UPDATE cases SET status = ?2 WHERE id = ?1",
            params![case_id, s.as_str()],
        )?;
    }
    if author.role() == Role::Agent && kind != EntryKind::Status {
        conn.execute(
            "UPDATE cases SET first_response_at = ?2 WHERE id = ?1 AND first_response_at IS NULL",
            params![case_id, ts(now)],
        )?;
    }
    Ok(event_id)
}
