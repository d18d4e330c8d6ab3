//! The response-due clock: when the initial response to a case is due.
//!
//! - Levels I and II: `opened_at` + 1 h / + 2 h of calendar time (24/7/365).
//! - Levels III and IV: 1 / 2 business days of [`BUSINESS_HOURS_PER_DAY`] business hours. Business
//!   hours are 09:00–17:00 local time in the institution's support region, Monday to Friday,
//!   except the region's public holidays. The clock runs only inside business hours; a case opened
//!   outside them starts at the next opening; a due time that lands exactly on 17:00 stays at 17:00.
//!   All arithmetic is on local wall-clock time in the region's zone, so it is DST-correct: a
//!   business hour is an hour on the office clock, whatever the UTC offset does overnight.
//!
//! Results are UTC instants. Needs the `clock` feature (time-zone data), used by the API only.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

use crate::level::{Level, Target};
use crate::region::{Region, BUSINESS_CLOSE_HOUR, BUSINESS_HOURS_PER_DAY, BUSINESS_OPEN_HOUR};

/// Why a due time could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockError {
    /// The region file names a time zone that does not exist.
    UnknownTimeZone(String),
    /// The region has no business day within a year (its holiday data is wrong).
    NoBusinessDays(String),
}

impl std::fmt::Display for ClockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClockError::UnknownTimeZone(tz) => write!(f, "unknown time zone {tz:?}"),
            ClockError::NoBusinessDays(r) => {
                write!(f, "region {r} has no business day within a year")
            }
        }
    }
}

impl std::error::Error for ClockError {}

/// A region's business calendar, ready to compute due times.
#[derive(Debug, Clone)]
pub struct RegionClock {
    /// The region's data.
    pub region: Region,
    tz: Tz,
    holidays: BTreeSet<NaiveDate>,
}

const MAX_DAYS: usize = 400;

fn at(date: NaiveDate, hour: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN))
}

impl RegionClock {
    /// Prepares a region's calendar; fails on an unknown time zone.
    pub fn new(region: Region) -> Result<Self, ClockError> {
        let tz: Tz = region
            .time_zone
            .parse()
            .map_err(|_| ClockError::UnknownTimeZone(region.time_zone.clone()))?;
        let holidays = region.holidays.iter().map(|h| h.date).collect();
        Ok(RegionClock {
            region,
            tz,
            holidays,
        })
    }

    /// The region's time zone.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Monday to Friday and not a public holiday.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&date)
    }

    fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.tz.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(early, _) => early.with_timezone(&Utc),
            // Inside a DST gap (never between 09:00 and 17:00 in the shipped zones): an hour later exists.
            LocalResult::None => self.to_utc(local + Duration::hours(1)),
        }
    }

    /// Adds `hours` business hours to `start`.
    pub fn add_business_hours(
        &self,
        start: DateTime<Utc>,
        hours: u32,
    ) -> Result<DateTime<Utc>, ClockError> {
        let mut t = start.with_timezone(&self.tz).naive_local();
        let mut remaining = Duration::hours(i64::from(hours));
        for _ in 0..MAX_DAYS {
            let day = t.date();
            let open = at(day, BUSINESS_OPEN_HOUR);
            let close = at(day, BUSINESS_CLOSE_HOUR);
            if !self.is_business_day(day) || t >= close {
                t = at(day.succ_opt().unwrap_or(day), 0);
                continue;
            }
            if t < open {
                t = open;
            }
            let available = close - t;
            if remaining <= available {
                return Ok(self.to_utc(t + remaining));
            }
            remaining -= available;
            t = at(day.succ_opt().unwrap_or(day), 0);
        }
        Err(ClockError::NoBusinessDays(self.region.id.clone()))
    }

    /// When the initial response to a case of `level` opened at `opened_at` is due.
    pub fn initial_response_due(
        &self,
        level: Level,
        opened_at: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, ClockError> {
        match level.target() {
            Target::Hours(h) => Ok(opened_at + Duration::hours(i64::from(h))),
            Target::BusinessDays(d) => {
                self.add_business_hours(opened_at, d * BUSINESS_HOURS_PER_DAY)
            }
        }
    }
}

