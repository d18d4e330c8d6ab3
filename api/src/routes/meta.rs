//! Health, configuration, the response-due preview and the problem+json fallbacks.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use chrono::{DateTime, Utc};
use portal_core::model::Problem;
use portal_core::model::{Config, SlaPreview};
use portal_core::{tr, trf, Level};
use serde::Deserialize;

use super::{Json, Query};
use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// `GET /api/v1/health`: the service is up and its database answers.
#[utoipa::path(get, path = "/api/v1/health", tag = "meta", security(()), responses((status = 200, description = "The API and its database answer", body = serde_json::Value)))]
pub async fn health(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    state.db.read(|c| Ok(crate::db::ping(c)?)).await?;
    Ok(Json(serde_json::json!({ "status": "ok" })))
}

/// `GET /api/v1/config`: kinds, levels, regions, links and contacts.
#[utoipa::path(get, path = "/api/v1/config", tag = "meta", security(()), responses((status = 200, description = "Request kinds, response levels, regions, links and limits of this deployment", body = Config)))]
pub async fn config_show(State(state): State<AppState>) -> Json<Config> {
    Json(state.config.get(crate::lang::current()).clone())
}

/// `GET /api/v1/openapi.json` (public): the API contract, OpenAPI 3.1.
pub async fn openapi_show() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        crate::openapi::document(),
    )
}

/// Query of `GET /api/v1/sla/preview`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// The response level.
    #[param(value_type = portal_core::Level)]
    level: String,
    /// A support region id (see `GET /api/v1/config`).
    region: String,
    /// When the case would be opened (RFC 3339); now when absent.
    #[serde(default)]
    #[param(value_type = Option<String>, format = DateTime)]
    opened_at: Option<String>,
}

/// `GET /api/v1/sla/preview?level=III&region=emea&opened_at=…Z` (public): when the initial
/// response would be due; `opened_at` defaults to now.
#[utoipa::path(get, path = "/api/v1/sla/preview", tag = "meta", params(PreviewQuery), security(()), responses((status = 200, description = "When the initial response would be due", body = SlaPreview), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json")))]
pub async fn sla_preview(
    State(state): State<AppState>,
    Query(q): Query<PreviewQuery>,
) -> ApiResult<Json<SlaPreview>> {
    let l = crate::lang::current();
    let level = Level::parse(&q.level).ok_or_else(|| {
        let given = &q.level;
        ApiError::bad_request(trf!(l,
            en: "“{given}” is not a response level: use I, II, III or IV.",
            fr: "« {given} » n’est pas un niveau de réponse : utilisez I, II, III ou IV."))
    })?;
    let clock = state.region(&q.region)?;
    let opened_at = match q.opened_at.as_deref() {
        None => state.now(),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                ApiError::bad_request(trf!(l,
                    en: "opened_at “{s}” is not an instant such as 2026-11-27T16:00:00Z (RFC 3339).",
                    fr: "opened_at « {s} » n’est pas un instant comme 2026-11-27T16:00:00Z (RFC 3339)."))
            })?,
    };
    let due = clock
        .initial_response_due(level, opened_at)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(SlaPreview {
        level,
        region: clock.region.id.clone(),
        time_zone: clock.region.time_zone.clone(),
        opened_at,
        initial_response_due: due,
        clock: level.clock(),
    }))
}

/// Any unknown `/api/v1/…` path.
pub async fn api_not_found(uri: Uri) -> ApiError {
    let path = uri.path();
    ApiError::NotFound(trf!(crate::lang::current(),
        en: "There is no API endpoint at {path}.",
        fr: "Il n’y a pas de service d’API à l’adresse {path}."))
}

/// The longest query string the API reads: the portal's own links stay far below it.
pub const QUERY_MAX: usize = 8 * 1024;

/// Refuses query strings over [`QUERY_MAX`] with a 414 problem+json. (Over 64 KiB the HTTP
/// server itself answers 414, with an empty body, before any of the API's code runs: hyper's
/// fixed limit on a request line.)
pub async fn uri_limit(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let len = request.uri().query().map_or(0, str::len);
    if len > QUERY_MAX {
        let l = crate::lang::current();
        return ApiError::Http(
            StatusCode::URI_TOO_LONG,
            trf!(l,
                en: "This address is too long ({len} characters after “?”; at most {QUERY_MAX}). Search with fewer words, or start again from the portal's own links.",
                fr: "Cette adresse est trop longue ({len} caractères après « ? » ; au plus {QUERY_MAX}). Cherchez avec moins de mots, ou repartez des liens du portail."),
        )
        .into_response();
    }
    next.run(request).await
}

/// A known path with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::Http(
        StatusCode::METHOD_NOT_ALLOWED,
        tr!(crate::lang::current(),
            en: "This endpoint does not accept that method.",
            fr: "Ce service n’accepte pas cette méthode.")
        .into(),
    )
}
