//! Storage: embedded SQLite (WAL) by default, or PostgreSQL (`--db postgres://…`) for
//! deployments that run several API instances behind a load balancer. One schema, written for
//! SQLite and migrated by `PRAGMA user_version`; PostgreSQL gets the same migrations in its types
//! ([`postgres_migration`]), counted in `schema_version`. The queries the handlers need are here
//! and in the handlers, in SQL both databases run ([`crate::sql`]). Handlers call [`Db::call`],
//! which runs the closure on a blocking thread so the async workers never wait on the database.

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::sql::{params, Connection, Dialect, OptionalExtension, Row};
use chrono::{DateTime, SecondsFormat, Utc};

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
    // 7: failed sign-in attempts (per account and per address), shared by every API instance.
    r#"
    CREATE TABLE sign_in_failures (
        who TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX sign_in_failures_who ON sign_in_failures (who, at);
    CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
    "#,
];

/// What PostgreSQL's case search looks in: number, subject and description as one text, with a
/// separator nobody types between them (one trigram index serves it).
pub const POSTGRES_SEARCH_TEXT: &str = "number || chr(31) || subject || chr(31) || description";

/// PostgreSQL's version of migration `i` (from 0): SQLite's, in PostgreSQL's types — identity
/// columns, `BIGINT` for every integer (SQLite's are 64-bit), `BYTEA` for bytes — so the schema
/// is written once. Where PostgreSQL needs its own: a unique index on the lower-cased e-mail for
/// SQLite's `COLLATE NOCASE`, and trigram indexes (`pg_trgm`) for SQLite's FTS5 trigram table.
fn postgres_migration(i: usize, sqlite: &str) -> String {
    let types = || {
        sqlite
            .replace(
                "INTEGER PRIMARY KEY",
                "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            )
            .replace("INTEGER", "BIGINT")
            .replace("BLOB", "BYTEA")
            .replace(" UNIQUE COLLATE NOCASE", "")
    };
    match i {
        0 => types() + "CREATE UNIQUE INDEX users_email ON users (lower(email));",
        5 => format!(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
             CREATE INDEX cases_search ON cases USING gin (({POSTGRES_SEARCH_TEXT}) public.gin_trgm_ops);"
        ),
        _ => types(),
    }
}

/// The database handle shared by all handlers.
#[derive(Clone)]
pub struct Db {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    /// One connection, one writer at a time.
    Sqlite(Arc<Mutex<Connection>>),
    /// A pool of connections to a shared server.
    Postgres(Arc<PgPool>),
}

/// Idle PostgreSQL connections, reused by later calls; new ones are opened as needed.
struct PgPool {
    address: crate::pg_address::PgAddress,
    idle: Mutex<Vec<Connection>>,
}

/// Most idle PostgreSQL connections kept open.
const POOL_IDLE_MAX: usize = 16;

/// Formats an instant the way the database stores it (sortable text, UTC, milliseconds).
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses a stored instant.
pub fn parse_ts(s: &str) -> crate::sql::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| crate::sql::Error::Conversion(format!("instant {s:?}: {e}")))
}

fn bad_value(what: &str, v: &str) -> crate::sql::Error {
    crate::sql::Error::Conversion(format!("unknown {what} {v:?}"))
}

