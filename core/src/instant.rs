//! Reading the API's instants (RFC 3339: `2026-11-30T08:05:00Z`, `…08:05:00.25+01:00`) without
//! chrono's general-purpose parser, which costs the browser's main module about 13 KB of wasm
//! (the API keeps chrono's own). The portal's JSON types read their instants with [`de`] and
//! [`de_opt`] when built for the browser (`cfg_attr(target_arch = "wasm32", …)` in [`crate::model`]
//! and [`crate::announcement`]).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{de::Error, Deserialize, Deserializer};

/// An RFC 3339 instant (`T`, `t` or a space between date and time; up to 9 fraction digits are
/// kept; `Z`, `z` or a `±HH:MM` offset); `None` for anything else.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let digits = |from: usize, to: usize| digits(b, from, to);
    let at = |i: usize, want: &[u8]| b.get(i).is_some_and(|c| want.contains(c));
    if !(at(10, b"Tt ") && at(13, b":") && at(16, b":")) {
        return None;
    }
    let date = parse_date(s.get(..10)?)?;
    let (hour, minute, second) = (digits(11, 13)?, digits(14, 16)?, digits(17, 19)?);
    let mut i = 19;
    let mut nanos = 0u32;
    if at(i, b".") {
        i += 1;
        let start = i;
        while at(i, b"0123456789") {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start).min(9)..9 {
            nanos *= 10;
        }
    }
    let offset_minutes: i64 = if at(i, b"Zz") && i + 1 == b.len() {
        0
    } else if at(i, b"+-") && i + 6 == b.len() && at(i + 3, b":") {
        let m = i64::from(digits(i + 1, i + 3)?) * 60 + i64::from(digits(i + 4, i + 6)?);
        if at(i, b"-") {
            -m
        } else {
            m
        }
    } else {
        return None;
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let utc = date.and_time(time) - Duration::minutes(offset_minutes);
    Some(Utc.from_utc_datetime(&utc))
}

/// A calendar date, `YYYY-MM-DD`; `None` for anything else.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(digits(b, 0, 4)?).ok()?,
        digits(b, 5, 7)?,
        digits(b, 8, 10)?,
    )
}

/// The number written by the ASCII digits `b[from..to]` (`None`: not all digits, or too short).
fn digits(b: &[u8], from: usize, to: usize) -> Option<u32> {
    b.get(from..to)?.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Serde: an optional calendar date ([`parse_date`]; use with `#[serde(default)]`).
pub fn de_date_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse_date(&s)
            .map(Some)
            .ok_or_else(|| D::Error::custom("not a date (YYYY-MM-DD)")),
    }
}

/// Serde: an instant ([`parse`]).
pub fn de<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let s = String::deserialize(d)?;
    parse(&s).ok_or_else(|| D::Error::custom("not an RFC 3339 instant"))
}

/// Serde: an optional instant (`null` or absent: `None`; use with `#[serde(default)]`).
pub fn de_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse(&s)
            .map(Some)
            .ok_or_else(|| D::Error::custom("not an RFC 3339 instant")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::SecondsFormat;
    use proptest::prelude::*;

    #[test]
    fn reads_what_the_api_writes_and_what_rfc_3339_allows() {
        let want = Utc.with_ymd_and_hms(2026, 11, 30, 8, 5, 0).single();
        for s in [
            "2026-11-30T08:05:00Z",
            "2026-11-30t08:05:00z",
            "2026-11-30 08:05:00Z",
            "2026-11-30T09:05:00+01:00",
            "2026-11-30T03:35:00-04:30",
            "2026-11-30T08:05:00.000Z",
        ] {
            assert_eq!(parse(s), want, "{s}");
        }
        assert_eq!(
            parse("2026-11-30T08:05:00.123456789123Z").map(|t| t.timestamp_subsec_nanos()),
            Some(123_456_789)
        );
        assert_eq!(
            parse("2026-11-30T08:05:00.25Z").map(|t| t.timestamp_subsec_millis()),
            Some(250)
        );
    }

    #[test]
    fn refuses_what_is_not_an_instant() {
        for s in [
            "",
            "2026-11-30",
            "2026-11-30T08:05Z",
            "2026-11-30T08:05:00",
            "2026-11-30T08:05:00.Z",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-30T24:00:00Z",
            "2026-11-30T08:05:00+0100",
            "2026-11-30T08:05:00Z ",
            "2026-11-30T08:05:00+01:00x",
            "20x6-11-30T08:05:00Z",
            "2026-11-30T08:05:00\u{0663}Z",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn reads_calendar_dates() {
        assert_eq!(
            parse_date("2027-01-09"),
            NaiveDate::from_ymd_opt(2027, 1, 9)
        );
        for s in [
            "",
            "2027-1-09",
            "2027-02-29",
            "2027-01-09T00:00:00Z",
            "2027/01/09",
            "２０２７-01-09",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    proptest! {
        /// Every date chrono writes reads back the same.
        #[test]
        fn dates_agree_with_chrono(days in 0i32..1_000_000) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).expect("date");
            let written = d.to_string();
            prop_assert_eq!(parse_date(&written), written.parse::<NaiveDate>().ok(), "{}", written);
        }

        /// Whatever chrono writes (as the API does), read back the same, with any offset.
        #[test]
        fn agrees_with_chrono(secs in 0i64..4_102_444_800, nanos in 0u32..1_000_000_000, offset in -1439i32..1440) {
            let t = Utc.timestamp_opt(secs, nanos).single().expect("instant");
            for f in [SecondsFormat::Secs, SecondsFormat::Millis, SecondsFormat::Nanos, SecondsFormat::AutoSi] {
                let written = t.to_rfc3339_opts(f, true);
                let chrono_reads: DateTime<Utc> = written.parse().expect("chrono reads it");
                prop_assert_eq!(parse(&written), Some(chrono_reads), "{}", written);
                let zone = chrono::FixedOffset::east_opt(offset * 60).expect("offset");
                let local = t.with_timezone(&zone).to_rfc3339_opts(f, false);
                let chrono_reads: DateTime<Utc> = local.parse().expect("chrono reads it");
                prop_assert_eq!(parse(&local), Some(chrono_reads), "{}", local);
            }
        }
    }
}
