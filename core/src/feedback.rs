//! Feedback on support's answer: once a case is closed, a customer of its institution may rate
//! the support (1 to 5) with an optional comment, once per case, and change it for 14 days.

use chrono::{DateTime, Duration, Utc};

use crate::lifecycle::CaseStatus;
use crate::{tr, trf, Lang, Role};

/// How long a rating can be changed after it was first given.
pub const CHANGE_DAYS: i64 = 14;

/// Whether `role` may rate a case in `status` now, given when it was first rated (if it was).
pub fn may_rate(
    role: Role,
    status: CaseStatus,
    first_rated: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    role == Role::Customer
        && status == CaseStatus::Closed
        && first_rated.is_none_or(|t| now < t + Duration::days(CHANGE_DAYS))
}

/// Why a rating is refused now, for people; `None` when it may be given.
pub fn refusal(
    role: Role,
    status: CaseStatus,
    first_rated: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Option<String> {
    if may_rate(role, status, first_rated, now) {
        return None;
    }
    Some(if role != Role::Customer {
        tr!(lang,
            en: "Only the institution's staff rate support's answer.",
            fr: "Seul le personnel de l’établissement évalue la réponse du support.")
        .into()
    } else if status != CaseStatus::Closed {
        tr!(lang,
            en: "A case is rated once it is closed: accept the solution or close the case first.",
            fr: "Un dossier s’évalue une fois clôturé : acceptez la solution ou clôturez le dossier d’abord.")
        .into()
    } else {
        trf!(lang,
            en: "A rating can be changed for {CHANGE_DAYS} days after it was given; this one is older.",
            fr: "Une évaluation peut être modifiée pendant {CHANGE_DAYS} jours après avoir été donnée ; celle-ci est plus ancienne.")
    })
}

/// The score in words ("4 of 5: good").
pub fn score_label(score: u8, lang: Lang) -> &'static str {
    match score {
        1 => tr!(lang, en: "1 of 5: poor", fr: "1 sur 5 : insuffisant"),
        2 => tr!(lang, en: "2 of 5: fair", fr: "2 sur 5 : passable"),
        3 => tr!(lang, en: "3 of 5: good", fr: "3 sur 5 : bien"),
        4 => tr!(lang, en: "4 of 5: very good", fr: "4 sur 5 : très bien"),
        _ => tr!(lang, en: "5 of 5: excellent", fr: "5 sur 5 : excellent"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0)
            .single()
            .expect("instant")
    }

    #[test]
    fn customers_rate_closed_cases_and_change_it_for_two_weeks() {
        use CaseStatus::*;
        assert!(may_rate(Role::Customer, Closed, None, t(1)));
        assert!(!may_rate(Role::Agent, Closed, None, t(1)));
        for open in [New, InProgress, AwaitingCustomer, SolutionProposed, WithRnd] {
            assert!(!may_rate(Role::Customer, open, None, t(1)), "{open:?}");
        }
        assert!(may_rate(Role::Customer, Closed, Some(t(1)), t(14)));
        assert!(!may_rate(Role::Customer, Closed, Some(t(1)), t(15)));
        assert!(refusal(Role::Customer, Closed, Some(t(1)), t(20), Lang::En)
            .is_some_and(|m| m.contains("14 days")));
    }

    #[test]
    fn a_month_averages_in_tenths() {
        use crate::model::MonthRating;
        let m = |total, count| MonthRating {
            month: "2026-11".into(),
            total,
            count,
        };
        assert_eq!(m(9, 2).average_tenths(), 45);
        assert_eq!(m(13, 3).average_tenths(), 43);
        assert_eq!(m(0, 0).average_tenths(), 0);
    }
}
