//! Helpers shared by the API's integration tests: the demo app in-process, requests through
//! `tower::ServiceExt::oneshot`, sign-in, and problem+json checks.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, TimeZone, Utc};
use http_body_util::BodyExt;
use portal_api::db::Db;
use portal_api::{app, demo, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

/// Friday 27 Nov 2026, 16:00 London.
pub fn friday_afternoon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 16, 0, 0)
        .single()
        .expect("valid instant")
}

pub async fn demo_app() -> Router {
    let state = AppState::new(Db::for_tests().expect("db"), None)
        .expect("state")
        .with_clock(friday_afternoon);
    assert!(demo::seed(&state).await.expect("seed"));
    app(state)
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

pub async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> Reply {
    send_with(app, method, uri, cookie, body, &[]).await
}

pub async fn send_with(
    app: &Router,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("x-requested-with", "portal");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// `POST /api/v1/session` with an e-mail address and a password, whatever the answer.
pub async fn try_sign_in(app: &Router, email: &str, password: &str) -> Reply {
    send(
        app,
        Method::POST,
        "/api/v1/session",
        None,
        Some(json!({"email": email, "password": password})),
    )
    .await
}

pub async fn sign_in(app: &Router, email: &str, password: &str) -> String {
    let r = try_sign_in(app, email, password).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let cookie = r
        .headers
        .get(header::SET_COOKIE)
        .expect("cookie")
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(cookie.starts_with("__Host-portal_session="));
    for attr in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    cookie.split(';').next().expect("pair").to_string()
}

pub fn assert_problem(r: &Reply, status: StatusCode) {
    assert_eq!(r.status, status, "{:?}", r.body);
    assert_eq!(
        r.headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("")),
        Some("application/problem+json")
    );
    assert_eq!(r.body["status"], status.as_u16());
    assert!(r.body["title"].is_string());
    assert!(r.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

pub fn minimal_case(subject: &str) -> Value {
    json!({"kind": "question", "level": "IV", "subject": subject, "description": "How does it work?"})
}

/// The code an authenticator app shows at `at` for the base32 `secret`.
pub fn totp_code(secret: &str, at: DateTime<Utc>) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_string())
        .to_bytes()
        .expect("base32 secret");
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes).expect("totp");
    totp.generate(u64::try_from(at.timestamp()).expect("after 1970"))
}

/// Turns on two-step sign-in in the session `cookie`, with the app's clock at `at`; answers the
/// secret (base32) and the recovery codes.
pub async fn enrol_two_factor(
    app: &Router,
    cookie: &str,
    at: DateTime<Utc>,
) -> (String, Vec<String>) {
    let r = send(
        app,
        Method::POST,
        "/api/v1/me/two-factor",
        Some(cookie),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let secret = r.body["secret"].as_str().expect("secret").to_string();
    let r = send(
        app,
        Method::PUT,
        "/api/v1/me/two-factor",
        Some(cookie),
        Some(json!({"code": totp_code(&secret, at)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let codes = r.body["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(|c| c.as_str().map(str::to_string))
        .collect();
    (secret, codes)
}

/// Signs in as support with two-step sign-in turned on in that session (support reveals
/// customers' secrets only so), the app's clock at `at`.
pub async fn agent_session(app: &Router, at: DateTime<Utc>) -> String {
    let cookie = sign_in(app, "agent@vendor.example", "agent-demo").await;
    enrol_two_factor(app, &cookie, at).await;
    cookie
}
