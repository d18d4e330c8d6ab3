//! Request kinds and routing: which requests support handles and where the others go.

use serde::{Deserialize, Serialize};

use crate::{tr, Lang};

/// What a customer is asking for. The API values are the `snake_case` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A question about the app, the web portal, or a delivered integration.
    Question,
    /// Something delivered by Ex Libris does not work as it should.
    Defect,
    /// A new product integration, or an enhancement of an existing integration.
    IntegrationRequest,
    /// A user-experience redesign needing extensive functionality changes.
    UxRedesign,
}

/// Where a request is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// A support case; response levels and targets apply.
    SupportCase,
    /// Not covered by support: the Ideas Exchange, reviewed regularly by the campusM product team.
    IdeasExchange,
    /// Not covered by support: the account manager / campusM Success Manager, as a project.
    AccountManager,
}

/// Recommended lead time, in weeks, for a user-experience add-on project to start.
pub const UX_LEAD_TIME_WEEKS: u32 = 6;

/// The earliest recommended start of a user-experience project asked for on `today`.
pub fn earliest_recommended_start(today: chrono::NaiveDate) -> chrono::NaiveDate {
    today + chrono::Duration::weeks(i64::from(UX_LEAD_TIME_WEEKS))
}

/// Whether a desired start leaves less than the recommended lead time.
pub fn before_lead_time(desired: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    desired < earliest_recommended_start(today)
}

impl RequestKind {
    /// Every kind, in the order the portal offers them.
    pub const ALL: [RequestKind; 4] = [
        RequestKind::Question,
        RequestKind::Defect,
        RequestKind::IntegrationRequest,
        RequestKind::UxRedesign,
    ];

    /// The API value (`question`, `defect`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Question => "question",
            RequestKind::Defect => "defect",
            RequestKind::IntegrationRequest => "integration_request",
            RequestKind::UxRedesign => "ux_redesign",
        }
    }

    /// Parses an API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Where this kind of request goes.
    pub fn route(self) -> Route {
        match self {
            RequestKind::Question | RequestKind::Defect => Route::SupportCase,
            RequestKind::IntegrationRequest => Route::IdeasExchange,
            RequestKind::UxRedesign => Route::AccountManager,
        }
    }

    /// Whether support handles this kind as a case (response levels apply).
    pub fn is_support_case(self) -> bool {
        self.route() == Route::SupportCase
    }

    /// A short label for choosing the kind.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RequestKind::Question => tr!(lang, en: "A question", fr: "Une question"),
            RequestKind::Defect => {
                tr!(lang, en: "Something is not working", fr: "Quelque chose ne fonctionne pas")
            }
            RequestKind::IntegrationRequest => tr!(lang,
                en: "A new integration or new functionality",
                fr: "Une nouvelle intégration ou une nouvelle fonctionnalité"),
            RequestKind::UxRedesign => tr!(lang,
                en: "A redesign of the app's user experience",
                fr: "Une refonte de l’expérience utilisateur de l’application"),
        }
    }

    /// The customer-facing explanation of what happens with this kind of request.
    pub fn explanation(self, lang: Lang) -> &'static str {
        match self {
            RequestKind::Question => tr!(lang,
                en: "Questions about the campusM app, the web portal or an integration we delivered, and requests for information or documentation. Support answers as a case.",
                fr: "Questions sur l’application campusM, le portail web ou une intégration que nous avons livrée, et demandes d’information ou de documentation. Le support y répond dans un dossier."),
            RequestKind::Defect => tr!(lang,
                en: "A production or sandbox issue: something we delivered is down or works incorrectly. Support handles it as a case with a response level.",
                fr: "Un problème en production ou en sandbox : quelque chose que nous avons livré est indisponible ou fonctionne mal. Le support le traite comme un dossier avec un niveau de réponse."),
            RequestKind::IntegrationRequest => tr!(lang,
                en: "New product integrations and enhancements of existing integrations are additional functionality, not covered by support. Post them on the Ideas Exchange, which the campusM product team reviews regularly.",
                fr: "Les nouvelles intégrations de produits et les améliorations d’intégrations existantes sont des fonctionnalités supplémentaires, non couvertes par le support. Publiez-les sur l’Ideas Exchange, que l’équipe produit campusM examine régulièrement."),
            RequestKind::UxRedesign => tr!(lang,
                en: "A user-experience redesign that needs extensive functionality changes is a project, not a support case. Your account manager and the campusM Success Manager scope and schedule it with you; allow 6 weeks' lead time.",
                fr: "Une refonte de l’expérience utilisateur qui demande des changements importants de fonctionnalités est un projet, pas un dossier de support. Votre responsable de compte et le Success Manager campusM en définissent le périmètre et le calendrier avec vous ; prévoyez 6 semaines de délai."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_follow_the_policy() {
        assert_eq!(RequestKind::Question.route(), Route::SupportCase);
        assert_eq!(RequestKind::Defect.route(), Route::SupportCase);
        assert_eq!(
            RequestKind::IntegrationRequest.route(),
            Route::IdeasExchange
        );
        assert_eq!(RequestKind::UxRedesign.route(), Route::AccountManager);
    }

    #[test]
    fn ux_projects_need_six_weeks_lead_time() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        let earliest = earliest_recommended_start(today);
        assert_eq!(earliest.to_string(), "2027-01-09");
        assert!(before_lead_time(
            earliest - chrono::Duration::days(1),
            today
        ));
        assert!(!before_lead_time(earliest, today));
    }

    #[test]
    fn api_values_round_trip() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(RequestKind::parse("enhancement"), None);
    }
}
