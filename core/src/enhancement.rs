//! Enhancement-request detection: does support-case text read like a request for new
//! functionality or an integration? Those belong on the Ideas Exchange, so the portal offers that
//! route (the customer can still submit the case).
//!
//! Deliberately simple and explainable: a list of phrases matched on word boundaries,
//! case-insensitively, reporting the phrase that matched.

/// Phrases that signal a request for new functionality or an integration, in English and French
/// (matched on text with typographic apostrophes made plain).
pub const PHRASES: &[&str] = &[
    "feature request",
    "enhancement request",
    "new feature",
    "new functionality",
    "new integration",
    "integrate with",
    "integration with",
    "add support for",
    "support for a new",
    "would like the app to",
    "would like to add",
    "would like to have",
    "would be great if",
    "would be nice if",
    "would be nice to",
    "could you add",
    "can you add",
    "please add",
    "could the app",
    "wish list",
    "roadmap",
    "connect to our new",
    "demande d'évolution",
    "demande de fonctionnalité",
    "nouvelle fonctionnalité",
    "nouvelle intégration",
    "intégrer avec",
    "intégration avec",
    "ajouter la prise en charge",
    "serait bien que",
    "serait bien de",
    "pourriez-vous ajouter",
    "pouvez-vous ajouter",
    "merci d'ajouter",
    "nous aimerions que l'application",
    "feuille de route",
];

/// A detected enhancement request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The phrase that matched, as listed in [`PHRASES`].
    pub phrase: &'static str,
}

fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if c == '’' {
                out.push('\'');
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

fn contains_words(haystack: &str, needle: &str) -> bool {
    let mut start = 0;
    while let Some(pos) = haystack[start..].find(needle) {
        let at = start + pos;
        let end = at + needle.len();
        let before = haystack[..at].chars().next_back();
        let after = haystack[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return true;
        }
        start = at + needle.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Checks subject and description together; returns the first phrase that matched.
pub fn detect(subject: &str, description: &str) -> Option<Hint> {
    let text = normalise(&format!("{subject}\n{description}"));
    PHRASES
        .iter()
        .find(|p| contains_words(&text, p))
        .map(|p| Hint { phrase: p })
}

/// Whether an open support case may move to the Ideas Exchange (it reads like new functionality,
/// as support or the customer judge): only while open, and never a production outage (Levels I
/// and II are things that broke, not ideas). Moving records the hand-off and closes the case.
pub fn may_move_to_ideas(
    kind: crate::RequestKind,
    level: crate::Level,
    status: crate::CaseStatus,
) -> bool {
    kind.is_support_case() && status.is_open() && level >= crate::Level::III
}

#[cfg(test)]
mod tests {

    #[test]
    fn open_cases_below_level_ii_may_move_to_the_ideas_exchange() {
        use crate::{CaseStatus, Level, RequestKind};
        assert!(super::may_move_to_ideas(
            RequestKind::Question,
            Level::IV,
            CaseStatus::New
        ));
        assert!(super::may_move_to_ideas(
            RequestKind::Defect,
            Level::III,
            CaseStatus::InProgress
        ));
        assert!(!super::may_move_to_ideas(
            RequestKind::Defect,
            Level::II,
            CaseStatus::InProgress
        ));
        assert!(!super::may_move_to_ideas(
            RequestKind::Question,
            Level::IV,
            CaseStatus::Closed
        ));
    }

    use super::*;

    #[test]
    fn flags_requests_for_new_functionality() {
        let positives = [
            ("Feature request: dark mode", "", "feature request"),
            (
                "Canvas",
                "We would like the app to show Canvas deadlines",
                "would like the app to",
            ),
            ("LMS", "Can we integrate with Moodle 4.5?", "integrate with"),
            (
                "Parking",
                "Please ADD support for  parking sensors",
                "add support for",
            ),
            (
                "Idea",
                "It would be nice if the map had floors",
                "would be nice if",
            ),
            (
                "Room booking",
                "Could you add a room booking tile?",
                "could you add",
            ),
            (
                "Catalogue",
                "new integration for our library system",
                "new integration",
            ),
            ("Timetable", "Is offline mode on the roadmap?", "roadmap"),
            (
                "Plan",
                "Ce serait bien que le plan affiche les étages",
                "serait bien que",
            ),
            (
                "Moodle",
                "Nouvelle Intégration : Moodle",
                "nouvelle intégration",
            ),
            (
                "Parking",
                "Merci d’ajouter les capteurs de parking",
                "merci d'ajouter",
            ),
        ];
        for (s, d, phrase) in positives {
            assert_eq!(detect(s, d).map(|h| h.phrase), Some(phrase), "{s} / {d}");
        }
    }

    #[test]
    fn leaves_defects_and_questions_alone() {
        let negatives = [
            (
                "Timetable empty",
                "The timetable module shows no events since 08:00.",
            ),
            (
                "Login fails",
                "SSO sign-in returns error 500 after our IdP certificate change.",
            ),
            (
                "How do I add a user?",
                "Where in the App Manager do I add a new user?",
            ),
            (
                "Push notifications",
                "The integration stopped sending notifications yesterday.",
            ),
            (
                "Map",
                "Renew features layer broke: requested tiles time out.",
            ),
            (
                "Question",
                "Which roadmaps do students see in the campus tour?",
            ),
        ];
        for (s, d) in negatives {
            assert_eq!(detect(s, d), None, "{s} / {d}");
        }
    }
}
