//! Response levels I–IV and the level wizard.

use serde::{Deserialize, Serialize};

use crate::{tr, Lang};

/// A response level. Serialised as its Roman numeral (`"I"` … `"IV"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    /// The production service is not available (System Down priority).
    I,
    /// An inoperable production module (Component Down priority).
    II,
    /// Other production performance issues, typically a feature working incorrectly (High).
    III,
    /// Non-performance incidents: questions, information, documentation (Normal and Low).
    IV,
}

/// How the initial-response target is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Clock {
    /// Calendar time, around the clock, 24/7/365.
    #[serde(rename = "24x7")]
    AroundTheClock,
    /// Business time in the institution's support region.
    #[serde(rename = "business_hours")]
    BusinessHours,
}

/// The initial-response target of a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Calendar hours.
    Hours(u32),
    /// Business days of [`crate::region::BUSINESS_HOURS_PER_DAY`] hours.
    BusinessDays(u32),
}

impl Level {
    /// All levels, most urgent first.
    pub const ALL: [Level; 4] = [Level::I, Level::II, Level::III, Level::IV];

    /// The Roman numeral.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::I => "I",
            Level::II => "II",
            Level::III => "III",
            Level::IV => "IV",
        }
    }

    /// Parses a Roman numeral (`I`–`IV`), case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
    }

    /// The priority name used by the policy.
    pub fn priority(self, lang: Lang) -> &'static str {
        match self {
            Level::I => tr!(lang, en: "System Down", fr: "Système indisponible"),
            Level::II => tr!(lang, en: "Component Down", fr: "Composant indisponible"),
            Level::III => tr!(lang, en: "High", fr: "Élevée"),
            Level::IV => tr!(lang, en: "Normal / Low", fr: "Normale / Basse"),
        }
    }

    /// The initial-response target.
    pub fn target(self) -> Target {
        match self {
            Level::I => Target::Hours(1),
            Level::II => Target::Hours(2),
            Level::III => Target::BusinessDays(1),
            Level::IV => Target::BusinessDays(2),
        }
    }

    /// How the target is counted.
    pub fn clock(self) -> Clock {
        match self.target() {
            Target::Hours(_) => Clock::AroundTheClock,
            Target::BusinessDays(_) => Clock::BusinessHours,
        }
    }

    /// The target in words, e.g. "1 hour, 24/7" or "2 business days".
    pub fn target_text(self, lang: Lang) -> &'static str {
        match self {
            Level::I => tr!(lang, en: "1 hour, around the clock", fr: "1 heure, 24 h/24"),
            Level::II => tr!(lang, en: "2 hours, around the clock", fr: "2 heures, 24 h/24"),
            Level::III => tr!(lang, en: "1 business day", fr: "1 jour ouvré"),
            Level::IV => tr!(lang, en: "2 business days", fr: "2 jours ouvrés"),
        }
    }

    /// Whether the 24/7 escalation policy applies (down systems and components).
    pub fn is_down(self) -> bool {
        matches!(self, Level::I | Level::II)
    }
}

/// The answers to the level wizard's impact questions, asked in this order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImpactAnswers {
    /// Is the production service unavailable for your users?
    pub production_down: bool,
    /// Is a production module inoperable?
    pub module_down: bool,
    /// Is it a production performance issue, or a feature working incorrectly?
    pub feature_incorrect: bool,
}

/// The levels a "yes" to each of the wizard's questions leads to, in question order.
pub const WIZARD_LEVELS: [Level; 3] = [Level::I, Level::II, Level::III];

/// The wizard's question that leads to `level` (I, II or III) with a "yes".
pub fn wizard_question(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::I => tr!(lang,
            en: "Is the production service unavailable to your users?",
            fr: "Le service de production est-il indisponible pour vos utilisateurs ?"),
        Level::II => tr!(lang,
            en: "Is a production module inoperable (for example timetable, library or maps)?",
            fr: "Un module de production est-il inutilisable (par exemple l’emploi du temps, la bibliothèque ou les plans) ?"),
        _ => tr!(lang,
            en: "Is it a production performance issue, or a feature working incorrectly?",
            fr: "S’agit-il d’un problème de performance en production, ou d’une fonctionnalité qui fonctionne mal ?"),
    }
}

