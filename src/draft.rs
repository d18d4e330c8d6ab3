//! Drafts of new requests, kept in the browser's local storage as the customer types, one per
//! user (keyed by e-mail, so another user of the same browser never sees it). Secrets are not part
//! of [`Draft`] at all, so they cannot end up in storage. A draft also carries the
//! Idempotency-Key of its submission: a retry or a reload during submit never makes two cases.

use chrono::{DateTime, Utc};
use portal_core::model::{Credentials, Environment, NewCase, Scenario};
use portal_core::{Level, RequestKind};
use serde::{Deserialize, Serialize};

/// Everything the new-request form holds, except credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// Chosen request kind.
    pub kind: Option<RequestKind>,
    /// Level wizard answers.
    pub answers: [Option<bool>; 3],
    /// Product area.
    pub product_area: String,
    /// Affected environment.
    pub environment: Environment,
    /// Subject.
    pub subject: String,
    /// Description.
    pub description: String,
    /// Steps to reproduce.
    pub steps: String,
    /// Expected result.
    pub expected: String,
    /// Actual result.
    pub actual: String,
    /// How often.
    pub frequency: String,
    /// Remote access to the Connect Layer (not a password: how to reach it).
    pub connect_layer_access: String,
    /// Files already uploaded for the case (ids, names and sizes: no content).
    pub attachments: Vec<portal_core::model::Attachment>,
    /// Knowledge articles the customer opened (recorded on the case).
    pub articles_viewed: Vec<String>,
    /// Ideas Exchange title (integration requests).
    pub idea_title: String,
    /// Ideas Exchange description.
    pub idea_description: String,
    /// What should change (redesign requests).
    pub consultation_what: String,
    /// Desired project start, `YYYY-MM-DD`.
    pub consultation_start: String,
    /// Whether to use the institution's support access profile (`None`: yes when it has one).
    pub use_access_profile: Option<bool>,
    /// Colleagues (e-mail addresses) to keep informed about the case.
    pub followers: Vec<String>,
    /// Idempotency-Key for submitting this draft.
    pub idempotency_key: String,
    /// When it was last saved.
    #[serde(default, deserialize_with = "portal_core::instant::de_opt")]
    pub saved_at: Option<DateTime<Utc>>,
}

impl Draft {
    /// The level the wizard's answers give for the chosen kind and environment, once they give
    /// one ([`portal_core::level::decide`]).
    pub fn level(&self) -> Option<Level> {
        portal_core::level::decide(self.kind?, self.environment, &self.answers)
    }

    /// The support case this draft describes, with the credentials typed (never part of a draft)
    /// and the ids of the uploaded files; `None` until a kind and a level are chosen. The Connect
    /// Layer access goes only with an institution that has one.
    pub fn to_case(
        &self,
        credentials: &Credentials,
        attachments: Vec<String>,
        has_connect_layer: bool,
        profile_usable: bool,
    ) -> Option<NewCase> {
        let given = !credentials.username.is_empty() || !credentials.password.is_empty();
        Some(NewCase {
            kind: self.kind?,
            level: self.level()?,
            product_area: self.product_area.clone(),
            environment: self.environment,
            subject: self.subject.clone(),
            description: self.description.clone(),
            scenario: Scenario {
                steps: self.steps.clone(),
                expected: self.expected.clone(),
                actual: self.actual.clone(),
            },
            frequency: self.frequency.clone(),
            credentials: given.then(|| credentials.clone()),
            connect_layer_access: if has_connect_layer {
                self.connect_layer_access.clone()
            } else {
                String::new()
            },
            attachments,
            articles_viewed: self.articles_viewed.clone(),
            use_access_profile: self.uses_profile(profile_usable),
            followers: self.followers.clone(),
        })
    }

    /// Whether the case uses the support access profile: when the institution has a usable one,
    /// unless the customer said not to.
    pub fn uses_profile(&self, profile_usable: bool) -> bool {
        profile_usable && self.use_access_profile != Some(false)
    }

    /// Whether the customer has typed anything worth keeping.
    pub fn has_content(&self) -> bool {
        [
            &self.subject,
            &self.description,
            &self.steps,
            &self.expected,
            &self.actual,
            &self.connect_layer_access,
            &self.idea_title,
            &self.idea_description,
            &self.consultation_what,
        ]
        .iter()
        .any(|s| !s.trim().is_empty())
            || !self.attachments.is_empty()
    }
}

const PREFIX: &str = "campusm.draft.v1:";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn key(email: &str) -> String {
    format!("{PREFIX}{}", email.trim().to_ascii_lowercase())
}

/// The saved draft of this user, if any.
pub fn load(email: &str) -> Option<Draft> {
    let text = storage()?.get_item(&key(email)).ok()??;
    serde_json::from_str(&text).ok()
}

/// Saves the draft of this user. Storage failures (private mode, quota) are ignored: the form
/// still holds the text.
pub fn save(email: &str, draft: &Draft) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(&key(email), &text);
    }
}

/// Removes this user's drafts (the new request, and updates being written on cases): after a
/// successful submit, or on sign-out.
pub fn clear_user(email: &str) {
    take_secrets();
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(email));
        let prefix = format!("campusm.comment.v1:{}:", email.trim().to_ascii_lowercase());
        let keys: Vec<String> = (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| k.starts_with(&prefix))
            .collect();
        for k in keys {
            let _ = s.remove_item(&k);
        }
    }
}

/// Removes only the new-request draft (after it was sent), keeping updates being written.
pub fn clear_request(email: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(email));
    }
}

/// A fresh Idempotency-Key (a random UUID from the browser's CSPRNG).
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "k-{}-{}",
                Utc::now().timestamp_millis(),
                (js_sys::Math::random() * 1e12) as u64
            )
        })
}

fn comment_key(email: &str, number: &str) -> String {
    format!(
        "campusm.comment.v1:{}:{number}",
        email.trim().to_ascii_lowercase()
    )
}

/// The update this user was writing on a case, if any.
pub fn load_comment(email: &str, number: &str) -> String {
    storage()
        .and_then(|s| s.get_item(&comment_key(email, number)).ok().flatten())
        .unwrap_or_default()
}

/// Keeps the update being written on a case (empty text removes it).
pub fn save_comment(email: &str, number: &str, text: &str) {
    if let Some(s) = storage() {
        let key = comment_key(email, number);
        let _ = if text.is_empty() {
            s.remove_item(&key)
        } else {
            s.set_item(&key, text)
        };
    }
}

thread_local! {
    static SECRETS: std::cell::RefCell<(String, String)> = const { std::cell::RefCell::new((String::new(), String::new())) };
}

/// Keeps app credentials typed into a new request in memory only (never in storage), so a
/// language switch or a visit to another page does not lose them.
pub fn keep_secrets(username: String, password: String) {
    SECRETS.with(|s| *s.borrow_mut() = (username, password));
}

/// Takes the credentials kept by [`keep_secrets`], leaving none behind.
pub fn take_secrets() -> (String, String) {
    SECRETS.with(|s| std::mem::take(&mut *s.borrow_mut()))
}
