//! Service announcements: the banner support agents put on every page of the portal (a known
//! incident, planned maintenance, general information), who sees it, and what makes one valid.
//!
//! An announcement is for every customer, or for one institution only (a known incident at that
//! institution). It may name a case number, the one to quote about it. It shows from when it is
//! posted until it expires or an agent withdraws it; each person may dismiss it on their device.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::FieldError;
use crate::{tr, trf, Lang};

/// The longest announcement text, in characters: a banner is read at a glance.
pub const MESSAGE_MAX: usize = 300;

/// What an announcement is about; the banner's label and colour follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementKind {
    /// A known incident: something is broken and support knows.
    Incident,
    /// Planned maintenance.
    Maintenance,
    /// General information.
    Information,
}

impl AnnouncementKind {
    /// The banner's label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AnnouncementKind::Incident => tr!(lang, en: "Known incident", fr: "Incident connu"),
            AnnouncementKind::Maintenance => {
                tr!(lang, en: "Planned maintenance", fr: "Maintenance planifiée")
            }
            AnnouncementKind::Information => tr!(lang, en: "Information", fr: "Information"),
        }
    }

    /// The wire name (`incident`, `maintenance`, `information`).
    pub fn as_str(self) -> &'static str {
        match self {
            AnnouncementKind::Incident => "incident",
            AnnouncementKind::Maintenance => "maintenance",
            AnnouncementKind::Information => "information",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<AnnouncementKind> {
        [
            AnnouncementKind::Incident,
            AnnouncementKind::Maintenance,
            AnnouncementKind::Information,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One announcement, as `GET /api/v1/announcements` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    /// `AN-000001`: stable, so a dismissal is remembered per announcement.
    pub id: String,
    /// What it is about.
    pub kind: AnnouncementKind,
    /// The text (plain text, never HTML).
    pub message: String,
    /// The case to quote about it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    /// Whether the person asking may open that case (then the banner links to it).
    #[serde(default)]
    pub case_visible: bool,
    /// When it was posted.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::instant::de"))]
    pub created_at: DateTime<Utc>,
    /// When it starts showing, when scheduled for later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_opt")
    )]
    pub starts_at: Option<DateTime<Utc>>,
    /// When it stops showing by itself, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_opt")
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// Only this institution's people see it (`None`: everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_id: Option<i64>,
}

/// `POST /api/v1/announcements` (support agents only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAnnouncement {
    /// What it is about.
    pub kind: AnnouncementKind,
    /// The text.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub message: String,
    /// The case to quote about it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^CS-[0-9]{6,}$"))]
    pub case_number: Option<String>,
    /// When it starts showing; `None`: now.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_opt")
    )]
    pub starts_at: Option<DateTime<Utc>>,
    /// When it stops showing; `None` keeps it until withdrawn.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_opt")
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// Only this institution's people see it; `None`: everyone, signed in or not.
    #[serde(default)]
    pub institution_id: Option<i64>,
}

/// Whether `s` has the shape of a case number (`CS-` and six or more digits).
pub fn is_case_number(s: &str) -> bool {
    s.strip_prefix("CS-")
        .is_some_and(|d| d.len() >= 6 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether an announcement that expires at `expires_at` still shows at `now`.
pub fn is_active(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    expires_at.is_none_or(|t| t > now)
}

/// Validates a new announcement at `now`: every problem, one per field.
pub fn validate(a: &NewAnnouncement, now: DateTime<Utc>, lang: Lang) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let len = a.message.trim().chars().count();
    let label = tr!(lang, en: "The announcement", fr: "L’annonce");
    if let Some(m) = crate::text::check(label, &a.message, crate::text::Shape::Lines, lang) {
        errors.push(FieldError::new("message", m));
    } else if !crate::text::has_visible(&a.message) {
        errors.push(FieldError::new(
            "message",
            tr!(lang,
                en: "Write the announcement customers should read.",
                fr: "Rédigez l’annonce que les clients doivent lire."),
        ));
    } else if len > MESSAGE_MAX {
        errors.push(FieldError::new(
            "message",
            trf!(lang,
                en: "The announcement is {len} characters long; a banner takes at most {MESSAGE_MAX}.",
                fr: "L’annonce fait {len} caractères ; un bandeau en accepte au plus {MESSAGE_MAX}."),
        ));
    }
    if let Some(n) = &a.case_number {
        if !is_case_number(n) {
            errors.push(FieldError::new(
                "case_number",
                trf!(lang,
                    en: "{n:?} is not a case number; case numbers look like CS-000123.",
                    fr: "{n:?} n’est pas un numéro de dossier ; un numéro de dossier ressemble à CS-000123."),
            ));
        }
    }
    if let Some(t) = a.expires_at {
        if t <= now {
            errors.push(FieldError::new(
                "expires_at",
                tr!(lang,
                    en: "The expiry time has already passed; choose a time in the future, or none.",
                    fr: "L’heure d’expiration est déjà passée ; choisissez une heure à venir, ou aucune."),
            ));
        } else if a.starts_at.is_some_and(|s| s >= t) {
            errors.push(FieldError::new(
                "expires_at",
                tr!(lang,
                    en: "The announcement would end before it starts; end it after its start.",
                    fr: "L’annonce finirait avant de commencer ; faites-la finir après son début."),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("a valid instant")
    }

    fn new(message: &str) -> NewAnnouncement {
        NewAnnouncement {
            kind: AnnouncementKind::Incident,
            message: message.into(),
            case_number: None,
            starts_at: None,
            expires_at: None,
            institution_id: None,
        }
    }

    #[test]
    fn a_plain_announcement_is_valid() {
        assert!(validate(&new("Push notifications are delayed."), now(), Lang::En).is_empty());
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let mut a = new("   ");
        a.case_number = Some("12345".into());
        a.expires_at = Some(now());
        let fields: Vec<_> = validate(&a, now(), Lang::En)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["message", "case_number", "expires_at"]);
        let long = new(&"x".repeat(MESSAGE_MAX + 1));
        assert!(validate(&long, now(), Lang::En)[0]
            .message
            .contains("301 characters"));
    }

    #[test]
    fn case_numbers_and_expiry() {
        assert!(is_case_number("CS-000123"));
        assert!(is_case_number("CS-1000000"));
        assert!(!is_case_number("CS-12"));
        assert!(!is_case_number("cs-000123"));
        assert!(!is_case_number("CS-00012a"));
        assert!(is_active(None, now()));
        assert!(is_active(Some(now() + chrono::Duration::seconds(1)), now()));
        assert!(!is_active(Some(now()), now()));
        for k in ["incident", "maintenance", "information"] {
            assert_eq!(AnnouncementKind::parse(k).map(|k| k.as_str()), Some(k));
        }
        assert_eq!(AnnouncementKind::parse("outage"), None);
    }

    proptest! {
        #[test]
        fn validation_never_panics_and_accepts_short_text(message in "\\PC{0,400}", case in "\\PC{0,12}") {
            let mut a = new(&message);
            a.case_number = Some(case.clone());
            let errors = validate(&a, now(), Lang::En);
            let len = message.trim().chars().count();
            prop_assert_eq!(errors.iter().any(|e| e.field == "message"), len == 0 || len > MESSAGE_MAX);
            prop_assert_eq!(errors.iter().any(|e| e.field == "case_number"), !is_case_number(&case));
        }
    }
}
