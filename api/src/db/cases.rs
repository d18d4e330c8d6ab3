//! Cases: the list (filters, search, sort, pages), the overview, one case with its timeline, and
//! the writes of its life (open, events, status).
//!
//! Authorization is part of every query ([`Visibility`]): a customer only ever reaches cases of
//! their own institution, and another institution's case is simply not found.

use chrono::{DateTime, Datelike, Utc};
use portal_core::access::Permission;
use portal_core::due::DueFilter;
use portal_core::model::{
    Attachment, CaseDetail, CaseList, CaseOverview, CaseSummary, EntryKind, Environment, NewCase,
    Scenario, TimelineEntry, WeekCount,
};
use portal_core::query::{AssigneeFilter, CaseQuery, Scope, SortKey, StatusFilter};
use portal_core::secrets::SecretKind;
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
     c.updated_at, c.initial_response_due, c.first_response_at, i.id, a.name";

const SUMMARY_FROM: &str = "FROM cases c JOIN institutions i ON i.id = c.institution_id JOIN users u ON u.id = c.opened_by \
     LEFT JOIN users a ON a.id = c.assignee_id";

/// Columns after [`SUMMARY_COLUMNS`] start here.
const AFTER_SUMMARY: usize = 13;

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
        institution_id: r.get(11)?,
        assignee: r.get(12)?,
        news: false,
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

/// The cases `account` may see: every case for support, their institution's for its members and
/// administrators (none for a customer without one), and for a basic member only the cases they
/// opened or follow.
struct Visibility;

impl Visibility {
    fn add(account: &Account, conds: &mut Conditions) {
        if !Permission::SeeEveryInstitution.allows(account.role()) {
            conds.push(
                "c.institution_id = {}",
                account.institution_id().unwrap_or(-1),
            );
            if !account.sees_institution() {
                conds.push(
                    "(c.opened_by = {} OR c.id IN (SELECT f.case_id FROM followers f WHERE f.user_id = {}))",
                    account.id,
                );
            }
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
        // Cases still waiting for their first response first, then by due time.
        SortKey::InitialResponseDue => {
            "(CASE WHEN c.first_response_at IS NULL THEN 0 ELSE 1 END), c.initial_response_due"
        }
    }
}

/// One page of the cases `viewer` may see, as `q` asks, at `now` (for the response-due filters).
pub fn list(
    conn: &Connection,
    q: &CaseQuery,
    viewer: &Account,
    now: DateTime<Utc>,
) -> Result<CaseList> {
    let mut conds = scoped(viewer, q.scope);
    if let Some(i) = q.institution {
        conds.push("c.institution_id = {}", i);
    }
    match q.assignee {
        Some(AssigneeFilter::Unassigned) => conds.sql.push("c.assignee_id IS NULL".into()),
        Some(AssigneeFilter::Mine) => conds.push("c.assignee_id = {}", viewer.id),
        None => {}
    }
    // The same sets as `portal_core::due::DueFilter::matches`.
    let waiting = "c.status <> 'closed' AND c.first_response_at IS NULL";
    match q.due {
        Some(DueFilter::Breached) => conds.push(
            &format!("{waiting} AND c.initial_response_due <= {{}}"),
            ts(now),
        ),
        Some(DueFilter::WithinHour) => {
            conds.push(
                &format!("{waiting} AND c.initial_response_due > {{}}"),
                ts(now),
            );
            conds.push(
                "c.initial_response_due <= {}",
                ts(now + chrono::Duration::hours(1)),
            );
        }
        Some(DueFilter::Today) => {
            conds.push(
                &format!("{waiting} AND c.initial_response_due > {{}}"),
                ts(now),
            );
            conds.push(
                "c.initial_response_due <= {}",
                ts(now + chrono::Duration::hours(24)),
            );
        }
        Some(DueFilter::Met) => conds.sql.push(
            "c.first_response_at IS NOT NULL AND c.first_response_at <= c.initial_response_due"
                .into(),
        ),
        None => {}
    }
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
    let order = sort_column(q.sort.key)
        .split(", ")
        .map(|c| format!("{c} {dir}"))
        .chain(std::iter::once(format!("c.id {dir}")))
        .collect::<Vec<_>>()
        .join(", ");
    let offset = u64::from(q.page.saturating_sub(1)) * u64::from(q.page_size);
    // Every condition is on `cases`: counting needs no joins.
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM cases c {where_sql}"),
        params_from_iter(conds.args.iter()),
        |r| r.get(0),
    )?;
    // The rows say which changed since the viewer last opened them (one more parameter).
    let news = news_sql(conds.args.len() + 1);
    let mut args = conds.args.clone();
    args.push(viewer.id.into());
    let items = conn.query_map(
        &format!(
            "SELECT {SUMMARY_COLUMNS}, {news} {SUMMARY_FROM} {where_sql} ORDER BY {order} LIMIT {} OFFSET {offset}",
            q.page_size
        ),
        params_from_iter(args.iter()),
        |r| {
            let mut s = summary_row(r)?;
            s.news = r.get(AFTER_SUMMARY)?;
            Ok(s)
        },
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
        ratings: super::ratings::by_month(conn, &where_sql, &conds.args)?,
    })
}

