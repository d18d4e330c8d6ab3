//! The storage layer: every SQL statement of the API lives in this module; handlers in
//! `routes/` call its typed functions (`db::cases::list(conn, &query, &viewer)`) and speak HTTP.
//!
//! | module | what it stores |
//! |---|---|
//! | [`schema`] | migrations (`migrations/*.sql`), for SQLite and PostgreSQL |
//! | [`pool`] | connections: PostgreSQL's bounded pool, SQLite's writer and readers |
//! | [`sql`] | one SQL interface over both databases |
//! | [`accounts`] | institutions and users |
//! | [`sessions`] | sessions and the sign-in rate limit |
//! | [`cases`] | cases, their timeline, the list and the overview |
//! | [`uploads`] | attachments |
//! | [`secrets`] | sealed app credentials and Connect Layer access (cases, access profiles) |
//! | [`announcements`] | the service banner |
//! | [`handoffs`] | Ideas Exchange hand-offs, consultations, knowledge deflections |
//! | [`idempotency`] | Idempotency-Key records and the claim → work → complete sequence |
//!
//! Storage is embedded SQLite (WAL) by default, or PostgreSQL (`--db postgres://…`) for
//! deployments that run several API instances behind a load balancer. [`Db::call`] runs a closure
//! with a connection that may write, [`Db::read`] with one that reads, each on a blocking thread so
//! the async workers never wait on the database.

pub mod accounts;
pub mod announcements;
pub mod cases;
pub mod followers;
pub mod handoffs;
pub mod idempotency;
pub mod outbox;
pub mod people;
pub mod pg_address;
pub mod pool;
pub mod ratings;
pub mod schema;
pub mod secrets;
pub mod sessions;
pub mod sql;
pub mod sso;
pub mod two_factor;
pub mod uploads;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};

pub use accounts::Account;
pub use pool::PoolSettings;
pub(crate) use sql::Result;
use sql::{Connection, Dialect};

use crate::error::{ApiError, ApiResult};

/// Formats an instant the way the database stores it (sortable text, UTC, milliseconds).
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses a stored instant.
pub fn parse_ts(s: &str) -> sql::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| sql::Error::Conversion(format!("instant {s:?}: {e}")))
}

/// Parses a stored optional instant.
pub fn parse_ts_opt(s: Option<String>) -> sql::Result<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

/// A stored name that is not one of the known values: bad data, an error (never a silent default).
pub(crate) fn bad_value(what: &str, v: &str) -> sql::Error {
    sql::Error::Conversion(format!("unknown {what} {v:?}"))
}

