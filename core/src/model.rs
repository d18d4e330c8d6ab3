//! The JSON types exchanged between the portal and the API (`/api/v1`).
//!
//! Both sides (de)serialise these very structs, so a field cannot drift between them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::account::Membership;
use crate::{CaseAction, CaseStatus, Level, RequestKind, Role};

/// `POST /api/v1/session`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// The account's e-mail address.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 320, pattern = r"\S")
    )]
    pub email: String,
    /// The account's password.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
}

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Login e-mail address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Customer or agent.
    pub role: Role,
}

/// A named contact (account manager, escalation line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// Person or team name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Phone number, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// The customer's institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Institution {
    /// Stable identifier.
    pub id: i64,
    /// The institution's name.
    pub name: String,
    /// Support region id (`emea`, `americas`, `apac`): sets the business-hours clock.
    pub region: String,
    /// Whether the institution runs a local Connect Layer (then support needs remote access to it).
    pub has_connect_layer: bool,
    /// The institution's Ex Libris account manager.
    pub account_manager: Contact,
}

/// One of the signed-in person's sessions (`GET /api/v1/me/sessions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// A short label for the session (not its token).
    pub id: String,
    /// When it was started (signed in).
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub last_seen_at: DateTime<Utc>,
    /// When it ends at the latest.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub expires_at: DateTime<Utc>,
    /// The browser, as it names itself.
    pub user_agent: String,
    /// The session of this request.
    pub current: bool,
}

/// `GET /api/v1/me/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    /// Most recently used first.
    pub items: Vec<SessionInfo>,
    /// Sessions end after this many hours without use.
    pub idle_hours: u32,
    /// And this many days after signing in at the latest.
    pub lifetime_days: u32,
}

/// `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The signed-in person.
    pub user: User,
    /// Their institution; `None` for support agents.
    pub institution: Option<Institution>,
    /// What they may see and do in their institution; `None` for support agents.
    #[serde(default)]
    pub membership: Option<Membership>,
    /// Whether they turned on two-step sign-in.
    #[serde(default)]
    pub two_factor: bool,
}

/// Where the problem happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// The live service.
    #[default]
    Production,
    /// A test / sandbox instance.
    Sandbox,
}

impl Environment {
    /// Every environment.
    pub const ALL: [Environment; 2] = [Environment::Production, Environment::Sandbox];

    /// The stored and API value.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
        }
    }

    /// Parses a stored or API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// How to reproduce a defect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scenario {
    /// Steps to reproduce, one per line.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub steps: String,
    /// What should happen.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub expected: String,
    /// What happens instead.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub actual: String,
}

impl Scenario {
    /// Whether nothing was filled in.
    pub fn is_empty(&self) -> bool {
        self.steps.trim().is_empty()
            && self.expected.trim().is_empty()
            && self.actual.trim().is_empty()
    }
}

/// Working app credentials for support to reproduce the issue. Write-only: the API stores them
/// for support and never sends them back; the portal never keeps them in a draft.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credentials {
    /// App user name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub username: String,
    /// App password.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret, not even in a debug log.
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

impl Credentials {
    /// Whether both parts were given.
    pub fn is_complete(&self) -> bool {
        !self.username.trim().is_empty() && !self.password.is_empty()
    }
}

/// `POST /api/v1/cases`: a new support case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCase {
    /// `question` or `defect` (the other kinds are routed elsewhere).
    pub kind: RequestKind,
    /// The response level.
    pub level: Level,
    /// Product area, from the configured list.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub product_area: String,
    /// Affected environment.
    #[serde(default)]
    pub environment: Environment,
    /// One-line summary.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub subject: String,
    /// What is happening.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = r"\S")
    )]
    pub description: String,
    /// How to reproduce it (required for defects).
    #[serde(default)]
    pub scenario: Scenario,
    /// How often / how many users (`every_time`, `intermittent`, `once`), optional.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^(|every_time|intermittent|once)$")
    )]
    pub frequency: String,
    /// Working app credentials (write-only).
    #[serde(default)]
    pub credentials: Option<Credentials>,
    /// How support reaches the local Connect Layer (when the institution has one).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub connect_layer_access: String,
    /// Upload ids from `POST /api/v1/uploads`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub attachments: Vec<String>,
    /// Knowledge article ids the customer opened before submitting.
    #[serde(default)]
    pub articles_viewed: Vec<String>,
    /// Use the institution's support access profile (its app credentials and Connect Layer
    /// access) for this case, instead of typing them.
    #[serde(default)]
    pub use_access_profile: bool,
    /// Colleagues (e-mail addresses, of the same institution) who follow the case from the start.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub followers: Vec<String>,
}