/// Parses a stored role.
pub fn parse_role(s: &str) -> crate::sql::Result<Role> {
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

/// Whether `db` names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

impl Db {
    /// Opens the database `db` names: a `postgres://…` URL, or the path of a SQLite file (created
    /// when missing). Applies pending migrations either way.
    pub fn connect(db: &str) -> ApiResult<Db> {
        if is_postgres_url(db) {
            Self::postgres(db, None)
        } else {
            Self::open(Path::new(db))
        }
    }

    /// Opens (or creates) a SQLite database file and applies pending migrations.
    pub fn open(path: &Path) -> ApiResult<Db> {
        let conn = rusqlite::Connection::open(path).map_err(crate::sql::Error::from)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(crate::sql::Error::from)?;
        Self::init_sqlite(conn)
    }

    /// An in-memory SQLite database.
    pub fn memory() -> ApiResult<Db> {
        Self::init_sqlite(rusqlite::Connection::open_in_memory().map_err(crate::sql::Error::from)?)
    }

    /// The database of one test: a fresh schema on the PostgreSQL server named by the
    /// environment variable `PORTAL_TEST_POSTGRES` when it is set (`cargo xtask test` runs the API
    /// suite both ways), else an in-memory SQLite database.
    pub fn for_tests() -> ApiResult<Db> {
        match std::env::var("PORTAL_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => {
                let schema = test_schema()?;
                Self::postgres(&url, Some(&schema))
            }
            _ => Self::memory(),
        }
    }

    /// Two handles on one fresh test database, as two API instances behind a load balancer have:
    /// on the PostgreSQL server of `PORTAL_TEST_POSTGRES`, each with a pool of its own. `None`
    /// without one: SQLite deployments run a single instance.
    pub fn for_tests_shared() -> ApiResult<Option<(Db, Db)>> {
        match std::env::var("PORTAL_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => {
                let schema = test_schema()?;
                Ok(Some((
                    Self::postgres(&url, Some(&schema))?,
                    Self::postgres(&url, Some(&schema))?,
                )))
            }
            _ => Ok(None),
        }
    }

    /// Connects to a PostgreSQL server and applies pending migrations; with `schema`, everything
    /// lives in that schema (created when missing), apart from the shared `pg_trgm` extension.
    ///
    /// The synchronous client runs a small runtime of its own, which must not start inside the
    /// caller's async runtime: the work happens on a thread of its own.
    pub fn postgres(url: &str, schema: Option<&str>) -> ApiResult<Db> {
        let (url, schema) = (url.to_string(), schema.map(str::to_string));
        std::thread::spawn(move || Self::postgres_here(&url, schema.as_deref()))
            .join()
            .map_err(|_| ApiError::Internal("connecting to PostgreSQL panicked".into()))?
    }

    fn postgres_here(url: &str, schema: Option<&str>) -> ApiResult<Db> {
        let mut address = crate::pg_address::parse(url).map_err(ApiError::Internal)?;
        if let Some(schema) = schema {
            if !schema
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                return Err(ApiError::Internal(format!("bad schema name {schema:?}")));
            }
            let mut admin = address
                .config
                .connect(address.tls.clone())
                .map_err(crate::sql::Error::from)?;
            admin
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .map_err(crate::sql::Error::from)?;
            address
                .config
                .options(&format!("-c search_path={schema},public"));
        }
        let pool = PgPool {
            address,
            idle: Mutex::new(Vec::new()),
        };
        let mut conn = pool.open()?;
        migrate_postgres(&mut conn)?;
        pool.put(conn);
        Ok(Db {
            backend: Backend::Postgres(Arc::new(pool)),
        })
    }

    fn init_sqlite(conn: rusqlite::Connection) -> ApiResult<Db> {
        let sqlite_err = crate::sql::Error::from;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite_err)?;
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sqlite_err)?;
        let mut conn = Connection::sqlite(conn);
        let tx = conn.transaction()?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        }
        tx.commit()?;
        Ok(Db {
            backend: Backend::Sqlite(Arc::new(Mutex::new(conn))),
        })
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs `f` with a connection on a blocking thread.
    pub async fn call<R, F>(&self, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    {
        let backend = self.backend.clone();
        let lang = crate::lang::current();
        tokio::task::spawn_blocking(move || match backend {
            Backend::Sqlite(conn) => {
                let mut guard = conn
                    .lock()
                    .map_err(|_| ApiError::Internal("database lock poisoned".into()))?;
                crate::lang::with(lang, || f(&mut guard))
            }
            Backend::Postgres(pool) => {
                let mut conn = pool.take()?;
                let result = crate::lang::with(lang, || f(&mut conn));
                pool.put(conn);
                result
            }
        })
        .await
        .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }
}

impl Drop for PgPool {
    /// Closes the idle connections on a thread of their own: each has a small runtime, which
    /// may not be dropped inside an async one.
    fn drop(&mut self) {
        let idle = self.idle.get_mut().map(std::mem::take).unwrap_or_default();
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

impl PgPool {
    fn open(&self) -> ApiResult<Connection> {
        let client = self
            .address
            .config
            .connect(self.address.tls.clone())
            .map_err(crate::sql::Error::from)?;
        Ok(Connection::postgres(client))
    }

    fn take(&self) -> ApiResult<Connection> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some(c) if c.is_usable() => Ok(c),
            _ => self.open(),
        }
    }

    fn put(&self, conn: Connection) {
        if !conn.is_usable() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < POOL_IDLE_MAX {
                idle.push(conn);
            }
        }
    }
}

