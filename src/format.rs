//! Dates and times for people: in the user's own time zone and locale (the browser's), or in a
//! named support region's zone. Uses the browser's Intl, so no time-zone data ships in the wasm.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

fn locale() -> String {
    crate::i18n::locale()
}

fn options(pairs: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o.into()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat`: made once per format and reused (`Date.toLocaleString` makes a
    /// new one on every call, which cost a case page with a long history 56 ms of a throttled
    /// phone's start-up).
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    type Formatter;
    /// Throws (a `RangeError`) for a time zone the browser does not know.
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "DateTimeFormat", catch)]
    fn new(locale: &str, options: &JsValue) -> Result<Formatter, JsValue>;
    #[wasm_bindgen(method, js_class = "Intl.DateTimeFormat", js_name = format)]
    fn format(this: &Formatter, date: &js_sys::Date) -> String;
}

thread_local! {
    /// The formatters made so far, by locale and options (a handful: the portal has few formats).
    static FORMATTERS: std::cell::RefCell<Vec<(String, Formatter)>> = Default::default();
}

fn format_with(t: DateTime<Utc>, pairs: &[(&str, &str)]) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    let locale = locale();
    let mut key = locale.clone();
    for (k, v) in pairs {
        key.push_str(&format!("|{k}={v}"));
    }
    FORMATTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, f)) = cache.iter().find(|(k, _)| *k == key) {
            return f.format(&date);
        }
        match Formatter::new(&locale, &options(pairs)) {
            Ok(f) => {
                let text = f.format(&date);
                cache.push((key, f));
                text
            }
            // A zone this browser does not know: the instant in UTC, still readable.
            Err(_) => iso(t),
        }
    })
}

/// The portal's one date-and-time format: day, short month and time, the year only when it is
/// not this one.
fn date_time(t: DateTime<Utc>, extra: &[(&'static str, &'static str)]) -> String {
    use chrono::Datelike;
    let mut pairs = vec![
        ("day", "numeric"),
        ("month", "short"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
    ];
    if t.year() != Utc::now().year() {
        pairs.push(("year", "numeric"));
    }
    pairs.extend_from_slice(extra);
    format_with(t, &pairs)
}

/// Date and time in the user's own zone, e.g. "30 Nov, 16:00" ("30 Nov 2025, 16:00" in another
/// year).
pub fn local(t: DateTime<Utc>) -> String {
    date_time(t, &[])
}

/// [`local`] with the weekday and the zone, for deadlines and tooltips, e.g. "Mon 30 Nov,
/// 16:00 GMT".
pub fn local_long(t: DateTime<Utc>) -> String {
    date_time(t, &[("weekday", "short"), ("timeZoneName", "short")])
}

/// Date and time in an IANA zone, naming the zone, e.g. "Mon, 30 Nov, 16:00 GMT".
pub fn in_zone(t: DateTime<Utc>, zone: &str) -> String {
    format_with(
        t,
        &[
            ("weekday", "short"),
            ("day", "numeric"),
            ("month", "short"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
            ("timeZone", zone),
        ],
    )
}

/// A time near `now` in words ("just now", "5 min ago", "in 3 h", up to 12 hours either way),
/// else `None`: then the date and time ([`local`]) say it better.
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    let minutes = (t - now).num_minutes();
    let (n, future) = (minutes.unsigned_abs(), minutes > 0);
    let h = n / 60;
    Some(match (n, future) {
        (0, _) => crate::t!(en: "just now", fr: "à l’instant").to_string(),
        (1..=59, false) => crate::tf!(en: "{n} min ago", fr: "il y a {n} min"),
        (1..=59, true) => crate::tf!(en: "in {n} min", fr: "dans {n} min"),
        (60..=719, false) => crate::tf!(en: "{h} h ago", fr: "il y a {h} h"),
        (60..=719, true) => crate::tf!(en: "in {h} h", fr: "dans {h} h"),
        _ => return None,
    })
}

/// Machine-readable form for `<time datetime>`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// "Now", refreshed every 30 seconds, so due states count down without a reload.
#[derive(Clone, Copy)]
pub struct Now(pub RwSignal<DateTime<Utc>>);

/// Provides [`Now`] to the app.
pub fn provide_now() {
    let now = RwSignal::new(Utc::now());
    provide_context(Now(now));
    let _ = set_interval_with_handle(
        move || now.set(Utc::now()),
        std::time::Duration::from_secs(30),
    );
}

/// The current [`Now`] signal (a fresh one outside the app, e.g. in component tests).
pub fn now() -> RwSignal<DateTime<Utc>> {
    use_context::<Now>().map_or_else(|| RwSignal::new(Utc::now()), |n| n.0)
}

/// A date in the user's locale, e.g. "9 January 2027".
pub fn date(t: DateTime<Utc>) -> String {
    format_with(t, &[("dateStyle", "long")])
}

/// A time of day in the user's zone, e.g. "16:05".
pub fn time(t: DateTime<Utc>) -> String {
    format_with(t, &[("timeStyle", "short")])
}

/// A calendar date from `YYYY-MM-DD` in the user's locale, e.g. "9 January 2027" or
/// "9 janvier 2027".
pub fn calendar_date(ymd: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(&format!("{ymd}T12:00:00Z")));
    date.to_locale_date_string(
        &locale(),
        &options(&[("dateStyle", "long"), ("timeZone", "UTC")]),
    )
    .into()
}

/// A month from `YYYY-MM` in the user's locale, e.g. "November 2026".
pub fn month(ym: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(&format!("{ym}-15T12:00:00Z")));
    date.to_locale_date_string(
        &locale(),
        &options(&[("month", "long"), ("year", "numeric"), ("timeZone", "UTC")]),
    )
    .into()
}

/// A short day and month from `YYYY-MM-DD` (read as a UTC calendar date), e.g. "23 Nov".
pub fn day_month(ymd: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(&format!("{ymd}T12:00:00Z")));
    date.to_locale_date_string(
        &locale(),
        &options(&[("day", "numeric"), ("month", "short"), ("timeZone", "UTC")]),
    )
    .into()
}

/// The instant a `datetime-local` input's value (`2026-11-30T08:00`, the browser's local time)
/// stands for; `None` when empty or not a time.
pub fn from_local_input(v: &str) -> Option<DateTime<Utc>> {
    if v.trim().is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(v)).get_time();
    (!ms.is_nan())
        .then(|| DateTime::from_timestamp_millis(ms as i64))
        .flatten()
}