impl NewCase {
    /// A blank case of the given kind and level (for forms and tests).
    pub fn blank(kind: RequestKind, level: Level) -> Self {
        NewCase {
            kind,
            level,
            product_area: String::new(),
            environment: Environment::Production,
            subject: String::new(),
            description: String::new(),
            scenario: Scenario::default(),
            frequency: String::new(),
            credentials: None,
            connect_layer_access: String::new(),
            attachments: Vec::new(),
            articles_viewed: Vec::new(),
            use_access_profile: false,
            followers: Vec::new(),
        }
    }
}

/// One row of a case list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    /// The case number, e.g. `CS-000123`, used in all communication.
    pub number: String,
    /// One-line summary.
    pub subject: String,
    /// Request kind.
    pub kind: RequestKind,
    /// Response level.
    pub level: Level,
    /// Lifecycle status.
    pub status: CaseStatus,
    /// Institution name.
    pub institution: String,
    /// Institution id (for filtering support's queue).
    pub institution_id: i64,
    /// Who opened it.
    pub opened_by: String,
    /// When it was opened (UTC).
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub opened_at: DateTime<Utc>,
    /// Last change (UTC).
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub updated_at: DateTime<Utc>,
    /// When the initial response is due (UTC), from the response-due clock.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub initial_response_due: DateTime<Utc>,
    /// When support first responded, if it has.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_opt")
    )]
    pub first_response_at: Option<DateTime<Utc>>,
    /// The support agent the case is assigned to (their name), if any.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Something happened on it (by someone else) since the person asking last opened it.
    #[serde(default)]
    pub news: bool,
}

/// `GET /api/v1/cases/overview`: the institution's cases at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseOverview {
    /// How many cases are in each status (every status, zeros included).
    pub by_status: Vec<(CaseStatus, u64)>,
    /// How many open cases are at each level (every level, zeros included).
    pub open_by_level: Vec<(Level, u64)>,
    /// Cases opened and closed per week, oldest first (the last 8 weeks, Monday to Sunday, UTC).
    pub weeks: Vec<WeekCount>,
    /// The average rating of support's answers per month, oldest first.
    #[serde(default)]
    pub ratings: Vec<MonthRating>,
}

/// A customer's rating of support's answer on a closed case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    /// 1 (poor) to 5 (excellent).
    pub score: u8,
    /// What they said (may be empty).
    pub comment: String,
    /// Who rated it.
    pub by: String,
    /// When it was last given or changed.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub rated_at: DateTime<Utc>,
    /// When it was first given (it can change for 14 days from then).
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub first_rated_at: DateTime<Utc>,
}

/// `PUT /api/v1/cases/{number}/rating`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRating {
    /// 1 (poor) to 5 (excellent).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: u8,
    /// Optional words on it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: String,
}

/// The average rating in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthRating {
    /// `YYYY-MM`.
    pub month: String,
    /// The scores added up (the average is `total / count`; integers keep float formatting out
    /// of the wasm).
    pub total: u64,
    /// How many ratings.
    pub count: u64,
}

impl MonthRating {
    /// The average in tenths, rounded (42 for 4.2).
    pub fn average_tenths(&self) -> u64 {
        (self.total * 10 + self.count / 2)
            .checked_div(self.count)
            .unwrap_or(0)
    }
}

/// Cases opened and closed in one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekCount {
    /// The Monday that starts the week (`YYYY-MM-DD`).
    pub week: String,
    /// Cases opened that week.
    pub opened: u64,
    /// Cases closed that week.
    pub closed: u64,
}

/// `GET /api/v1/cases`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseList {
    /// This page's rows.
    pub items: Vec<CaseSummary>,
    /// All matching rows.
    pub total: u64,
    /// 1-based page number.
    pub page: u32,
    /// Rows per page.
    pub page_size: u32,
}

