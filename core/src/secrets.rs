//! The secrets support needs to reproduce a problem — working app credentials, and remote access
//! to the local Connect Layer where the institution has one — and the rules around them: they are
//! write-only for customers, read by support only with an explicit reveal that the customer sees,
//! and erased a while after the case closes.

use serde::{Deserialize, Serialize};

use crate::{tr, Lang};

/// Days after a case closes that its secrets are kept (unless the deployment says otherwise).
pub const RETENTION_DAYS_DEFAULT: u32 = 30;

/// One kind of secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// An app account support can sign in with.
    AppCredentials,
    /// How support reaches the institution's local Connect Layer.
    ConnectLayer,
}

impl SecretKind {
    /// Every kind.
    pub const ALL: [SecretKind; 2] = [SecretKind::AppCredentials, SecretKind::ConnectLayer];

    /// The stored and API value.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::AppCredentials => "app_credentials",
            SecretKind::ConnectLayer => "connect_layer",
        }
    }

    /// Parses a stored or API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name in a sentence ("the app credentials").
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            SecretKind::AppCredentials => {
                tr!(lang, en: "the app credentials", fr: "les identifiants de l’application")
            }
            SecretKind::ConnectLayer => {
                tr!(lang, en: "the Connect Layer access", fr: "l’accès au Connect Layer")
            }
        }
    }
}

/// Where one kind of secret of a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SecretState {
    /// Given, kept sealed for support.
    Provided,
    /// Given, then erased after the case closed.
    Erased,
    /// Never given.
    Missing,
}

/// One kind of secret of a case and where it stands (never its value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretStatus {
    /// Which secret.
    pub kind: SecretKind,
    /// Provided, erased or missing.
    pub state: SecretState,
    /// When it was last given or erased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::instant::de_opt")
    )]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Secrets shown to support after an explicit reveal (`POST …/secrets/reveal`); never sent to
/// customers.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revealed {
    /// The app credentials, when given.
    #[serde(default)]
    pub app_credentials: Option<crate::model::Credentials>,
    /// The Connect Layer access details, when given.
    #[serde(default)]
    pub connect_layer_access: Option<String>,
}

impl std::fmt::Debug for Revealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Revealed(***)")
    }
}

/// `PUT …/secrets` and `PUT /api/v1/institution/access-profile`: new values, write-only; a kind
/// left out is kept as it is.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSecrets {
    /// Working app credentials.
    #[serde(default)]
    pub app_credentials: Option<crate::model::Credentials>,
    /// How support reaches the local Connect Layer.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub connect_layer_access: Option<String>,
}

impl std::fmt::Debug for NewSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSecrets(***)")
    }
}

impl NewSecrets {
    /// The kinds it sets.
    pub fn kinds(&self) -> Vec<SecretKind> {
        let mut k = Vec::new();
        if self.app_credentials.is_some() {
            k.push(SecretKind::AppCredentials);
        }
        if self.connect_layer_access.is_some() {
            k.push(SecretKind::ConnectLayer);
        }
        k
    }

    /// Field errors for people: each kind given must be complete and within the limits; at
    /// least one kind.
    pub fn validate(&self, lang: Lang) -> Vec<crate::model::FieldError> {
        use crate::model::FieldError;
        use crate::validate::{LINE_MAX, TEXT_MAX};
        let mut errors = Vec::new();
        if self.kinds().is_empty() {
            errors.push(FieldError::new(
                "app_credentials",
                tr!(lang,
                    en: "Give the app credentials, the Connect Layer access, or both.",
                    fr: "Donnez les identifiants de l’application, l’accès au Connect Layer, ou les deux."),
            ));
        }
        if let Some(c) = &self.app_credentials {
            let label = tr!(lang, en: "The user name", fr: "Le nom d’utilisateur");
            if let Some(m) = crate::text::check(label, &c.username, crate::text::Shape::Line, lang)
            {
                errors.push(FieldError::new("app_credentials.username", m));
            } else if !crate::text::has_visible(&c.username) {
                errors.push(FieldError::new(
                    "app_credentials.username",
                    tr!(lang, en: "Enter the app user name.", fr: "Saisissez le nom d’utilisateur de l’application."),
                ));
            }
            if c.password.is_empty() {
                errors.push(FieldError::new(
                    "app_credentials.password",
                    tr!(lang, en: "Enter the app password.", fr: "Saisissez le mot de passe de l’application."),
                ));
            }
            if c.username.chars().count() > LINE_MAX || c.password.chars().count() > LINE_MAX {
                errors.push(FieldError::new(
                    "app_credentials.username",
                    tr!(lang, en: "User name and password are limited to 500 characters each.", fr: "Le nom d’utilisateur et le mot de passe sont limités à 500 caractères chacun."),
                ));
            }
        }
        if let Some(a) = &self.connect_layer_access {
            let label = tr!(lang, en: "The access details", fr: "La description de l’accès");
            if let Some(m) = crate::text::check(label, a, crate::text::Shape::Lines, lang) {
                errors.push(FieldError::new("connect_layer_access", m));
            } else if !crate::text::has_visible(a) {
                errors.push(FieldError::new(
                    "connect_layer_access",
                    tr!(lang,
                        en: "Describe how support can reach your local Connect Layer remotely (VPN, host, account).",
                        fr: "Décrivez comment le support peut accéder à distance à votre Connect Layer local (VPN, hôte, compte)."),
                ));
            } else if a.chars().count() > TEXT_MAX {
                errors.push(FieldError::new(
                    "connect_layer_access",
                    tr!(lang, en: "The access details are limited to 20000 characters.", fr: "La description de l’accès est limitée à 20000 caractères."),
                ));
            }
        }
        errors
    }
}