/// A fresh schema name for one test's database.
fn test_schema() -> ApiResult<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(std::iter::once("t_".to_string())
        .chain(bytes.iter().map(|b| format!("{b:02x}")))
        .collect())
}

/// Applies pending PostgreSQL migrations, one instance at a time (an advisory lock), so API
/// instances starting together do not race.
fn migrate_postgres(conn: &mut Connection) -> ApiResult<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(
        "SELECT pg_advisory_xact_lock(7274001); \
         CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL); \
         INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);",
    )?;
    let version: usize = tx.query_row("SELECT version FROM schema_version", (), |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        tx.execute_batch(&postgres_migration(i, sql))?;
        tx.execute("UPDATE schema_version SET version = ?1", [i + 1])?;
    }
    tx.commit()?;
    Ok(())
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

const ACCOUNT_SQL: &str = "SELECT u.id AS account_id, u.email, u.name, u.role, i.id, i.name, i.region, i.has_connect_layer, \
     i.account_manager_name, i.account_manager_email FROM users u LEFT JOIN institutions i ON i.id = u.institution_id";

fn account_row(r: &Row) -> crate::sql::Result<Account> {
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
) -> crate::sql::Result<Option<(Account, String)>> {
    conn.query_row(
        &format!("SELECT a.*, u2.password_hash FROM ({ACCOUNT_SQL}) a JOIN users u2 ON u2.id = a.account_id WHERE lower(u2.email) = lower(?1)"),
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
) -> crate::sql::Result<Option<Account>> {
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
pub fn summary_row(r: &Row) -> crate::sql::Result<CaseSummary> {
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
pub fn timeline(conn: &Connection, case_id: i64) -> crate::sql::Result<Vec<TimelineEntry>> {
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
) -> crate::sql::Result<Vec<(Option<i64>, Attachment)>> {
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
pub fn case_attachments(conn: &Connection, case_id: i64) -> crate::sql::Result<Vec<Attachment>> {
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
) -> crate::sql::Result<i64> {
    conn.execute(
        "INSERT INTO case_events (case_id, at, author_id, kind, body, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![case_id, ts(now), author.id, entry_kind_str(kind), body, status.map(|s| s.as_str())],
    )?;
    let event_id = conn.last_insert_rowid()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_postgres_schema_is_sqlites_in_postgres_types() {
        let first = postgres_migration(0, MIGRATIONS[0]);
        assert!(first.contains("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
        assert!(first.contains("email TEXT NOT NULL,"));
        assert!(first.contains("ON users (lower(email))"));
        assert!(!first.contains("INTEGER") && !first.contains("NOCASE"));
        assert!(postgres_migration(3, MIGRATIONS[3]).contains("data BYTEA NOT NULL"));
        // SQLite's full-text table has no PostgreSQL twin: trigram indexes instead.
        assert!(MIGRATIONS[5].contains("fts5"));
        assert!(postgres_migration(5, MIGRATIONS[5]).contains("gin_trgm_ops"));
    }

    #[tokio::test]
    async fn postgres_connections_are_encrypted_and_the_certificate_checked() {
        // `cargo xtask test` runs the PostgreSQL pass over TLS (sslmode=verify-full, its test CA).
        let url = std::env::var("PORTAL_TEST_POSTGRES").unwrap_or_default();
        if !url.contains("sslmode=verify-full") {
            eprintln!(
                "needs PORTAL_TEST_POSTGRES with sslmode=verify-full (cargo xtask test sets it)"
            );
            return;
        }
        let db = Db::for_tests().expect("db");
        let encrypted: bool = db
            .call(|c| {
                Ok(c.query_row(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                    (),
                    |r| r.get(0),
                )?)
            })
            .await
            .expect("pg_stat_ssl");
        assert!(encrypted, "the connection is not encrypted");
        // Without the CA that signed the server's certificate, no connection: TLS is verified.
        let (base, query) = url.split_once('?').unwrap_or((&url, ""));
        let without_ca: Vec<&str> = query
            .split('&')
            .filter(|p| !p.starts_with("sslrootcert="))
            .collect();
        let err = Db::postgres(&format!("{base}?{}", without_ca.join("&")), None)
            .err()
            .map(|e| format!("{e:?}"))
            .unwrap_or_default();
        assert!(
            err.contains("certificate") || err.contains("UnknownIssuer"),
            "{err}"
        );
    }
}