/// What kind of timeline entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A comment.
    Comment,
    /// A status change.
    Status,
    /// A proposed solution.
    Solution,
    /// An internal note of support: never shown to customers.
    Note,
    /// The case was assigned to an agent (`body`: their name) or unassigned (empty).
    Assignment,
    /// The response level changed (`from_level` → `level`; `body`: why).
    LevelChange,
    /// Support asked for secrets (`secrets`; `body`: the message).
    AccessRequest,
    /// The customer gave or replaced secrets (`secrets`).
    SecretsUpdated,
    /// Support viewed secrets (`secrets`).
    SecretsViewed,
    /// Secrets were erased after the case closed (`secrets`).
    SecretsErased,
    /// The customer accepted the proposed solution, which closed the case: its own entry, so
    /// support can tell an accepted solution from a plain close.
    SolutionAccepted,
    /// The customer said the proposed solution did not solve it (`body`: why); the case went back
    /// to support.
    SolutionRejected,
    /// The opener or support corrected the case's details (`changes`: each field's old and new
    /// value).
    Corrected,
    /// The case was moved to the Ideas Exchange (`body`: the hand-off's reference, `IX-…`), which
    /// closed it.
    MovedToIdeas,
}

impl EntryKind {
    /// Every kind of entry.
    pub const ALL: [EntryKind; 14] = [
        EntryKind::Comment,
        EntryKind::Status,
        EntryKind::Solution,
        EntryKind::Note,
        EntryKind::Assignment,
        EntryKind::LevelChange,
        EntryKind::AccessRequest,
        EntryKind::SecretsUpdated,
        EntryKind::SecretsViewed,
        EntryKind::SecretsErased,
        EntryKind::SolutionAccepted,
        EntryKind::SolutionRejected,
        EntryKind::Corrected,
        EntryKind::MovedToIdeas,
    ];

    /// Whether customers see entries of this kind (internal notes: never).
    pub fn customers_see(self) -> bool {
        self != EntryKind::Note
    }

    /// The stored and API value.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Comment => "comment",
            EntryKind::Status => "status",
            EntryKind::Solution => "solution",
            EntryKind::Note => "note",
            EntryKind::Assignment => "assignment",
            EntryKind::LevelChange => "level_change",
            EntryKind::AccessRequest => "access_request",
            EntryKind::SecretsUpdated => "secrets_updated",
            EntryKind::SecretsViewed => "secrets_viewed",
            EntryKind::SecretsErased => "secrets_erased",
            EntryKind::SolutionAccepted => "solution_accepted",
            EntryKind::SolutionRejected => "solution_rejected",
            EntryKind::Corrected => "corrected",
            EntryKind::MovedToIdeas => "moved_to_ideas",
        }
    }

    /// Parses a stored or API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One event in a case's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// When it happened (UTC).
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub at: DateTime<Utc>,
    /// Who did it.
    pub author: String,
    /// Their role.
    pub author_role: Role,
    /// Comment, status change or solution.
    pub kind: EntryKind,
    /// Text of a comment or solution; empty for status changes.
    pub body: String,
    /// The new status, for status changes.
    #[serde(default)]
    pub status: Option<CaseStatus>,
    /// Files attached to this update.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// The new level, for level changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The level before, for level changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_level: Option<Level>,
    /// Which secrets an access request, update, view or erasure was about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<crate::secrets::SecretKind>,
    /// For corrections: what changed, old and new.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
}

/// One field a correction changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    /// `environment`, `product_area`, `scenario.steps`, `scenario.expected` or `scenario.actual`.
    pub field: String,
    /// The value before.
    pub from: String,
    /// The value after.
    pub to: String,
}

/// `PATCH /api/v1/cases/{number}/details`: the opener (or support) corrects an open case; what is
/// left out stays as it is. Raising the level is an escalation, not a correction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseCorrection {
    /// Where it happens.
    #[serde(default)]
    pub environment: Option<Environment>,
    /// The product area (one of the configuration's).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub product_area: Option<String>,
    /// Steps, expected and actual result.
    #[serde(default)]
    pub scenario: Option<Scenario>,
}

/// An uploaded file: the answer of `POST /api/v1/uploads`, and how cases and updates list their
/// files. The bytes are downloaded from `GET /api/v1/cases/{number}/attachments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    /// Opaque id, given to `attachments` of a new case or update.
    pub id: String,
    /// The file name (made safe: no path, no control characters).
    pub name: String,
    /// The content type the API recognised.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
}

