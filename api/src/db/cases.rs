//! Cases: the list (filters, search, sort, pages), the overview, one case with its timeline, and
//! the writes of its life (open, events, status).
//!
//! Authorization is part of every query ([`Visibility`]): a customer only ever reaches cases of
//! their own institution, and another institution's case is simply not found.

use chrono::{DateTime, Datelike, Utc};
use portal_core::access::Permission;
use portal_core::model::{
    Attachment, CaseDetail, CaseList, CaseOverview, CaseSummary, EntryKind, Environment, NewCase,
    Scenario, TimelineEntry, WeekCount,
};
use portal_core::query::{CaseQuery, Scope, SortKey, StatusFilter};
use portal_core::{CaseStatus, Level, RequestKind, Role};

use super::sql::{params, params_from_iter, Connection, Dialect, OptionalExtension, Row, Value};
use super::{parse_ts, parse_ts_opt, stored, ts, Account, Result};

/// Weeks in the overview chart.
pub const OVERVIEW_WEEKS: i64 = 8;

/// What PostgreSQL's case search looks in: number, subject and description as one text, with a
/// separator nobody types between them; the trigram index of migration 6 is on exactly this.
pub const POSTGRES_SEARCH_TEXT: &str = "number || chr(31) || subject || chr(31) || description";

const SUMMARY_COLUMNS: &str =
    "c.number, c.subject, c.kind, c.level, c.status, i.name, u.name, c.opened_at, \
     c.updated_at, c.initial_response_due, c.first_response_at";

const SUMMARY_FROM: &str = "FROM cases c JOIN institutions i ON i.id = c.institution_id JOIN users u ON u.id = c.opened_by";

fn summary_row(r: &Row) -> Result<CaseSummary> {
    Ok(CaseSummary {
        number: r.get(0)?,
        subject: r.get(1)?,
        kind: stored("kind", &r.get::<_, String>(2)?, RequestKind::parse)?,
        level: stored("level", &r.get::<_, String>(3)?, Level::parse)?,
        status: stored("status", &r.get::<_, String>(4)?, CaseStatus::parse)?,
        institution: r.get(5)?,
        opened_by: r.get(6)?,
        opened_at: parse_ts(&r.get::<_, String>(7)?)?,
        updated_at: parse_ts(&r.get::<_, String>(8)?)?,
        initial_response_due: parse_ts(&r.get::<_, String>(9)?)?,
        first_response_at: parse_ts_opt(r.get(10)?)?,
    })
}

/// WHERE conditions on `cases c` with their arguments, numbered as they are added.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    args: Vec<Value>,
}

impl Conditions {
    /// The next parameter's placeholder (`?N`).
    fn next(&self) -> String {
        format!("?{}", self.args.len() + 1)
    }

    /// A condition with one argument, written with `{}` where the placeholder goes.
    fn push(&mut self, template: &str, arg: impl Into<Value>) {
        let p = self.next();
        self.sql.push(template.replace("{}", &p));
        self.args.push(arg.into());
    }

    fn where_sql(&self) -> String {
        if self.sql.is_empty() {
            "WHERE 1 = 1".into()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }
}

/// The cases `account` may see: every case for support, their institution's for customers (none
/// for a customer without one).
struct Visibility;

impl Visibility {
    fn add(account: &Account, conds: &mut Conditions) {
        if !Permission::SeeEveryInstitution.allows(account.role()) {
            conds.push(
                "c.institution_id = {}",
                account.institution_id().unwrap_or(-1),
            );
        }
    }
}

fn scoped(account: &Account, scope: Scope) -> Conditions {
    let mut conds = Conditions::default();
    Visibility::add(account, &mut conds);
    if scope == Scope::Mine {
        conds.push("c.opened_by = {}", account.id);
    }
    conds
}

fn search(conds: &mut Conditions, dialect: Dialect, text: &str) {
    let like = || {
        format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    };
    match dialect {
        // The trigram index finds the text anywhere in number, subject or description without
        // reading every case. Quoted: a phrase, never syntax.
        Dialect::Sqlite if text.chars().count() >= 3 => conds.push(
            "c.id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH {})",
            format!("\"{}\"", text.replace('"', "\"\"")),
        ),
        // Shorter than a trigram: SQLite's LIKE, which ignores ASCII case.
        Dialect::Sqlite => conds.push(
            "(c.number LIKE {} ESCAPE '\\' OR c.subject LIKE {} ESCAPE '\\' OR c.description LIKE {} ESCAPE '\\')",
            like(),
        ),
        // One trigram index over the three columns serves ILIKE (case-insensitive) on PostgreSQL.
        Dialect::Postgres => conds.push(
            &format!("({POSTGRES_SEARCH_TEXT}) ILIKE {{}} ESCAPE '\\'"),
            like(),
        ),
    }
}

fn sort_column(key: SortKey) -> &'static str {
    match key {
        SortKey::Number => "c.id",
        SortKey::Subject => "lower(c.subject)",
        SortKey::Status => "c.status",
        SortKey::Level => "c.level",
        SortKey::Kind => "c.kind",
        SortKey::OpenedAt => "c.opened_at",
        SortKey::UpdatedAt => "c.updated_at",
        SortKey::InitialResponseDue => "c.initial_response_due",
    }
}

