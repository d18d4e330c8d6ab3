//! Cases: list, create (idempotent), show, and the lifecycle actions.
//!
//! Authorization is part of every query: a customer only ever reaches cases of their own
//! institution, and another institution's case answers 404 exactly like a missing one.

use crate::sql::{params, params_from_iter, Connection, Dialect, OptionalExtension};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use chrono::{DateTime, Utc};
use portal_core::attachment::Limits;
use portal_core::model::Problem;
use portal_core::model::{CaseDetail, CaseList, CaseSummary, EntryKind, NewCase, NewComment};
use portal_core::model::{CaseOverview, WeekCount};
use portal_core::validate::{self, Context};
use portal_core::{tr, trf, CaseAction, CaseStatus, Level, RequestKind, Role};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Json, Path, Query};
use crate::auth::Session;
use crate::db::{
    self, add_event, parse_environment, scenario, summary_row, ts, Account, POSTGRES_SEARCH_TEXT,
    SUMMARY_COLUMNS, SUMMARY_FROM,
};
use crate::error::{ApiError, ApiResult};
use crate::idempotency::{self, Claim, Key};
use crate::lang;
use crate::AppState;

/// Rows per page unless asked otherwise.
pub const PAGE_SIZE_DEFAULT: u32 = 25;
/// Most rows per page.
pub const PAGE_SIZE_MAX: u32 = 100;
/// Highest page number asked for (a bound, so a page number never overflows an offset).
pub const PAGE_MAX: u32 = 100_000;
/// Longest accepted Idempotency-Key.
pub const IDEMPOTENCY_KEY_MAX: usize = 200;

/// Query of `GET /api/v1/cases`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `mine` or `institution` (default); empty means the default.
    #[serde(default)]
    #[param(pattern = "^(|mine|institution)$")]
    pub scope: Option<String>,
    /// Status filter: a status, or `open` for every status but closed; empty means all.
    #[serde(default)]
    #[param(pattern = "^(|open|new|in_progress|awaiting_customer|solution_proposed|closed)$")]
    pub status: Option<String>,
    /// Level filter (I–IV); empty means all.
    #[serde(default)]
    #[param(pattern = "^(|I|II|III|IV)$")]
    pub level: Option<String>,
    /// Request kind filter; empty means all.
    #[serde(default)]
    #[param(pattern = "^(|question|defect|integration_request|ux_redesign)$")]
    pub kind: Option<String>,
    /// Case number or words in subject / description (at most 200 characters).
    #[serde(default)]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Column, `-` first for descending (default `-updated_at`).
    #[serde(default)]
    #[param(
        pattern = "^(|-?(number|subject|status|level|kind|opened_at|updated_at|initial_response_due))$"
    )]
    pub sort: Option<String>,
    /// 1-based page (at most 100 000).
    #[serde(default)]
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Rows per page (1–100, default 25).
    #[serde(default)]
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
}

const SORTABLE: [(&str, &str); 8] = [
    ("number", "c.id"),
    ("subject", "lower(c.subject)"),
    ("status", "c.status"),
    ("level", "c.level"),
    ("kind", "c.kind"),
    ("opened_at", "c.opened_at"),
    ("updated_at", "c.updated_at"),
    ("initial_response_due", "c.initial_response_due"),
];

fn empty_to_none(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Adds the authorization condition for `account` to a WHERE clause.
fn visible_to(account: &Account, conds: &mut Vec<String>, args: &mut Vec<crate::sql::Value>) {
    if account.role() == Role::Customer {
        // A customer without an institution sees nothing.
        let inst = account.institution.as_ref().map_or(-1, |i| i.id);
        conds.push(format!("c.institution_id = ?{}", args.len() + 1));
        args.push(inst.into());
    }
}

/// The WHERE conditions (and their arguments) for the cases `account` may see within `scope`
/// (`mine` or `institution`, the default): shared by the list and the overview.
fn visible_in_scope(
    account: &Account,
    scope: &Option<String>,
) -> ApiResult<(Vec<String>, Vec<crate::sql::Value>)> {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<crate::sql::Value> = Vec::new();
    visible_to(account, &mut conds, &mut args);
    match empty_to_none(scope) {
        None | Some("institution") => {}
        Some("mine") => {
            conds.push(format!("c.opened_by = ?{}", args.len() + 1));
            args.push(account.id.into());
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Unknown scope {other:?}: use mine or institution."
            )))
        }
    }
    Ok((conds, args))
}

