//! Sessions with limits: an idle timeout and an absolute lifetime, both configurable; a person's
//! list of sessions with "sign out everywhere else"; state changes refused when the browser says
//! they come from another site.

use std::sync::{Arc, Mutex};

use axum::http::{header, Method, StatusCode};
use axum::Router;
use chrono::Duration;
use portal_api::auth::SessionLimits;
use portal_api::db::Db;
use portal_api::{app, demo, AppState};
use serde_json::json;

mod common;
use common::*;

const NORTH: (&str, &str) = ("it-lead@northfield.example", "northfield-demo");

/// Signs in from a browser that names itself `agent`; answers the cookie pair.
async fn sign_in_from(app: &Router, agent: &str) -> String {
    let r = send_with(
        app,
        Method::POST,
        "/api/v1/session",
        None,
        Some(json!({"email": NORTH.0, "password": NORTH.1})),
        &[("user-agent", agent)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_string()
}

async fn app_with(limits: SessionLimits) -> (Router, Arc<Mutex<chrono::DateTime<chrono::Utc>>>) {
    let now = Arc::new(Mutex::new(friday_afternoon()));
    let clock = now.clone();
    let state = AppState::new(Db::for_tests().expect("db"), None)
        .expect("state")
        .with_session_limits(limits)
        .with_clock(move || *clock.lock().expect("clock"));
    demo::seed(&state).await.expect("seed");
    (app(state), now)
}

#[tokio::test]
async fn changes_from_another_site_are_refused() {
    let app = demo_app().await;
    let c = sign_in(&app, NORTH.0, NORTH.1).await;
    let uri = "/api/v1/cases/CS-000001/comments";
    let body = || Some(json!({"body": "From where?"}));
    let r = send_with(
        &app,
        Method::POST,
        uri,
        Some(&c),
        body(),
        &[
            ("host", "support.example.edu"),
            ("origin", "https://evil.example"),
        ],
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("another site"),
        "{:?}",
        r.body
    );
    let r = send_with(
        &app,
        Method::POST,
        uri,
        Some(&c),
        body(),
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    let r = send_with(
        &app,
        Method::POST,
        uri,
        Some(&c),
        body(),
        &[
            ("host", "support.example.edu"),
            ("origin", "https://support.example.edu"),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
}

#[tokio::test]
async fn a_person_sees_their_sessions_and_signs_out_everywhere_else() {
    let (app, _) = app_with(SessionLimits::default()).await;
    let laptop = sign_in_from(
        &app,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0",
    )
    .await;
    let phone = sign_in_from(
        &app,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1",
    )
    .await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/me/sessions",
        Some(&laptop),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let items = r.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(items.iter().any(|s| s["user_agent"]
        .as_str()
        .unwrap_or_default()
        .contains("iPhone")));
    assert_eq!(r.body["idle_hours"], 12);
    assert_eq!(r.body["lifetime_days"], 14);
    // Sign out everywhere else: the phone's session ends at once; the laptop's stays.
    let r = send(
        &app,
        Method::DELETE,
        "/api/v1/me/sessions",
        Some(&laptop),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        send(&app, Method::GET, "/api/v1/me", Some(&phone), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&app, Method::GET, "/api/v1/me", Some(&laptop), None)
            .await
            .status,
        StatusCode::OK
    );
    assert_problem(
        &send(&app, Method::GET, "/api/v1/me/sessions", None, None).await,
        StatusCode::UNAUTHORIZED,
    );
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_lifetime() {
    let (app, now) = app_with(SessionLimits {
        lifetime: Duration::hours(24),
        idle: Duration::hours(2),
    })
    .await;
    let start = friday_afternoon();
    let c = sign_in_from(&app, "Firefox").await;
    // Used every 90 minutes: still signed in, each use starts the idle time again.
    for step in 1..=3 {
        *now.lock().expect("clock") = start + Duration::minutes(90 * step);
        assert_eq!(
            send(&app, Method::GET, "/api/v1/me", Some(&c), None)
                .await
                .status,
            StatusCode::OK,
            "after {} min",
            90 * step
        );
    }
    // Two hours and a bit without use: ended.
    *now.lock().expect("clock") = start + Duration::minutes(270 + 121);
    assert_eq!(
        send(&app, Method::GET, "/api/v1/me", Some(&c), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    // However active, a session ends at its lifetime.
    *now.lock().expect("clock") = start;
    let c = sign_in_from(&app, "Firefox").await;
    for hour in 1..=23 {
        *now.lock().expect("clock") = start + Duration::hours(hour);
        assert_eq!(
            send(&app, Method::GET, "/api/v1/me", Some(&c), None)
                .await
                .status,
            StatusCode::OK
        );
    }
    *now.lock().expect("clock") = start + Duration::hours(24) + Duration::minutes(1);
    assert_eq!(
        send(&app, Method::GET, "/api/v1/me", Some(&c), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}
