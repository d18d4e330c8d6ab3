//! Feedback on support's answer: "this did not solve it" goes back to support with the reason; a
//! closed case is rated once by its institution, changeable for 14 days, averaged per month.

use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use chrono::Duration;
use portal_api::db::Db;
use portal_api::{app, demo, AppState};
use serde_json::json;

mod common;
use common::*;

const NORTH: (&str, &str) = ("it-lead@northfield.example", "northfield-demo");
const SOUTH: (&str, &str) = ("support@southbank.example", "southbank-demo");
const AGENT: (&str, &str) = ("agent@vendor.example", "agent-demo");

#[tokio::test]
async fn a_solution_that_did_not_solve_it_goes_back_with_the_reason() {
    let app = demo_app().await;
    let north = sign_in(&app, NORTH.0, NORTH.1).await;
    let agent = sign_in(&app, AGENT.0, AGENT.1).await;
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/solution",
        Some(&agent),
        Some(json!({"body": "Clear the cache."})),
    )
    .await;
    assert_eq!(
        r.body["summary"]["status"], "solution_proposed",
        "{:?}",
        r.body
    );
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&north),
        Some(json!({"body": "Still empty after clearing it.", "rejects_solution": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["summary"]["status"], "in_progress");
    let last = r.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["kind"], "solution_rejected", "{last}");
    assert_eq!(last["body"], "Still empty after clearing it.");
    // Without a proposed solution, the flag changes nothing: a plain update.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&north),
        Some(json!({"body": "Any news?", "rejects_solution": true})),
    )
    .await;
    let last = r.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["kind"], "comment");
}

#[tokio::test]
async fn a_closed_case_is_rated_once_by_its_institution_and_changed_for_two_weeks() {
    let now = Arc::new(Mutex::new(friday_afternoon()));
    let clock = now.clone();
    let state = AppState::new(Db::for_tests().expect("db"), None)
        .expect("state")
        .with_clock(move || *clock.lock().expect("clock"));
    demo::seed(&state).await.expect("seed");
    let app = app(state);
    let north = sign_in(&app, NORTH.0, NORTH.1).await;
    let south = sign_in(&app, SOUTH.0, SOUTH.1).await;
    let agent = sign_in(&app, AGENT.0, AGENT.1).await;
    let uri = "/api/v1/cases/CS-000001/rating";
    let good = json!({"score": 4, "comment": "Quick and clear."});
    // Open: not yet.
    assert_problem(
        &send(&app, Method::PUT, uri, Some(&north), Some(good.clone())).await,
        StatusCode::CONFLICT,
    );
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000001/close",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(r.body["summary"]["status"], "closed", "{:?}", r.body);
    // Only customers, only its institution, a score from 1 to 5.
    assert_problem(
        &send(&app, Method::PUT, uri, Some(&agent), Some(good.clone())).await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &send(&app, Method::PUT, uri, Some(&south), Some(good.clone())).await,
        StatusCode::NOT_FOUND,
    );
    let r = send(
        &app,
        Method::PUT,
        uri,
        Some(&north),
        Some(json!({"score": 0})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "score");
    let r = send(&app, Method::PUT, uri, Some(&north), Some(good)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["rating"]["score"], 4);
    assert_eq!(r.body["rating"]["by"], "Alex Morgan");
    // Support reads it on the case.
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000001",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(r.body["rating"]["comment"], "Quick and clear.");
    // Changed within 14 days: still one rating, first given when it was.
    *now.lock().expect("clock") = friday_afternoon() + Duration::days(13);
    // (An idle session ends after 12 hours: sign in again.)
    let north = sign_in(&app, NORTH.0, NORTH.1).await;
    let r = send(
        &app,
        Method::PUT,
        uri,
        Some(&north),
        Some(json!({"score": 2})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["rating"]["score"], 2);
    assert_eq!(r.body["rating"]["first_rated_at"], "2026-11-27T16:00:00Z");
    // After that, it stays.
    *now.lock().expect("clock") = friday_afternoon() + Duration::days(15);
    // (Sessions last 14 days: sign in again.)
    let north = sign_in(&app, NORTH.0, NORTH.1).await;
    let south = sign_in(&app, SOUTH.0, SOUTH.1).await;
    let r = send(
        &app,
        Method::PUT,
        uri,
        Some(&north),
        Some(json!({"score": 5})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT);
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("14 days"),
        "{:?}",
        r.body
    );
    // The overview averages per month.
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/overview",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(
        r.body["ratings"],
        json!([{"month": "2026-12", "total": 2, "count": 1}])
    );
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/overview",
        Some(&south),
        None,
    )
    .await;
    assert_eq!(r.body["ratings"], json!([]));
}