/// `GET /api/v1/cases`: the cases the user may see, filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListQuery), responses((status = 200, description = "One page of the cases you may see", body = CaseList), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_list(
    State(state): State<AppState>,
    Session(account): Session,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<CaseList>> {
    let (mut conds, mut args) = visible_in_scope(&account, &q.scope)?;
    if let Some(s) = empty_to_none(&q.status) {
        let status = if s == "open" {
            None
        } else {
            Some(CaseStatus::parse(s).ok_or_else(|| {
                ApiError::bad_request(format!("Unknown status {s:?}: use open, new, in_progress, awaiting_customer, solution_proposed or closed."))
            })?)
        };
        match status {
            Some(st) => {
                conds.push(format!("c.status = ?{}", args.len() + 1));
                args.push(st.as_str().to_string().into());
            }
            None => conds.push("c.status <> 'closed'".into()),
        }
    }
    if let Some(l) = empty_to_none(&q.level) {
        let level = Level::parse(l).ok_or_else(|| {
            ApiError::bad_request(format!("Unknown level {l:?}: use I, II, III or IV."))
        })?;
        conds.push(format!("c.level = ?{}", args.len() + 1));
        args.push(level.as_str().to_string().into());
    }
    if let Some(k) = empty_to_none(&q.kind) {
        let kind = RequestKind::parse(k)
            .ok_or_else(|| ApiError::bad_request(format!("Unknown request kind {k:?}.")))?;
        conds.push(format!("c.kind = ?{}", args.len() + 1));
        args.push(kind.as_str().to_string().into());
    }
    if let Some(text) = empty_to_none(&q.q) {
        if text.chars().count() > 200 {
            return Err(ApiError::bad_request("Search for at most 200 characters."));
        }
        let n = args.len() + 1;
        let escaped = || {
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        };
        match state.db.dialect() {
            Dialect::Sqlite if text.chars().count() >= 3 => {
                // The trigram index finds the text anywhere in number, subject or description,
                // as the LIKE below would, without reading every case. Quoted: a phrase, never
                // syntax.
                conds.push(format!(
                    "c.id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH ?{n})"
                ));
                args.push(format!("\"{}\"", text.replace('"', "\"\"")).into());
            }
            Dialect::Sqlite => {
                conds.push(format!(
                    "(c.number LIKE ?{n} ESCAPE '\\' OR c.subject LIKE ?{n} ESCAPE '\\' OR c.description LIKE ?{n} ESCAPE '\\')"
                ));
                args.push(format!("%{}%", escaped()).into());
            }
            Dialect::Postgres => {
                // One trigram index over the three columns serves this (ILIKE on PostgreSQL).
                conds.push(format!("({POSTGRES_SEARCH_TEXT}) LIKE ?{n} ESCAPE '\\'"));
                args.push(format!("%{}%", escaped()).into());
            }
        }
    }
    let sort = empty_to_none(&q.sort).unwrap_or("-updated_at");
    let (desc, key) = match sort.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, sort),
    };
    let column = SORTABLE
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, c)| *c)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "Cannot sort by {key:?}: use one of {}, with - in front for descending.",
                SORTABLE.map(|(k, _)| k).join(", ")
            ))
        })?;
    let page = q.page.unwrap_or(1);
    if !(1..=PAGE_MAX).contains(&page) {
        return Err(ApiError::bad_request(format!(
            "page must be between 1 and {PAGE_MAX}."
        )));
    }
    let page_size = q.page_size.unwrap_or(PAGE_SIZE_DEFAULT);
    if page_size == 0 || page_size > PAGE_SIZE_MAX {
        return Err(ApiError::bad_request(format!(
            "page_size must be between 1 and {PAGE_SIZE_MAX}."
        )));
    }
    let where_sql = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let order = format!(
        "{column} {dir}, c.id {dir}",
        dir = if desc { "DESC" } else { "ASC" }
    );
    let offset = u64::from(page - 1) * u64::from(page_size);
    let list = state
        .db
        .call(move |c| {
            let total: i64 = c.query_row(
                // Every condition is on `cases`: counting needs no joins.
                &format!("SELECT COUNT(*) FROM cases c {where_sql}"), params_from_iter(args.iter()), |r| r.get(0))?;
            let sql = format!("SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} {where_sql} ORDER BY {order} LIMIT {page_size} OFFSET {offset}");
            let mut stmt = c.prepare(&sql)?;
            let items = stmt.query_map(params_from_iter(args.iter()), summary_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(CaseList { items, total: u64::try_from(total).unwrap_or(0), page, page_size })
        })
        .await?;
    Ok(Json(list))
}

