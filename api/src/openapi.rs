//! The API contract: an OpenAPI 3.1 document generated from the handlers' `#[utoipa::path]`
//! attributes and the shared types in `portal-core` (feature `openapi`), served at
//! `GET /api/v1/openapi.json` and checked in as `api/openapi.json` (a test fails when the two
//! drift apart; `UPDATE_OPENAPI=1 cargo test -p portal-api --test openapi` rewrites the file).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::OpenApi;

use crate::routes::{
    announcements, cases, handoffs, knowledge, meta, notifications, people, secrets, session, sso,
    two_factor, uploads, workspace,
};

/// What the derive cannot say: the session cookie as the API's authentication, and the support
/// regions (data, not code) as the values `region` takes.
struct Contract;

impl utoipa::Modify for Contract {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let regions: Vec<String> = portal_core::region::Region::builtin()
            .into_iter()
            .map(|r| r.id)
            .collect();
        let preview = doc
            .paths
            .paths
            .get_mut("/api/v1/sla/preview")
            .and_then(|p| p.get.as_mut())
            .and_then(|op| op.parameters.as_mut());
        for param in preview.into_iter().flatten() {
            if param.name == "region" {
                param.schema = Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(regions.clone()))
                        .into(),
                );
            }
        }
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "Set by POST /api/v1/session (Secure, HttpOnly, SameSite=Strict, Path=/).",
            ))),
        );
    }
}

/// The OpenAPI document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "campusM support portal API",
        version = "1",
        description = "The reference JSON API of the campusM support portal. Every error is application/problem+json (RFC 9457); 422 answers carry one error per field. State-changing requests need the header X-Requested-With. Case creation and updates take an Idempotency-Key. Messages for people (problem details, field errors, the texts of /config) come in the language negotiated from Accept-Language: English (en, the default) or French (fr); Content-Language says which."
    ),
    paths(
        meta::health,
        meta::config_show,
        meta::sla_preview,
        session::session_create,
        session::session_delete,
        session::me,
        cases::cases_list,
        cases::cases_create,
        cases::cases_overview,
        cases::cases_show,
        cases::cases_update,
        cases::comments_create,
        cases::cases_transition,
        cases::solution_create,
        cases::ratings_update,
        cases::cases_similar,
        cases::cases_correct,
        cases::cases_to_idea,
        session::sessions_list,
        session::sessions_delete_others,
        uploads::uploads_create,
        uploads::uploads_delete,
        uploads::attachments_show,
        knowledge::articles_list,
        knowledge::articles_show,
        knowledge::articles_helpful,
        announcements::announcements_list,
        announcements::announcements_create,
        announcements::announcements_delete,
        handoffs::routings_create,
        handoffs::consultations_create,
        handoffs::handoffs_list,
        handoffs::ideas_update,
        handoffs::consultations_acknowledge,
        workspace::agents_list,
        workspace::institutions_list,
        workspace::assignee_update,
        workspace::notes_create,
        workspace::level_update,
        workspace::access_requests_create,
        workspace::secrets_reveal,
        secrets::case_secrets_update,
        secrets::access_profile_show,
        secrets::access_profile_update,
        notifications::preferences_show,
        notifications::preferences_update,
        notifications::colleagues_list,
        notifications::followers_create,
        notifications::following_update,
        notifications::escalation_create,
        notifications::news_show,
        people::people_list,
        people::people_update,
        people::invitations_create,
        people::invitations_resend,
        people::invitations_delete,
        people::invitations_offer,
        people::accounts_create,
        people::password_resets_create,
        people::password_resets_complete,
        people::password_update,
        two_factor::session_second_factor,
        two_factor::two_factor_start,
        two_factor::two_factor_confirm,
        two_factor::two_factor_delete,
        sso::sso_list,
        sso::sso_start,
        sso::sso_callback,
    ),
    modifiers(&Contract),
    security(("session" = [])),
)]
pub struct ApiDoc;

/// The document as pretty JSON (what `api/openapi.json` holds), built once.
pub fn document() -> &'static str {
    static DOCUMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    });
    &DOCUMENT
}
