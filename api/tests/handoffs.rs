//! "Sent elsewhere": Ideas Exchange hand-offs and account-manager consultations read back by the
//! institution that sent them (never by another), recorded once however often they are sent,
//! with the idea's link and the consultation's acknowledgement.

use axum::http::{Method, StatusCode};
use serde_json::json;

mod common;
use common::*;

const NORTH: (&str, &str) = ("it-lead@northfield.example", "northfield-demo");
const SOUTH: (&str, &str) = ("support@southbank.example", "southbank-demo");
const AGENT: (&str, &str) = ("agent@vendor.example", "agent-demo");

#[tokio::test]
async fn a_hand_off_is_recorded_once_and_read_back_by_its_institution_only() {
    let app = demo_app().await;
    let north = sign_in(&app, NORTH.0, NORTH.1).await;
    let south = sign_in(&app, SOUTH.0, SOUTH.1).await;
    let agent = sign_in(&app, AGENT.0, AGENT.1).await;
    let idea = json!({"title": "Canvas deadlines", "description": "As a student I want Canvas deadlines in the app"});
    let key = [("idempotency-key", "ix-double-click")];
    let first = send_with(
        &app,
        Method::POST,
        "/api/v1/routings",
        Some(&north),
        Some(idea.clone()),
        &key,
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let again = send_with(
        &app,
        Method::POST,
        "/api/v1/routings",
        Some(&north),
        Some(idea),
        &key,
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(
        again.body, first.body,
        "a double click replays the first answer"
    );
    let consult =
        json!({"what": "A new home screen\nWith tiles by audience", "desired_start": "2026-12-14"});
    let r = send_with(
        &app,
        Method::POST,
        "/api/v1/consultations",
        Some(&north),
        Some(consult),
        &[("idempotency-key", "am-1")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);

    let list = send(&app, Method::GET, "/api/v1/handoffs", Some(&north), None).await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    let items = list.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "one idea and one consultation: {items:?}");
    let ix = items
        .iter()
        .find(|i| i["kind"] == "ideas_exchange")
        .cloned()
        .unwrap_or_default();
    assert_eq!(ix["reference"], "IX-000001");
    assert_eq!(ix["title"], "Canvas deadlines");
    assert_eq!(ix["by"], "Alex Morgan");
    let am = items
        .iter()
        .find(|i| i["kind"] == "account_manager")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        am["title"], "A new home screen",
        "a consultation's title is its first line"
    );
    assert_eq!(am["before_lead_time"], true);
    assert_eq!(am["acknowledged_at"], serde_json::Value::Null);

    // Filters.
    let r = send(
        &app,
        Method::GET,
        "/api/v1/handoffs?kind=account_manager",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(1));
    let r = send(
        &app,
        Method::GET,
        "/api/v1/handoffs?q=canvas",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(r.body["items"][0]["reference"], "IX-000001");
    let r = send(
        &app,
        Method::GET,
        "/api/v1/handoffs?kind=somewhere",
        Some(&north),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::BAD_REQUEST);

    // Another institution sees none of it and cannot touch it; support sees every institution's.
    let r = send(&app, Method::GET, "/api/v1/handoffs", Some(&south), None).await;
    assert_eq!(r.body["items"], json!([]));
    let link = json!({"url": "https://ideas.exlibrisgroup.com/forums/campusm/suggestions/42"});
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/routings/IX-000001/idea",
        Some(&south),
        Some(link.clone()),
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    let r = send(&app, Method::GET, "/api/v1/handoffs", Some(&agent), None).await;
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(r.body["items"][0]["institution"], "Northfield University");
}

#[tokio::test]
async fn the_idea_gets_its_link_and_support_acknowledges_a_consultation() {
    let app = demo_app().await;
    let north = sign_in(&app, NORTH.0, NORTH.1).await;
    let agent = sign_in(&app, AGENT.0, AGENT.1).await;
    let idea =
        json!({"title": "Canvas deadlines", "description": "As a student I want Canvas deadlines"});
    send(
        &app,
        Method::POST,
        "/api/v1/routings",
        Some(&north),
        Some(idea),
    )
    .await;
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/routings/IX-000001/idea",
        Some(&north),
        Some(json!({"url": "javascript:alert(1)"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "url");
    let url = "https://ideas.exlibrisgroup.com/forums/campusm/suggestions/42";
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/routings/IX-000001/idea",
        Some(&north),
        Some(json!({"url": url})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["idea_url"], url);
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/routings/IX-000099/idea",
        Some(&north),
        Some(json!({"url": url})),
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND);

    let consult = json!({"what": "A new home screen", "desired_start": "2027-02-01"});
    send(
        &app,
        Method::POST,
        "/api/v1/consultations",
        Some(&north),
        Some(consult),
    )
    .await;
    let ack = "/api/v1/consultations/AM-000001/acknowledgement";
    assert_problem(
        &send(&app, Method::POST, ack, Some(&north), None).await,
        StatusCode::FORBIDDEN,
    );
    let r = send(&app, Method::POST, ack, Some(&agent), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    let r = send(
        &app,
        Method::GET,
        "/api/v1/handoffs?kind=account_manager",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(
        r.body["items"][0]["acknowledged_at"],
        "2026-11-27T16:00:00Z"
    );
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/consultations/AM-000077/acknowledgement",
            Some(&agent),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn similar_open_cases_are_offered_from_the_institution_only() {
    let app = demo_app().await;
    let north = sign_in(&app, NORTH.0, NORTH.1).await;
    let south = sign_in(&app, SOUTH.0, SOUTH.1).await;
    let ask = |text: &str| format!("/api/v1/cases/similar?text={}", text.replace(' ', "%20"));
    // Northfield's open timetable case looks like this.
    let r = send(
        &app,
        Method::GET,
        &ask("Timetable shows no events for anyone"),
        Some(&north),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["items"][0]["number"], "CS-000002", "{:?}", r.body);
    assert!(r.body["items"].as_array().is_some_and(|a| a.len() <= 3));
    // Southbank sees none of Northfield's cases.
    let r = send(
        &app,
        Method::GET,
        &ask("Timetable shows no events for anyone"),
        Some(&south),
        None,
    )
    .await;
    assert!(
        r.body["items"].as_array().is_some_and(|a| a
            .iter()
            .all(|c| c["institution"] != "Northfield University")),
        "{:?}",
        r.body
    );
    // Closed cases are not offered (CS-000006 is closed), and one shared word is not enough.
    let r = send(
        &app,
        Method::GET,
        &ask("Where is the release note for 2026.10"),
        Some(&north),
        None,
    )
    .await;
    assert!(
        r.body["items"]
            .as_array()
            .is_some_and(|a| a.iter().all(|c| c["number"] != "CS-000006")),
        "{:?}",
        r.body
    );
    let r = send(
        &app,
        Method::GET,
        &ask("timetable printing"),
        Some(&north),
        None,
    )
    .await;
    assert_eq!(
        r.body["items"],
        json!([]),
        "one word in common is not alike"
    );
    // Too long to compare.
    let r = send(
        &app,
        Method::GET,
        &format!("/api/v1/cases/similar?text={}", "x".repeat(2001)),
        Some(&north),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_case_moves_to_the_ideas_exchange_with_a_link_both_ways() {
    let app = demo_app().await;
    let north = sign_in(&app, NORTH.0, NORTH.1).await;
    let south = sign_in(&app, SOUTH.0, SOUTH.1).await;
    let agent = sign_in(&app, AGENT.0, AGENT.1).await;
    let idea = json!({"title": "A second campus map", "description": "As a university with two campuses, we want a second map."});
    let key = [("idempotency-key", "move-cs-4")];
    // CS-000004 is a question at Level IV, open.
    let uri = "/api/v1/cases/CS-000004/idea";
    assert_problem(
        &send_with(
            &app,
            Method::POST,
            uri,
            Some(&south),
            Some(idea.clone()),
            &key,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    let r = send_with(
        &app,
        Method::POST,
        uri,
        Some(&north),
        Some(idea.clone()),
        &key,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["summary"]["status"], "closed");
    assert_eq!(r.body["moved_to"], "IX-000001");
    let last = r.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["kind"], "moved_to_ideas");
    assert_eq!(last["body"], "IX-000001");
    // A double click moves it once.
    let again = send_with(
        &app,
        Method::POST,
        uri,
        Some(&north),
        Some(idea.clone()),
        &key,
    )
    .await;
    assert_eq!(again.body["moved_to"], "IX-000001");
    let list = send(
        &app,
        Method::GET,
        "/api/v1/handoffs?kind=ideas_exchange",
        Some(&north),
        None,
    )
    .await;
    let items = list.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        items[0]["case_number"], "CS-000004",
        "the hand-off links back to the case"
    );
    // Closed now: it cannot move again; a production outage never moves.
    assert_problem(
        &send(&app, Method::POST, uri, Some(&north), Some(idea.clone())).await,
        StatusCode::CONFLICT,
    );
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/idea",
        Some(&north),
        Some(idea.clone()),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT);
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("not an idea"),
        "{:?}",
        r.body
    );
    // Support can move one too; the hand-off belongs to the case's institution.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000012/idea",
        Some(&agent),
        Some(idea),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let list = send(
        &app,
        Method::GET,
        "/api/v1/handoffs?kind=ideas_exchange",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(2));
}