/// One page of the cases `viewer` may see, as `q` asks.
pub fn list(conn: &Connection, q: &CaseQuery, viewer: &Account) -> Result<CaseList> {
    let mut conds = scoped(viewer, q.scope);
    match q.status {
        Some(StatusFilter::Open) => conds.sql.push("c.status <> 'closed'".into()),
        Some(StatusFilter::Is(s)) => conds.push("c.status = {}", s.as_str()),
        None => {}
    }
    if let Some(l) = q.level {
        conds.push("c.level = {}", l.as_str());
    }
    if let Some(k) = q.kind {
        conds.push("c.kind = {}", k.as_str());
    }
    if !q.q.trim().is_empty() {
        search(&mut conds, conn.dialect(), q.q.trim());
    }
    let where_sql = conds.where_sql();
    let dir = if q.sort.desc { "DESC" } else { "ASC" };
    let order = format!("{} {dir}, c.id {dir}", sort_column(q.sort.key));
    let offset = u64::from(q.page.saturating_sub(1)) * u64::from(q.page_size);
    // Every condition is on `cases`: counting needs no joins.
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM cases c {where_sql}"),
        params_from_iter(conds.args.iter()),
        |r| r.get(0),
    )?;
    let items = conn.query_map(
        &format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} {where_sql} ORDER BY {order} LIMIT {} OFFSET {offset}",
            q.page_size
        ),
        params_from_iter(conds.args.iter()),
        summary_row,
    )?;
    Ok(CaseList {
        items,
        total: u64::try_from(total).unwrap_or(0),
        page: q.page,
        page_size: q.page_size,
    })
}

/// Counts by status and by level (open cases), and cases opened and closed per week over the last
/// [`OVERVIEW_WEEKS`] weeks up to `today`, for the cases `viewer` may see within `scope`.
pub fn overview(
    conn: &Connection,
    scope: Scope,
    viewer: &Account,
    today: chrono::NaiveDate,
) -> Result<CaseOverview> {
    let conds = scoped(viewer, scope);
    let where_sql = conds.where_sql();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let first = monday - chrono::Duration::weeks(OVERVIEW_WEEKS - 1);
    let count_by = |column: &str, extra: &str| -> Result<Vec<(String, u64)>> {
        conn.query_map(
            &format!(
                "SELECT {column}, COUNT(*) FROM cases c {where_sql} {extra} GROUP BY {column}"
            ),
            params_from_iter(conds.args.iter()),
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?.try_into().unwrap_or(0),
                ))
            },
        )
    };
    let statuses = count_by("c.status", "")?;
    let levels = count_by("c.level", "AND c.status <> 'closed'")?;
    // Week of an instant: the Monday on or before its date (stored instants are UTC).
    let week = |col: &str| match conn.dialect() {
        Dialect::Sqlite => format!("date({col}, '-6 days', 'weekday 1')"),
        Dialect::Postgres => format!(
            "to_char(date_trunc('week', ({col})::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"
        ),
    };
    let n = conds.args.len() + 1;
    let mut args = conds.args.clone();
    args.push(first.format("%Y-%m-%d").to_string().into());
    let weekly = |sql: String| -> Result<Vec<(String, i64)>> {
        conn.query_map(&sql, params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
    };
    let opened = weekly(format!(
        "SELECT {w}, COUNT(*) FROM cases c {where_sql} AND c.opened_at >= ?{n} GROUP BY 1",
        w = week("c.opened_at")
    ))?;
    let closed = weekly(format!(
        "SELECT {w}, COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id {where_sql} \
         AND e.status = 'closed' AND e.at >= ?{n} GROUP BY 1",
        w = week("e.at")
    ))?;
    let find = |list: &[(String, i64)], w: &str| {
        list.iter()
            .find(|(k, _)| k == w)
            .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0))
    };
    let weeks = (0..OVERVIEW_WEEKS)
        .map(|i| {
            let w = (first + chrono::Duration::weeks(i))
                .format("%Y-%m-%d")
                .to_string();
            WeekCount {
                opened: find(&opened, &w),
                closed: find(&closed, &w),
                week: w,
            }
        })
        .collect();
    let get =
        |list: &[(String, u64)], k: &str| list.iter().find(|(s, _)| s == k).map_or(0, |(_, n)| *n);
    Ok(CaseOverview {
        by_status: CaseStatus::ALL
            .into_iter()
            .map(|s| (s, get(&statuses, s.as_str())))
            .collect(),
        open_by_level: Level::ALL
            .into_iter()
            .map(|l| (l, get(&levels, l.as_str())))
            .collect(),
        weeks,
    })
}