/// Open cases `viewer` may see that contain at least [`similar::needed`] of `words` in their
/// number, subject or description (the search index of migration 6), most shared words first,
/// then the latest updated; at most `limit`.
pub fn similar(
    conn: &Connection,
    viewer: &Account,
    words: &[String],
    limit: usize,
) -> Result<Vec<CaseSummary>> {
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut conds = Conditions::default();
    Visibility::add(viewer, &mut conds);
    conds.sql.push("c.status <> 'closed'".into());
    let mut hits = Vec::new();
    for w in words {
        let p = conds.next();
        match conn.dialect() {
            Dialect::Sqlite => {
                hits.push(format!(
                    "CASE WHEN c.id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH {p}) THEN 1 ELSE 0 END"
                ));
                conds
                    .args
                    .push(format!("\"{}\"", w.replace('"', "\"\"")).into());
            }
            Dialect::Postgres => {
                hits.push(format!(
                    "CASE WHEN ({POSTGRES_SEARCH_TEXT}) ILIKE {p} ESCAPE '\\' THEN 1 ELSE 0 END"
                ));
                let escaped = w
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                conds.args.push(format!("%{escaped}%").into());
            }
        }
    }
    let score = hits.join(" + ");
    let need = portal_core::similar::needed(words.len());
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} {} AND ({score}) >= {need} \
         ORDER BY ({score}) DESC, c.updated_at DESC LIMIT {limit}",
        conds.where_sql()
    );
    conn.query_map(&sql, params_from_iter(conds.args.iter()), summary_row)
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
/// `None` when there is no such case or `viewer` may not see it. Customers never get internal
/// notes, the articles read or the assignee's address.
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
         c.scenario_expected, c.scenario_actual, c.frequency, i.region, c.articles_viewed, a.email, c.opened_by \
         {SUMMARY_FROM} {}",
        conds.where_sql()
    );
    let agent = viewer.role() == Role::Agent;
    let found = conn
        .query_row(&sql, params_from_iter(conds.args.iter()), |r| {
            let summary = summary_row(r)?;
            let status = summary.status;
            let at = |i: usize| AFTER_SUMMARY + i;
            let articles: Vec<String> = if agent {
                serde_json::from_str(&r.get::<_, String>(at(9))?).unwrap_or_default()
            } else {
                Vec::new()
            };
            Ok((
                r.get::<_, i64>(at(0))?,
                CaseDetail {
                    summary,
                    product_area: r.get(at(1))?,
                    environment: stored(
                        "environment",
                        &r.get::<_, String>(at(2))?,
                        Environment::parse,
                    )?,
                    description: r.get(at(3))?,
                    scenario: Scenario {
                        steps: r.get(at(4))?,
                        expected: r.get(at(5))?,
                        actual: r.get(at(6))?,
                    },
                    frequency: r.get(at(7))?,
                    region: r.get(at(8))?,
                    secrets: Vec::new(),
                    access_requested: Vec::new(),
                    // Titles are the knowledge center's: the API fills them in.
                    articles_viewed: articles
                        .into_iter()
                        .map(|id| portal_core::model::ArticleRef {
                            title: id.clone(),
                            id,
                        })
                        .collect(),
                    assignee_email: if agent { r.get(at(10))? } else { None },
                    followers: Vec::new(),
                    following: false,
                    muted: false,
                    delivery_failures: Vec::new(),
                    attachments: Vec::new(),
                    actions: status.actions(viewer.role()),
                    timeline: Vec::new(),
                    rating: None,
                    // The opener, or support, while the case is open.
                    can_correct: status.is_open()
                        && (agent || r.get::<_, i64>(at(11))? == viewer.id),
                    moved_to: None,
                },
            ))
        })
        .optional()?;
    let Some((id, mut detail)) = found else {
        return Ok(None);
    };
    let files = super::uploads::of_case(conn, id)?;
    detail.timeline = timeline(conn, id, &files, agent)?;
    detail.access_requested = if detail.summary.status.is_open() {
        portal_core::secrets::open_requests(&detail.timeline)
    } else {
        Vec::new()
    };
    detail.secrets = super::secrets::status(conn, super::secrets::Owner::Case(id))?;
    detail.rating = super::ratings::get(conn, id)?;
    detail.moved_to = super::handoffs::moved_to(conn, id)?;
    detail.followers = super::followers::of_case(conn, id)?
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    (detail.following, detail.muted) = super::followers::state(conn, id, viewer.id)?;
    if agent {
        detail.delivery_failures = super::outbox::failures_for_case(conn, id)?;
    }
    detail.attachments = files
        .into_iter()
        .filter(|(e, _)| e.is_none())
        .map(|(_, a)| a)
        .collect();
    Ok(Some((id, detail)))
}

