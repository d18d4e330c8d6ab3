//! Attachments: upload (multipart), remove before sending, and download with the case's
//! authorization.
//!
//! An upload is checked on its bytes ([`portal_core::attachment::sniff`]): the content must match
//! the file's extension, or the answer is 415. It belongs to its uploader until it is sent with a
//! case or an update ([`crate::db::link_uploads`]); from then on, whoever may read the case may
//! download it. Downloads are always `Content-Disposition: attachment` with `nosniff` and a
//! sandboxing CSP, so no file is ever rendered as a page of the portal's origin.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portal_core::attachment::{display_name, human_size, sniff};
use portal_core::model::Attachment;
use portal_core::model::Problem;
use portal_core::{tr, trf};
use sha2::{Digest, Sha256};

use super::{Json, Path};
use crate::auth::{new_token, Session};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// Room for the multipart envelope around the largest file.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

fn unsupported(detail: impl Into<String>) -> ApiError {
    ApiError::Http(StatusCode::UNSUPPORTED_MEDIA_TYPE, detail.into())
}

fn too_large(limit: u64) -> ApiError {
    ApiError::Http(StatusCode::PAYLOAD_TOO_LARGE, {
        let lang = crate::lang::current();
        let max = human_size(limit, lang);
        trf!(lang,
                en: "The file is larger than {max} (the limit per file). Compress it, or attach a part of it.",
                fr: "Le fichier dépasse {max} (la limite par fichier). Compressez-le, ou joignez-en une partie.")
    })
}

/// `POST /api/v1/uploads` (multipart/form-data, one part named `file`): stores a file for a case
/// or an update the user is writing, and answers its id.
/// The multipart form of `POST /api/v1/uploads` (for the API document).
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file; its bytes must match its extension's type.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    file: Vec<u8>,
}

#[utoipa::path(post, path = "/api/v1/uploads", tag = "attachments", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body(content = UploadForm, content_type = "multipart/form-data", description = "One part named `file`"), responses((status = 201, description = "Stored until sent with a case or an update", body = Attachment), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid input: one error per field in `errors`", body = Problem, content_type = "application/problem+json")))]
pub async fn uploads_create(
    State(state): State<AppState>,
    Session(account): Session,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    let limit = state.config.base().attachment_limits.max_bytes;
    let l = crate::lang::current();
    let mut multipart = multipart.map_err(|_| {
        unsupported(tr!(l,
            en: "Send the file as multipart/form-data, in a part named “file”.",
            fr: "Envoyez le fichier en multipart/form-data, dans une partie nommée « file »."))
    })?;
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(limit)),
            Err(e) => {
                tracing::info!("unreadable upload: {}", e.body_text());
                return Err(ApiError::bad_request(tr!(l,
                    en: "The upload could not be read: it was cut off or malformed. Try again.",
                    fr: "L’envoi n’a pas pu être lu : il a été interrompu ou est mal formé. Réessayez.")));
            }
        };
        if field.name() != Some("file") {
            let other = field.name().unwrap_or_default().to_string();
            return Err(ApiError::bad_request(trf!(l,
                en: "Send the file in one part named “file” and nothing else; this upload also had a part named “{other}”.",
                fr: "Envoyez le fichier dans une seule partie nommée « file » ; cet envoi avait aussi une partie nommée « {other} ».")));
        }
        let name = field.file_name().unwrap_or_default().to_string();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(limit)),
            Err(e) => {
                tracing::info!("upload cut off: {}", e.body_text());
                return Err(ApiError::bad_request(tr!(l,
                    en: "The upload was cut off. Try again.",
                    fr: "L’envoi a été interrompu. Réessayez.")));
            }
        };
        if file.is_some() {
            return Err(ApiError::bad_request(tr!(l,
                en: "Send one file per upload: this upload had more than one part named “file”.",
                fr: "Envoyez un fichier par envoi : cet envoi avait plusieurs parties nommées « file ».")));
        }
        file = Some((name, bytes));
    }
    let Some((raw_name, bytes)) = file else {
        return Err(ApiError::field(
            "file",
            tr!(crate::lang::current(),
                en: "Choose a file: the upload had no part named \"file\".",
                fr: "Choisissez un fichier : l’envoi n’avait pas de partie nommée « file »."),
        ));
    };
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    let name = display_name(&raw_name);
    let kind = sniff(&name, &bytes, crate::lang::current()).map_err(unsupported)?;
    let attachment = Attachment {
        id: format!("up_{}", new_token()?),
        name,
        content_type: kind.content_type.to_string(),
        size: bytes.len() as u64,
    };
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let now = state.now();
    let a = attachment.clone();
    state
        .db
        .call(move |c| Ok(db::uploads::insert(c, &account, &a, &digest, &bytes, now)?))
        .await?;
    tracing::info!(upload = %attachment.id, size = attachment.size, "file uploaded");
    Ok((StatusCode::CREATED, Json(attachment)))
}

/// `DELETE /api/v1/uploads/{id}`: removes the user's own upload that was not sent yet.
#[utoipa::path(delete, path = "/api/v1/uploads/{id}", tag = "attachments", params(("id" = String, Path, description = "Upload id"), ("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 204, description = "Removed"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed for this role, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn uploads_delete(
    State(state): State<AppState>,
    Session(account): Session,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let removed = state
        .db
        .call(move |c| Ok(db::uploads::delete_unsent(c, &account, &id)?))
        .await?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(
            tr!(crate::lang::current(),
                en: "There is no unsent upload with this id that you can remove.",
                fr: "Aucun fichier non envoyé avec cet identifiant ne peut être retiré par vous.")
            .into(),
        ))
    }
}

/// `RFC 6266` filename parameters: an ASCII fallback and the UTF-8 name.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// `GET /api/v1/cases/{number}/attachments/{id}`: downloads a file of a case the user may see
/// (404 otherwise, exactly like a missing one).
#[utoipa::path(get, path = "/api/v1/cases/{number}/attachments/{id}", tag = "attachments", params(("number" = String, Path, description = "Case number, e.g. CS-000123"), ("id" = String, Path, description = "Attachment id")), responses((status = 200, description = "The file, always as a download", content_type = "application/octet-stream"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource visible to you", body = Problem, content_type = "application/problem+json")))]
pub async fn attachments_show(
    State(state): State<AppState>,
    Session(account): Session,
    Path((number, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let n = number.clone();
    let found = state
        .db
        .read(move |c| {
            Ok(match db::cases::visible_id(c, &n, &account)? {
                Some(case_id) => db::uploads::download(c, case_id, &id)?,
                None => None,
            })
        })
        .await?;
    let Some((name, content_type, data)) = found else {
        return Err(ApiError::NotFound(trf!(crate::lang::current(),
            en: "There is no such attachment on a case {number} that you can see.",
            fr: "Ce fichier n’existe sur aucun dossier {number} qui vous soit visible.")));
    };
    let mut res = (StatusCode::OK, data).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition(&name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn disposition_always_downloads_and_keeps_unicode_names() {
        assert_eq!(
            disposition("Fehler ü.png"),
            "attachment; filename=\"Fehler _.png\"; filename*=UTF-8''Fehler%20%C3%BC.png"
        );
        assert!(!disposition("a\";b.txt").contains("a\";"));
    }
}
