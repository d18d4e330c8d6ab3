//! Connections: a bounded pool for PostgreSQL, one writer plus a small pool of readers for SQLite.
//!
//! Both pools are r2d2's. The storage layer is synchronous (the `postgres` client and rusqlite,
//! run on tokio's blocking threads by [`super::Db`]), and r2d2 is the maintained pool for
//! synchronous connections; deadpool would mean rewriting every query for an async client with
//! nothing gained, since the work already runs off the async workers.
//!
//! - **PostgreSQL:** at most [`PoolSettings::max_size`] connections per API instance, opened on
//!   demand and kept while they are used. A request that finds every connection busy waits up to
//!   [`PoolSettings::wait`], then answers 503 with Retry-After (problem+json). A connection is
//!   checked with a round trip before it is handed out (a server restart or a cut connection never
//!   reaches a request) and retired after 30 minutes. Each connection keeps its prepared statements.
//! - **SQLite:** one writer (SQLite allows one at a time) and, for a database file in WAL mode,
//!   [`SQLITE_READERS`] read-only connections, so reading never queues behind writing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::pg_address::PgAddress;
use super::sql::Connection;
use crate::error::ApiError;

/// Read-only SQLite connections beside the writer.
pub const SQLITE_READERS: u32 = 4;

/// How a PostgreSQL pool is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most connections one API instance opens.
    pub max_size: u32,
    /// How long a request waits for a free connection before the API answers 503.
    pub wait: Duration,
}

impl Default for PoolSettings {
    /// 10 connections, 5 seconds: ten instances stay within PostgreSQL's default of 100.
    fn default() -> Self {
        PoolSettings {
            max_size: 10,
            wait: Duration::from_secs(5),
        }
    }
}

/// Opens PostgreSQL connections for r2d2: r2d2_postgres's manager (connect, health check), each
/// connection wrapped in [`Connection`] with its statement cache.
pub struct PgManager(
    r2d2_postgres::PostgresConnectionManager<tokio_postgres_rustls::MakeRustlsConnect>,
);

impl std::fmt::Debug for PgManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgManager")
    }
}

impl PgManager {
    /// A manager for `address`.
    pub fn new(address: PgAddress) -> PgManager {
        PgManager(r2d2_postgres::PostgresConnectionManager::new(
            address.config,
            address.tls,
        ))
    }
}

impl r2d2::ManageConnection for PgManager {
    type Connection = Connection;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Connection, postgres::Error> {
        self.0.connect().map(Connection::postgres)
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<(), postgres::Error> {
        match conn.postgres_client() {
            Some(client) => self.0.is_valid(client),
            None => Ok(()),
        }
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        !conn.is_usable()
    }
}

/// Opens read-only connections to a SQLite file for r2d2.
#[derive(Debug)]
pub struct SqliteReaders(PathBuf);

impl SqliteReaders {
    /// Readers of the database file at `path`.
    pub fn new(path: &Path) -> SqliteReaders {
        SqliteReaders(path.to_path_buf())
    }
}

impl r2d2::ManageConnection for SqliteReaders {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> Result<Connection, rusqlite::Error> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.0,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(Connection::sqlite(conn))
    }

    fn is_valid(&self, _: &mut Connection) -> Result<(), rusqlite::Error> {
        Ok(())
    }

    fn has_broken(&self, _: &mut Connection) -> bool {
        false
    }
}

/// A PostgreSQL pool.
pub fn postgres(
    address: PgAddress,
    settings: PoolSettings,
) -> Result<r2d2::Pool<PgManager>, ApiError> {
    r2d2::Pool::builder()
        .max_size(settings.max_size.max(1))
        .min_idle(Some(0))
        .connection_timeout(settings.wait)
        .max_lifetime(Some(Duration::from_secs(30 * 60)))
        .idle_timeout(Some(Duration::from_secs(10 * 60)))
        .test_on_check_out(true)
        .error_handler(Box::new(LogErrors))
        .build(PgManager::new(address))
        .map_err(|e| ApiError::Internal(format!("PostgreSQL pool: {e}")))
}

/// A pool of read-only connections to a SQLite file.
pub fn sqlite_readers(path: &Path) -> Result<r2d2::Pool<SqliteReaders>, ApiError> {
    r2d2::Pool::builder()
        .max_size(SQLITE_READERS)
        .min_idle(Some(0))
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(30))
        .error_handler(Box::new(LogErrors))
        .build(SqliteReaders::new(path))
        .map_err(|e| ApiError::Internal(format!("SQLite readers: {e}")))
}

/// Connection failures go to the log (r2d2 would print them to stderr).
#[derive(Debug)]
struct LogErrors;

impl<E: std::fmt::Display> r2d2::HandleError<E> for LogErrors {
    fn handle_error(&self, error: E) {
        tracing::warn!("database connection: {error}");
    }
}

/// The answer when no connection was free within the wait: 503, with a retry soon when the pool
/// is saturated, or later when the database cannot be reached at all.
pub fn unavailable<M: r2d2::ManageConnection>(pool: &r2d2::Pool<M>, e: r2d2::Error) -> ApiError {
    let state = pool.state();
    let saturated = state.connections >= pool.max_size() && state.idle_connections == 0;
    tracing::warn!(
        connections = state.connections,
        idle = state.idle_connections,
        "no database connection within the wait: {e}"
    );
    ApiError::Unavailable {
        retry_after: if saturated { 2 } else { 10 },
        busy: saturated,
    }
}
