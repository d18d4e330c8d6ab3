//! Service announcements, the banner on every page: listed for everyone (more to people who are
//! signed in), posted and withdrawn by support agents. The rules are in
//! `portal_core::announcement`; what shows to whom is `db::announcements`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use portal_core::access::{self, Permission};
use portal_core::announcement::{self, Announcement, NewAnnouncement};
use portal_core::model::{FieldError, Problem};
use portal_core::trf;

use super::{Json, Path, Query};
use crate::auth::{MaybeSession, Session};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::lang;
use crate::AppState;

/// The most announcements listed at once: a banner, not a news feed.
pub const LISTED_MAX: i64 = 5;

/// `GET /api/v1/announcements`: what shows now, newest first. Signed out: the announcements for
/// everyone; a customer: also their institution's; an agent: all of them. With
/// `include=scheduled` (support), also those that start later.
#[utoipa::path(get, path = "/api/v1/announcements", tag = "announcements", security(()), params(ListQuery), responses((status = 401, description = "include=scheduled without a session", body = Problem, content_type = "application/problem+json"), (status = 403, description = "include=scheduled is for support agents", body = Problem, content_type = "application/problem+json"), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 200, description = "What the service banner shows now, newest first", body = Vec<Announcement>)))]
pub async fn announcements_list(
    State(state): State<AppState>,
    MaybeSession(viewer): MaybeSession,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<Announcement>>> {
    let now = state.now();
    let scheduled = match q.include.as_deref().unwrap_or("") {
        "" => false,
        "scheduled" => true,
        other => {
            return Err(ApiError::bad_request(portal_core::trf!(lang::current(),
                en: "“{other}” cannot be included: use include=scheduled, or nothing.",
                fr: "« {other} » ne peut pas être inclus : utilisez include=scheduled, ou rien.")))
        }
    };
    if scheduled {
        match &viewer {
            Some(a) => access::check(a.role(), Permission::ManageAnnouncements, lang::current())
                .map_err(ApiError::forbidden)?,
            None => return Err(ApiError::Unauthorized),
        }
    }
    let limit = if scheduled { MANAGED_MAX } else { LISTED_MAX };
    let items = state
        .db
        .read(move |c| {
            Ok(db::announcements::showing(
                c,
                viewer.as_ref(),
                now,
                limit,
                scheduled,
            )?)
        })
        .await?;
    Ok(Json(items))
}

/// The most announcements support's screen lists (current and scheduled).
pub const MANAGED_MAX: i64 = 100;

/// Query of `GET /api/v1/announcements`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `scheduled` (support): also the announcements that start later.
    #[serde(default)]
    #[param(pattern = "^(|scheduled)$")]
    include: Option<String>,
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
    access::check(
        account.role(),
        Permission::ManageAnnouncements,
        lang::current(),
    )
    .map_err(ApiError::forbidden)?;
    let now = state.now();
    let errors = announcement::validate(&body, now, lang::current());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let created = state
        .db
        .call(move |c| {
            let l = lang::current();
            let mut errors = Vec::new();
            if let Some(n) = &body.case_number {
                if db::cases::visible_id(c, n, &account)?.is_none() {
                    errors.push(FieldError::new("case_number", trf!(l, en: "There is no case {n}.", fr: "Le dossier {n} n’existe pas.")));
                }
            }
            if let Some(i) = body.institution_id {
                if !db::accounts::institution_exists(c, i)? {
                    errors.push(FieldError::new("institution_id", trf!(l, en: "There is no institution {i}.", fr: "L’établissement {i} n’existe pas.")));
                }
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            Ok(db::announcements::insert(c, &account, &body, now)?)
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
    access::check(
        account.role(),
        Permission::ManageAnnouncements,
        lang::current(),
    )
    .map_err(ApiError::forbidden)?;
    let missing = || {
        ApiError::NotFound(trf!(lang::current(),
            en: "There is no announcement {id} showing.",
            fr: "Aucune annonce {id} n’est affichée."))
    };
    let row_id = db::announcements::row_id(&id).ok_or_else(missing)?;
    let now = state.now();
    let withdrawn = state
        .db
        .call(move |c| Ok(db::announcements::withdraw(c, row_id, now)?))
        .await?;
    if withdrawn {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(missing())
    }
}
