//! Response levels I–IV and the level wizard.

use serde::{Deserialize, Serialize};

use crate::model::Environment;
use crate::{tr, Lang, RequestKind};

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

/// The wizard's question that leads to `level` (I, II or III) with a "yes", about `environment`
/// (a sandbox is only asked the third).
pub fn wizard_question(level: Level, environment: Environment, lang: Lang) -> &'static str {
    if environment == Environment::Sandbox && level == Level::III {
        return tr!(lang,
            en: "Does a feature work incorrectly or perform poorly in the sandbox?",
            fr: "Une fonctionnalité fonctionne-t-elle mal ou lentement dans la sandbox ?");
    }
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

/// Why the wizard chose `level` for a request about `environment`, for the customer.
pub fn wizard_reason(level: Level, environment: Environment, lang: Lang) -> &'static str {
    match level {
        Level::III if environment == Environment::Sandbox => tr!(lang,
            en: "A feature works incorrectly or performs poorly in the sandbox: High, Level III.",
            fr: "Une fonctionnalité fonctionne mal ou est lente dans la sandbox : Élevée, niveau III."),
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

/// The levels a request of `kind` about `environment` can have, most urgent first.
///
/// The policy's levels I–III are about production: I and II for a production service or module
/// that is down, III for production working incorrectly. Questions and requests for information
/// or documentation are Level IV, whatever the environment; a sandbox is not production, so a
/// problem there is Level III at most.
pub fn possible_levels(kind: RequestKind, environment: Environment) -> &'static [Level] {
    match (kind, environment) {
        (RequestKind::Defect, Environment::Production) => &Level::ALL,
        (RequestKind::Defect, Environment::Sandbox) => &[Level::III, Level::IV],
        _ => &[Level::IV],
    }
}

/// The wizard's questions for a request of `kind` about `environment`: the positions in
/// [`WIZARD_LEVELS`] (and in the answers) of the levels it can have.
fn asked(kind: RequestKind, environment: Environment) -> impl Iterator<Item = usize> {
    let possible = possible_levels(kind, environment);
    (0..WIZARD_LEVELS.len()).filter(move |&i| possible.contains(&WIZARD_LEVELS[i]))
}

/// The level the answers given so far decide, asking only the questions that fit the request:
/// the first "yes" decides; all "no" (or no question at all, as for a question) means Level IV;
/// an unanswered question before any "yes" means not decided yet. Answers to questions that do
/// not fit (a sandbox's "is production down?") are ignored, so changing the environment never
/// leaves a level the request cannot have.
pub fn decide(
    kind: RequestKind,
    environment: Environment,
    answers: &[Option<bool>; 3],
) -> Option<Level> {
    for i in asked(kind, environment) {
        match answers[i] {
            None => return None,
            Some(true) => return Some(WIZARD_LEVELS[i]),
            Some(false) => {}
        }
    }
    Some(Level::IV)
}

/// The questions to show for these answers (positions in [`WIZARD_LEVELS`]): the ones that fit
/// the request, up to and including the first unanswered or "yes" one.
pub fn questions_shown(
    kind: RequestKind,
    environment: Environment,
    answers: &[Option<bool>; 3],
) -> Vec<usize> {
    let mut shown = Vec::new();
    for i in asked(kind, environment) {
        shown.push(i);
        if answers[i] != Some(false) {
            break;
        }
    }
    shown
}

/// Why a request of `kind` about `environment` cannot have `level`, for the customer; `None`
/// when it can.
pub fn refused(
    kind: RequestKind,
    environment: Environment,
    level: Level,
    lang: Lang,
) -> Option<&'static str> {
    if possible_levels(kind, environment).contains(&level) {
        None
    } else if kind != RequestKind::Defect {
        Some(tr!(lang,
            en: "Questions and requests for information are answered at Level IV (2 business days). If something in production is down or works incorrectly, report a problem instead: that is what Levels I to III are for.",
            fr: "Les questions et demandes d’information sont traitées au niveau IV (2 jours ouvrés). Si quelque chose est indisponible ou fonctionne mal en production, signalez plutôt un problème : c’est à cela que servent les niveaux I à III."))
    } else {
        Some(tr!(lang,
            en: "Levels I and II are for production that is down; a sandbox problem is Level III at most. If production is affected too, choose Production.",
            fr: "Les niveaux I et II concernent une production indisponible ; un problème en sandbox est au plus de niveau III. Si la production est touchée aussi, choisissez Production."))
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
    fn the_first_yes_of_the_questions_that_fit_decides() {
        use Environment::{Production, Sandbox};
        use RequestKind::{Defect, Question};
        let (n, y) = (Some(false), Some(true));
        assert_eq!(decide(Defect, Production, &[None, None, None]), None);
        assert_eq!(decide(Defect, Production, &[n, None, None]), None);
        assert_eq!(decide(Defect, Production, &[y, None, None]), Some(Level::I));
        assert_eq!(decide(Defect, Production, &[n, y, n]), Some(Level::II));
        assert_eq!(decide(Defect, Production, &[n, n, n]), Some(Level::IV));
        assert_eq!(questions_shown(Defect, Production, &[None; 3]), [0]);
        assert_eq!(questions_shown(Defect, Production, &[n, y, None]), [0, 1]);
        assert_eq!(questions_shown(Defect, Production, &[n, n, n]), [0, 1, 2]);
        // A sandbox is asked only about a feature working incorrectly; "production is down"
        // answered before switching to the sandbox does not count.
        assert_eq!(questions_shown(Defect, Sandbox, &[y, None, None]), [2]);
        assert_eq!(decide(Defect, Sandbox, &[y, y, None]), None);
        assert_eq!(decide(Defect, Sandbox, &[y, y, y]), Some(Level::III));
        assert_eq!(decide(Defect, Sandbox, &[y, y, n]), Some(Level::IV));
        // A question is not asked about production at all: Level IV at once.
        for env in Environment::ALL {
            assert!(questions_shown(Question, env, &[y, y, y]).is_empty());
            assert_eq!(decide(Question, env, &[y, None, None]), Some(Level::IV));
        }
    }

    #[test]
    fn questions_are_level_iv_and_a_sandbox_is_never_down() {
        use RequestKind::{Defect, Question};
        for env in Environment::ALL {
            for level in Level::ALL {
                let ok = refused(Question, env, level, Lang::En).is_none();
                assert_eq!(ok, level == Level::IV, "question {level:?} {env:?}");
                let ok = refused(Defect, env, level, Lang::Fr).is_none();
                let down = level.is_down() && env == Environment::Sandbox;
                assert_eq!(ok, !down, "defect {level:?} {env:?}");
            }
        }
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
