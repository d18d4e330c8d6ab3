//! The support workspace through the API: the queue, assignment, internal notes, level changes,
//! access requests, and secrets sealed at rest, revealed with a trace, erased after closing.

use std::sync::{Arc, Mutex};

use axum::http::{header, Method, StatusCode};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use portal_api::db::Db;
use portal_api::{app, demo, maintenance, AppState};
use portal_core::due::DueFilter;
use serde_json::{json, Value};

mod common;
use common::*;

const AGENT: (&str, &str) = ("agent@vendor.example", "agent-demo");
const NORTH: (&str, &str) = ("it-lead@northfield.example", "northfield-demo");
const SOUTH: (&str, &str) = ("support@southbank.example", "southbank-demo");

/// The demo app with a clock the test moves, and its state (for maintenance runs).
async fn app_with_clock() -> (Router, AppState, Arc<Mutex<DateTime<Utc>>>) {
    let now = Arc::new(Mutex::new(friday_afternoon()));
    let clock = now.clone();
    let state = AppState::new(Db::for_tests().expect("db"), None)
        .expect("state")
        .with_clock(move || *clock.lock().expect("clock"));
    assert!(demo::seed(&state).await.expect("seed"));
    (app(state.clone()), state, now)
}

async fn login(app: &Router, who: (&str, &str)) -> String {
    if who == AGENT {
        // Support reveals secrets only in a session confirmed with two-step sign-in.
        return agent_session(app, friday_afternoon()).await;
    }
    sign_in(app, who.0, who.1).await
}

