//! One SQL interface over the two databases the API runs on: embedded SQLite (the default, one
//! process) and PostgreSQL (several API instances behind a load balancer, `--db postgres://…`).
//!
//! The storage modules (`db::cases`, `db::accounts`, …) write their SQL once, in the subset both
//! databases share, with numbered parameters (`?1`, `?2`). The one translation is the parameter
//! syntax: PostgreSQL spells `?N` as `$N` ([`postgres_sql`]). Nothing else is rewritten: a
//! statement that differs for real (case-insensitive `ILIKE`, full-text search, week arithmetic)
//! asks [`Connection::dialect`] and says what it means on each. New rows answer their id with
//! `INSERT … RETURNING id`, which both run. Values cross as [`Value`]s, rows come back as
//! [`Row`]s read with `row.get(i)`, and `params![…]` builds a parameter list.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use postgres::types::{FromSql, IsNull, ToSql, Type};

/// Which database a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A database error, with the cases callers act on told apart.
#[derive(Debug)]
pub enum Error {
    /// A query that must return a row returned none.
    NoRows,
    /// A unique constraint refused the write (two requests raced for the same key).
    UniqueViolation(String),
    /// A stored value could not be read as the type asked for.
    Conversion(String),
    /// Anything else the database said.
    Database(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoRows => f.write_str("the query returned no rows"),
            Error::UniqueViolation(m) => write!(f, "unique constraint: {m}"),
            Error::Conversion(m) => write!(f, "conversion: {m}"),
            Error::Database(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::QueryReturnedNoRows => Error::NoRows,
            rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                Error::UniqueViolation(e.to_string())
            }
            _ => Error::Database(e.to_string()),
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        match e.code() {
            Some(c) if *c == postgres::error::SqlState::UNIQUE_VIOLATION => {
                Error::UniqueViolation(e.to_string())
            }
            _ => Error::Database(match e.as_db_error() {
                Some(db) => format!("{}: {}", db.code().code(), db.message()),
                // Connection failures say why ("error performing TLS handshake: invalid peer
                // certificate: UnknownIssuer"): the operator's next step is in the cause.
                None => {
                    let mut text = e.to_string();
                    let mut cause = std::error::Error::source(&e);
                    while let Some(c) = cause {
                        text.push_str(": ");
                        text.push_str(&c.to_string());
                        cause = c.source();
                    }
                    text
                }
            }),
        }
    }
}

/// Results of database calls.
pub type Result<T> = std::result::Result<T, Error>;

/// A value as it crosses to and from the database.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (booleans are 0 and 1).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

/// Something that can be a parameter.
pub trait ToValue {
    /// The value to bind.
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                i64::try_from(*self).map_or(Value::Int(i64::MAX), Value::Int)
            }
        }
    )*};
}
int_to_value!(i64, i32, u8, u16, u32, u64, usize);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

/// Something a column can be read as.
pub trait FromValue: Sized {
    /// Reads the value.
    fn from_value(v: &Value) -> Result<Self>;
}

fn mismatch<T>(v: &Value, want: &str) -> Result<T> {
    Err(Error::Conversion(format!("{v:?} is not {want}")))
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> Result<Self> {
                match v {
                    Value::Int(i) => <$t>::try_from(*i)
                        .map_err(|_| Error::Conversion(format!("{i} does not fit {}", stringify!($t)))),
                    _ => mismatch(v, stringify!($t)),
                }
            }
        }
    )*};
}
int_from_value!(i64, i32, u16, u32, u64, usize);

impl FromValue for bool {
    fn from_value(v: &Value) -> Result<Self> {
        match v {
            Value::Int(i) => Ok(*i != 0),
            _ => mismatch(v, "a boolean"),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> Result<Self> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            _ => mismatch(v, "text"),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> Result<Self> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            Value::Text(s) => Ok(s.clone().into_bytes()),
            _ => mismatch(v, "bytes"),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Result<Self> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// A column position (`row.get::<_, String>(3)` reads the fourth column).
pub trait RowIndex {
    /// The position.
    fn index(self) -> usize;
}

impl RowIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row(Vec<Value>);

impl Row {
    /// The column at `idx`, read as `T`.
    pub fn get<I: RowIndex, T: FromValue>(&self, idx: I) -> Result<T> {
        let i = idx.index();
        match self.0.get(i) {
            Some(v) => T::from_value(v),
            None => Err(Error::Conversion(format!("no column {i}"))),
        }
    }
}

/// A parameter list: `params![a, b]`, an array of one type, `()`, or [`params_from_iter`].
pub trait Params {
    /// The values, in order.
    fn into_values(self) -> Vec<Value>;
}

impl Params for () {
    fn into_values(self) -> Vec<Value> {
        Vec::new()
    }
}

impl Params for &[&dyn ToValue] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(|v| v.to_value()).collect()
    }
}

impl<T: ToValue, const N: usize> Params for [T; N] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(ToValue::to_value).collect()
    }
}