/// The timeline of a case, oldest first, each update with its files (from `files`, the case's
/// uploads by the update they came with); internal notes only `with_internal`.
fn timeline(
    conn: &Connection,
    case_id: i64,
    files: &[(Option<i64>, Attachment)],
    with_internal: bool,
) -> Result<Vec<TimelineEntry>> {
    let level = |v: Option<String>| v.map(|l| stored("level", &l, Level::parse)).transpose();
    let rows = conn.query_map(
        "SELECT e.at, u.name, u.role, e.kind, e.body, e.status, e.id, e.level, e.from_level, e.secrets \
         FROM case_events e JOIN users u ON u.id = e.author_id \
         WHERE e.case_id = ?1 AND (?2 OR e.internal = 0) ORDER BY e.id",
        params![case_id, with_internal],
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
                level: level(r.get(7)?)?,
                from_level: level(r.get(8)?)?,
                secrets: r
                    .get::<_, String>(9)?
                    .split(',')
                    .filter(|k| !k.is_empty())
                    .map(|k| stored("secret kind", k, SecretKind::parse))
                    .collect::<Result<_>>()?,
                changes: Vec::new(),
            })
        },
    )?;
    // A correction keeps its changes as JSON in the body.
    Ok(rows
        .into_iter()
        .map(|mut e| {
            if e.kind == EntryKind::Corrected {
                e.changes = serde_json::from_str(&e.body).unwrap_or_default();
                e.body.clear();
            }
            e
        })
        .collect())
}

