//! Two-step sign-in: enrolment confirmed by a code, sign-in in two steps, codes used once,
//! recovery codes, rate-limited verification, secrets revealed only in confirmed sessions.

use std::sync::{Arc, Mutex};

use axum::http::{header, Method, StatusCode};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use portal_api::db::Db;
use portal_api::{app, demo, AppState};
use serde_json::{json, Value};

mod common;
use common::*;

const AGENT: (&str, &str) = ("agent@vendor.example", "agent-demo");
const CUSTOMER: (&str, &str) = ("library@northfield.example", "northfield-library");

struct World {
    app: Router,
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl World {
    async fn new() -> World {
        let now = Arc::new(Mutex::new(friday_afternoon()));
        let clock = now.clone();
        let state = AppState::new(Db::for_tests().expect("db"), None)
            .expect("state")
            .with_clock(move || *clock.lock().expect("clock"));
        assert!(demo::seed(&state).await.expect("seed"));
        World {
            app: app(state),
            now,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().expect("clock")
    }

    fn later(&self, d: Duration) {
        *self.now.lock().expect("clock") += d;
    }

    async fn second_step(&self, challenge: &str, code: &str) -> Reply {
        send(
            &self.app,
            Method::POST,
            "/api/v1/session/second-factor",
            None,
            Some(json!({"challenge": challenge, "code": code})),
        )
        .await
    }

    async fn reveal(&self, cookie: &str) -> Reply {
        send(
            &self.app,
            Method::POST,
            "/api/v1/cases/CS-000017/secrets/reveal",
            Some(cookie),
            None,
        )
        .await
    }
}

fn challenge(r: &Reply) -> String {
    assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
    assert!(
        r.headers.get(header::SET_COOKIE).is_none(),
        "no session yet"
    );
    r.body["challenge"].as_str().expect("challenge").to_string()
}

fn cookie_of(r: &Reply) -> String {
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

fn field(r: &Reply) -> Value {
    r.body["errors"][0]["field"].clone()
}

#[tokio::test]
async fn an_agent_enrols_and_then_signs_in_with_a_code() {
    let w = World::new().await;
    let first = sign_in(&w.app, AGENT.0, AGENT.1).await;
    // Without two-step sign-in, support cannot reveal secrets, and is told how to get there.
    let r = w.reveal(&first).await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("Turn it on from your account page"));

    // Enrolment: a QR code and the secret; a wrong code does not turn it on.
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/me/two-factor",
        Some(&first),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let secret = r.body["secret"].as_str().expect("secret").to_string();
    assert!(r.body["otpauth_url"].as_str().is_some_and(
        |u| u.starts_with("otpauth://totp/campusM%20Support%3Aagent%40vendor.example?secret=")
    ));
    assert!(r.body["qr_size"].as_u64().is_some_and(|n| n >= 29));
    assert!(r.body["qr_path"]
        .as_str()
        .is_some_and(|p| p.starts_with('M')));
    let confirm = |code: String| {
        let (app, c) = (w.app.clone(), first.clone());
        async move {
            send(
                &app,
                Method::PUT,
                "/api/v1/me/two-factor",
                Some(&c),
                Some(json!({"code": code})),
            )
            .await
        }
    };
    let r = confirm("000000".into()).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = confirm("12".into()).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = confirm(totp_code(&secret, w.now())).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let recovery: Vec<String> = r.body["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(|c| c.as_str().map(str::to_string))
        .collect();
    assert_eq!(recovery.len(), 10);
    assert!(recovery
        .iter()
        .all(|c| c.len() == 11 && c.chars().nth(5) == Some('-')));
    // This session was confirmed with a code: it reveals.
    assert_eq!(w.reveal(&first).await.status, StatusCode::OK);
    let me = send(&w.app, Method::GET, "/api/v1/me", Some(&first), None).await;
    assert_eq!(me.body["two_factor"], true);
    // On already: a second enrolment is refused; support cannot turn it off.
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/me/two-factor",
        Some(&first),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT);
    let r = send(
        &w.app,
        Method::DELETE,
        "/api/v1/me/two-factor",
        Some(&first),
        Some(json!({"password": AGENT.1, "code": totp_code(&secret, w.now())})),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);

    // Signing in: the password gives a challenge, not a session.
    let c = challenge(&try_sign_in(&w.app, AGENT.0, AGENT.1).await);
    // The code used for enrolment is spent (same 30-second step): refused.
    let r = w.second_step(&c, &totp_code(&secret, w.now())).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r), "code");
    w.later(Duration::seconds(30));
    let session = cookie_of(&w.second_step(&c, &totp_code(&secret, w.now())).await);
    assert_eq!(w.reveal(&session).await.status, StatusCode::OK);
    // A challenge works once.
    w.later(Duration::seconds(30));
    let r = w.second_step(&c, &totp_code(&secret, w.now())).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);

    // A recovery code works once, in place of a code.
    let c = challenge(&try_sign_in(&w.app, AGENT.0, AGENT.1).await);
    let by_recovery = cookie_of(&w.second_step(&c, &recovery[0].to_uppercase()).await);
    assert_eq!(w.reveal(&by_recovery).await.status, StatusCode::OK);
    let c = challenge(&try_sign_in(&w.app, AGENT.0, AGENT.1).await);
    let r = w.second_step(&c, &recovery[0]).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    // Codes of another time are refused: more than one step away.
    let r = w
        .second_step(&c, &totp_code(&secret, w.now() - Duration::minutes(5)))
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn wrong_codes_are_rate_limited_and_a_challenge_ends_after_five() {
    let w = World::new().await;
    let cookie = sign_in(&w.app, AGENT.0, AGENT.1).await;
    let (secret, _) = enrol_two_factor(&w.app, &cookie, w.now()).await;
    w.later(Duration::seconds(60));
    let c = challenge(&try_sign_in(&w.app, AGENT.0, AGENT.1).await);
    for _ in 0..5 {
        let r = w.second_step(&c, "999999").await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The sixth try on the same challenge: it has ended, even with the right code.
    let r = w.second_step(&c, &totp_code(&secret, w.now())).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("Sign in again"));
    // Wrong codes count with wrong passwords: the account is locked for a while.
    let mut last = StatusCode::OK;
    for _ in 0..10 {
        let r = try_sign_in(&w.app, AGENT.0, AGENT.1).await;
        if r.status != StatusCode::ACCEPTED {
            last = r.status;
            break;
        }
        let c = r.body["challenge"].as_str().unwrap_or_default().to_string();
        let r = w.second_step(&c, "999999").await;
        last = r.status;
        if last == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_customer_turns_it_on_and_off() {
    let w = World::new().await;
    let cookie = sign_in(&w.app, CUSTOMER.0, CUSTOMER.1).await;
    let (secret, _) = enrol_two_factor(&w.app, &cookie, w.now()).await;
    w.later(Duration::seconds(30));
    let off = |password: &'static str, code: String| {
        let (app, c) = (w.app.clone(), cookie.clone());
        async move {
            send(
                &app,
                Method::DELETE,
                "/api/v1/me/two-factor",
                Some(&c),
                Some(json!({"password": password, "code": code})),
            )
            .await
        }
    };
    let r = off("wrong password", totp_code(&secret, w.now())).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r), "password");
    w.later(Duration::seconds(30));
    let r = off(CUSTOMER.1, totp_code(&secret, w.now())).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    // Off: the password alone signs in again.
    sign_in(&w.app, CUSTOMER.0, CUSTOMER.1).await;
    let r = off(CUSTOMER.1, "123456".into()).await;
    assert_problem(&r, StatusCode::CONFLICT);
}
