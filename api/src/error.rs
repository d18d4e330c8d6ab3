//! The one error type of the API. Every non-2xx answer is `application/problem+json` (RFC 9457),
//! never a stack trace or SQL: internal details go to the log only.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portal_core::model::{FieldError, Problem};
use portal_core::{tr, trf};

use crate::lang;

/// An API failure, rendered as problem+json.
#[derive(Debug)]
pub enum ApiError {
    /// 400 and friends: the request itself is wrong (status, what is wrong).
    Http(StatusCode, String),
    /// 401: no valid session.
    Unauthorized,
    /// 404: nothing here for you (also for other institutions' cases: never reveal they exist).
    NotFound(String),
    /// 422 with field errors.
    Validation(Vec<FieldError>),
    /// 429 with Retry-After seconds.
    TooManyRequests(u64),
    /// 409 with Retry-After: a request with the same Idempotency-Key is still running.
    InProgress,
    /// 500: logged, not shown.
    Internal(String),
}

/// Results of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// 400 Bad Request with a message.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::Http(StatusCode::BAD_REQUEST, detail.into())
    }

    /// 403 Forbidden with a message.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::Http(StatusCode::FORBIDDEN, detail.into())
    }

    /// 409 Conflict with a message.
    pub fn conflict(detail: impl Into<String>) -> Self {
        ApiError::Http(StatusCode::CONFLICT, detail.into())
    }

    /// 422 with one field error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Http(s, _) => *s,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::InProgress => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The problem type of a 409 for a request that is still running (clients wait and retry).
pub const IN_PROGRESS_TYPE: &str = portal_core::model::PROBLEM_IN_PROGRESS;

/// Builds a problem+json response.
pub fn problem_response(status: StatusCode, detail: String, errors: Vec<FieldError>) -> Response {
    typed_problem(status, "about:blank", detail, errors)
}

/// Builds a problem+json response with a problem type.
pub fn typed_problem(
    status: StatusCode,
    kind: &str,
    detail: String,
    errors: Vec<FieldError>,
) -> Response {
    let title = status.canonical_reason().unwrap_or("Error").to_string();
    let body = Problem {
        kind: kind.into(),
        title,
        status: status.as_u16(),
        detail,
        errors,
    };
    let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    let mut res = (status, json).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let lang = lang::current();
        match self {
            ApiError::Http(_, detail) => problem_response(status, detail, vec![]),
            ApiError::Unauthorized => problem_response(
                status,
                tr!(lang,
                    en: "Sign in to continue; your session has ended or was never started.",
                    fr: "Connectez-vous pour continuer ; votre session a pris fin ou n’a jamais commencé.").into(),
                vec![],
            ),
            ApiError::NotFound(detail) => problem_response(status, detail, vec![]),
            ApiError::Validation(errors) => {
                let detail = match errors.as_slice() {
                    [one] => one.message.clone(),
                    _ => {
                        let n = errors.len();
                        trf!(lang, en: "{n} fields need attention.", fr: "{n} champs demandent votre attention.")
                    }
                };
                problem_response(status, detail, errors)
            }
            ApiError::TooManyRequests(secs) => {
                let mut res = problem_response(
                    status,
                    trf!(lang,
                        en: "Too many attempts. Try again in {secs} seconds.",
                        fr: "Trop de tentatives. Réessayez dans {secs} secondes."),
                    vec![],
                );
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    res.headers_mut().insert(header::RETRY_AFTER, v);
                }
                res
            }
            ApiError::InProgress => {
                let mut res = typed_problem(
                    status,
                    IN_PROGRESS_TYPE,
                    tr!(lang,
                        en: "The same request is still being processed. Try again in a moment: the answer will be the first request's result.",
                        fr: "La même demande est encore en cours de traitement. Réessayez dans un instant : la réponse sera le résultat de la première demande.").into(),
                    vec![],
                );
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                res
            }
            ApiError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                problem_response(status, tr!(lang,
                    en: "Something went wrong on our side. Your request was not lost: try again in a moment.",
                    fr: "Un problème est survenu de notre côté. Votre demande n’est pas perdue : réessayez dans un instant.").into(), vec![])
            }
        }
    }
}

impl From<crate::sql::Error> for ApiError {
    fn from(e: crate::sql::Error) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = r.status();
        let detail = match &r {
            JsonRejection::MissingJsonContentType(_) => {
                "Send the body as JSON with Content-Type: application/json.".to_string()
            }
            JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON.".to_string(),
            JsonRejection::JsonDataError(e) => format!(
                "The JSON does not match what this endpoint expects: {}",
                e.body_text().trim_start_matches(
                    "Failed to deserialize the JSON body into the target type: "
                )
            ),
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => tr!(lang::current(),
                en: "The request body is too large.",
                fr: "Le corps de la requête est trop volumineux.")
            .to_string(),
            _ => r.body_text(),
        };
        ApiError::Http(status, detail)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(format!(
            "Invalid query parameters: {}",
            r.body_text()
                .trim_start_matches("Failed to deserialize query string: ")
        ))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}