impl RegionClock {
    /// The initial-response due after the level of a case changes at `changed_at`.
    ///
    /// The rule: until support first responds, the target follows the new level **from the moment
    /// of the change** — as if the case had been opened then at that level (a case raised from
    /// Level IV to Level I on Friday at 16:00 is due at 17:00; lowered from Level I to Level III
    /// at that time, it is due one business day later). Once support has responded, the initial
    /// response is history (met or missed) and its due time stays.
    pub fn due_after_level_change(
        &self,
        new_level: Level,
        changed_at: DateTime<Utc>,
        current_due: DateTime<Utc>,
        first_response: Option<DateTime<Utc>>,
    ) -> Result<DateTime<Utc>, ClockError> {
        match first_response {
            Some(_) => Ok(current_due),
            None => self.initial_response_due(new_level, changed_at),
        }
    }
}

/// All built-in regions, ready to use.
pub fn builtin_clocks() -> Vec<RegionClock> {
    Region::builtin()
        .into_iter()
        .filter_map(|r| RegionClock::new(r).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clock(id: &str) -> RegionClock {
        builtin_clocks()
            .into_iter()
            .find(|c| c.region.id == id)
            .expect("region")
    }

    /// A local wall-clock time in the region, as UTC.
    fn local(c: &RegionClock, s: &str) -> DateTime<Utc> {
        let n = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
        c.to_utc(n)
    }

    fn due(c: &RegionClock, level: Level, opened: &str) -> String {
        let d = c
            .initial_response_due(level, local(c, opened))
            .expect("due");
        d.with_timezone(&c.tz())
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    }

    #[test]
    fn level_iii_friday_afternoon_is_due_monday_afternoon() {
        assert_eq!(
            due(&clock("emea"), Level::III, "2026-11-27 16:00"),
            "Mon 2026-11-30 16:00"
        );
    }

    #[test]
    fn level_iii_opened_on_saturday_is_due_monday_at_close() {
        // Exactly 17:00, not Tuesday 09:00.
        assert_eq!(
            due(&clock("emea"), Level::III, "2026-11-28 10:00"),
            "Mon 2026-11-30 17:00"
        );
    }

    #[test]
    fn level_iv_over_christmas_skips_bank_holidays() {
        // 25 and 28 Dec 2026 are bank holidays; 26–27 a weekend.
        assert_eq!(
            due(&clock("emea"), Level::IV, "2026-12-24 12:00"),
            "Wed 2026-12-30 12:00"
        );
    }

    #[test]
    fn level_i_and_ii_run_around_the_clock() {
        let c = clock("emea");
        assert_eq!(
            due(&c, Level::I, "2026-11-28 23:30"),
            "Sun 2026-11-29 00:30"
        );
        assert_eq!(
            due(&c, Level::II, "2026-12-25 10:00"),
            "Fri 2026-12-25 12:00"
        );
    }

    #[test]
    fn before_opening_starts_at_nine() {
        assert_eq!(
            due(&clock("emea"), Level::III, "2026-11-30 07:15"),
            "Mon 2026-11-30 17:00"
        );
        assert_eq!(
            due(&clock("emea"), Level::III, "2026-11-30 17:00"),
            "Tue 2026-12-01 17:00"
        );
    }

    #[test]
    fn level_iii_across_dst_changes_counts_office_hours() {
        // London: clocks go back on Sun 25 Oct 2026. Fri 14:00 BST → Mon 14:00 GMT.
        let c = clock("emea");
        assert_eq!(
            due(&c, Level::III, "2026-10-23 14:00"),
            "Mon 2026-10-26 14:00"
        );
        let opened = local(&c, "2026-10-23 14:00");
        let d = c.initial_response_due(Level::III, opened).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-10-26T14:00:00+00:00");
        assert_eq!(opened.to_rfc3339(), "2026-10-23T13:00:00+00:00");
        // Chicago: DST starts Sun 8 Mar 2026. Fri 15:00 CST → Mon 15:00 CDT (20:00Z, 21:00Z before).
        let c = clock("americas");
        assert_eq!(
            due(&c, Level::III, "2026-03-06 15:00"),
            "Mon 2026-03-09 15:00"
        );
        assert_eq!(
            c.initial_response_due(Level::III, local(&c, "2026-03-06 15:00"))
                .unwrap()
                .to_rfc3339(),
            "2026-03-09T20:00:00+00:00"
        );
        // Sydney: DST ends Sun 5 Apr 2026 — inside Easter (3–6 Apr are holidays). Thu 2 Apr 16:00 AEDT → Tue 7 Apr 16:00 AEST.
        let c = clock("apac");
        assert_eq!(
            due(&c, Level::III, "2026-04-02 16:00"),
            "Tue 2026-04-07 16:00"
        );
        assert_eq!(
            c.initial_response_due(Level::III, local(&c, "2026-04-02 16:00"))
                .unwrap()
                .to_rfc3339(),
            "2026-04-07T06:00:00+00:00"
        );
        // Sydney: DST starts Sun 4 Oct 2026; Mon 5 Oct is Labour Day. Fri 2 Oct 10:00 AEST → Tue 6 Oct 10:00 AEDT.
        assert_eq!(
            due(&c, Level::III, "2026-10-02 10:00"),
            "Tue 2026-10-06 10:00"
        );
    }

    #[test]
    fn us_holidays_apply_in_americas() {
        // Thanksgiving Thu 26 Nov 2026.
        assert_eq!(
            due(&clock("americas"), Level::III, "2026-11-25 12:00"),
            "Fri 2026-11-27 12:00"
        );
    }

    #[test]
    fn a_level_change_restarts_the_target_from_the_change_until_support_responds() {
        let c = clock("emea");
        let opened = local(&c, "2026-11-27 09:00"); // Friday
        let changed = local(&c, "2026-11-27 16:00");
        let due_iv = c.initial_response_due(Level::IV, opened).expect("due");
        let show = |d: DateTime<Utc>| d.with_timezone(&c.tz()).format("%a %H:%M").to_string();
        // Raised to Level I: 1 hour from the change, around the clock.
        let raised = c
            .due_after_level_change(Level::I, changed, due_iv, None)
            .expect("due");
        assert_eq!(show(raised), "Fri 17:00");
        // Lowered to Level III at 16:00 on Friday: one business day (8 business hours) later.
        let lowered = c
            .due_after_level_change(Level::III, changed, raised, None)
            .expect("due");
        assert_eq!(show(lowered), "Mon 16:00");
        // After the first response, the due time stays what it was.
        let responded = Some(local(&c, "2026-11-27 15:00"));
        assert_eq!(
            c.due_after_level_change(Level::I, changed, due_iv, responded),
            Ok(due_iv)
        );
    }

    #[test]
    fn unknown_time_zone_is_an_error() {
        let mut r = Region::builtin().remove(0);
        r.time_zone = "Mars/Olympus".into();
        assert_eq!(
            RegionClock::new(r).unwrap_err(),
            ClockError::UnknownTimeZone("Mars/Olympus".into())
        );
    }

    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        // 2026-01-01 .. 2028-01-01
        (1_767_225_600i64..1_830_297_600i64)
            .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
    }

    fn any_level() -> impl Strategy<Value = Level> {
        prop::sample::select(Level::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn due_is_after_opening_and_monotonic(a in any_instant(), b in any_instant(), level in any_level(), r in 0usize..3) {
            let c = &builtin_clocks()[r];
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            let de = c.initial_response_due(level, early).unwrap();
            let dl = c.initial_response_due(level, late).unwrap();
            prop_assert!(de > early);
            prop_assert!(dl >= de);
        }

        #[test]
        fn business_due_times_fall_inside_business_hours(opened in any_instant(), r in 0usize..3, level in prop::sample::select(vec![Level::III, Level::IV])) {
            let c = &builtin_clocks()[r];
            let due = c.initial_response_due(level, opened).unwrap();
            let local = due.with_timezone(&c.tz()).naive_local();
            prop_assert!(c.is_business_day(local.date()));
            prop_assert!(local > at(local.date(), BUSINESS_OPEN_HOUR));
            prop_assert!(local <= at(local.date(), BUSINESS_CLOSE_HOUR));
        }

        #[test]
        fn around_the_clock_levels_are_exact(opened in any_instant(), r in 0usize..3) {
            let c = &builtin_clocks()[r];
            prop_assert_eq!(c.initial_response_due(Level::I, opened).unwrap() - opened, Duration::hours(1));
            prop_assert_eq!(c.initial_response_due(Level::II, opened).unwrap() - opened, Duration::hours(2));
        }
    }
}