fn number(r: &Reply) -> String {
    r.body["summary"]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn timeline_kinds(r: &Reply) -> Vec<String> {
    r.body["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A Northfield defect with credentials and Connect Layer access.
async fn defect_with_secrets(app: &Router, cookie: &str) -> Reply {
    let body = json!({"kind": "defect", "level": "III", "subject": "Login loop", "description": "Loops",
        "scenario": {"steps": "Open the app"},
        "credentials": {"username": "test.student", "password": "s3cret-Pa55-x9"},
        "connect_layer_access": "VPN gw.northfield.example, jump host cl-7, account support-x9"});
    let r = send(app, Method::POST, "/api/v1/cases", Some(cookie), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    r
}

/// Every value in every table of the database, as text (bytes read as UTF-8 where they are).
async fn everything_stored(db: &Db) -> String {
    db.read(|c| {
        let tables: Vec<String> = match c.dialect() {
            portal_api::db::sql::Dialect::Sqlite => c.query_map(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'cases_search%'",
                (),
                |r| r.get(0),
            )?,
            portal_api::db::sql::Dialect::Postgres => c.query_map(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
                (),
                |r| r.get(0),
            )?,
        };
        let mut all = String::new();
        for t in tables {
            for row in c.query(&format!("SELECT * FROM {t}"), ())? {
                all.push_str(&format!("{row:?}"));
                for i in 0.. {
                    match row.get::<_, Option<Vec<u8>>>(i) {
                        Ok(Some(b)) => all.push_str(&String::from_utf8_lossy(&b)),
                        Ok(None) => {}
                        Err(portal_api::db::sql::Error::Conversion(m)) if m.starts_with("no column") => break,
                        Err(_) => {}
                    }
                }
            }
        }
        Ok(all)
    })
    .await
    .expect("dump")
}

#[tokio::test]
async fn agent_only_endpoints_refuse_customers_and_customer_only_ones_refuse_agents() {
    let app = demo_app().await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    let n = "CS-000001";
    for (m, uri, body) in [
        (Method::GET, "/api/v1/agents".to_string(), None),
        (Method::GET, "/api/v1/institutions".to_string(), None),
        (
            Method::GET,
            "/api/v1/announcements?include=scheduled".to_string(),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/cases/{n}/assignee"),
            Some(json!({"assignee": null})),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{n}/notes"),
            Some(json!({"body": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{n}/level"),
            Some(json!({"level": "I", "reason": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{n}/access-requests"),
            Some(json!({"secrets": ["app_credentials"]})),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{n}/secrets/reveal"),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/v1/cases/{n}"),
            Some(json!({"status": "with_rnd"})),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{n}/solution"),
            Some(json!({"body": "x"})),
        ),
    ] {
        let r = send(&app, m, &uri, Some(&customer), body).await;
        assert_problem(&r, StatusCode::FORBIDDEN);
    }
    for (m, uri, body) in [
        (
            Method::PUT,
            format!("/api/v1/cases/{n}/secrets"),
            Some(json!({"connect_layer_access": "x"})),
        ),
        (
            Method::GET,
            "/api/v1/institution/access-profile".to_string(),
            None,
        ),
        (
            Method::PUT,
            "/api/v1/institution/access-profile".to_string(),
            Some(json!({"connect_layer_access": "x"})),
        ),
    ] {
        let r = send(&app, m, &uri, Some(&agent), body).await;
        assert_problem(&r, StatusCode::FORBIDDEN);
    }
    // Signed out: 401 everywhere.
    let r = send(&app, Method::GET, "/api/v1/agents", None, None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn internal_notes_never_reach_a_customer_not_even_as_a_changed_etag() {
    let app = demo_app().await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    let uri = "/api/v1/cases/CS-000002";
    let before = send(&app, Method::GET, uri, Some(&customer), None).await;
    let etag = before.headers.get(header::ETAG).cloned().expect("etag");
    let listed = |r: &Reply| {
        r.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["number"] == "CS-000002")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let list_before = send(
        &app,
        Method::GET,
        "/api/v1/cases?page_size=100",
        Some(&customer),
        None,
    )
    .await;
    let secret_note = "Customer's IdP is misconfigured; do not tell them yet (note 7731)";
    let r = send(
        &app,
        Method::POST,
        &format!("{uri}/notes"),
        Some(&agent),
        Some(json!({"body": secret_note})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert!(
        timeline_kinds(&r).contains(&"note".to_string()),
        "support sees its note"
    );
    // The body.
    let after = send(&app, Method::GET, uri, Some(&customer), None).await;
    assert!(!after.body.to_string().contains("7731"));
    assert!(!timeline_kinds(&after).contains(&"note".to_string()));
    assert_eq!(after.body, before.body, "nothing changed for the customer");
    // The ETag: polling says "unchanged".
    let polled = send_with(
        &app,
        Method::GET,
        uri,
        Some(&customer),
        None,
        &[("if-none-match", etag.to_str().unwrap_or(""))],
    )
    .await;
    assert_eq!(polled.status, StatusCode::NOT_MODIFIED);
    // The list: same row, and a search for the note finds nothing.
    let list_after = send(
        &app,
        Method::GET,
        "/api/v1/cases?page_size=100",
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(listed(&list_after), listed(&list_before));
    let found = send(
        &app,
        Method::GET,
        "/api/v1/cases?q=7731",
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(found.body["total"], 0);
}

#[tokio::test]
async fn the_queue_filters_by_due_institution_and_assignee_as_core_says() {
    let app = demo_app().await;
    let agent = login(&app, AGENT).await;
    let all = send(
        &app,
        Method::GET,
        "/api/v1/cases?page_size=100",
        Some(&agent),
        None,
    )
    .await;
    let cases = all.body["items"].as_array().cloned().expect("items");
    assert_eq!(cases.len(), 17, "support sees every institution");
    let at = |v: &Value| {
        v.as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    for filter in DueFilter::ALL {
        let expected: Vec<&str> = cases
            .iter()
            .filter(|c| {
                filter.matches(
                    at(&c["initial_response_due"]).expect("due"),
                    at(&c["first_response_at"]),
                    c["status"] != "closed",
                    friday_afternoon(),
                )
            })
            .map(|c| c["number"].as_str().unwrap_or_default())
            .collect();
        let r = send(
            &app,
            Method::GET,
            &format!("/api/v1/cases?page_size=100&due={}", filter.as_str()),
            Some(&agent),
            None,
        )
        .await;
        let got: Vec<&str> = r.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["number"].as_str().unwrap_or_default())
            .collect();
        let (mut e, mut g) = (expected.clone(), got.clone());
        e.sort_unstable();
        g.sort_unstable();
        assert_eq!(g, e, "due={}", filter.as_str());
    }
    // The queue's order: cases awaiting a first response first, soonest due first.
    let q = send(
        &app,
        Method::GET,
        "/api/v1/cases?status=open&sort=initial_response_due&page_size=100",
        Some(&agent),
        None,
    )
    .await;
    let rows = q.body["items"].as_array().cloned().expect("items");
    let waiting: Vec<bool> = rows
        .iter()
        .map(|c| c["first_response_at"].is_null())
        .collect();
    assert!(waiting.windows(2).all(|w| w[0] >= w[1]), "{waiting:?}");
    let dues: Vec<_> = rows
        .iter()
        .take_while(|c| c["first_response_at"].is_null())
        .map(|c| at(&c["initial_response_due"]))
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]));
    // By institution.
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?institution=2",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(r.body["total"], 4);
    assert!(r.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|c| c["institution"] == "Southbank College" && c["institution_id"] == 2));
    // By assignee: nobody's at first; then one is mine.
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?assignee=unassigned",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(r.body["total"], 16, "the demo assigns CS-000001");
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/cases/CS-000013/assignee",
        Some(&agent),
        Some(json!({"assignee": "agent@vendor.example"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let mine = send(
        &app,
        Method::GET,
        "/api/v1/cases?assignee=mine",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(mine.body["total"], 2);
    assert!(mine.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|c| c["assignee"] == "Robin Ex Libris Support"));
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?assignee=unassigned",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(r.body["total"], 15);
}

#[tokio::test]
async fn assignment_shows_on_the_case_and_its_timeline_for_both_sides() {
    let app = demo_app().await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    let uri = "/api/v1/cases/CS-000004/assignee";
    let r = send(
        &app,
        Method::PUT,
        uri,
        Some(&agent),
        Some(json!({"assignee": "nobody@vendor.example"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "assignee");
    let r = send(
        &app,
        Method::PUT,
        uri,
        Some(&agent),
        Some(json!({"assignee": "AGENT@vendor.example"})),
    )
    .await;
    assert_eq!(r.body["summary"]["assignee"], "Robin Ex Libris Support");
    assert_eq!(r.body["assignee_email"], "agent@vendor.example");
    let seen = send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000004",
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(seen.body["summary"]["assignee"], "Robin Ex Libris Support");
    assert!(
        seen.body["assignee_email"].is_null(),
        "customers do not get support's addresses"
    );
    let last = seen.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .expect("entry");
    assert_eq!(
        (last["kind"].as_str(), last["body"].as_str()),
        (Some("assignment"), Some("Robin Ex Libris Support"))
    );
    // Assigning again to the same agent changes nothing; unassigning is recorded.
    let again = send(
        &app,
        Method::PUT,
        uri,
        Some(&agent),
        Some(json!({"assignee": "agent@vendor.example"})),
    )
    .await;
    assert_eq!(timeline_kinds(&again), timeline_kinds(&r));
    let off = send(
        &app,
        Method::PUT,
        uri,
        Some(&agent),
        Some(json!({"assignee": null})),
    )
    .await;
    assert!(off.body["summary"]["assignee"].is_null());
    assert_eq!(
        timeline_kinds(&off)
            .iter()
            .filter(|k| *k == "assignment")
            .count(),
        2
    );
}

#[tokio::test]
async fn a_level_change_moves_the_due_from_now_and_the_customer_reads_why() {
    let app = demo_app().await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    // CS-000004: Level IV question, opened two hours before Friday 16:00, no response yet.
    let uri = "/api/v1/cases/CS-000004/level";
    let r = send(
        &app,
        Method::POST,
        uri,
        Some(&agent),
        Some(json!({"level": "IV", "reason": "same"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = send(
        &app,
        Method::POST,
        uri,
        Some(&agent),
        Some(json!({"level": "II", "reason": " "})),
    )
    .await;
    assert_eq!(r.body["errors"][0]["field"], "reason");
    let r = send(
        &app,
        Method::POST,
        uri,
        Some(&agent),
        Some(json!({"level": "II", "reason": "The map is down for every student."})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["summary"]["level"], "II");
    // Two hours from the change (Friday 16:00 London = 16:00 UTC), around the clock.
    assert_eq!(
        r.body["summary"]["initial_response_due"],
        "2026-11-27T18:00:00Z"
    );
    let seen = send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000004",
        Some(&customer),
        None,
    )
    .await;
    let last = seen.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .expect("entry");
    assert_eq!(last["kind"], "level_change");
    assert_eq!(
        (last["from_level"].as_str(), last["level"].as_str()),
        (Some("IV"), Some("II"))
    );
    assert_eq!(last["body"], "The map is down for every student.");
}

#[tokio::test]
async fn secrets_are_sealed_at_rest_revealed_with_a_trace_and_never_returned_to_customers() {
    let db = Db::for_tests().expect("db");
    let state = AppState::new(db.clone(), None)
        .expect("state")
        .with_clock(friday_afternoon);
    assert!(demo::seed(&state).await.expect("seed"));
    let app = app(state);
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    let created = defect_with_secrets(&app, &customer).await;
    let n = number(&created);
    assert!(!created.body.to_string().contains("s3cret-Pa55-x9"));
    assert_eq!(
        created.body["secrets"],
        json!([
        {"kind": "app_credentials", "state": "provided", "at": "2026-11-27T16:00:00Z"},
        {"kind": "connect_layer", "state": "provided", "at": "2026-11-27T16:00:00Z"}])
    );
    // The database alone never yields them.
    let stored = everything_stored(&db).await;
    for secret in [
        "s3cret-Pa55-x9",
        "test.student",
        "support-x9",
        "gw.northfield.example",
    ] {
        assert!(
            !stored.contains(secret),
            "{secret} is readable in the database"
        );
    }
    assert!(
        stored.contains("Login loop"),
        "the dump does read the database"
    );
    // Support reveals them, and the customer sees that it did.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{n}/secrets/reveal"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        r.body["app_credentials"],
        json!({"username": "test.student", "password": "s3cret-Pa55-x9"})
    );
    assert_eq!(
        r.body["connect_layer_access"],
        "VPN gw.northfield.example, jump host cl-7, account support-x9"
    );
    let seen = send(
        &app,
        Method::GET,
        &format!("/api/v1/cases/{n}"),
        Some(&customer),
        None,
    )
    .await;
    let last = seen.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .expect("entry");
    assert_eq!(last["kind"], "secrets_viewed");
    assert_eq!(last["author"], "Robin Ex Libris Support");
    assert_eq!(last["secrets"], json!(["app_credentials", "connect_layer"]));
    assert!(!seen.body.to_string().contains("s3cret-Pa55-x9"));
    // No endpoint gives them to a customer.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{n}/secrets/reveal"),
        Some(&customer),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn support_asks_for_access_and_the_customer_answers_through_the_secure_fields() {
    let app = demo_app().await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    let n = "CS-000005"; // Northfield, in progress
    let uri = format!("/api/v1/cases/{n}/access-requests");
    let r = send(
        &app,
        Method::POST,
        &uri,
        Some(&agent),
        Some(json!({"secrets": []})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = send(&app, Method::POST, &uri, Some(&agent), Some(json!({"secrets": ["connect_layer"], "message": "We need to look at the push gateway logs."}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["summary"]["status"], "awaiting_customer");
    assert_eq!(r.body["access_requested"], json!(["connect_layer"]));
    let seen = send(
        &app,
        Method::GET,
        &format!("/api/v1/cases/{n}"),
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(seen.body["access_requested"], json!(["connect_layer"]));
    // Southbank has no Connect Layer: support cannot ask it for access to one.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000014/access-requests",
        Some(&agent),
        Some(json!({"secrets": ["connect_layer"]})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    // The customer answers; the case goes back to support.
    let put = format!("/api/v1/cases/{n}/secrets");
    let r = send(
        &app,
        Method::PUT,
        &put,
        Some(&customer),
        Some(json!({"app_credentials": {"username": "u", "password": ""}})),
    )
    .await;
    assert_eq!(r.body["errors"][0]["field"], "app_credentials.password");
    let r = send(
        &app,
        Method::PUT,
        &put,
        Some(&customer),
        Some(json!({"connect_layer_access": "VPN gw2, account sup-2"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["summary"]["status"], "in_progress");
    assert_eq!(r.body["access_requested"], json!([]));
    assert_eq!(r.body["secrets"][1]["state"], "provided");
    assert!(!r.body.to_string().contains("sup-2"));
    assert_eq!(
        timeline_kinds(&r).last().map(String::as_str),
        Some("secrets_updated")
    );
    // A closed case takes no secrets.
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/cases/CS-000006/secrets",
        Some(&customer),
        Some(json!({"connect_layer_access": "x"})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT);
}

#[tokio::test]
async fn secrets_are_erased_the_configured_days_after_closing_and_asked_for_again() {
    let (app, state, now) = app_with_clock().await;
    let customer = login(&app, NORTH).await;
    let n = number(&defect_with_secrets(&app, &customer).await);
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{n}/close"),
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // 29 days later: kept.
    *now.lock().expect("clock") = friday_afternoon() + Duration::days(29);
    assert_eq!(maintenance::erase_expired(&state).await.expect("erase"), 0);
    // 30 days after closing: erased, with a timeline entry the customer sees.
    *now.lock().expect("clock") = friday_afternoon() + Duration::days(30);
    assert_eq!(maintenance::erase_expired(&state).await.expect("erase"), 1);
    assert_eq!(
        maintenance::erase_expired(&state).await.expect("erase"),
        0,
        "once"
    );
    // A month on, sessions have ended: sign in again.
    let customer = login(&app, NORTH).await;
    let agent = agent_session(&app, friday_afternoon() + Duration::days(30)).await;
    let seen = send(
        &app,
        Method::GET,
        &format!("/api/v1/cases/{n}"),
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(seen.body["secrets"][0]["state"], "erased");
    assert_eq!(seen.body["secrets"][1]["state"], "erased");
    let last = seen.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .expect("entry");
    assert_eq!(
        (last["kind"].as_str(), last["body"].as_str()),
        (Some("secrets_erased"), Some("30"))
    );
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{n}/secrets/reveal"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(
        r.body,
        json!({"app_credentials": null, "connect_layer_access": null})
    );
    // Reopened, the case says they are gone; given again, they are provided.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{n}/reopen"),
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(r.body["secrets"][0]["state"], "erased");
    let r = send(
        &app,
        Method::PUT,
        &format!("/api/v1/cases/{n}/secrets"),
        Some(&customer),
        Some(json!({"app_credentials": {"username": "test.student", "password": "n3w"}})),
    )
    .await;
    assert_eq!(r.body["secrets"][0]["state"], "provided");
}

#[tokio::test]
async fn the_access_profile_is_kept_once_and_used_by_new_cases() {
    let app = demo_app().await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    let r = send(
        &app,
        Method::GET,
        "/api/v1/institution/access-profile",
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(r.body["usable"], false);
    let r = send(&app, Method::PUT, "/api/v1/institution/access-profile", Some(&customer),
        Some(json!({"app_credentials": {"username": "support.test", "password": "pr0file-pw"}, "connect_layer_access": "VPN profile-gw"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["usable"], true);
    assert!(!r.body.to_string().contains("pr0file-pw"));
    // Southbank has its own profile, and no Connect Layer.
    let south = login(&app, SOUTH).await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/institution/access-profile",
        Some(&south),
        None,
    )
    .await;
    assert_eq!(r.body["usable"], false);
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/institution/access-profile",
        Some(&south),
        Some(json!({"connect_layer_access": "x"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    // A Level I defect with only what happened and the steps.
    let body = json!({"kind": "defect", "level": "I", "subject": "App down", "description": "Nobody can open it",
        "scenario": {"steps": "Open the app"}, "use_access_profile": true});
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&customer),
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let n = number(&r);
    let revealed = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{n}/secrets/reveal"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(revealed.body["app_credentials"]["password"], "pr0file-pw");
    assert_eq!(revealed.body["connect_layer_access"], "VPN profile-gw");
}

#[tokio::test]
async fn plaintext_secrets_of_an_older_version_are_sealed_at_start() {
    let db = Db::for_tests().expect("db");
    let state = AppState::new(db.clone(), None)
        .expect("state")
        .with_clock(friday_afternoon);
    assert!(demo::seed(&state).await.expect("seed"));
    // As an older version stored them.
    db.call(|c| {
        c.execute("INSERT INTO case_secrets (case_id, app_username, app_password) VALUES (1, 'old.user', 'legacy-pw-41')", ())?;
        c.execute("UPDATE cases SET connect_layer_access = 'legacy-vpn-41' WHERE id = 1", ())?;
        Ok(())
    })
    .await
    .expect("legacy rows");
    assert_eq!(maintenance::seal_legacy(&state).await.expect("seal"), 2);
    assert_eq!(maintenance::seal_legacy(&state).await.expect("seal"), 0);
    let stored = everything_stored(&db).await;
    assert!(!stored.contains("legacy-pw-41") && !stored.contains("legacy-vpn-41"));
    let app = app(state);
    let agent = login(&app, AGENT).await;
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000001/secrets/reveal",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(r.body["app_credentials"]["password"], "legacy-pw-41");
    assert_eq!(r.body["connect_layer_access"], "legacy-vpn-41");
}

#[tokio::test]
async fn announcements_can_be_scheduled_and_support_sees_what_is_coming() {
    let app = demo_app().await;
    let agent = login(&app, AGENT).await;
    let later = (friday_afternoon() + Duration::hours(20)).to_rfc3339();
    let end = (friday_afternoon() + Duration::hours(22)).to_rfc3339();
    let r = send(&app, Method::POST, "/api/v1/announcements", Some(&agent),
        Some(json!({"kind": "maintenance", "message": "Upgrade on Saturday", "starts_at": later, "expires_at": end}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let public = send(&app, Method::GET, "/api/v1/announcements", None, None).await;
    assert_eq!(public.body, json!([]), "not before it starts");
    let managed = send(
        &app,
        Method::GET,
        "/api/v1/announcements?include=scheduled",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(managed.body[0]["message"], "Upgrade on Saturday");
    let r = send(&app, Method::POST, "/api/v1/announcements", Some(&agent),
        Some(json!({"kind": "maintenance", "message": "Backwards", "starts_at": end, "expires_at": later}))).await;
    assert_eq!(r.body["errors"][0]["field"], "expires_at");
}
