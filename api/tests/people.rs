//! Accounts an institution runs itself: memberships enforced on every case endpoint,
//! invitations, the users list with deactivation, forgotten and changed passwords.

use std::sync::{Arc, Mutex};

use axum::http::{header, Method, StatusCode};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use portal_api::db::Db;
use portal_api::{app, demo, AppState};
use serde_json::{json, Value};

mod common;
use common::*;

const ADMIN: (&str, &str) = ("it-lead@northfield.example", "northfield-demo");
const MEMBER: (&str, &str) = ("library@northfield.example", "northfield-library");
const SOUTH_ADMIN: (&str, &str) = ("support@southbank.example", "southbank-demo");
const AGENT: (&str, &str) = ("agent@vendor.example", "agent-demo");
const GOOD_PASSWORD: &str = "tulip harbour violin cement";

struct World {
    app: Router,
    db: Db,
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl World {
    async fn new() -> World {
        let now = Arc::new(Mutex::new(friday_afternoon()));
        let clock = now.clone();
        let db = Db::for_tests().expect("db");
        let state = AppState::new(db.clone(), None)
            .expect("state")
            .with_clock(move || *clock.lock().expect("clock"));
        assert!(demo::seed(&state).await.expect("seed"));
        World {
            app: app(state),
            db,
            now,
        }
    }

    fn later(&self, d: Duration) {
        let mut t = self.now.lock().expect("clock");
        *t += d;
    }

    /// The token of the newest `event` e-mail to `to` in the outbox (waits for it: a reset is
    /// written after the answer).
    async fn token(&self, event: &'static str, to: &str) -> String {
        for _ in 0..100 {
            let to = to.to_string();
            let body: Option<String> = self
                .db
                .call(move |c| {
                    Ok(c.query_map(
                        "SELECT text_body FROM outbox WHERE event = ?1 AND lower(recipient) = lower(?2) ORDER BY id DESC",
                        portal_api::db::sql::params![event, to],
                        |r| r.get::<_, String>(0),
                    )?
                    .into_iter()
                    .next())
                })
                .await
                .expect("outbox");
            if let Some(b) = body {
                let t = b
                    .split('#')
                    .nth(1)
                    .and_then(|rest| rest.split_whitespace().next())
                    .expect("a link with a token");
                return t.to_string();
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no {event} e-mail to {to}");
    }

    async fn outbox_count(&self, event: &'static str) -> i64 {
        self.db
            .call(move |c| {
                Ok(c.query_row(
                    "SELECT COUNT(*) FROM outbox WHERE event = ?1",
                    [event],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .await
            .expect("count")
    }
}

fn cookie_of(r: &Reply) -> String {
    r.headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

async fn invite(w: &World, by: &str, email: &str, membership: &str) -> Reply {
    send(
        &w.app,
        Method::POST,
        "/api/v1/invitations",
        Some(by),
        Some(json!({"email": email, "membership": membership})),
    )
    .await
}

/// Invites `email` as `membership` and accepts; answers the new person's cookie.
async fn join(w: &World, admin: &str, email: &str, membership: &str) -> String {
    let r = invite(w, admin, email, membership).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let token = w.token("invitation", email).await;
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/accounts",
        None,
        Some(json!({"token": token, "name": "Dana Brooks", "password": GOOD_PASSWORD})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    cookie_of(&r)
}

async fn people(w: &World, cookie: &str) -> Value {
    let r = send(&w.app, Method::GET, "/api/v1/people", Some(cookie), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body
}

fn person_id(people: &Value, email: &str) -> i64 {
    people["people"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["email"] == email))
        .and_then(|p| p["id"].as_i64())
        .expect("listed")
}

#[tokio::test]
async fn an_invited_colleague_joins_and_a_deactivated_one_is_out_at_once() {
    let w = World::new().await;
    let admin = sign_in(&w.app, ADMIN.0, ADMIN.1).await;
    let r = invite(&w, &admin, "dana@northfield.example", "member").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["membership"], "member");
    let listed = people(&w, &admin).await;
    assert_eq!(listed["invitations"][0]["email"], "dana@northfield.example");
    let token = w.token("invitation", "dana@northfield.example").await;

    // The link says what it offers before anything is set.
    let offer = send(
        &w.app,
        Method::POST,
        "/api/v1/invitations/offer",
        None,
        Some(json!({"token": token})),
    )
    .await;
    assert_eq!(offer.status, StatusCode::OK, "{:?}", offer.body);
    assert_eq!(offer.body["institution"], "Northfield University");
    assert_eq!(offer.body["invited_by"], "Alex Morgan");

    // A common password is refused with a reason; a short name-less one gets both errors.
    let accept = |name: &str, password: &str| {
        Some(json!({"token": token, "name": name, "password": password}))
    };
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/accounts",
        None,
        accept("Dana", "password1234"),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("breached"),
        "{:?}",
        r.body
    );
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/accounts",
        None,
        accept(" ", "short"),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["errors"].as_array().map(Vec::len),
        Some(2),
        "{:?}",
        r.body
    );

    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/accounts",
        None,
        accept("Dana Brooks", GOOD_PASSWORD),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["membership"], "member");
    assert_eq!(r.body["user"]["email"], "dana@northfield.example");
    let dana = cookie_of(&r);
    // A member sees the institution's cases.
    let cases = send(&w.app, Method::GET, "/api/v1/cases", Some(&dana), None).await;
    assert_eq!(cases.status, StatusCode::OK);
    assert!(
        cases.body["total"].as_i64().unwrap_or(0) > 0,
        "{:?}",
        cases.body
    );

    // The link worked once.
    let again = send(
        &w.app,
        Method::POST,
        "/api/v1/accounts",
        None,
        accept("Dana", GOOD_PASSWORD),
    )
    .await;
    assert_problem(&again, StatusCode::GONE);
    assert!(again.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("used already"));

    // The administrator sees them and deactivates them: the open session ends at its next request.
    let listed = people(&w, &admin).await;
    assert!(listed["invitations"].as_array().is_some_and(Vec::is_empty));
    let id = person_id(&listed, "dana@northfield.example");
    let r = send(
        &w.app,
        Method::PATCH,
        &format!("/api/v1/people/{id}"),
        Some(&admin),
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["active"], false);
    let r = send(&w.app, Method::GET, "/api/v1/cases", Some(&dana), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    // Signing in again says why, to whoever knows the password; a wrong one learns nothing.
    let r = try_sign_in(&w.app, "dana@northfield.example", GOOD_PASSWORD).await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("deactivated"));
    let r = try_sign_in(&w.app, "dana@northfield.example", "wrong password here").await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    // Reactivated, they sign in again.
    let r = send(
        &w.app,
        Method::PATCH,
        &format!("/api/v1/people/{id}"),
        Some(&admin),
        Some(json!({"active": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    sign_in(&w.app, "dana@northfield.example", GOOD_PASSWORD).await;
}

#[tokio::test]
async fn invitations_expire_are_resent_and_withdrawn() {
    let w = World::new().await;
    let admin = sign_in(&w.app, ADMIN.0, ADMIN.1).await;
    // Bad addresses and existing accounts get a reason.
    let r = invite(&w, &admin, "not an address", "member").await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "email");
    let r = invite(&w, &admin, MEMBER.0, "member").await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("already has an account"));

    let r = invite(&w, &admin, "eve@northfield.example", "basic").await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.body["id"].as_i64().expect("id");
    let first = w.token("invitation", "eve@northfield.example").await;
    // Inviting again sends again: one pending invitation, a new link, the old one dead.
    let r = invite(&w, &admin, "EVE@northfield.example", "basic").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["id"], id);
    let second = w.token("invitation", "eve@northfield.example").await;
    assert_ne!(first, second);
    let offer = |t: &str| {
        send(
            &w.app,
            Method::POST,
            "/api/v1/invitations/offer",
            None,
            Some(json!({"token": t})),
        )
    };
    assert_problem(&offer(&first).await, StatusCode::NOT_FOUND);
    assert_eq!(offer(&second).await.status, StatusCode::OK);
    // Eight days on, it expired, and says so.
    w.later(Duration::days(8));
    let r = offer(&second).await;
    assert_problem(&r, StatusCode::GONE);
    assert!(r.body["detail"].as_str().unwrap_or("").contains("expired"));
    let admin = sign_in(&w.app, ADMIN.0, ADMIN.1).await;
    assert!(people(&w, &admin).await["invitations"]
        .as_array()
        .is_some_and(Vec::is_empty));

    // A fresh one, resent then withdrawn.
    let r = invite(&w, &admin, "finn@northfield.example", "member").await;
    let id = r.body["id"].as_i64().expect("id");
    let r = send(
        &w.app,
        Method::POST,
        &format!("/api/v1/invitations/{id}/resend"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let token = w.token("invitation", "finn@northfield.example").await;
    let r = send(
        &w.app,
        Method::DELETE,
        &format!("/api/v1/invitations/{id}"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = offer(&token).await;
    assert_problem(&r, StatusCode::GONE);
    assert!(r.body["detail"].as_str().unwrap_or("").contains("withdrew"));
    let r = send(
        &w.app,
        Method::DELETE,
        &format!("/api/v1/invitations/{id}"),
        Some(&admin),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    // Once sent, the e-mail's body no longer holds the link.
    assert!(w.outbox_count("invitation").await >= 4);
}

#[tokio::test]
async fn the_last_administrator_stays_and_only_administrators_manage_people() {
    let w = World::new().await;
    let admin = sign_in(&w.app, ADMIN.0, ADMIN.1).await;
    let listed = people(&w, &admin).await;
    let me = person_id(&listed, ADMIN.0);
    let patch = |cookie: String, id: i64, body: Value| {
        let app = w.app.clone();
        async move {
            send(
                &app,
                Method::PATCH,
                &format!("/api/v1/people/{id}"),
                Some(&cookie),
                Some(body),
            )
            .await
        }
    };
    let r = patch(admin.clone(), me, json!({"membership": "member"})).await;
    assert_problem(&r, StatusCode::CONFLICT);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("last administrator"));
    let r = patch(admin.clone(), me, json!({"active": false})).await;
    assert_problem(&r, StatusCode::CONFLICT);
    // With a second administrator, stepping down is fine.
    let sam = person_id(&listed, MEMBER.0);
    let r = patch(admin.clone(), sam, json!({"membership": "admin"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = patch(admin.clone(), me, json!({"membership": "member"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // Now a member: managing people is refused at once.
    let r = send(&w.app, Method::GET, "/api/v1/people", Some(&admin), None).await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    let r = invite(&w, &admin, "x@northfield.example", "member").await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    // Another institution's administrator cannot reach Northfield's people.
    let south = sign_in(&w.app, SOUTH_ADMIN.0, SOUTH_ADMIN.1).await;
    let r = patch(south.clone(), sam, json!({"active": false})).await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    let r = send(
        &w.app,
        Method::GET,
        "/api/v1/people?institution=1",
        Some(&south),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    // An agent chooses the institution, and can make its first administrator.
    let agent = sign_in(&w.app, AGENT.0, AGENT.1).await;
    let r = send(&w.app, Method::GET, "/api/v1/people", Some(&agent), None).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = send(
        &w.app,
        Method::GET,
        "/api/v1/people?institution=2",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["institution"]["name"], "Southbank College");
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/invitations",
        Some(&agent),
        Some(
            json!({"email": "head@southbank.example", "membership": "admin", "institution_id": 2}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = send(
        &w.app,
        Method::GET,
        "/api/v1/people?institution=99",
        Some(&agent),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND);
}

/// The role matrix on the case endpoints: a basic member sees and acts on only the cases they
/// opened or follow; members and administrators on the institution's; support on every one.
#[tokio::test]
async fn a_basic_member_sees_only_their_own_and_followed_cases() {
    let w = World::new().await;
    let admin = sign_in(&w.app, ADMIN.0, ADMIN.1).await;
    let basic = join(&w, &admin, "bo@northfield.example", "basic").await;
    let member = sign_in(&w.app, MEMBER.0, MEMBER.1).await;

    let total = |cookie: String| {
        let app = w.app.clone();
        async move {
            let r = send(&app, Method::GET, "/api/v1/cases", Some(&cookie), None).await;
            assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
            r.body["total"].as_i64().unwrap_or(-1)
        }
    };
    let institution_total = total(member.clone()).await;
    assert!(institution_total > 0);
    assert_eq!(total(admin.clone()).await, institution_total);
    assert_eq!(total(basic.clone()).await, 0);

    // Someone else's case, on every endpoint that names a case: not found (never "forbidden",
    // which would say it exists).
    let other = "CS-000001";
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/cases/{other}"), None),
        (
            Method::POST,
            format!("/api/v1/cases/{other}/comments"),
            Some(json!({"body": "Me too"})),
        ),
        (Method::POST, format!("/api/v1/cases/{other}/close"), None),
        (
            Method::PUT,
            format!("/api/v1/cases/{other}/following"),
            Some(json!({"following": true})),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{other}/followers"),
            Some(json!({"email": MEMBER.0})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/cases/{other}/details"),
            Some(json!({"environment": "production"})),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{other}/escalation"),
            Some(json!({"level": "I", "reason": "Down for everyone"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/cases/{other}/secrets"),
            Some(json!({})),
        ),
    ] {
        let r = send(&w.app, method.clone(), &path, Some(&basic), body).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {:?}",
            r.body
        );
    }
    // The overview counts only what they see; the access profile and people are not theirs.
    let r = send(
        &w.app,
        Method::GET,
        "/api/v1/cases/overview",
        Some(&basic),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.to_string().contains("CS-000001"), "{:?}", r.body);
    let r = send(
        &w.app,
        Method::GET,
        "/api/v1/institution/access-profile",
        Some(&basic),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    let r = send(&w.app, Method::GET, "/api/v1/people", Some(&basic), None).await;
    assert_problem(&r, StatusCode::FORBIDDEN);

    // Their own case they see; a colleague adding them to another makes it visible too.
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/cases",
        Some(&basic),
        Some(minimal_case("Basic's own question")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let own = r.body["summary"]["number"]
        .as_str()
        .expect("number")
        .to_string();
    assert_eq!(total(basic.clone()).await, 1);
    let r = send(
        &w.app,
        Method::POST,
        &format!("/api/v1/cases/{other}/followers"),
        Some(&member),
        Some(json!({"email": "bo@northfield.example"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(total(basic.clone()).await, 2);
    let r = send(
        &w.app,
        Method::GET,
        &format!("/api/v1/cases/{other}"),
        Some(&basic),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // Members see the basic member's case too.
    let r = send(
        &w.app,
        Method::GET,
        &format!("/api/v1/cases/{own}"),
        Some(&member),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // Hand-offs: a basic member sees what they sent only.
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/routings",
        Some(&member),
        Some(json!({"title": "Room booking from the timetable", "description": "Book a room from a timetable entry."})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = send(&w.app, Method::GET, "/api/v1/handoffs", Some(&basic), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body["items"].as_array().is_some_and(Vec::is_empty),
        "{:?}",
        r.body
    );
    let r = send(&w.app, Method::GET, "/api/v1/handoffs", Some(&member), None).await;
    assert!(
        r.body["items"].as_array().is_some_and(|a| !a.is_empty()),
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_any_address_and_the_link_works_once() {
    let w = World::new().await;
    let ask = |email: &'static str| {
        let app = w.app.clone();
        async move {
            let start = std::time::Instant::now();
            let r = send(
                &app,
                Method::POST,
                "/api/v1/password-resets",
                None,
                Some(json!({"email": email})),
            )
            .await;
            (r, start.elapsed())
        }
    };
    let (known, t_known) = ask(MEMBER.0).await;
    let (unknown, t_unknown) = ask("nobody@northfield.example").await;
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
    // The work happens after the answer; both answers are quick (no hashing, no lookup on the
    // way). Loose bounds: this is not a benchmark.
    assert!(
        t_known < std::time::Duration::from_millis(500)
            && t_unknown < std::time::Duration::from_millis(500)
    );
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/password-resets",
        None,
        Some(json!({"email": "nope"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);

    let token = w.token("password_reset", MEMBER.0).await;
    let elsewhere = sign_in(&w.app, MEMBER.0, MEMBER.1).await;
    let complete = |token: String, password: &'static str| {
        let app = w.app.clone();
        async move {
            send(
                &app,
                Method::POST,
                "/api/v1/password-resets/completion",
                None,
                Some(json!({"token": token, "password": password})),
            )
            .await
        }
    };
    let r = complete(token.clone(), "qwertyuiop12").await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = complete(token.clone(), GOOD_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(w.outbox_count("security").await, 1, "the owner is told");
    // Reset ends the other sessions; the new password works, the old one does not.
    let r = send(&w.app, Method::GET, "/api/v1/cases", Some(&elsewhere), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    assert_problem(
        &try_sign_in(&w.app, MEMBER.0, MEMBER.1).await,
        StatusCode::UNAUTHORIZED,
    );
    sign_in(&w.app, MEMBER.0, GOOD_PASSWORD).await;
    // Reused, unknown and expired links get clear answers.
    let r = complete(token, GOOD_PASSWORD).await;
    assert_problem(&r, StatusCode::GONE);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("used already"));
    assert_problem(
        &complete("not-a-token".into(), GOOD_PASSWORD).await,
        StatusCode::NOT_FOUND,
    );
    let used = w.token("password_reset", MEMBER.0).await;
    ask(MEMBER.0).await;
    let mut token = used.clone();
    while token == used {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        token = w.token("password_reset", MEMBER.0).await;
    }
    w.later(Duration::minutes(61));
    let r = complete(token, "another long pass phrase").await;
    assert_problem(&r, StatusCode::GONE);
    assert!(r.body["detail"].as_str().unwrap_or("").contains("expired"));
}

#[tokio::test]
async fn a_signed_in_person_changes_their_password() {
    let w = World::new().await;
    let here = sign_in(&w.app, MEMBER.0, MEMBER.1).await;
    let there = sign_in(&w.app, MEMBER.0, MEMBER.1).await;
    let change = |current: &'static str, password: &'static str, others: bool| {
        let (app, here) = (w.app.clone(), here.clone());
        async move {
            send(
                &app,
                Method::PUT,
                "/api/v1/me/password",
                Some(&here),
                Some(json!({"current": current, "password": password, "sign_out_others": others})),
            )
            .await
        }
    };
    let r = change("wrong", GOOD_PASSWORD, true).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "current");
    let r = change(MEMBER.1, "password1234", true).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "password");
    let r = change(MEMBER.1, GOOD_PASSWORD, true).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    // The owner is told by e-mail, in case it was not them.
    assert_eq!(w.outbox_count("security").await, 1);
    // This session stays; the other ended.
    assert_eq!(
        send(&w.app, Method::GET, "/api/v1/cases", Some(&here), None)
            .await
            .status,
        StatusCode::OK
    );
    assert_problem(
        &send(&w.app, Method::GET, "/api/v1/cases", Some(&there), None).await,
        StatusCode::UNAUTHORIZED,
    );
    sign_in(&w.app, MEMBER.0, GOOD_PASSWORD).await;
}

/// A reset link does not skip two-step sign-in: the new password is set, and the code comes next.
#[tokio::test]
async fn a_reset_still_asks_for_the_two_step_code() {
    let w = World::new().await;
    let cookie = sign_in(&w.app, MEMBER.0, MEMBER.1).await;
    let (secret, _) = enrol_two_factor(&w.app, &cookie, friday_afternoon()).await;
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/password-resets",
        None,
        Some(json!({"email": MEMBER.0})),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let token = w.token("password_reset", MEMBER.0).await;
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/password-resets/completion",
        None,
        Some(json!({"token": token, "password": GOOD_PASSWORD})),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
    assert!(r.headers.get(header::SET_COOKIE).is_none());
    let challenge = r.body["challenge"].as_str().expect("challenge").to_string();
    w.later(Duration::seconds(30));
    let code = totp_code(&secret, friday_afternoon() + Duration::seconds(30));
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/session/second-factor",
        None,
        Some(json!({"challenge": challenge, "code": code})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    cookie_of(&r);
}