/// Weeks in the overview chart.
pub const OVERVIEW_WEEKS: i64 = 8;

/// Query of `GET /api/v1/cases/overview`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// `mine` or `institution` (default); empty means the default.
    #[serde(default)]
    #[param(pattern = "^(|mine|institution)$")]
    pub scope: Option<String>,
}

/// `GET /api/v1/cases/overview`: counts by status and by level (open cases), and cases opened
/// and closed per week over the last eight weeks, for the cases the user may see.
#[utoipa::path(get, path = "/api/v1/cases/overview", tag = "cases", params(OverviewQuery), responses((status = 200, description = "Counts by status and level, and cases opened and closed per week", body = CaseOverview), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_overview(
    State(state): State<AppState>,
    Session(account): Session,
    Query(q): Query<OverviewQuery>,
) -> ApiResult<Json<CaseOverview>> {
    let (conds, args) = visible_in_scope(&account, &q.scope)?;
    let where_sql = if conds.is_empty() {
        "WHERE 1 = 1".to_string()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let today = state.now().date_naive();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let first = monday - chrono::Duration::weeks(OVERVIEW_WEEKS - 1);
    let since = first.format("%Y-%m-%d").to_string();
    let overview = state
        .db
        .call(move |c| {
            let count_by = |column: &str, extra: &str| -> crate::sql::Result<Vec<(String, u64)>> {
                let mut stmt = c.prepare(&format!(
                    "SELECT {column}, COUNT(*) FROM cases c {where_sql} {extra} GROUP BY {column}"
                ))?;
                let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.try_into().unwrap_or(0)))
                })?;
                rows.collect()
            };
            let statuses = count_by("c.status", "")?;
            let levels = count_by("c.level", "AND c.status <> 'closed'")?;
            // Week of an instant: the Monday on or before its date (stored instants are UTC).
            let week = |col: &str| match c.dialect() {
                Dialect::Sqlite => format!("date({col}, '-6 days', 'weekday 1')"),
                Dialect::Postgres => format!(
                    "to_char(date_trunc('week', ({col})::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"
                ),
            };
            let n = args.len() + 1;
            let mut stmt = c.prepare(&format!(
                "SELECT {w}, COUNT(*) FROM cases c {where_sql} AND c.opened_at >= ?{n} GROUP BY 1",
                w = week("c.opened_at")
            ))?;
            let mut all: Vec<crate::sql::Value> = args.clone();
            all.push(since.clone().into());
            let opened: Vec<(String, i64)> = stmt
                .query_map(params_from_iter(all.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let mut stmt = c.prepare(&format!(
                "SELECT {w}, COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id {where_sql} \
                 AND e.status = 'closed' AND e.at >= ?{n} GROUP BY 1",
                w = week("e.at")
            ))?;
            let closed: Vec<(String, i64)> = stmt
                .query_map(params_from_iter(all.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let find = |list: &[(String, i64)], w: &str| {
                list.iter().find(|(k, _)| k == w).map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0))
            };
            let weeks = (0..OVERVIEW_WEEKS)
                .map(|i| {
                    let w = (first + chrono::Duration::weeks(i)).format("%Y-%m-%d").to_string();
                    WeekCount { opened: find(&opened, &w), closed: find(&closed, &w), week: w }
                })
                .collect();
            let get = |list: &[(String, u64)], k: &str| list.iter().find(|(s, _)| s == k).map_or(0, |(_, n)| *n);
            Ok(CaseOverview {
                by_status: CaseStatus::ALL.into_iter().map(|s| (s, get(&statuses, s.as_str()))).collect(),
                open_by_level: Level::ALL.into_iter().map(|l| (l, get(&levels, l.as_str()))).collect(),
                weeks,
            })
        })
        .await?;
    Ok(Json(overview))
}