/// The row id of case `number` when `viewer` may see it.
pub fn visible_id(conn: &Connection, number: &str, viewer: &Account) -> Result<Option<i64>> {
    let mut conds = Conditions::default();
    conds.push("c.number = {}", number);
    Visibility::add(viewer, &mut conds);
    conn.query_row(
        &format!("SELECT c.id FROM cases c {}", conds.where_sql()),
        params_from_iter(conds.args.iter()),
        |r| r.get(0),
    )
    .optional()
}

/// Case `number` as `viewer` sees it (with the actions their role may take now), and its row id;
/// `None` when there is no such case or `viewer` may not see it.
pub fn load(
    conn: &Connection,
    number: &str,
    viewer: &Account,
) -> Result<Option<(i64, CaseDetail)>> {
    let mut conds = Conditions::default();
    conds.push("c.number = {}", number);
    Visibility::add(viewer, &mut conds);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, c.id, c.product_area, c.environment, c.description, c.scenario_steps, \
         c.scenario_expected, c.scenario_actual, c.frequency, i.region, \
         EXISTS (SELECT 1 FROM case_secrets s WHERE s.case_id = c.id) {SUMMARY_FROM} {}",
        conds.where_sql()
    );
    let found = conn
        .query_row(&sql, params_from_iter(conds.args.iter()), |r| {
            let summary = summary_row(r)?;
            let status = summary.status;
            Ok((
                r.get::<_, i64>(11)?,
                CaseDetail {
                    summary,
                    product_area: r.get(12)?,
                    environment: stored(
                        "environment",
                        &r.get::<_, String>(13)?,
                        Environment::parse,
                    )?,
                    description: r.get(14)?,
                    scenario: Scenario {
                        steps: r.get(15)?,
                        expected: r.get(16)?,
                        actual: r.get(17)?,
                    },
                    frequency: r.get(18)?,
                    region: r.get(19)?,
                    credentials_provided: r.get(20)?,
                    attachments: Vec::new(),
                    actions: status.actions(viewer.role()),
                    timeline: Vec::new(),
                },
            ))
        })
        .optional()?;
    let Some((id, mut detail)) = found else {
        return Ok(None);
    };
    let files = super::uploads::of_case(conn, id)?;
    detail.timeline = timeline(conn, id, &files)?;
    detail.attachments = files
        .into_iter()
        .filter(|(e, _)| e.is_none())
        .map(|(_, a)| a)
        .collect();
    Ok(Some((id, detail)))
}

