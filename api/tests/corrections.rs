//! Correcting a case after sending: the opener (or support) changes environment, product area and
//! scenario of an open case; each change is a timeline entry with old and new values; the level
//! rule still holds; nobody else may, and no other institution sees anything.

use axum::http::{Method, StatusCode};
use serde_json::json;

mod common;
use common::*;

const NORTH: (&str, &str) = ("it-lead@northfield.example", "northfield-demo");
const LIBRARY: (&str, &str) = ("library@northfield.example", "northfield-library");
const SOUTH: (&str, &str) = ("support@southbank.example", "southbank-demo");
const AGENT: (&str, &str) = ("agent@vendor.example", "agent-demo");

#[tokio::test]
async fn the_opener_corrects_an_open_case_and_the_history_shows_old_and_new() {
    let app = demo_app().await;
    let alex = sign_in(&app, NORTH.0, NORTH.1).await;
    let sam = sign_in(&app, LIBRARY.0, LIBRARY.1).await;
    let south = sign_in(&app, SOUTH.0, SOUTH.1).await;
    let agent = sign_in(&app, AGENT.0, AGENT.1).await;
    let config = send(&app, Method::GET, "/api/v1/config", None, None).await;
    let areas: Vec<String> = config.body["product_areas"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["value"].as_str().map(str::to_string))
        .collect();
    assert!(areas.len() >= 2);
    // CS-000009 (Level III, production) was opened by Alex.
    let uri = "/api/v1/cases/CS-000009/details";
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000009",
        Some(&alex),
        None,
    )
    .await;
    assert_eq!(r.body["can_correct"], true);
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000009",
        Some(&sam),
        None,
    )
    .await;
    assert_eq!(
        r.body["can_correct"], false,
        "a colleague adds updates instead"
    );
    let fix = json!({
        "environment": "sandbox",
        "scenario": {"steps": "1. Open Maps\n2. Zoom in twice", "expected": "Pins stay on the buildings", "actual": "Pins drift south"}
    });
    let r = send(&app, Method::PATCH, uri, Some(&alex), Some(fix.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["environment"], "sandbox");
    assert_eq!(
        r.body["scenario"]["steps"],
        "1. Open Maps\n2. Zoom in twice"
    );
    let last = r.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["kind"], "corrected", "{last}");
    assert_eq!(last["body"], "");
    assert_eq!(
        last["changes"][0],
        json!({"field": "environment", "from": "Production", "to": "Sandbox"})
    );
    assert_eq!(last["changes"][1]["field"], "scenario.steps");
    // The same again changes nothing and records nothing.
    let again = send(&app, Method::PATCH, uri, Some(&alex), Some(fix)).await;
    assert_eq!(
        again.body["timeline"].as_array().map(Vec::len),
        r.body["timeline"].as_array().map(Vec::len)
    );
    // Support may correct too; a product area must be one of the list.
    let r = send(
        &app,
        Method::PATCH,
        uri,
        Some(&agent),
        Some(json!({"product_area": areas[1]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = send(
        &app,
        Method::PATCH,
        uri,
        Some(&agent),
        Some(json!({"product_area": "nowhere"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "product_area");
    // Nobody else; no other institution.
    assert_problem(
        &send(
            &app,
            Method::PATCH,
            uri,
            Some(&sam),
            Some(json!({"environment": "production"})),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &send(
            &app,
            Method::PATCH,
            uri,
            Some(&south),
            Some(json!({"environment": "production"})),
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    // A defect keeps its steps.
    let r = send(
        &app,
        Method::PATCH,
        uri,
        Some(&alex),
        Some(json!({"scenario": {"steps": " "}})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "scenario.steps");
}

#[tokio::test]
async fn the_level_rule_holds_and_a_closed_case_is_not_corrected() {
    let app = demo_app().await;
    let alex = sign_in(&app, NORTH.0, NORTH.1).await;
    // CS-000002 is Level II: production that is down cannot move to the sandbox.
    let r = send(
        &app,
        Method::PATCH,
        "/api/v1/cases/CS-000002/details",
        Some(&alex),
        Some(json!({"environment": "sandbox"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "environment");
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Level II"),
        "{:?}",
        r.body
    );
    // CS-000006 is closed.
    let r = send(
        &app,
        Method::PATCH,
        "/api/v1/cases/CS-000006/details",
        Some(&alex),
        Some(json!({"environment": "sandbox"})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT);
}