/// Parses a stored name with `parse` (core's parser of that type).
pub(crate) fn stored<T>(
    what: &str,
    v: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> sql::Result<T> {
    parse(v).ok_or_else(|| bad_value(what, v))
}

/// Asks the database for an answer (the health check).
pub fn ping(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT 1", (), |r| r.get::<_, i64>(0))?;
    Ok(())
}

/// Whether `db` names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The database handle shared by all handlers.
#[derive(Clone)]
pub struct Db {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Sqlite(Arc<SqliteDb>),
    Postgres(Arc<PgPool>),
}

/// SQLite: one writer, and readers when the database is a file.
struct SqliteDb {
    writer: Mutex<Connection>,
    readers: Option<r2d2::Pool<pool::SqliteReaders>>,
    /// A test's database file, deleted with the handle.
    temporary: Option<PathBuf>,
}

impl Drop for SqliteDb {
    fn drop(&mut self) {
        if let Some(path) = &self.temporary {
            self.readers = None;
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

/// PostgreSQL's pool. Dropped on a thread of its own: each connection has a small runtime, which
/// may not be dropped inside an async one.
struct PgPool(Option<r2d2::Pool<pool::PgManager>>);

impl Drop for PgPool {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::thread::spawn(move || drop(p)).join();
        }
    }
}

impl Db {
    /// Opens the database `db` names: a `postgres://…` URL, or the path of a SQLite file (created
    /// when missing). Applies pending migrations either way.
    pub fn connect(db: &str, settings: PoolSettings) -> ApiResult<Db> {
        if is_postgres_url(db) {
            Self::postgres(db, None, settings)
        } else {
            Self::open(Path::new(db))
        }
    }

    /// Opens (or creates) a SQLite database file in WAL mode, applies pending migrations, and
    /// opens its readers.
    pub fn open(path: &Path) -> ApiResult<Db> {
        Self::open_file(path, None)
    }

    fn open_file(path: &Path, temporary: Option<PathBuf>) -> ApiResult<Db> {
        let conn = rusqlite::Connection::open(path).map_err(sql::Error::from)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql::Error::from)?;
        let writer = Self::init_sqlite(conn)?;
        Ok(Db {
            backend: Backend::Sqlite(Arc::new(SqliteDb {
                writer: Mutex::new(writer),
                readers: Some(pool::sqlite_readers(path)?),
                temporary,
            })),
        })
    }

    /// An in-memory SQLite database (one connection: no readers).
    pub fn memory() -> ApiResult<Db> {
        let writer =
            Self::init_sqlite(rusqlite::Connection::open_in_memory().map_err(sql::Error::from)?)?;
        Ok(Db {
            backend: Backend::Sqlite(Arc::new(SqliteDb {
                writer: Mutex::new(writer),
                readers: None,
                temporary: None,
            })),
        })
    }

    /// The database of one test: a fresh schema on the PostgreSQL server named by the
    /// environment variable `PORTAL_TEST_POSTGRES` when it is set (`cargo xtask test` runs the API
    /// suite both ways), else a SQLite file of its own (writer and readers, as deployed), deleted
    /// when the handle goes.
    pub fn for_tests() -> ApiResult<Db> {
        Self::for_tests_with(PoolSettings::default())
    }

    /// [`Db::for_tests`] with a pool of the given bounds (PostgreSQL).
    pub fn for_tests_with(settings: PoolSettings) -> ApiResult<Db> {
        match test_postgres() {
            Some(url) => Self::postgres(&url, Some(&random_name("t_")?), settings),
            None => {
                let path = std::env::temp_dir().join(random_name("portal-test-")? + ".sqlite");
                Self::open_file(&path, Some(path.clone()))
            }
        }
    }

    /// Two handles on one fresh test database, as two API instances behind a load balancer have:
    /// on the PostgreSQL server of `PORTAL_TEST_POSTGRES`, each with a pool of its own.
    pub fn for_tests_shared() -> ApiResult<(Db, Db)> {
        let url = test_postgres().ok_or_else(|| {
            ApiError::Internal("set PORTAL_TEST_POSTGRES (cargo xtask postgres does)".into())
        })?;
        let schema = random_name("t_")?;
        Ok((
            Self::postgres(&url, Some(&schema), PoolSettings::default())?,
            Self::postgres(&url, Some(&schema), PoolSettings::default())?,
        ))
    }

    /// Connects to a PostgreSQL server and applies pending migrations; with `schema`, everything
    /// lives in that schema (created when missing), apart from the shared `pg_trgm` extension.
    ///
    /// The synchronous client runs a small runtime of its own, which must not start inside the
    /// caller's async runtime: the work happens on a thread of its own.
    pub fn postgres(url: &str, schema: Option<&str>, settings: PoolSettings) -> ApiResult<Db> {
        let (url, schema) = (url.to_string(), schema.map(str::to_string));
        std::thread::spawn(move || Self::postgres_here(&url, schema.as_deref(), settings))
            .join()
            .map_err(|_| ApiError::Internal("connecting to PostgreSQL panicked".into()))?
    }

    fn postgres_here(url: &str, schema: Option<&str>, settings: PoolSettings) -> ApiResult<Db> {
        let mut address = pg_address::parse(url).map_err(ApiError::Internal)?;
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
                .map_err(sql::Error::from)?;
            admin
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .map_err(sql::Error::from)?;
            address
                .config
                .options(&format!("-c search_path={schema},public"));
        }
        // Names this pool's connections in pg_stat_activity (a test's: by its schema).
        address
            .config
            .application_name(format!("portal-api {}", schema.unwrap_or("")).trim_end());
        // The first connection, opened directly, says why when the server cannot be reached
        // (the pool would only time out).
        let mut first = Connection::postgres(
            address
                .config
                .connect(address.tls.clone())
                .map_err(sql::Error::from)?,
        );
        schema::migrate_postgres(&mut first)?;
        drop(first);
        let pool = pool::postgres(address, settings)?;
        Ok(Db {
            backend: Backend::Postgres(Arc::new(PgPool(Some(pool)))),
        })
    }

    fn init_sqlite(conn: rusqlite::Connection) -> ApiResult<Connection> {
        let e = sql::Error::from;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(e)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(e)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(e)?;
        let mut conn = Connection::sqlite(conn);
        schema::migrate_sqlite(&mut conn)?;
        Ok(conn)
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The most connections this handle opens to the database server (PostgreSQL), and how many
    /// are open now.
    pub fn pool_size(&self) -> Option<(u32, u32)> {
        match &self.backend {
            Backend::Postgres(p) => p.0.as_ref().map(|p| (p.max_size(), p.state().connections)),
            Backend::Sqlite(_) => None,
        }
    }

    /// Runs `f` with a connection that may write, on a blocking thread.
    pub async fn call<R, F>(&self, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    {
        self.run(f, false).await
    }

    /// Runs `f` with a connection for reading (SQLite: a read-only one beside the writer, so
    /// reading never waits for writing), on a blocking thread.
    pub async fn read<R, F>(&self, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    {
        self.run(f, true).await
    }

    async fn run<R, F>(&self, f: F, read_only: bool) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    {
        let backend = self.backend.clone();
        let lang = crate::lang::current();
        tokio::task::spawn_blocking(move || {
            crate::lang::with(lang, || match &backend {
                Backend::Sqlite(db) => match (&db.readers, read_only) {
                    (Some(readers), true) => {
                        let mut conn = readers.get().map_err(|e| pool::unavailable(readers, e))?;
                        f(&mut conn)
                    }
                    _ => {
                        let mut conn = db
                            .writer
                            .lock()
                            .map_err(|_| ApiError::Internal("database lock poisoned".into()))?;
                        f(&mut conn)
                    }
                },
                Backend::Postgres(p) => {
                    let Some(pool) = p.0.as_ref() else {
                        return Err(ApiError::Internal("the pool is closed".into()));
                    };
                    let mut conn = pool.get().map_err(|e| pool::unavailable(pool, e))?;
                    f(&mut conn)
                }
            })
        })
        .await
        .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }
}

/// The PostgreSQL server the tests use, when `PORTAL_TEST_POSTGRES` names one.
pub fn test_postgres() -> Option<String> {
    std::env::var("PORTAL_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// `prefix` followed by 16 random hex digits.
fn random_name(prefix: &str) -> ApiResult<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(std::iter::once(prefix.to_string())
        .chain(bytes.iter().map(|b| format!("{b:02x}")))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PostgreSQL only: `cargo xtask test` runs it in its PostgreSQL pass (over TLS).
    #[tokio::test]
    #[ignore = "needs PORTAL_TEST_POSTGRES with sslmode=verify-full (the PostgreSQL pass)"]
    async fn postgres_connections_are_encrypted_and_the_certificate_checked() {
        let url = test_postgres().expect("PORTAL_TEST_POSTGRES");
        assert!(url.contains("sslmode=verify-full"), "{url}");
        let db = Db::for_tests().expect("db");
        let encrypted: bool = db
            .read(|c| {
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
        let err = Db::postgres(
            &format!("{base}?{}", without_ca.join("&")),
            None,
            PoolSettings::default(),
        )
        .err()
        .map(|e| format!("{e:?}"))
        .unwrap_or_default();
        assert!(
            err.contains("certificate") || err.contains("UnknownIssuer"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn sqlite_readers_see_what_the_writer_committed_and_cannot_write() {
        // Always SQLite, whichever database the rest of the suite runs on.
        let path =
            std::env::temp_dir().join(random_name("portal-readers-").expect("name") + ".sqlite");
        let db = Db::open_file(&path, Some(path.clone())).expect("db");
        db.call(|c| {
            c.execute(
                "INSERT INTO sign_in_failures (who, at) VALUES ('x', 'now')",
                (),
            )?;
            Ok(())
        })
        .await
        .expect("write");
        let n: i64 = db
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM sign_in_failures", (), |r| r.get(0))?))
            .await
            .expect("read");
        assert_eq!(n, 1);
        let refused = db
            .read(|c| Ok(c.execute("DELETE FROM sign_in_failures", ())?))
            .await;
        assert!(refused.is_err(), "a reader wrote");
    }
}
