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
    /// 409: the Idempotency-Key already made this case, with a different body (a second tab
    /// sending the same draft after an edit).
    AlreadySent(String),
    /// 503 with Retry-After: no database connection was free in time (`busy`), or the database
    /// cannot be reached.
    Unavailable {
        /// Seconds to wait.
        retry_after: u64,
        /// Every connection was in use (else the database did not answer).
        busy: bool,
    },
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
            ApiError::InProgress | ApiError::AlreadySent(_) => StatusCode::CONFLICT,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The problem type of a 409 for a request that is still running (clients wait and retry).
pub const IN_PROGRESS_TYPE: &str = portal_core::model::PROBLEM_IN_PROGRESS;

/// The problem's short title: the status's name, in `lang`.
pub fn title(status: StatusCode, lang: portal_core::Lang) -> &'static str {
    match status.as_u16() {
        400 => tr!(lang, en: "Bad Request", fr: "Requête incorrecte"),
        401 => tr!(lang, en: "Unauthorized", fr: "Non authentifié"),
        403 => tr!(lang, en: "Forbidden", fr: "Interdit"),
        404 => tr!(lang, en: "Not Found", fr: "Introuvable"),
        405 => tr!(lang, en: "Method Not Allowed", fr: "Méthode non autorisée"),
        409 => tr!(lang, en: "Conflict", fr: "Conflit"),
        410 => tr!(lang, en: "Gone", fr: "Expiré"),
        413 => tr!(lang, en: "Payload Too Large", fr: "Contenu trop volumineux"),
        414 => tr!(lang, en: "URI Too Long", fr: "Adresse trop longue"),
        415 => tr!(lang, en: "Unsupported Media Type", fr: "Type de contenu non pris en charge"),
        422 => tr!(lang, en: "Unprocessable Content", fr: "Contenu non valide"),
        429 => tr!(lang, en: "Too Many Requests", fr: "Trop de requêtes"),
        500 => tr!(lang, en: "Internal Server Error", fr: "Erreur interne du serveur"),
        503 => tr!(lang, en: "Service Unavailable", fr: "Service indisponible"),
        _ => match lang {
            portal_core::Lang::En => status.canonical_reason().unwrap_or("Error"),
            portal_core::Lang::Fr => "Erreur",
        },
    }
}

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
    let title = title(status, lang::current()).to_string();
    let body = Problem {
        kind: kind.into(),
        title,
        status: status.as_u16(),
        detail,
        errors,
        case_number: None,
    };
    problem_json(status, &body)
}

/// The response carrying `body` as problem+json.
fn problem_json(status: StatusCode, body: &Problem) -> Response {
    let json = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
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
                let detail = if secs > 90 {
                    let minutes = secs.div_ceil(60);
                    trf!(lang,
                        en: "Too many attempts. Try again in {minutes} minutes.",
                        fr: "Trop de tentatives. Réessayez dans {minutes} minutes.")
                } else {
                    trf!(lang,
                        en: "Too many attempts. Try again in {secs} seconds.",
                        fr: "Trop de tentatives. Réessayez dans {secs} secondes.")
                };
                let mut res = problem_response(status, detail, vec![]);
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
            ApiError::AlreadySent(number) => {
                let body = Problem {
                    kind: portal_core::model::PROBLEM_ALREADY_SENT.into(),
                    title: title(status, lang).into(),
                    status: status.as_u16(),
                    detail: trf!(lang,
                        en: "This request was already sent: it is case {number}. Open the case to follow it, or add what changed there as an update.",
                        fr: "Cette demande a déjà été envoyée : c’est le dossier {number}. Ouvrez le dossier pour le suivre, ou ajoutez-y ce qui a changé comme message."),
                    errors: vec![],
                    case_number: Some(number),
                };
                problem_json(status, &body)
            }
            ApiError::Unavailable { retry_after, busy } => {
                let detail = if busy {
                    trf!(lang,
                        en: "The support portal is very busy right now. Try again in {retry_after} seconds; nothing you typed is lost.",
                        fr: "Le portail de support est très sollicité en ce moment. Réessayez dans {retry_after} secondes ; rien de ce que vous avez saisi n’est perdu.")
                } else {
                    trf!(lang,
                        en: "The support portal cannot reach its database right now. Try again in {retry_after} seconds; nothing you typed is lost.",
                        fr: "Le portail de support ne parvient pas à joindre sa base de données. Réessayez dans {retry_after} secondes ; rien de ce que vous avez saisi n’est perdu.")
                };
                let mut res = problem_response(status, detail, vec![]);
                if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                    res.headers_mut().insert(header::RETRY_AFTER, v);
                }
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

/// The answer when a handler panicked (tower-http's `CatchPanicLayer`): a 500 problem+json like
/// any internal error; what panicked goes to the log.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic");
    ApiError::Internal(format!("handler panicked: {what}")).into_response()
}

