//! # portal-api — the reference JSON API of the campusM support portal
//!
//! axum + embedded SQLite. [`app`] builds the whole service (API under `/api/v1`, the built portal
//! everywhere else) so tests call it in-process with `tower::ServiceExt::oneshot`, and `main.rs`
//! only parses the command line and listens.
//!
//! Where things live: `routes/` one file per resource (handlers named `cases_list`,
//! `cases_create`, …), [`error`] the one error type (problem+json), [`lang`] the language of
//! each answer, [`db`] storage, [`auth`]
//! sessions, [`web`] static files and security headers, [`demo`] the demo data.

pub mod articles;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod lang;
pub mod mailer;
pub mod maintenance;
pub mod notify;
pub mod openapi;
pub mod routes;
pub mod secrets;
pub mod sso;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, patch, post, put, MethodRouter};
use axum::Router;
use chrono::{DateTime, Utc};
use portal_core::clock::{builtin_clocks, RegionClock};

use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::db::Db;
use crate::error::{ApiError, ApiResult};

/// Largest JSON body accepted (1 MiB).
pub const JSON_BODY_MAX: usize = 1024 * 1024;

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Business calendars of the support regions.
    pub clocks: Arc<Vec<RegionClock>>,
    /// The deployment configuration, in every language.
    pub config: Arc<config::Configs>,
    /// The built portal, when serving it.
    pub web: Option<Arc<web::WebAssets>>,
    /// The knowledge articles.
    pub articles: Arc<Vec<portal_core::model::Article>>,
    /// Seals and opens the secrets customers give support (`--secrets-key`).
    pub secrets: secrets::SecretBox,
    /// Days a closed case keeps its secrets.
    pub secrets_retention_days: u32,
    /// Writes the e-mails that events cause (into the outbox).
    pub notifier: Arc<notify::Notifier>,
    /// Delivers the outbox (`None`: e-mails stay in it).
    pub mailer: Option<Arc<mailer::Mailer>>,
    /// How long sessions last: at most, and without use.
    pub sessions: auth::SessionLimits,
    /// Institutions' identity providers (`--sso FILE`).
    pub sso: sso::Providers,
    clock: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

impl AppState {
    /// State over a database, with the built-in regions and configuration.
    pub fn new(db: Db, dist: Option<PathBuf>) -> ApiResult<AppState> {
        let clocks = builtin_clocks();
        let config = config::default_config(&clocks).map_err(ApiError::Internal)?;
        let notifier = notify::Notifier {
            public_url: "http://127.0.0.1:8080".into(),
            escalation: escalation_addresses(&config),
            clocks: Arc::new(clocks.clone()),
        };
        let web = match dist {
            Some(dir) => Some(Arc::new(web::WebAssets::load(dir)?)),
            None => None,
        };
        Ok(AppState {
            db,
            clocks: Arc::new(clocks),
            config: Arc::new(config),
            web,
            articles: Arc::new(articles::builtin()),
            // A key of its own until `with_secrets` gives the deployment's (tests, the demo).
            secrets: secrets::SecretBox::random().map_err(ApiError::Internal)?,
            secrets_retention_days: portal_core::secrets::RETENTION_DAYS_DEFAULT,
            notifier: Arc::new(notifier),
            mailer: None,
            sessions: auth::SessionLimits::default(),
            sso: sso::Providers::default(),
            clock: Arc::new(Utc::now),
        })
    }

    /// Uses the deployment's key for secrets and keeps them `retention_days` after a case closes.
    pub fn with_secrets(mut self, key: secrets::SecretBox, retention_days: u32) -> Self {
        self.secrets = key;
        self.secrets_retention_days = retention_days;
        self
    }

    /// Replaces the deployment configuration (`portal-api --config FILE`).
    pub fn with_config(mut self, config: config::Configs) -> Self {
        let mut n = (*self.notifier).clone();
        n.escalation = escalation_addresses(&config);
        self.notifier = Arc::new(n);
        self.config = Arc::new(config);
        self
    }

    /// E-mail: the portal's address for links, and how messages go out.
    pub fn with_mail(mut self, public_url: &str, mailer: mailer::Mailer) -> Self {
        let mut n = (*self.notifier).clone();
        n.public_url = public_url.trim_end_matches('/').to_string();
        self.notifier = Arc::new(n);
        self.mailer = Some(Arc::new(mailer));
        self
    }