/// `GET /api/v1/cases/{number}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    /// The list fields.
    pub summary: CaseSummary,
    /// Product area.
    pub product_area: String,
    /// Affected environment.
    pub environment: Environment,
    /// What is happening.
    pub description: String,
    /// How to reproduce it.
    pub scenario: Scenario,
    /// How often it happens.
    pub frequency: String,
    /// Where the secrets support needs stand (never their values).
    pub secrets: Vec<crate::secrets::SecretStatus>,
    /// Secrets support asked for and has not received since.
    #[serde(default)]
    pub access_requested: Vec<crate::secrets::SecretKind>,
    /// The knowledge articles the customer read before sending (shown to support only; empty for
    /// customers).
    #[serde(default)]
    pub articles_viewed: Vec<ArticleRef>,
    /// The assigned agent's e-mail (for support only; `None` for customers).
    #[serde(default)]
    pub assignee_email: Option<String>,
    /// The people following the case (colleagues added, people who follow it).
    #[serde(default)]
    pub followers: Vec<Follower>,
    /// Whether the person asking follows it.
    #[serde(default)]
    pub following: bool,
    /// Whether the person asking muted it (no e-mail about it).
    #[serde(default)]
    pub muted: bool,
    /// E-mails about the case that could not be delivered (support only).
    #[serde(default)]
    pub delivery_failures: Vec<DeliveryFailure>,
    /// The support region's id, for naming the response-due time zone.
    pub region: String,
    /// Files attached when the case was opened.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// What the signed-in user may do now.
    pub actions: Vec<CaseAction>,
    /// History, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The customer's rating of support's answer, once given.
    #[serde(default)]
    pub rating: Option<Rating>,
    /// Whether the person asking may correct its details (the opener or support, while open).
    #[serde(default)]
    pub can_correct: bool,
    /// The Ideas Exchange hand-off the case was moved to (`IX-…`), if it was.
    #[serde(default)]
    pub moved_to: Option<String>,
}

/// Someone following a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Follower {
    /// Their name.
    pub name: String,
}

/// An e-mail that could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryFailure {
    /// To whom.
    pub recipient: String,
    /// When it was given up.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub at: DateTime<Utc>,
    /// What the mail server said.
    pub reason: String,
}

/// `GET`/`PUT /api/v1/me/preferences`: what the person wants by e-mail, and in which language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    /// Every change, only when support needs them, or none.
    pub notify: crate::notify::Preference,
    /// The language of their e-mails.
    pub lang: crate::Lang,
}

/// `POST /api/v1/cases/{number}/followers` {email}: a colleague (same institution) follows the
/// case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddFollower {
    /// The colleague's e-mail address.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 320))]
    pub email: String,
}

/// `PUT /api/v1/cases/{number}/following` (the person asking): follow, stop, mute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Following {
    /// Follow the case.
    pub following: bool,
    /// No e-mail about it.
    #[serde(default)]
    pub muted: bool,
}

/// `POST /api/v1/cases/{number}/escalation` (customers): raise the level, and why; for Level I
/// and II the 24/7 line is alerted in parallel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Escalation {
    /// The higher level.
    pub level: Level,
    /// What makes it more urgent now.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 2000, pattern = r"\S")
    )]
    pub reason: String,
}

/// `GET /api/v1/news`: the cases of the person asking with news since they last opened them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct News {
    /// How many.
    pub count: u64,
    /// Their numbers.
    pub cases: Vec<String>,
}

/// A knowledge article named by id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleRef {
    /// Article id, e.g. `KA-0101`.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// `PUT /api/v1/cases/{number}/assignee` (support): assign to an agent by e-mail, or unassign
/// (`null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assign {
    /// The agent's e-mail address; `null` unassigns.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 320))]
    pub assignee: Option<String>,
}

/// `POST /api/v1/cases/{number}/level` (support): a new response level, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelChange {
    /// The new level.
    pub level: Level,
    /// Why, for the customer to read.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 2000, pattern = r"\S")
    )]
    pub reason: String,
}

/// `POST /api/v1/cases/{number}/notes` (support): an internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewNote {
    /// The note.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = r"\S")
    )]
    pub body: String,
}

/// `POST /api/v1/cases/{number}/access-requests` (support): ask the customer for secrets; the
/// case then awaits the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessRequest {
    /// What support needs.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 2))]
    pub secrets: Vec<crate::secrets::SecretKind>,
    /// A message to the customer (what for, what kind of account).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub message: String,
}

/// An institution as support's filters and announcements name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Support region id.
    pub region: String,
}

