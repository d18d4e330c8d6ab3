//! The language of each API answer: negotiated from `Accept-Language` (the portal sends the
//! language the user chose), used for every message written for people — problem details, field
//! errors from `portal-core`, and the texts of `GET /api/v1/config` — and stated back in
//! `Content-Language` with `Vary: Accept-Language`, so caches keep the languages apart.
//!
//! Handlers do not pass the language around: [`current`] reads it from the request's task, and
//! [`crate::db::Db::call`] carries it onto the blocking thread that runs the queries.

use std::cell::Cell;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use portal_core::Lang;

tokio::task_local! {
    static REQUEST_LANG: Lang;
}

thread_local! {
    static BLOCKING_LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language of the request being answered (English outside a request).
pub fn current() -> Lang {
    REQUEST_LANG
        .try_with(|l| *l)
        .ok()
        .or_else(|| BLOCKING_LANG.with(Cell::get))
        .unwrap_or_default()
}

/// Runs `f` (on a blocking thread) with [`current`] answering `lang`.
pub fn with<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    let before = BLOCKING_LANG.with(|c| c.replace(Some(lang)));
    let result = f();
    BLOCKING_LANG.with(|c| c.set(before));
    result
}

/// Middleware: negotiates the language, answers in it, and says which it is (on the API's
/// answers; the portal's files are the same in every language).
pub async fn negotiate(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::En, Lang::negotiate);
    let mut res = REQUEST_LANG.scope(lang, next.run(req)).await;
    if !api {
        return res;
    }
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    headers.append(header::VARY, HeaderValue::from_static("accept-language"));
    res
}