/// Loads a case the account may see, as (row id, detail).
pub fn load_case(
    conn: &Connection,
    number: &str,
    account: &Account,
) -> ApiResult<Option<(i64, CaseDetail)>> {
    let mut conds = vec!["c.number = ?1".to_string()];
    let mut args: Vec<crate::sql::Value> = vec![number.to_string().into()];
    visible_to(account, &mut conds, &mut args);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, c.id, c.product_area, c.environment, c.description, c.scenario_steps, \
         c.scenario_expected, c.scenario_actual, c.frequency, i.region, \
         EXISTS (SELECT 1 FROM case_secrets s WHERE s.case_id = c.id) {SUMMARY_FROM} WHERE {}",
        conds.join(" AND ")
    );
    let found = conn
        .query_row(&sql, params_from_iter(args.iter()), |r| {
            let summary: CaseSummary = summary_row(r)?;
            let id: i64 = r.get(11)?;
            let status = summary.status;
            Ok((
                id,
                CaseDetail {
                    summary,
                    product_area: r.get(12)?,
                    environment: parse_environment(&r.get::<_, String>(13)?),
                    description: r.get(14)?,
                    scenario: scenario(r.get(15)?, r.get(16)?, r.get(17)?),
                    frequency: r.get(18)?,
                    region: r.get(19)?,
                    credentials_provided: r.get(20)?,
                    attachments: Vec::new(),
                    actions: status.actions(account.role()),
                    timeline: Vec::new(),
                },
            ))
        })
        .optional()?;
    match found {
        Some((id, mut detail)) => {
            detail.timeline = db::timeline(conn, id)?;
            detail.attachments = db::case_attachments(conn, id)?;
            Ok(Some((id, detail)))
        }
        None => Ok(None),
    }
}

fn not_found(number: &str) -> ApiError {
    ApiError::NotFound(trf!(lang::current(),
        en: "There is no case {number} that you can see. Check the number, or ask a colleague who opened it.",
        fr: "Aucun dossier {number} ne vous est visible. Vérifiez le numéro, ou demandez au collègue qui l’a ouvert."))
}

/// `GET /api/v1/cases/{number}`: one case with its timeline. Sends an `ETag`; with a matching
/// `If-None-Match` it answers 304 and no body, so polling for updates costs next to nothing.
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("If-None-Match" = Option<String>, Header, description = "ETag of the copy you have")), responses((status = 200, description = "The case with its timeline", body = CaseDetail), (status = 304, description = "Unchanged since the ETag you sent"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_show(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let n = number.clone();
    let detail = state
        .db
        .call(move |c| load_case(c, &n, &account))
        .await?
        .map(|(_, d)| d)
        .ok_or_else(|| not_found(&number))?;
    let json = serde_json::to_vec(&detail).map_err(|e| ApiError::Internal(e.to_string()))?;
    let digest = Sha256::digest(&json);
    let etag = format!(
        "\"{}\"",
        digest
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, json).into_response()
    };
    let h = res.headers_mut();
    if !matches {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(res)
}

fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = v
        .to_str()
        .map_err(|_| ApiError::bad_request("Idempotency-Key must be plain ASCII text."))?
        .trim()
        .to_string();
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX {
        return Err(ApiError::bad_request(format!(
            "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} characters."
        )));
    }
    Ok(Some(key))
}

fn created(status: u16, body: String, number: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED);
    let mut res = (code, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/cases/{number}")) {
        h.insert(header::LOCATION, v);
    }
    res
}