/// `GET /api/v1/institution/access-profile`: whether the institution's support access profile
/// holds each secret (never the values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessProfile {
    /// Each kind and where it stands.
    pub secrets: Vec<crate::secrets::SecretStatus>,
    /// Whether new defect cases may use it (it holds app credentials).
    pub usable: bool,
}

/// `POST /api/v1/cases/{number}/comments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewComment {
    /// The comment text.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = r"\S")
    )]
    pub body: String,
    /// Upload ids from `POST /api/v1/uploads`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub attachments: Vec<String>,
    /// The customer's answer to a proposed solution says it did not solve the problem (recorded
    /// as such; the case goes back to support).
    #[serde(default)]
    pub rejects_solution: bool,
}

/// A field-level validation error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The JSON field path, e.g. `subject` or `scenario.steps`.
    pub field: String,
    /// What is wrong and how to fix it, written for the customer.
    pub message: String,
}

impl FieldError {
    /// Builds an error for `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Problem type of a 409 answered while a request with the same Idempotency-Key is still running:
/// wait (Retry-After) and send it again; the answer will be the first request's result.
pub const PROBLEM_IN_PROGRESS: &str = "/api/v1/problems/request-in-progress";

/// Problem type of a 409 answered when an Idempotency-Key that already made a case comes back with
/// a different body (a second tab sending the same draft after an edit): the request was already
/// sent, as the case in `case_number`.
pub const PROBLEM_ALREADY_SENT: &str = "/api/v1/problems/already-sent";

/// An RFC 9457 problem details body (`application/problem+json`), used for every API error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the problem type (`about:blank` for plain HTTP errors).
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    /// A short summary.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong in this request, for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Field errors for 422 answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The case the request already made ([`PROBLEM_ALREADY_SENT`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
}

fn about_blank() -> String {
    "about:blank".into()
}

/// `GET /api/v1/sla/preview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPreview {
    /// The level.
    pub level: Level,
    /// The support region id.
    pub region: String,
    /// The region's IANA time zone.
    pub time_zone: String,
    /// When the case is (or would be) opened.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub opened_at: DateTime<Utc>,
    /// When the initial response is due.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub initial_response_due: DateTime<Utc>,
    /// `24x7` or `business_hours`.
    pub clock: crate::level::Clock,
}

/// A level as `GET /api/v1/config` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelInfo {
    /// The level.
    pub level: Level,
    /// Priority name.
    pub priority: String,
    /// Definition.
    pub definition: String,
    /// Target in words.
    pub target: String,
    /// How the target is counted.
    pub clock: crate::level::Clock,
}

/// A request kind as `GET /api/v1/config` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindInfo {
    /// The kind.
    pub kind: RequestKind,
    /// Where it goes.
    pub route: crate::Route,
    /// Short label.
    pub label: String,
    /// Customer-facing explanation.
    pub explanation: String,
}

/// `GET /api/v1/config`: what the portal renders from one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Config {
    /// Product name.
    pub product_name: String,
    /// Request kinds.
    pub kinds: Vec<KindInfo>,
    /// Response levels.
    pub levels: Vec<LevelInfo>,
    /// Support regions: id, name and time zone.
    pub regions: Vec<RegionInfo>,
    /// Product areas for the case form: the value a case stores, and its label in the answer's
    /// language.
    pub product_areas: Vec<ProductArea>,
    /// The Ideas Exchange URL.
    pub ideas_exchange_url: String,
    /// The 24/7 escalation contacts for down systems.
    pub escalation_contacts: Vec<Contact>,
    /// The escalation policy page.
    pub escalation_policy_url: String,
    /// The 24/7 support page the policy names, next to the escalation policy.
    pub support_247_url: String,
    /// The Support Portal User Guide the policy names.
    pub support_portal_guide_url: String,
    /// The knowledge center.
    pub knowledge_center_url: String,
    /// What support needs with a case, in the policy's words.
    pub support_needs: Vec<String>,
    /// Community channels: Developer Network, Slack, mailing list, user conferences.
    pub community: Vec<Link>,
    /// Attachment size and count limits.
    #[serde(default)]
    pub attachment_limits: crate::attachment::Limits,
}

/// A product area a case can be about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductArea {
    /// What a case stores (the same in every language).
    pub value: String,
    /// What people read, in the answer's language.
    pub label: String,
}

/// A named link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    /// What it is.
    pub name: String,
    /// Where it goes.
    pub url: String,
}