/// The secrets support asked for (an access request on the timeline) and has not received since
/// (no update of that kind after the request), from a case's timeline, oldest entry first.
pub fn open_requests(timeline: &[crate::model::TimelineEntry]) -> Vec<SecretKind> {
    use crate::model::EntryKind;
    let mut open: Vec<SecretKind> = Vec::new();
    for e in timeline {
        match e.kind {
            EntryKind::AccessRequest => {
                for k in &e.secrets {
                    if !open.contains(k) {
                        open.push(*k);
                    }
                }
            }
            EntryKind::SecretsUpdated => open.retain(|k| !e.secrets.contains(k)),
            _ => {}
        }
    }
    open
}

/// Whether secrets of a case closed at `closed_at` are due for erasure at `now`.
pub fn due_for_erasure(
    closed_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    retention_days: u32,
) -> bool {
    now - closed_at >= chrono::Duration::days(i64::from(retention_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Credentials;

    #[test]
    fn new_secrets_are_complete_or_explained() {
        assert_eq!(NewSecrets::default().validate(Lang::En).len(), 1);
        let half = NewSecrets {
            app_credentials: Some(Credentials {
                username: "u".into(),
                password: String::new(),
            }),
            connect_layer_access: None,
        };
        let e = half.validate(Lang::Fr);
        assert_eq!(e[0].field, "app_credentials.password");
        assert!(e[0].message.contains("mot de passe"));
        let whole = NewSecrets {
            connect_layer_access: Some("VPN vpn.example, jump host cl1".into()),
            ..NewSecrets::default()
        };
        assert!(whole.validate(Lang::En).is_empty());
        assert_eq!(whole.kinds(), [SecretKind::ConnectLayer]);
        assert!(!format!("{whole:?}").contains("vpn.example"));
        for k in SecretKind::ALL {
            assert_eq!(SecretKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn a_request_stays_open_until_that_secret_arrives() {
        use crate::model::{EntryKind, TimelineEntry};
        let entry = |kind, secrets: &[SecretKind]| TimelineEntry {
            at: chrono::DateTime::from_timestamp(0, 0).unwrap_or_default(),
            author: "x".into(),
            author_role: crate::Role::Agent,
            kind,
            body: String::new(),
            status: None,
            attachments: Vec::new(),
            level: None,
            from_level: None,
            secrets: secrets.to_vec(),
            changes: Vec::new(),
        };
        let both = [SecretKind::AppCredentials, SecretKind::ConnectLayer];
        let mut t = vec![entry(EntryKind::AccessRequest, &both)];
        assert_eq!(open_requests(&t), both);
        t.push(entry(
            EntryKind::SecretsUpdated,
            &[SecretKind::ConnectLayer],
        ));
        assert_eq!(open_requests(&t), [SecretKind::AppCredentials]);
        t.push(entry(
            EntryKind::SecretsUpdated,
            &[SecretKind::AppCredentials],
        ));
        assert!(open_requests(&t).is_empty());
        t.push(entry(
            EntryKind::AccessRequest,
            &[SecretKind::AppCredentials],
        ));
        assert_eq!(open_requests(&t), [SecretKind::AppCredentials]);
    }

    #[test]
    fn secrets_go_the_configured_days_after_closing() {
        let closed = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let day = chrono::Duration::days(1);
        assert!(!due_for_erasure(closed, closed + day * 29, 30));
        assert!(due_for_erasure(closed, closed + day * 30, 30));
        assert!(due_for_erasure(closed, closed + day, 1));
    }
}
