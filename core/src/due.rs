//! The state of a case's initial-response target at a moment: met, missed, due in …, or overdue.
//! Shown on every case row and detail page; computed the same way wherever it is shown.

use chrono::{DateTime, Duration, Utc};

use crate::{tr, trf, Lang};

/// Where the initial-response target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueState {
    /// Support responded on time.
    Met,
    /// Support responded, but after the target.
    MissedThenResponded,
    /// No response yet; this much time is left.
    DueIn(Duration),
    /// No response yet and the target has passed by this much.
    Overdue(Duration),
}

/// The state at `now` of a target `due` with the first response at `first_response`.
pub fn state(
    due: DateTime<Utc>,
    first_response: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DueState {
    match first_response {
        Some(t) if t <= due => DueState::Met,
        Some(_) => DueState::MissedThenResponded,
        None if now < due => DueState::DueIn(due - now),
        None => DueState::Overdue(now - due),
    }
}

/// A duration in words a person reads at a glance: "45 min", "1 h 20 min", "2 d 3 h" (in French
/// "2 j 3 h").
pub fn human(d: Duration, lang: Lang) -> String {
    let day = tr!(lang, en: "d", fr: "j");
    let mins = d.num_minutes().max(0);
    let (days, hours, m) = (mins / (24 * 60), (mins / 60) % 24, mins % 60);
    match (days, hours, m) {
        (0, 0, m) => format!("{} min", m.max(1)),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} {day}"),
        (d, h, _) => format!("{d} {day} {h} h"),
    }
}

impl DueState {
    /// The words for the state, e.g. "Due in 1 h 20 min", "Breached by 3 h".
    pub fn text(self, lang: Lang) -> String {
        match self {
            DueState::Met => {
                tr!(lang, en: "Response target met", fr: "Délai de réponse respecté").into()
            }
            DueState::MissedThenResponded => {
                tr!(lang, en: "Responded after the target", fr: "Réponse après le délai").into()
            }
            DueState::DueIn(d) => {
                let left = human(d, lang);
                trf!(lang, en: "Due in {left}", fr: "Réponse attendue dans {left}")
            }
            DueState::Overdue(d) => {
                let late = human(d, lang);
                trf!(lang, en: "Breached by {late}", fr: "Délai dépassé de {late}")
            }
        }
    }

    /// A short class name for styling: `met`, `missed`, `due`, `soon` (under an hour), `breached`.
    pub fn class(self) -> &'static str {
        match self {
            DueState::Met => "met",
            DueState::MissedThenResponded => "missed",
            DueState::DueIn(d) if d < Duration::hours(1) => "soon",
            DueState::DueIn(_) => "due",
            DueState::Overdue(_) => "breached",
        }
    }
}

/// Support's queue filters by response due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    /// Open, no response yet, and the target has passed.
    Breached,
    /// Open, no response yet, due within the hour.
    WithinHour,
    /// Open, no response yet, due within 24 hours (the hour included).
    Today,
    /// Support responded on time.
    Met,
}

impl DueFilter {
    /// Every filter.
    pub const ALL: [DueFilter; 4] = [
        DueFilter::Breached,
        DueFilter::WithinHour,
        DueFilter::Today,
        DueFilter::Met,
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            DueFilter::Breached => "breached",
            DueFilter::WithinHour => "within_hour",
            DueFilter::Today => "today",
            DueFilter::Met => "met",
        }
    }

    /// Parses a URL value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The filter's name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DueFilter::Breached => {
                tr!(lang, en: "Breached, no response yet", fr: "Délai dépassé, sans réponse")
            }
            DueFilter::WithinHour => {
                tr!(lang, en: "Due within the hour", fr: "Attendue dans l’heure")
            }
            DueFilter::Today => tr!(lang, en: "Due within 24 hours", fr: "Attendue sous 24 heures"),
            DueFilter::Met => tr!(lang, en: "Target met", fr: "Délai respecté"),
        }
    }

    /// Whether a case (its due, first response, and whether it is open) is in the set at `now`
    /// (the API's SQL says the same).
    pub fn matches(
        self,
        due: DateTime<Utc>,
        first_response: Option<DateTime<Utc>>,
        open: bool,
        now: DateTime<Utc>,
    ) -> bool {
        let waiting = open && first_response.is_none();
        match self {
            DueFilter::Breached => waiting && due <= now,
            DueFilter::WithinHour => waiting && due > now && due <= now + Duration::hours(1),
            DueFilter::Today => waiting && due > now && due <= now + Duration::hours(24),
            DueFilter::Met => first_response.is_some_and(|t| t <= due),
        }
    }
}