/// A support region as `GET /api/v1/config` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionInfo {
    /// Region id.
    pub id: String,
    /// Region name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
}

/// A knowledge article (plain text, rendered as text: never as HTML).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    /// Stable id, e.g. `KA-0101`.
    pub id: String,
    /// What it is about, for browsing ("Push notifications").
    #[serde(default)]
    pub topic: String,
    /// Title.
    pub title: String,
    /// One-paragraph summary shown in suggestions.
    pub summary: String,
    /// The article text; paragraphs separated by blank lines.
    #[serde(default)]
    pub body: String,
    /// The full article in the Knowledge Center.
    pub url: String,
}

/// `GET /api/v1/articles?q=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleList {
    /// Best matches first (without bodies); for an empty query every article, by topic.
    pub items: Vec<Article>,
}

/// `POST /api/v1/routings`: a request handed to the Ideas Exchange, recorded for the institution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRouting {
    /// The idea's title.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub title: String,
    /// The idea, ideally as a user story.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = r"\S")
    )]
    pub description: String,
}

/// `POST /api/v1/consultations`: a user-experience redesign request for the account manager.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConsultation {
    /// What should change.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = r"\S")
    )]
    pub what: String,
    /// The desired project start.
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::instant::de_date_opt")
    )]
    pub desired_start: Option<chrono::NaiveDate>,
}

/// A recorded hand-off (routing or consultation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandOff {
    /// Reference, e.g. `IX-000003` (Ideas Exchange) or `AM-000002` (account manager).
    pub reference: String,
    /// When it was recorded.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub created_at: DateTime<Utc>,
    /// For consultations: the earliest recommended start (6 weeks' lead time).
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_date_opt")
    )]
    pub earliest_recommended_start: Option<chrono::NaiveDate>,
    /// For consultations: the desired start is earlier than the recommended lead time allows.
    #[serde(default)]
    pub before_lead_time: bool,
}

/// Where a hand-off went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HandOffKind {
    /// An idea for the Ideas Exchange (`IX-…`).
    IdeasExchange,
    /// A consultation request for the account manager (`AM-…`).
    AccountManager,
}

impl HandOffKind {
    /// The API value.
    pub fn as_str(self) -> &'static str {
        match self {
            HandOffKind::IdeasExchange => "ideas_exchange",
            HandOffKind::AccountManager => "account_manager",
        }
    }

    /// Parses an API value.
    pub fn parse(s: &str) -> Option<Self> {
        [HandOffKind::IdeasExchange, HandOffKind::AccountManager]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One hand-off as the institution (and support) reads it back on "Sent elsewhere".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentItem {
    /// `IX-000003` or `AM-000002`.
    pub reference: String,
    /// Where it went.
    pub kind: HandOffKind,
    /// The idea's title, or the first line of a consultation request.
    pub title: String,
    /// The whole text.
    pub description: String,
    /// Who sent it.
    pub by: String,
    /// Their institution.
    pub institution: String,
    /// When.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub created_at: DateTime<Utc>,
    /// Ideas: the idea on the Ideas Exchange, once someone gives its link.
    #[serde(default)]
    pub idea_url: Option<String>,
    /// Ideas moved from a case: that case's number.
    #[serde(default)]
    pub case_number: Option<String>,
    /// Consultations: the desired start.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_date_opt")
    )]
    pub desired_start: Option<chrono::NaiveDate>,
    /// Consultations: the desired start leaves less than the recommended 6 weeks.
    #[serde(default)]
    pub before_lead_time: bool,
    /// Consultations: when the account manager's side acknowledged it (`None`: sent).
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_opt")
    )]
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/handoffs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentList {
    /// Newest first.
    pub items: Vec<SentItem>,
}

/// `PUT /api/v1/routings/{reference}/idea`: the idea's link on the Ideas Exchange.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdeaLink {
    /// An `https://` address.
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_match_the_json() {
        for e in Environment::ALL {
            assert_eq!(Environment::parse(e.as_str()), Some(e));
            assert_eq!(
                serde_json::to_string(&e).unwrap_or_default(),
                format!("\"{}\"", e.as_str())
            );
        }
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap_or_default(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert_eq!(Environment::parse("staging"), None);
    }
}