/// Writes a correction's new values (what it leaves out stays).
pub fn correct(
    conn: &Connection,
    case_id: i64,
    c: &portal_core::model::CaseCorrection,
) -> Result<()> {
    if let Some(env) = c.environment {
        conn.execute(
            "UPDATE cases SET environment = ?2 WHERE id = ?1",
            params![case_id, env.as_str()],
        )?;
    }
    if let Some(area) = &c.product_area {
        conn.execute(
            "UPDATE cases SET product_area = ?2 WHERE id = ?1",
            params![case_id, area],
        )?;
    }
    if let Some(s) = &c.scenario {
        conn.execute(
            "UPDATE cases SET scenario_steps = ?2, scenario_expected = ?3, scenario_actual = ?4 WHERE id = ?1",
            params![case_id, s.steps, s.expected, s.actual],
        )?;
    }
    Ok(())
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
            // Sealed apart (`db::secrets`): never stored in the case itself.
            "",
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

/// What happened on a case, for its timeline.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    /// What kind of entry.
    pub kind: EntryKind,
    /// Its text.
    pub body: &'a str,
    /// The status the case moves to, if it moves.
    pub status: Option<CaseStatus>,
    /// For level changes: (from, to).
    pub level: Option<(Level, Level)>,
    /// Which secrets it is about.
    pub secrets: &'a [SecretKind],
}

impl<'a> Event<'a> {
    /// An entry of `kind` with `body`, nothing else.
    pub fn new(kind: EntryKind, body: &'a str) -> Event<'a> {
        Event {
            kind,
            body,
            status: None,
            level: None,
            secrets: &[],
        }
    }
}

/// Appends an event to a case's timeline; with a status, the case moves there. What customers see
/// touches `updated_at` (an internal note does not: for customers nothing changed); an agent's
/// first comment, solution or access request records the first response. Answers the event's id.
pub fn record(
    conn: &Connection,
    case_id: i64,
    author: &Account,
    e: &Event,
    now: DateTime<Utc>,
) -> Result<i64> {
    let secrets = e
        .secrets
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let event_id: i64 = conn.query_row(
        "INSERT INTO case_events (case_id, at, author_id, kind, body, status, internal, from_level, level, secrets) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        params![
            case_id,
            ts(now),
            author.id,
            e.kind.as_str(),
            e.body,
            e.status.map(|s| s.as_str()),
            !e.kind.customers_see(),
            e.level.map(|(from, _)| from.as_str()),
            e.level.map(|(_, to)| to.as_str()),
            secrets
        ],
        |r| r.get(0),
    )?;
    if e.kind.customers_see() {
        conn.execute(
            "UPDATE cases SET updated_at = ?2 WHERE id = ?1",
            params![case_id, ts(now)],
        )?;
    }
    if let Some(s) = e.status {
        set_status(conn, case_id, s)?;
    }
    // Support's first word to the customer: a comment, a solution, or asking for access.
    if author.role() == Role::Agent
        && matches!(
            e.kind,
            EntryKind::Comment | EntryKind::Solution | EntryKind::AccessRequest
        )
    {
        conn.execute(
            "UPDATE cases SET first_response_at = ?2 WHERE id = ?1 AND first_response_at IS NULL",
            params![case_id, ts(now)],
        )?;
    }
    Ok(event_id)
}

/// [`record`] for the common case: a kind, a text, and maybe a new status.
pub fn add_event(
    conn: &Connection,
    case_id: i64,
    author: &Account,
    kind: EntryKind,
    body: &str,
    status: Option<CaseStatus>,
    now: DateTime<Utc>,
) -> Result<i64> {
    record(
        conn,
        case_id,
        author,
        &Event {
            status,
            ..Event::new(kind, body)
        },
        now,
    )
}

/// Assigns a case to an agent (row id), or to nobody.
pub fn set_assignee(conn: &Connection, case_id: i64, agent: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE cases SET assignee_id = ?2 WHERE id = ?1",
        params![case_id, agent],
    )?;
    Ok(())
}

/// Sets a case's level and its initial-response due.
pub fn set_level(conn: &Connection, case_id: i64, level: Level, due: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE cases SET level = ?2, initial_response_due = ?3 WHERE id = ?1",
        params![case_id, level.as_str(), ts(due)],
    )?;
    Ok(())
}

