//! Service announcements, the banner on every page: listed for everyone (more to people who are
//! signed in), posted and withdrawn by support agents. The rules are in
//! `portal_core::announcement`.

use crate::sql::{params, Connection, OptionalExtension};
use axum::extract::State;
use axum::http::{header, StatusCode};
use portal_core::announcement::{self, Announcement, AnnouncementKind, NewAnnouncement};
use portal_core::model::Problem;
use portal_core::{model::FieldError, tr, trf, Role};

use super::{Json, Path};
use crate::auth::{MaybeSession, Session};
use crate::db::{parse_ts, ts, Account};
use crate::error::{ApiError, ApiResult};
use crate::routes::cases::load_case;
use crate::AppState;

/// The most announcements listed at once: a banner, not a news feed.
pub const LISTED_MAX: i64 = 5;

fn public_id(id: i64) -> String {
    format!("AN-{id:06}")
}

fn agent_only(account: &Account) -> ApiResult<()> {
    if account.role() == Role::Agent {
        Ok(())
    } else {
        Err(ApiError::forbidden(tr!(crate::lang::current(),
            en: "Only support agents post and withdraw announcements.",
            fr: "Seuls les agents du support publient et retirent des annonces.")))
    }
}

fn row(
    conn: &Connection,
    r: &crate::sql::Row,
    viewer: Option<&Account>,
) -> crate::sql::Result<Announcement> {
    let kind: String = r.get(1)?;
    let case_number: Option<String> = r.get(3)?;
    let case_visible = match (&case_number, viewer) {
        (Some(n), Some(a)) => matches!(load_case(conn, n, a), Ok(Some(_))),
        _ => false,
    };
    Ok(Announcement {
        id: public_id(r.get(0)?),
        kind: AnnouncementKind::parse(&kind).unwrap_or(AnnouncementKind::Information),
        message: r.get(2)?,
        case_number,
        case_visible,
        created_at: parse_ts(&r.get::<_, String>(4)?)?,
        expires_at: r
            .get::<_, Option<String>>(5)?
            .map(|t| parse_ts(&t))
            .transpose()?,
    })
}

/// `GET /api/v1/announcements`: what shows now, newest first. Signed out: the announcements for
/// everyone; a customer: also their institution's; an agent: all of them.
#[utoipa::path(get, path = "/api/v1/announcements", tag = "announcements", security(()), responses((status = 200, description = "What the service banner shows now, newest first", body = Vec<Announcement>)))]
pub async fn announcements_list(
    State(state): State<AppState>,
    MaybeSession(viewer): MaybeSession,
) -> ApiResult<Json<Vec<Announcement>>> {
    let now = ts(state.now());
    let items = state
        .db
        .call(move |c| {
            let (agent, inst) = match &viewer {
                Some(a) if a.role() == Role::Agent => (true, -1),
                Some(a) => (false, a.institution.as_ref().map_or(-1, |i| i.id)),
                None => (false, -1),
            };
            let mut stmt = c.prepare(
                "SELECT id, kind, message, case_number, created_at, expires_at FROM announcements \
                 WHERE withdrawn_at IS NULL AND (expires_at IS NULL OR expires_at > ?1) \
                 AND (?2 OR institution_id IS NULL OR institution_id = ?3) ORDER BY id DESC LIMIT ?4",
            )?;
            let rows = stmt
                .query_map(params![now, agent, inst, LISTED_MAX], |r| {
                    row(c, r, viewer.as_ref())
                })?
                .collect::<crate::sql::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await?;
    Ok(Json(items))
}

/// `POST /api/v1/announcements` (agents): posts an announcement; 201 with it and its Location.
#[utoipa::path(post, path = "/api/v1/announcements", tag = "announcements", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = NewAnnouncement, responses((status = 201, description = "Posted (agents)", body = Announcement), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn announcements_create(
    State(state): State<AppState>,
    Session(account): Session,
    Json(body): Json<NewAnnouncement>,
) -> ApiResult<(
    StatusCode,
    [(header::HeaderName, String); 1],
    Json<Announcement>,
)> {
    agent_only(&account)?;
    let now = state.now();
    let errors = announcement::validate(&body, now, crate::lang::current());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let created = state
        .db
        .call(move |c| {
            let mut errors = Vec::new();
            if let Some(n) = &body.case_number {
                if load_case(c, n, &account)?.is_none() {
                    errors.push(FieldError::new("case_number", trf!(crate::lang::current(), en: "There is no case {n}.", fr: "Le dossier {n} n’existe pas.")));
                }
            }
            if let Some(i) = body.institution_id {
                let known: Option<i64> = c
                    .query_row("SELECT id FROM institutions WHERE id = ?1", [i], |r| r.get(0))
                    .optional()?;
                if known.is_none() {
                    errors.push(FieldError::new("institution_id", trf!(crate::lang::current(), en: "There is no institution {i}.", fr: "L’établissement {i} n’existe pas.")));
                }
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            c.execute(
                "INSERT INTO announcements (kind, message, case_number, institution_id, created_by, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    body.kind.as_str(),
                    body.message.trim(),
                    body.case_number,
                    body.institution_id,
                    account.id,
                    ts(now),
                    body.expires_at.map(ts)
                ],
            )?;
            let id = c.last_insert_rowid()?;
            Ok(c.query_row(
                "SELECT id, kind, message, case_number, created_at, expires_at FROM announcements WHERE id = ?1",
                [id],
                |r| row(c, r, Some(&account)),
            )?)
        })
        .await?;
    let location = format!("/api/v1/announcements/{}", created.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(created),
    ))
}

/// `DELETE /api/v1/announcements/{id}` (agents): withdraws it at once, for everyone.
#[utoipa::path(delete, path = "/api/v1/announcements/{id}", tag = "announcements", params(("id" = String, Path, description = "Announcement id, e.g. AN-000001"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 204, description = "Withdrawn (agents)"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn announcements_delete(
    State(state): State<AppState>,
    Session(account): Session,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    agent_only(&account)?;
    let missing = || {
        ApiError::NotFound(trf!(crate::lang::current(),
            en: "There is no announcement {id} showing.",
            fr: "Aucune annonce {id} n’est affichée."))
    };
    let row_id: i64 = id
        .strip_prefix("AN-")
        .and_then(|d| d.parse().ok())
        .ok_or_else(missing)?;
    let now = ts(state.now());
    let changed = state
        .db
        .call(move |c| {
            Ok(c.execute(
                "UPDATE announcements SET withdrawn_at = ?1 WHERE id = ?2 AND withdrawn_at IS NULL",
                params![now, row_id],
            )?)
        })
        .await?;
    if changed == 0 {
        return Err(missing());
    }
    Ok(StatusCode::NO_CONTENT)
}
