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

fn format_with(t: DateTime<Utc>, pairs: &[(&str, &str)]) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    date.to_locale_string(&locale(), &options(pairs)).into()
}

/// Date and time in the user's own zone, e.g. "30 Nov 2026, 16:00".
pub fn local(t: DateTime<Utc>) -> String {
    format_with(t, &[("dateStyle", "medium"), ("timeStyle", "short")])
}

/// Date and time in the user's own zone with the weekday, e.g. "Mon, 30 Nov 2026, 16:00 GMT".
pub fn local_long(t: DateTime<Utc>) -> String {
    format_with(
        t,
        &[
            ("weekday", "short"),
            ("day", "numeric"),
            ("month", "short"),
            ("year", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
        ],
    )
}

/// Date and time in an IANA zone, naming the zone, e.g. "Mon, 30 Nov, 16:00 GMT".
pub fn in_zone(t: DateTime<Utc>, zone: &str) -> String {
    format_with(
        t,
        &[
            ("weekday", "short"),
            ("day", "numeric"),
            ("month", "short"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
            ("timeZone", zone),
        ],
    )
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