/// Parameters from an iterator of values.
pub struct ParamsFromIter<I>(I);

/// Parameters from an iterator (a query built with a varying number of conditions).
pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToValue,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToValue,
{
    fn into_values(self) -> Vec<Value> {
        self.0.into_iter().map(|v| v.to_value()).collect()
    }
}

/// A parameter list of mixed types: `params![id, name, ts(now)]`.
#[macro_export]
macro_rules! params {
    () => { () };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::db::sql::ToValue),+] as &[&dyn $crate::db::sql::ToValue]
    };
}
pub use crate::params;

/// `.optional()` on a single-row result: no row is `None`, not an error.
pub trait OptionalExtension<T> {
    /// `Ok(None)` instead of [`Error::NoRows`].
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// `sql` for PostgreSQL: `?N` placeholders become `$N`, outside quoted text.
pub fn postgres_sql(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    for c in sql.chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        out.push(if c == '?' && !quoted { '$' } else { c });
    }
    Cow::Owned(out)
}

fn sqlite_value(v: Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(i),
        Value::Text(s) => rusqlite::types::Value::Text(s),
        Value::Blob(b) => rusqlite::types::Value::Blob(b),
    }
}

fn sqlite_row(r: &rusqlite::Row<'_>, columns: usize) -> rusqlite::Result<Row> {
    use rusqlite::types::ValueRef;
    let mut values = Vec::with_capacity(columns);
    for i in 0..columns {
        values.push(match r.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => Value::Int(n),
            // No REAL columns in the schema; a real number is read as its text.
            ValueRef::Real(f) => Value::Text(f.to_string()),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        });
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                _ => s.as_str().to_sql(ty, out),
            },
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::BYTEA => Value::Blob(Vec::<u8>::from_sql(ty, raw)?),
            _ => Value::Text(String::from_sql(ty, raw)?),
        })
    }

    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Value::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Values as the `postgres` crate takes parameters.