/// `POST /api/v1/cases`: opens a support case. With an `Idempotency-Key`, a repeat of the same
/// request replays the first answer (one case, however often it is sent), a repeat while the
/// first is still running answers 409, and the same key with a different body answers 422.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)"), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key (1 to 200 characters): a repeat replays the first answer; another body under the same key is 422", min_length = 1, max_length = 200)), request_body = NewCase, responses((status = 201, description = "Opened: the case with its number and response due", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 409, description = "The same Idempotency-Key is still being processed: retry after Retry-After", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_create(
    State(state): State<AppState>,
    Session(account): Session,
    headers: HeaderMap,
    Json(body): Json<NewCase>,
) -> ApiResult<Response> {
    let Some(institution) = account.institution.clone() else {
        return Err(ApiError::forbidden(tr!(lang::current(),
            en: "Support agents do not open cases in the portal; customers do.",
            fr: "Les agents du support n’ouvrent pas de dossiers dans le portail ; les clients le font.")));
    };
    let key = idempotency_key(&headers)?.map(|k| Key::new(account.id, "POST /cases", &k, &body));
    let errors = validate::new_case(
        &body,
        Context {
            has_connect_layer: institution.has_connect_layer,
        },
        lang::current(),
    );
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = state.now();
    let due = state
        .region(&institution.region)?
        .initial_response_due(body.level, now)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(k) = key.clone() {
        if let Claim::Replay(status, json) = state
            .db
            .call(move |c| idempotency::claim(c, &k, now))
            .await?
        {
            let number = serde_json::from_str::<serde_json::Value>(&json)
                .ok()
                .and_then(|v| v["summary"]["number"].as_str().map(String::from))
                .unwrap_or_default();
            return Ok(created(status, json, &number));
        }
    }
    let k = key.clone();
    let result = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let id = insert_case(&tx, &account, institution.id, &body, now, due)?;
            if let Some(creds) = body.credentials.as_ref().filter(|c| c.is_complete()) {
                tx.execute(
                    "INSERT INTO case_secrets (case_id, app_username, app_password) VALUES (?1, ?2, ?3)",
                    params![id, creds.username, creds.password],
                )?;
            }
            db::link_uploads(&tx, &account, &body.attachments, id, None)?;
            let number = format!("CS-{id:06}");
            tx.execute("UPDATE cases SET number = ?2 WHERE id = ?1", params![id, number])?;
            let detail = load_case(&tx, &number, &account)?.map(|(_, d)| d).ok_or_else(|| ApiError::Internal("new case vanished".into()))?;
            let json = serde_json::to_string(&detail).map_err(|e| ApiError::Internal(e.to_string()))?;
            if let Some(k) = &k {
                idempotency::complete(&tx, k, 201, &json, now)?;
            }
            tx.commit()?;
            Ok((json, number))
        })
        .await;
    let (json, number) = match result {
        Ok(r) => r,
        Err(e) => {
            if let Some(k) = key {
                state
                    .db
                    .call(move |c| Ok(idempotency::release(c, &k)?))
                    .await?;
            }
            return Err(e);
        }
    };
    tracing::info!(case = %number, "case opened");
    Ok(created(201, json, &number))
}

fn insert_case(
    tx: &Connection,
    account: &Account,
    institution_id: i64,
    body: &NewCase,
    now: DateTime<Utc>,
    due: DateTime<Utc>,
) -> crate::sql::Result<i64> {
    let articles = serde_json::to_string(&body.articles_viewed).unwrap_or_else(|_| "[]".into());
    tx.execute(
        "INSERT INTO cases (institution_id, opened_by, kind, level, status, product_area, environment, subject, description, \
         scenario_steps, scenario_expected, scenario_actual, frequency, connect_layer_access, articles_viewed, opened_at, \
         updated_at, initial_response_due) VALUES (?1, ?2, ?3, ?4, 'new', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16)",
        params![
            institution_id,
            account.id,
            body.kind.as_str(),
            body.level.as_str(),
            body.product_area.trim(),
            body.environment.as_str(),
            body.subject.trim(),
            body.description,
            body.scenario.steps,
            body.scenario.expected,
            body.scenario.actual,
            body.frequency,
            body.connect_layer_access,
            articles,
            ts(now),
            ts(due),
        ],
    )?;
    tx.last_insert_rowid()
}