/// Whether a case must stand out in support's queue: an open production-down case (Level I or
/// II) without a response, breached or due within the hour.
pub fn is_urgent(
    level: crate::Level,
    due: DateTime<Utc>,
    first_response: Option<DateTime<Utc>>,
    open: bool,
    now: DateTime<Utc>,
) -> bool {
    level.is_down()
        && (DueFilter::Breached.matches(due, first_response, open, now)
            || DueFilter::WithinHour.matches(due, first_response, open, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, h, m, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn states_and_words() {
        assert_eq!(state(t(16, 0), Some(t(15, 0)), t(17, 0)), DueState::Met);
        assert_eq!(
            state(t(16, 0), Some(t(16, 1)), t(17, 0)),
            DueState::MissedThenResponded
        );
        assert_eq!(
            state(t(16, 0), None, t(14, 40)).text(Lang::En),
            "Due in 1 h 20 min"
        );
        assert_eq!(
            state(t(16, 0), None, t(14, 40)).text(Lang::Fr),
            "Réponse attendue dans 1 h 20 min"
        );
        assert_eq!(state(t(16, 0), None, t(15, 30)).class(), "soon");
        assert_eq!(
            state(t(16, 0), None, t(19, 0)).text(Lang::En),
            "Breached by 3 h"
        );
        assert_eq!(state(t(16, 0), None, t(16, 0)).class(), "breached");
        assert_eq!(human(Duration::seconds(20), Lang::En), "1 min");
        assert_eq!(human(Duration::hours(51), Lang::En), "2 d 3 h");
        assert_eq!(human(Duration::hours(51), Lang::Fr), "2 j 3 h");
        assert_eq!(human(Duration::hours(48), Lang::En), "2 d");
    }

    #[test]
    fn queue_filters_and_what_stands_out() {
        let now = t(12, 0);
        let f = |due, first, open| {
            DueFilter::ALL
                .into_iter()
                .filter(|x| x.matches(due, first, open, now))
                .map(DueFilter::as_str)
                .collect::<Vec<_>>()
        };
        assert_eq!(f(t(11, 0), None, true), ["breached"]);
        assert_eq!(f(t(12, 30), None, true), ["within_hour", "today"]);
        assert_eq!(f(t(18, 0), None, true), ["today"]);
        assert_eq!(
            f(t(11, 0), None, false),
            Vec::<&str>::new(),
            "closed: not in the queue"
        );
        assert_eq!(f(t(11, 0), Some(t(10, 0)), true), ["met"]);
        assert_eq!(
            f(t(11, 0), Some(t(11, 30)), true),
            Vec::<&str>::new(),
            "missed, then responded"
        );
        use crate::Level;
        assert!(is_urgent(Level::I, t(12, 30), None, true, now));
        assert!(is_urgent(Level::II, t(11, 0), None, true, now));
        assert!(!is_urgent(Level::III, t(11, 0), None, true, now));
        assert!(!is_urgent(Level::I, t(15, 0), None, true, now));
        assert!(!is_urgent(Level::I, t(11, 0), Some(t(10, 0)), true, now));
        for x in DueFilter::ALL {
            assert_eq!(DueFilter::parse(x.as_str()), Some(x));
        }
    }
}