/// One person of an institution, as its administrators see them (`GET /api/v1/people`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    /// Id (for changes).
    pub id: i64,
    /// E-mail address.
    pub email: String,
    /// Name.
    pub name: String,
    /// What they may see and do.
    pub membership: Membership,
    /// Whether they can sign in.
    pub active: bool,
    /// When they last signed in, if ever.
    #[cfg_attr(
        target_arch = "wasm32",
        serde(default, deserialize_with = "crate::instant::de_opt")
    )]
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// The person asking.
    pub you: bool,
}

/// A pending invitation to an institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    /// Id (to resend or revoke).
    pub id: i64,
    /// The address invited.
    pub email: String,
    /// The membership they will have.
    pub membership: Membership,
    /// Who invited them.
    pub invited_by: String,
    /// When the link was last sent.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub sent_at: DateTime<Utc>,
    /// When the link stops working.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub expires_at: DateTime<Utc>,
}

/// `GET /api/v1/people`: an institution's people and pending invitations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct People {
    /// The institution.
    pub institution: InstitutionRef,
    /// Its people, active first, by name.
    pub people: Vec<Person>,
    /// Invitations not yet accepted, revoked or expired, newest first.
    pub invitations: Vec<Invitation>,
}

/// `POST /api/v1/invitations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvitation {
    /// The colleague's e-mail address.
    pub email: String,
    /// What they will see and do.
    #[serde(default)]
    pub membership: Membership,
    /// The institution (support agents only; administrators invite to their own).
    #[serde(default)]
    pub institution_id: Option<i64>,
}

/// `POST /api/v1/invitations/offer`: what an invitation link offers, before it is accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationOffer {
    /// The address invited (the account's sign-in address).
    pub email: String,
    /// The institution.
    pub institution: String,
    /// The membership.
    pub membership: Membership,
    /// Who invited.
    pub invited_by: String,
    /// When the link stops working.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub expires_at: DateTime<Utc>,
}

/// A single-use link's token (it travels in bodies, never in a URL a log could keep).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkToken {
    /// The token, as the e-mailed link holds it after `#`.
    pub token: String,
}

/// `POST /api/v1/accounts`: accepts an invitation with the new account's name and password.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acceptance {
    /// The invitation's token.
    pub token: String,
    /// The name colleagues and support see.
    pub name: String,
    /// The password (at least 12 characters; not a common or breached one).
    pub password: String,
}

/// `POST /api/v1/password-resets`: asks for a reset link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetRequest {
    /// The account's e-mail address.
    pub email: String,
}

/// `POST /api/v1/password-resets/completion`: the new password.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPassword {
    /// The reset link's token.
    pub token: String,
    /// The new password.
    pub password: String,
}

/// `PUT /api/v1/me/password`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The password now.
    pub current: String,
    /// The new one.
    pub password: String,
    /// Also end every other session.
    #[serde(default)]
    pub sign_out_others: bool,
}

/// `POST /api/v1/session` when the account has two-step sign-in (202): the password was right;
/// the code comes next, with this challenge, within 5 minutes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInChallenge {
    /// Single use, 5 minutes.
    pub challenge: String,
}

/// `POST /api/v1/session/second-factor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactor {
    /// The challenge the password step answered.
    pub challenge: String,
    /// The 6-digit code of the authenticator app, or a recovery code.
    pub code: String,
}

/// `POST /api/v1/me/two-factor`: a new secret to enrol in an authenticator app (not on until a
/// code from it is confirmed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorSetup {
    /// The secret in base32, to type in by hand.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub otpauth_url: String,
    /// The QR code's width in modules (its quiet zone included).
    pub qr_size: u32,
    /// The QR code's dark modules as SVG path data, in a `0 0 qr_size qr_size` view box.
    pub qr_path: String,
}

/// A two-step code (`PUT /api/v1/me/two-factor` confirms enrolment with one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorCode {
    /// The 6-digit code the authenticator app shows now.
    pub code: String,
}

/// Recovery codes, shown once when two-step sign-in is turned on (each works once instead of a
/// code; only their hashes are kept).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    /// The codes.
    pub codes: Vec<String>,
}

/// `DELETE /api/v1/me/two-factor` (customers): the password and a code turn it off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorOff {
    /// The password.
    pub password: String,
    /// A code from the app, or a recovery code.
    pub code: String,
}

/// An institution's single sign-on, as the sign-in page offers it (`GET /api/v1/sso`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoOption {
    /// Id (`/api/v1/sso/{id}/start`).
    pub id: String,
    /// What the button says after "Sign in with".
    pub label: String,
}