    /// How long sessions last (`--session-days`, `--session-idle-hours`).
    pub fn with_session_limits(mut self, limits: auth::SessionLimits) -> Self {
        self.sessions = limits;
        self
    }

    /// Institutions' identity providers (`portal-api --sso FILE`).
    pub fn with_sso(mut self, providers: sso::Providers) -> Self {
        self.sso = providers;
        self
    }

    /// Replaces the wall clock (tests pin "now").
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The business calendar of a region.
    pub fn region(&self, id: &str) -> ApiResult<&RegionClock> {
        self.clocks
            .iter()
            .find(|c| c.region.id == id)
            .ok_or_else(|| {
                let ids = self.region_ids();
                ApiError::bad_request(portal_core::trf!(lang::current(),
                    en: "“{id}” is not a support region; use one of: {ids}.",
                    fr: "« {id} » n’est pas une région de support ; utilisez l’une de : {ids}."))
            })
    }

    /// The region ids, comma-separated.
    pub fn region_ids(&self) -> String {
        self.clocks
            .iter()
            .map(|c| c.region.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The 24/7 line's addresses, from the deployment's escalation contacts.
fn escalation_addresses(config: &config::Configs) -> Vec<String> {
    config
        .base()
        .escalation_contacts
        .iter()
        .map(|c| c.email.clone())
        .collect()
}

/// A state-changing route: refused (403 problem+json) without `X-Requested-With`. Applied per
/// method, so any other method on the same path still answers 405.
fn changing(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.route_layer(axum::middleware::from_fn(auth::require_requested_with))
}

/// The whole service: `/api/v1/…` and the portal.
pub fn app(state: AppState) -> Router {
    use routes::{
        announcements, cases, handoffs, knowledge, meta, notifications, people, secrets, session,
        sso, two_factor, uploads, workspace,
    };
    let upload_max = usize::try_from(state.config.base().attachment_limits.max_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(uploads::MULTIPART_OVERHEAD);
    let api = Router::new()
        .route("/health", get(meta::health))
        .route("/openapi.json", get(meta::openapi_show))
        .route("/config", get(meta::config_show))
        .route("/sla/preview", get(meta::sla_preview))
        .route(
            "/session",
            changing(post(session::session_create).delete(session::session_delete)),
        )
        .route("/me", get(session::me))
        .route(
            "/me/sessions",
            get(session::sessions_list).merge(changing(delete(session::sessions_delete_others))),
        )
        .route(
            "/cases",
            get(cases::cases_list).merge(changing(post(cases::cases_create))),
        )
        .route("/cases/overview", get(cases::cases_overview))
        .route("/cases/similar", get(cases::cases_similar))
        .route(
            "/cases/{number}",
            get(cases::cases_show).merge(changing(patch(cases::cases_update))),
        )
        .route(
            "/cases/{number}/comments",
            changing(post(cases::comments_create)),
        )
        .route(
            "/cases/{number}/{action}",
            changing(post(cases::cases_transition)),
        )
        .route(
            "/cases/{number}/solution",
            changing(post(cases::solution_create)),
        )
        .route(
            "/cases/{number}/attachments/{id}",
            get(uploads::attachments_show),
        )
        .route(
            "/cases/{number}/assignee",
            changing(put(workspace::assignee_update)),
        )
        .route(
            "/cases/{number}/notes",
            changing(post(workspace::notes_create)),
        )
        .route(
            "/cases/{number}/level",
            changing(post(workspace::level_update)),
        )
        .route(
            "/cases/{number}/access-requests",
            changing(post(workspace::access_requests_create)),
        )
        .route(
            "/cases/{number}/secrets",
            changing(put(secrets::case_secrets_update)),
        )
        .route(
            "/cases/{number}/secrets/reveal",
            changing(post(workspace::secrets_reveal)),
        )
        .route(
            "/me/preferences",
            get(notifications::preferences_show)
                .merge(changing(put(notifications::preferences_update))),
        )
        .route("/colleagues", get(notifications::colleagues_list))
        .route(
            "/cases/{number}/followers",
            changing(post(notifications::followers_create)),
        )
        .route(
            "/cases/{number}/following",
            changing(put(notifications::following_update)),
        )
        .route(
            "/cases/{number}/escalation",
            changing(post(notifications::escalation_create)),
        )
        .route("/news", get(notifications::news_show))
        .route("/agents", get(workspace::agents_list))
        .route("/institutions", get(workspace::institutions_list))
        .route(
            "/institution/access-profile",
            get(secrets::access_profile_show).merge(changing(put(secrets::access_profile_update))),
        )
        .route(
            "/uploads",
            changing(post(uploads::uploads_create)).layer(DefaultBodyLimit::max(upload_max)),
        )
        .route("/uploads/{id}", changing(delete(uploads::uploads_delete)))
        .route(
            "/cases/{number}/rating",
            changing(put(cases::ratings_update)),
        )
        .route(
            "/cases/{number}/details",
            changing(patch(cases::cases_correct)),
        )
        .route("/cases/{number}/idea", changing(post(cases::cases_to_idea)))
        .route("/articles", get(knowledge::articles_list))
        .route("/articles/{id}", get(knowledge::articles_show))
        .route(
            "/articles/{id}/helpful",
            changing(post(knowledge::articles_helpful)),
        )
        .route(
            "/announcements",
            get(announcements::announcements_list)
                .merge(changing(post(announcements::announcements_create))),
        )
        .route(
            "/announcements/{id}",
            changing(delete(announcements::announcements_delete)),
        )
        .route("/routings", changing(post(handoffs::routings_create)))
        .route(
            "/routings/{reference}/idea",
            changing(put(handoffs::ideas_update)),
        )
        .route(
            "/consultations",
            changing(post(handoffs::consultations_create)),
        )
        .route(
            "/consultations/{reference}/acknowledgement",
            changing(post(handoffs::consultations_acknowledge)),
        )
        .route("/handoffs", get(handoffs::handoffs_list))
        .route("/people", get(people::people_list))
        .route("/people/{id}", changing(patch(people::people_update)))
        .route("/invitations", changing(post(people::invitations_create)))
        .route(
            "/invitations/offer",
            changing(post(people::invitations_offer)),
        )
        .route(
            "/invitations/{id}",
            changing(delete(people::invitations_delete)),
        )
        .route(
            "/invitations/{id}/resend",
            changing(post(people::invitations_resend)),
        )
        .route("/accounts", changing(post(people::accounts_create)))
        .route(
            "/password-resets",
            changing(post(people::password_resets_create)),
        )
        .route(
            "/password-resets/completion",
            changing(post(people::password_resets_complete)),
        )
        .route("/me/password", changing(put(people::password_update)))
        .route("/sso", get(sso::sso_list))
        .route("/sso/callback", get(sso::sso_callback))
        .route("/sso/{id}/start", get(sso::sso_start))
        .route(
            "/session/second-factor",
            changing(post(two_factor::session_second_factor)),
        )
        .route(
            "/me/two-factor",
            changing(
                post(two_factor::two_factor_start)
                    .put(two_factor::two_factor_confirm)
                    .delete(two_factor::two_factor_delete),
            ),
        )
        .fallback(meta::api_not_found)
        .method_not_allowed_fallback(meta::method_not_allowed)
        .layer(DefaultBodyLimit::max(JSON_BODY_MAX))
        .layer(axum::middleware::from_fn(meta::uri_limit));
    let api = with_request_log(api);
    let app = Router::new()
        .nest("/api/v1", api)
        .fallback(web::serve_portal)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::content_security_policy_and_caching,
        ));
    web::with_security_headers(app)
        .layer(axum::middleware::from_fn(lang::negotiate))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .with_state(state)
}

/// Request logs: method, the route's path template (`/api/v1/cases/{number}`: never a case
/// number, a query string, a body, a cookie or a credential), status and latency.
fn with_request_log(router: Router<AppState>) -> Router<AppState> {
    router.layer(
        TraceLayer::new_for_http()
            .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                let route = req
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map_or("(no route)", |p| p.as_str())
                    .to_string();
                tracing::info_span!("request", method = %req.method(), route = %route)
            })
            .on_request(())
            .on_response(
                tower_http::trace::DefaultOnResponse::new()
                    .level(tracing::Level::INFO)
                    .latency_unit(tower_http::LatencyUnit::Micros),
            ),
    )
}