/// Applies `action` to a case, with `body` for comments and solutions, and answers the new detail.
async fn act(
    state: AppState,
    account: Account,
    number: String,
    action: CaseAction,
    body: String,
    files: Vec<String>,
    key: Option<Key>,
) -> ApiResult<Json<CaseDetail>> {
    let now = state.now();
    let n = number.clone();
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let (id, detail) = load_case(&tx, &n, &account)?.ok_or_else(|| not_found(&n))?;
            let from = detail.summary.status;
            let to = from.after(account.role(), action).ok_or_else(|| {
                let l = lang::current();
                let (status, done) = (from.label(l).to_lowercase(), action_past(action, l));
                ApiError::conflict(trf!(l,
                    en: "A case that is {status} cannot be {done}.",
                    fr: "Un dossier au statut « {status} » ne peut pas être {done}."))
            })?;
            let event = match action {
                CaseAction::Comment => add_event(
                    &tx,
                    id,
                    &account,
                    EntryKind::Comment,
                    &body,
                    (to != from).then_some(to),
                    now,
                )?,
                CaseAction::ProposeSolution => {
                    add_event(&tx, id, &account, EntryKind::Solution, &body, Some(to), now)?
                }
                _ => add_event(&tx, id, &account, EntryKind::Status, "", Some(to), now)?,
            };
            db::link_uploads(&tx, &account, &files, id, Some(event))?;
            let detail = load_case(&tx, &n, &account)?
                .map(|(_, d)| d)
                .ok_or_else(|| not_found(&n))?;
            if let Some(k) = &key {
                let json = serde_json::to_string(&detail)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                idempotency::complete(&tx, k, 201, &json, now)?;
            }
            tx.commit()?;
            Ok(Json(detail))
        })
        .await
}

fn action_past(a: CaseAction, lang: portal_core::Lang) -> &'static str {
    match a {
        CaseAction::Comment => tr!(lang, en: "commented on", fr: "commenté"),
        CaseAction::Close => tr!(lang, en: "closed", fr: "clôturé"),
        CaseAction::Reopen => tr!(lang, en: "reopened", fr: "rouvert"),
        CaseAction::Accept => tr!(lang,
            en: "accepted (no solution is proposed)",
            fr: "accepté (aucune solution n’est proposée)"),
        CaseAction::ProposeSolution => {
            tr!(lang, en: "given a proposed solution", fr: "doté d’une proposition de solution")
        }
    }
}

fn checked_comment(body: &NewComment, limits: Limits) -> ApiResult<String> {
    if body.attachments.len() > limits.max_files {
        return Err(ApiError::field("attachments", {
            let max = limits.max_files;
            trf!(lang::current(),
                    en: "Attach at most {max} files to one update.",
                    fr: "Joignez au plus {max} fichiers à un message.")
        }));
    }
    match validate::comment(&body.body, lang::current()) {
        Some(m) => Err(ApiError::field("body", m)),
        None => Ok(body.body.clone()),
    }
}

/// `POST /api/v1/cases/{number}/comments` {body, attachments}: adds an update; a customer's answer
/// to a case awaiting them hands it back to support. With an `Idempotency-Key`, a retry never
/// posts the update twice (same rules as creating a case).
#[utoipa::path(post, path = "/api/v1/cases/{number}/comments", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)"), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key (1 to 200 characters): a repeat replays the first answer; another body under the same key is 422", min_length = 1, max_length = 200)), request_body = NewComment, responses((status = 201, description = "Posted; the case as it is now", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "The same Idempotency-Key is still being processed: retry after Retry-After", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn comments_create(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    headers: HeaderMap,
    Json(body): Json<NewComment>,
) -> ApiResult<Response> {
    let text = checked_comment(&body, state.config.base().attachment_limits)?;
    let key = idempotency_key(&headers)?.map(|k| {
        Key::new(
            account.id,
            &format!("POST /cases/{number}/comments"),
            &k,
            &body,
        )
    });
    let now = state.now();
    if let Some(k) = key.clone() {
        if let Claim::Replay(status, json) = state
            .db
            .call(move |c| idempotency::claim(c, &k, now))
            .await?
        {
            return Ok(created(status, json, &number));
        }
    }
    let result = act(
        state.clone(),
        account,
        number.clone(),
        CaseAction::Comment,
        text,
        body.attachments,
        key.clone(),
    )
    .await;
    match result {
        Ok(Json(detail)) => Ok((StatusCode::CREATED, Json(detail)).into_response()),
        Err(e) => {
            if let Some(k) = key {
                state
                    .db
                    .call(move |c| Ok(idempotency::release(c, &k)?))
                    .await?;
            }
            Err(e)
        }
    }
}