impl From<crate::db::sql::Error> for ApiError {
    fn from(e: crate::db::sql::Error) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let l = lang::current();
        let status = r.status();
        match &r {
            JsonRejection::MissingJsonContentType(_) => ApiError::Http(
                status,
                tr!(l,
                en: "Send the body as JSON with Content-Type: application/json.",
                fr: "Envoyez le corps en JSON avec Content-Type: application/json.")
                .into(),
            ),
            JsonRejection::JsonSyntaxError(_) => ApiError::Http(
                status,
                tr!(l,
                en: "The body is not valid JSON.",
                fr: "Le corps n’est pas du JSON valide.")
                .into(),
            ),
            JsonRejection::JsonDataError(e) => {
                let (field, message) = json_data_error(&e.body_text(), l);
                ApiError::Validation(vec![FieldError { field, message }])
            }
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => ApiError::Http(
                status,
                tr!(l,
                en: "The request body is too large.",
                fr: "Le corps de la requête est trop volumineux.")
                .into(),
            ),
            _ => {
                tracing::info!("unreadable body: {}", r.body_text());
                ApiError::Http(
                    status,
                    tr!(l,
                    en: "The request body could not be read. Send it again.",
                    fr: "Le corps de la requête n’a pas pu être lu. Envoyez-le à nouveau.")
                    .into(),
                )
            }
        }
    }
}

/// A field error for people from serde's text about a JSON body that does not fit (the field's
/// path, then what is wrong: "kind: unknown variant `x`, expected one of … at line 1 column 9").
/// serde's own words never reach people; the path names the field.
pub fn json_data_error(text: &str, l: portal_core::Lang) -> (String, String) {
    let text =
        text.trim_start_matches("Failed to deserialize the JSON body into the target type: ");
    let (path, what) = match text.split_once(": ") {
        Some((p, w)) if !p.contains(' ') => (p.to_string(), w),
        _ => (String::new(), text),
    };
    let quoted = |marker: &str| {
        what.split_once(marker)
            .and_then(|(_, rest)| rest.split('`').nth(1))
            .map(str::to_string)
    };
    if let Some(missing) = quoted("missing field") {
        let field = if path.is_empty() || path == "." {
            missing.clone()
        } else {
            format!("{path}.{missing}")
        };
        let message = trf!(l,
            en: "The field “{field}” is missing.",
            fr: "Le champ « {field} » est manquant.");
        return (field, message);
    }
    let field = if path.is_empty() || path == "." {
        "body".to_string()
    } else {
        path
    };
    let message = if what.starts_with("unknown variant") {
        let allowed = what
            .split_once("expected ")
            .map(|(_, e)| {
                e.split(" at line")
                    .next()
                    .unwrap_or(e)
                    .replace("one of ", "")
                    .replace('`', "")
            })
            .unwrap_or_default();
        trf!(l,
            en: "“{field}” has a value that is not accepted; use {allowed}.",
            fr: "« {field} » a une valeur qui n’est pas acceptée ; utilisez {allowed}.")
    } else if what.starts_with("unknown field") {
        trf!(l,
            en: "The body has a field this endpoint does not know ({field}).",
            fr: "Le corps contient un champ inconnu de ce service ({field}).")
    } else {
        trf!(l,
            en: "“{field}” has a value of the wrong type or form.",
            fr: "« {field} » a une valeur d’un type ou d’une forme incorrects.")
    };
    (field, message)
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        tracing::info!("bad query: {}", r.body_text());
        ApiError::bad_request(tr!(lang::current(),
            en: "The query parameters are not valid: check their names and values.",
            fr: "Les paramètres de la requête ne sont pas valides : vérifiez leurs noms et leurs valeurs."))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        tracing::info!("bad path: {}", r.body_text());
        ApiError::bad_request(tr!(lang::current(),
            en: "The address is not valid: check the number or id in it.",
            fr: "L’adresse n’est pas valide : vérifiez le numéro ou l’identifiant qu’elle contient."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_core::Lang;

    #[test]
    fn serde_words_become_field_errors_for_people() {
        let (f, m) = json_data_error(
            "Failed to deserialize the JSON body into the target type: kind: unknown variant `bug`, expected one of `question`, `defect` at line 1 column 13",
            Lang::En,
        );
        assert_eq!(f, "kind");
        assert_eq!(
            m,
            "“kind” has a value that is not accepted; use question, defect."
        );
        let (f, m) = json_data_error("missing field `subject` at line 1 column 2", Lang::Fr);
        assert_eq!(
            (f.as_str(), m.as_str()),
            ("subject", "Le champ « subject » est manquant.")
        );
        let (f, m) = json_data_error(
            "scenario.steps: invalid type: integer `3`, expected a string at line 1 column 40",
            Lang::En,
        );
        assert_eq!(f, "scenario.steps");
        assert!(!m.contains("line 1"), "{m}");
    }
}