/// The timeline of a case, oldest first, each update with its files (from `files`, the case's
/// uploads by the update they came with).
fn timeline(
    conn: &Connection,
    case_id: i64,
    files: &[(Option<i64>, Attachment)],
) -> Result<Vec<TimelineEntry>> {
    let rows = conn.query_map(
        "SELECT e.at, u.name, u.role, e.kind, e.body, e.status, e.id FROM case_events e JOIN users u ON u.id = e.author_id \
         WHERE e.case_id = ?1 ORDER BY e.id",
        [case_id],
        |r| {
            let event_id: i64 = r.get(6)?;
            Ok(TimelineEntry {
                at: parse_ts(&r.get::<_, String>(0)?)?,
                author: r.get(1)?,
                author_role: stored("role", &r.get::<_, String>(2)?, Role::parse)?,
                kind: stored("event kind", &r.get::<_, String>(3)?, EntryKind::parse)?,
                body: r.get(4)?,
                status: r
                    .get::<_, Option<String>>(5)?
                    .map(|s| stored("status", &s, CaseStatus::parse))
                    .transpose()?,
                attachments: files
                    .iter()
                    .filter(|(e, _)| *e == Some(event_id))
                    .map(|(_, a)| a.clone())
                    .collect(),
            })
        },
    )?;
    Ok(rows)
}

/// Opens a case for `opener` of institution `institution_id`, with its initial-response `due`;
/// answers its row id and number (`CS-` and six digits of the id).
pub fn insert(
    conn: &Connection,
    opener: &Account,
    institution_id: i64,
    case: &NewCase,
    now: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Result<(i64, String)> {
    let articles = serde_json::to_string(&case.articles_viewed).unwrap_or_else(|_| "[]".into());
    let id: i64 = conn.query_row(
        "INSERT INTO cases (institution_id, opened_by, kind, level, status, product_area, environment, subject, description, \
         scenario_steps, scenario_expected, scenario_actual, frequency, connect_layer_access, articles_viewed, opened_at, \
         updated_at, initial_response_due) VALUES (?1, ?2, ?3, ?4, 'new', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16) \
         RETURNING id",
        params![
            institution_id,
            opener.id,
            case.kind.as_str(),
            case.level.as_str(),
            case.product_area.trim(),
            case.environment.as_str(),
            case.subject.trim(),
            case.description,
            case.scenario.steps,
            case.scenario.expected,
            case.scenario.actual,
            case.frequency,
            case.connect_layer_access,
            articles,
            ts(now),
            ts(due),
        ],
        |r| r.get(0),
    )?;
    let number = format!("CS-{id:06}");
    conn.execute(
        "UPDATE cases SET number = ?2 WHERE id = ?1",
        params![id, number],
    )?;
    Ok((id, number))
}

/// Keeps the app credentials of a case for support.
pub fn store_credentials(
    conn: &Connection,
    case_id: i64,
    username: &str,
    password: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO case_secrets (case_id, app_username, app_password) VALUES (?1, ?2, ?3)",
        params![case_id, username, password],
    )?;
    Ok(())
}

/// Appends an event to a case's timeline and touches `updated_at`; with `status`, the case moves
/// there; an agent's first comment or solution records the first response. Answers the event's id.
pub fn add_event(
    conn: &Connection,
    case_id: i64,
    author: &Account,
    kind: EntryKind,
    body: &str,
    status: Option<CaseStatus>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let event_id: i64 = conn.query_row(
        "INSERT INTO case_events (case_id, at, author_id, kind, body, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![case_id, ts(now), author.id, kind.as_str(), body, status.map(|s| s.as_str())],
        |r| r.get(0),
    )?;
    conn.execute(
        "UPDATE cases SET updated_at = ?2, status = COALESCE(?3, status) WHERE id = ?1",
        params![case_id, ts(now), status.map(|s| s.as_str())],
    )?;
    if author.role() == Role::Agent && kind != EntryKind::Status {
        conn.execute(
            "UPDATE cases SET first_response_at = ?2 WHERE id = ?1 AND first_response_at IS NULL",
            params![case_id, ts(now)],
        )?;
    }
    Ok(event_id)
}

/// Sets a case's status without a timeline entry (the demo data's final states).
pub fn set_status(conn: &Connection, case_id: i64, status: CaseStatus) -> Result<()> {
    conn.execute(
        "UPDATE cases SET status = ?2 WHERE id = ?1",
        params![case_id, status.as_str()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_search_uses_the_indexed_expression() {
        let migration = super::super::schema::MIGRATIONS[5]
            .postgres
            .unwrap_or_default();
        assert!(
            migration.contains(&format!("(({POSTGRES_SEARCH_TEXT})")),
            "{migration}"
        );
    }
}