/// Why the wizard chose `level`, for the customer.
pub fn wizard_reason(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::I => tr!(lang,
            en: "The production service is not available: System Down, Level I.",
            fr: "Le service de production n’est pas disponible : Système indisponible, niveau I."),
        Level::II => tr!(lang,
            en: "A production module is inoperable: Component Down, Level II.",
            fr: "Un module de production est inutilisable : Composant indisponible, niveau II."),
        Level::III => tr!(lang,
            en: "A production feature works incorrectly or performs poorly: High, Level III.",
            fr: "Une fonctionnalité en production fonctionne mal ou est lente : Élevée, niveau III."),
        Level::IV => tr!(lang,
            en: "Nothing in production is down or broken: a question or request for information, Level IV.",
            fr: "Rien n’est indisponible ni cassé en production : une question ou une demande d’information, niveau IV."),
    }
}

impl ImpactAnswers {
    /// The level from answers given so far, in question order: the first "yes" decides; all
    /// "no" means Level IV; an unanswered question before any "yes" means not decided yet.
    pub fn from_partial(answers: &[Option<bool>; 3]) -> Option<Level> {
        let mut full = ImpactAnswers::default();
        for (i, a) in answers.iter().enumerate() {
            match a {
                None => return None,
                Some(false) => {}
                Some(true) => {
                    match i {
                        0 => full.production_down = true,
                        1 => full.module_down = true,
                        _ => full.feature_incorrect = true,
                    }
                    break;
                }
            }
        }
        Some(full.level())
    }

    /// How many questions to show for these answers: up to and including the first unanswered
    /// or "yes" one.
    pub fn questions_to_show(answers: &[Option<bool>; 3]) -> usize {
        answers
            .iter()
            .position(|a| *a != Some(false))
            .map_or(3, |i| i + 1)
    }

    /// The level these answers lead to ([`wizard_reason`] says why).
    pub fn level(self) -> Level {
        if self.production_down {
            Level::I
        } else if self.module_down {
            Level::II
        } else if self.feature_incorrect {
            Level::III
        } else {
            Level::IV
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_follow_the_policy() {
        assert_eq!(Level::I.target(), Target::Hours(1));
        assert_eq!(Level::II.target(), Target::Hours(2));
        assert_eq!(Level::III.target(), Target::BusinessDays(1));
        assert_eq!(Level::IV.target(), Target::BusinessDays(2));
        assert!(Level::I.is_down() && Level::II.is_down());
        assert!(!Level::III.is_down() && !Level::IV.is_down());
        assert_eq!(Level::I.clock(), Clock::AroundTheClock);
        assert_eq!(Level::IV.clock(), Clock::BusinessHours);
    }

    #[test]
    fn wizard_picks_the_most_severe_yes() {
        let a = |p, m, f| {
            ImpactAnswers {
                production_down: p,
                module_down: m,
                feature_incorrect: f,
            }
            .level()
        };
        assert_eq!(a(true, true, true), Level::I);
        assert_eq!(a(false, true, true), Level::II);
        assert_eq!(a(false, false, true), Level::III);
        assert_eq!(a(false, false, false), Level::IV);
    }

    #[test]
    fn partial_answers_decide_at_the_first_yes() {
        assert_eq!(ImpactAnswers::from_partial(&[None, None, None]), None);
        assert_eq!(
            ImpactAnswers::from_partial(&[Some(false), None, None]),
            None
        );
        assert_eq!(
            ImpactAnswers::from_partial(&[Some(true), None, None]),
            Some(Level::I)
        );
        assert_eq!(
            ImpactAnswers::from_partial(&[Some(false), Some(true), Some(false)]),
            Some(Level::II)
        );
        assert_eq!(
            ImpactAnswers::from_partial(&[Some(false), Some(false), Some(false)]),
            Some(Level::IV)
        );
        assert_eq!(ImpactAnswers::questions_to_show(&[None, None, None]), 1);
        assert_eq!(
            ImpactAnswers::questions_to_show(&[Some(false), Some(true), None]),
            2
        );
        assert_eq!(
            ImpactAnswers::questions_to_show(&[Some(false), Some(false), Some(false)]),
            3
        );
    }

    #[test]
    fn serde_uses_roman_numerals() {
        assert_eq!(serde_json::to_string(&Level::III).unwrap(), "\"III\"");
        assert_eq!(serde_json::from_str::<Level>("\"IV\"").unwrap(), Level::IV);
        assert_eq!(Level::parse("ii"), Some(Level::II));
        assert_eq!(Level::parse("V"), None);
        assert_eq!(
            serde_json::to_string(&Clock::AroundTheClock).unwrap(),
            "\"24x7\""
        );
    }
}
