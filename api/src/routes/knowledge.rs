//! Knowledge articles: search, read, and "this answered my question" (a deflection: a case that
//! did not need to be opened), counted per institution.

use axum::extract::State;
use axum::http::StatusCode;
use portal_core::model::Problem;
use portal_core::model::{Article, ArticleList};
use serde::Deserialize;

use super::{Json, Path, Query};
use crate::auth::Session;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// Most suggestions per search.
pub const SUGGESTIONS_MAX: usize = 5;

/// Query of `GET /api/v1/articles`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleQuery {
    /// Words to look for.
    #[serde(default)]
    q: String,
}

/// `GET /api/v1/articles?q=` (public, like the Knowledge Center): the best matches.
#[utoipa::path(get, path = "/api/v1/articles", tag = "knowledge", params(ArticleQuery), security(()), responses((status = 200, description = "The best matching knowledge articles", body = ArticleList), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json")))]
pub async fn articles_list(
    State(state): State<AppState>,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<Json<ArticleList>> {
    if q.q.chars().count() > 500 {
        return Err(ApiError::bad_request(
            portal_core::tr!(crate::lang::current(),
            en: "Search for at most 500 characters.",
            fr: "Cherchez au plus 500 caractères."),
        ));
    }
    Ok(Json(ArticleList {
        items: crate::articles::search(&state.articles, &q.q, SUGGESTIONS_MAX),
    }))
}

fn find(state: &AppState, id: &str) -> ApiResult<Article> {
    state
        .articles
        .iter()
        .find(|a| a.id == id)
        .cloned()
        .ok_or_else(|| {
            ApiError::NotFound(portal_core::trf!(crate::lang::current(),
                en: "There is no knowledge article {id}.",
                fr: "Il n’y a pas d’article de connaissances {id}."))
        })
}

/// `GET /api/v1/articles/{id}`: one article with its text.
#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "knowledge", params(("id" = String, Path, description = "Article id, e.g. KA-0101")), security(()), responses((status = 200, description = "The article", body = Article), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn articles_show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Article>> {
    find(&state, &id).map(Json)
}

/// `POST /api/v1/articles/{id}/helpful`: the article answered the customer's question; no case.
#[utoipa::path(post, path = "/api/v1/articles/{id}/helpful", tag = "knowledge", params(("id" = String, Path, description = "Article id"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 201, description = "Counted: the article answered the question", body = serde_json::Value), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn articles_helpful(
    State(state): State<AppState>,
    Session(account): Session,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let article = find(&state, &id)?;
    let now = state.now();
    let count = state
        .db
        .call(move |c| {
            Ok(db::handoffs::insert_deflection(
                c,
                &account,
                &article.id,
                now,
            )?)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "article": id, "helpful_count": count })),
    ))
}