/// `POST /api/v1/cases/{number}/{close|reopen|accept}`: a status transition the core lifecycle
/// allows for this user here (accept: the customer accepts the proposed solution).
#[utoipa::path(post, path = "/api/v1/cases/{number}/{action}", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("action" = String, Path, description = "close, reopen or accept", pattern = "^(close|reopen|accept)$"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 200, description = "The case after the action", body = CaseDetail), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_transition(
    State(state): State<AppState>,
    Session(account): Session,
    Path((number, action)): Path<(String, String)>,
) -> ApiResult<Json<CaseDetail>> {
    match CaseAction::parse(&action).filter(|a| a.is_transition()) {
        Some(a) => act(state, account, number, a, String::new(), Vec::new(), None).await,
        None => Err(ApiError::NotFound(format!(
            "There is no case action {action:?}; use close, reopen or accept."
        ))),
    }
}

/// `POST /api/v1/cases/{number}/solution` {body} (agents): proposes a solution.
#[utoipa::path(post, path = "/api/v1/cases/{number}/solution", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewComment, responses((status = 200, description = "Solution proposed (agents)", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn solution_create(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(body): Json<NewComment>,
) -> ApiResult<Json<CaseDetail>> {
    if account.role() != Role::Agent {
        // Customers may not even learn whether the case exists through this path.
        return Err(ApiError::forbidden(tr!(lang::current(),
            en: "Only support agents propose solutions.",
            fr: "Seuls les agents du support proposent des solutions.")));
    }
    let text = checked_comment(&body, state.config.base().attachment_limits)?;
    act(
        state,
        account,
        number,
        CaseAction::ProposeSolution,
        text,
        body.attachments,
        None,
    )
    .await
}

/// Body of `PATCH /api/v1/cases/{number}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CasePatch {
    /// The new status.
    pub status: CaseStatus,
}

/// `PATCH /api/v1/cases/{number}` {status} (agents): moves a case along its lifecycle.
#[utoipa::path(patch, path = "/api/v1/cases/{number}", tag = "cases", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = CasePatch, responses((status = 200, description = "Moved along its lifecycle (agents)", body = CaseDetail), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Not possible from the status the case is in", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn cases_update(
    State(state): State<AppState>,
    Session(account): Session,
    Path(number): Path<String>,
    Json(patch): Json<CasePatch>,
) -> ApiResult<Json<CaseDetail>> {
    if account.role() != Role::Agent {
        return Err(ApiError::forbidden(tr!(lang::current(),
            en: "Only support agents change a case's status directly.",
            fr: "Seuls les agents du support changent directement le statut d’un dossier.")));
    }
    let now = state.now();
    let n = number.clone();
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let (id, detail) = load_case(&tx, &n, &account)?.ok_or_else(|| not_found(&n))?;
            let from = detail.summary.status;
            if !from.can_move(Role::Agent, patch.status) {
                let l = lang::current();
                let (status, to) = (
                    from.label(l).to_lowercase(),
                    patch.status.label(l).to_lowercase(),
                );
                return Err(ApiError::conflict(trf!(l,
                    en: "A case that is {status} cannot move to {to}.",
                    fr: "Un dossier au statut « {status} » ne peut pas passer à « {to} »."
                )));
            }
            add_event(
                &tx,
                id,
                &account,
                EntryKind::Status,
                "",
                Some(patch.status),
                now,
            )?;
            let detail = load_case(&tx, &n, &account)?
                .map(|(_, d)| d)
                .ok_or_else(|| not_found(&n))?;
            tx.commit()?;
            Ok(Json(detail))
        })
        .await
}