fn pg_params(values: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

enum Inner {
    Sqlite(rusqlite::Connection),
    Postgres(Box<RefCell<PgConn>>),
}

/// A PostgreSQL client with its prepared statements: each query then costs one round trip
/// instead of two (measured: see README "Figures").
struct PgConn {
    client: postgres::Client,
    statements: std::collections::HashMap<String, postgres::Statement>,
}

/// Most statements kept prepared per connection (list queries vary with their filters).
const STATEMENTS_MAX: usize = 256;

impl PgConn {
    fn statement(
        &mut self,
        sql: &str,
    ) -> std::result::Result<postgres::Statement, postgres::Error> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(postgres_sql(sql).as_ref())?;
        if self.statements.len() >= STATEMENTS_MAX {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// A connection to either database.
pub struct Connection(Inner);

impl Connection {
    /// Wraps an open SQLite connection.
    pub fn sqlite(conn: rusqlite::Connection) -> Connection {
        Connection(Inner::Sqlite(conn))
    }

    /// Wraps a PostgreSQL client.
    pub fn postgres(client: postgres::Client) -> Connection {
        Connection(Inner::Postgres(Box::new(RefCell::new(PgConn {
            client,
            statements: std::collections::HashMap::new(),
        }))))
    }

    /// The SQLite connection underneath, for SQLite's own settings (pragmas).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.0 {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    /// The PostgreSQL client underneath, for the pool's health check.
    pub fn postgres_client(&mut self) -> Option<&mut postgres::Client> {
        match &mut self.0 {
            Inner::Sqlite(_) => None,
            Inner::Postgres(c) => Some(&mut c.get_mut().client),
        }
    }

    /// Whether the connection can still be used (a PostgreSQL server may close it).
    pub fn is_usable(&self) -> bool {
        match &self.0 {
            Inner::Sqlite(_) => true,
            Inner::Postgres(c) => c.try_borrow().is_ok_and(|c| !c.client.is_closed()),
        }
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        match self.0 {
            Inner::Sqlite(_) => Dialect::Sqlite,
            Inner::Postgres(_) => Dialect::Postgres,
        }
    }

    fn pg<R>(
        &self,
        c: &RefCell<PgConn>,
        f: impl FnOnce(&mut PgConn) -> std::result::Result<R, postgres::Error>,
    ) -> Result<R> {
        let mut client = c
            .try_borrow_mut()
            .map_err(|_| Error::Database("connection already in use".into()))?;
        Ok(f(&mut client)?)
    }

    /// Runs a statement; answers how many rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        let values = params.into_values();
        match &self.0 {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(
                    values.into_iter().map(sqlite_value),
                ))?)
            }
            Inner::Postgres(c) => {
                let refs = pg_params(&values);
                let n = self.pg(c, |c| {
                    let stmt = c.statement(sql)?;
                    c.client.execute(&stmt, &refs)
                })?;
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            }
        }
    }

    /// Runs a query and answers every row.
    pub fn query<P: Params>(&self, sql: &str, params: P) -> Result<Vec<Row>> {
        let values = params.into_values();
        match &self.0 {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let columns = stmt.column_count();
                let rows = stmt.query_map(
                    rusqlite::params_from_iter(values.into_iter().map(sqlite_value)),
                    |r| sqlite_row(r, columns),
                )?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            }
            Inner::Postgres(c) => {
                let refs = pg_params(&values);
                let rows = self.pg(c, |c| {
                    let stmt = c.statement(sql)?;
                    c.client.query(&stmt, &refs)
                })?;
                rows.iter()
                    .map(|r| {
                        (0..r.len())
                            .map(|i| r.try_get::<usize, Value>(i).map_err(Error::from))
                            .collect::<Result<Vec<_>>>()
                            .map(Row)
                    })
                    .collect()
            }
        }
    }

    /// Runs a query that answers one row, read by `f`; [`Error::NoRows`] when there is none.
    pub fn query_row<P, T, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row) -> Result<T>,
    {
        match self.query(sql, params)?.first() {
            Some(row) => f(row),
            None => Err(Error::NoRows),
        }
    }

    /// Runs a query and reads every row with `f`.
    pub fn query_map<P, T, F>(&self, sql: &str, params: P, f: F) -> Result<Vec<T>>
    where
        P: Params,
        F: FnMut(&Row) -> Result<T>,
    {
        self.query(sql, params)?.iter().map(f).collect()
    }

    /// Runs several statements without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.0 {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres(c) => self.pg(c, |c| c.client.batch_execute(sql)),
        }
    }

    /// Starts a transaction; it rolls back unless [`Transaction::commit`] is called.
    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        self.execute_batch("BEGIN")?;
        Ok(Transaction {
            conn: self,
            open: true,
        })
    }
}

/// An open transaction (dereferences to its [`Connection`]).
pub struct Transaction<'a> {
    conn: &'a mut Connection,
    open: bool,
}

impl Transaction<'_> {
    /// Makes the transaction's writes permanent.
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!("rollback failed: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_placeholders_and_nothing_else() {
        assert_eq!(
            postgres_sql(
                "SELECT a FROM t WHERE b = ?1 AND c LIKE ?12 ESCAPE '\\' AND d = '?x LIKE y'"
            ),
            "SELECT a FROM t WHERE b = $1 AND c LIKE $12 ESCAPE '\\' AND d = '?x LIKE y'"
        );
        assert!(matches!(postgres_sql("SELECT 1"), Cow::Borrowed(_)));
    }

    #[test]
    fn sqlite_round_trip_with_transactions() -> Result<()> {
        let mut c = Connection::sqlite(rusqlite::Connection::open_in_memory()?);
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER, b BLOB)",
        )?;
        let id: i64 = c.query_row(
            "INSERT INTO t (name, n, b) VALUES (?1, ?2, ?3) RETURNING id",
            params!["a", 3, vec![1u8, 2]],
            |r| r.get(0),
        )?;
        assert_eq!(id, 1);
        {
            let tx = c.transaction()?;
            tx.execute("INSERT INTO t (name) VALUES (?1)", ["b"])?;
            // Dropped without commit: rolled back.
        }
        let names: Vec<String> = c.query_map("SELECT name FROM t ORDER BY id", (), |r| r.get(0))?;
        assert_eq!(names, ["a"]);
        let (n, b, missing): (u32, Vec<u8>, Option<String>) =
            c.query_row("SELECT n, b, NULL FROM t WHERE name = ?1", ["a"], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        assert_eq!((n, b, missing), (3, vec![1, 2], None));
        assert!(matches!(
            c.execute("INSERT INTO t (name) VALUES (?1)", ["a"]),
            Err(Error::UniqueViolation(_))
        ));
        assert!(c
            .query_row("SELECT 1 FROM t WHERE name = ?1", ["zz"], |r| r
                .get::<_, i64>(0))
            .optional()?
            .is_none());
        Ok(())
    }
}