/// What an e-mail about a case says about it.
#[derive(Debug, Clone)]
pub struct Brief {
    /// `CS-000123`.
    pub number: String,
    /// Its subject.
    pub subject: String,
    /// Its status now.
    pub status: CaseStatus,
    /// Its level now.
    pub level: Level,
    /// When the initial response is due.
    pub due: DateTime<Utc>,
    /// When support first responded.
    pub first_response_at: Option<DateTime<Utc>>,
    /// The support region (for the time zone of times).
    pub region: String,
    /// The institution's name.
    pub institution: String,
}

/// A case as e-mails about it describe it.
pub fn brief(conn: &Connection, case_id: i64) -> Result<Brief> {
    conn.query_row(
        "SELECT c.number, c.subject, c.status, c.level, c.initial_response_due, c.first_response_at, i.region, i.name \
         FROM cases c JOIN institutions i ON i.id = c.institution_id WHERE c.id = ?1",
        [case_id],
        |r| {
            Ok(Brief {
                number: r.get(0)?,
                subject: r.get(1)?,
                status: stored("status", &r.get::<_, String>(2)?, CaseStatus::parse)?,
                level: stored("level", &r.get::<_, String>(3)?, Level::parse)?,
                due: parse_ts(&r.get::<_, String>(4)?)?,
                first_response_at: parse_ts_opt(r.get(5)?)?,
                region: r.get(6)?,
                institution: r.get(7)?,
            })
        },
    )
}

/// Whether case `case_id` has news for `user` (what opening it marks as seen).
pub fn has_news(conn: &Connection, user: i64, case_id: i64) -> Result<bool> {
    conn.query_row(
        &format!("SELECT {} FROM cases c WHERE c.id = ?1", news_sql(2)),
        params![case_id, user],
        |r| r.get(0),
    )
}

/// `user` opened case `case_id` at `now` (what "news since your last visit" counts from).
pub fn mark_seen(conn: &Connection, user: i64, case_id: i64, now: DateTime<Utc>) -> Result<()> {
    let changed = conn.execute(
        "UPDATE case_views SET seen_at = ?3 WHERE user_id = ?1 AND case_id = ?2",
        params![user, case_id, ts(now)],
    )?;
    if changed == 0 {
        conn.execute(
            "INSERT INTO case_views (user_id, case_id, seen_at) VALUES (?1, ?2, ?3)",
            params![user, case_id, ts(now)],
        )?;
    }
    Ok(())
}

/// Whether something happened on the case (by someone other than the viewer, `?{n}`, and seen by
/// customers) since the viewer last opened it — or since it was opened, if they never did.
fn news_sql(n: usize) -> String {
    format!(
        "EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.internal = 0 AND e.author_id <> ?{n} \
         AND e.at > COALESCE((SELECT v.seen_at FROM case_views v WHERE v.user_id = ?{n} AND v.case_id = c.id), c.opened_at))"
    )
}

/// The cases of `viewer` with news: those they opened, follow, or (support) are assigned to,
/// still open, that changed since they last opened them.
pub fn news(conn: &Connection, viewer: &Account) -> Result<Vec<String>> {
    let mut conds = Conditions::default();
    Visibility::add(viewer, &mut conds);
    let n = conds.args.len() + 1;
    conds.args.push(viewer.id.into());
    conds.sql.push(format!(
        "c.status <> 'closed' AND (c.opened_by = ?{n} OR c.assignee_id = ?{n} OR \
         EXISTS (SELECT 1 FROM followers f WHERE f.case_id = c.id AND f.user_id = ?{n} AND f.muted = 0))"
    ));
    conds.sql.push(news_sql(n));
    conn.query_map(
        &format!(
            "SELECT c.number FROM cases c {} ORDER BY c.updated_at DESC LIMIT 100",
            conds.where_sql()
        ),
        params_from_iter(conds.args.iter()),
        |r| r.get(0),
    )
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
