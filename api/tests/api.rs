//! API integration tests: the whole router, in-process, through `tower::ServiceExt::oneshot`.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use portal_api::db::{Db, PoolSettings};
use portal_api::{app, demo, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

mod common;
use common::*;

#[tokio::test]
async fn health_answers_ok() {
    let app = demo_app().await;
    let r = send(&app, Method::GET, "/api/v1/health", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");
    assert_eq!(
        r.headers
            .get("x-content-type-options")
            .map(|v| v.to_str().unwrap_or("")),
        Some("nosniff")
    );
}

#[tokio::test]
async fn wrong_password_is_a_clear_401() {
    let app = demo_app().await;
    let r = try_sign_in(&app, "it-lead@northfield.example", "nope").await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("do not match"));
    assert!(r.headers.get(header::SET_COOKIE).is_none());
    let r = try_sign_in(&app, "", "").await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_account() {
    let app = demo_app().await;
    for _ in 0..5 {
        let r = try_sign_in(&app, "support@southbank.example", "bad").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = try_sign_in(&app, "support@southbank.example", "southbank-demo").await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.get(header::RETRY_AFTER).is_some());
}

#[tokio::test]
async fn me_describes_user_and_institution() {
    let app = demo_app().await;
    // Nobody signed in is an answer, not an error (browsers log every 401).
    let r = send(&app, Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.body, Value::Null);
    let cookie = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let r = send(&app, Method::GET, "/api/v1/me", Some(&cookie), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["user"]["role"], "customer");
    assert_eq!(r.body["institution"]["name"], "Northfield University");
    assert_eq!(r.body["institution"]["region"], "emea");
    assert_eq!(r.body["institution"]["has_connect_layer"], true);
}

/// The session cookie: `__Host-` and Secure everywhere, except plain HTTP to a loopback address
/// (the demo, local development), where WebKit would not keep a Secure cookie.
#[tokio::test]
async fn the_session_cookie_is_secure_except_on_loopback_http() {
    let app = demo_app().await;
    let body = json!({"email": "it-lead@northfield.example", "password": "northfield-demo"});
    let sign_in_at = |extra: Vec<(&'static str, &'static str)>| {
        let (app, body) = (app.clone(), body.clone());
        async move {
            let r = send_with(
                &app,
                Method::POST,
                "/api/v1/session",
                None,
                Some(body),
                &extra,
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
            r.headers
                .get(header::SET_COOKIE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        }
    };
    for host in [
        "127.0.0.1:8080",
        "localhost:8080",
        "[::1]:8080",
        "localhost",
    ] {
        let cookie = sign_in_at(vec![("host", host)]).await;
        assert!(cookie.starts_with("portal_session="), "{host}: {cookie}");
        assert!(!cookie.contains("Secure"), "{host}: {cookie}");
        for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attr), "{host}: {cookie} lacks {attr}");
        }
        // It works there…
        let pair = cookie.split(';').next().unwrap_or_default().to_string();
        let r = send_with(
            &app,
            Method::GET,
            "/api/v1/me",
            Some(&pair),
            None,
            &[("host", host)],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{host}");
        // …and nowhere else: not at another address, nor behind a proxy that says HTTPS.
        for other in [
            vec![("host", "portal.example.edu")],
            vec![("host", host), ("x-forwarded-proto", "https")],
        ] {
            let r = send_with(&app, Method::GET, "/api/v1/me", Some(&pair), None, &other).await;
            assert_eq!(r.status, StatusCode::NO_CONTENT, "{other:?}");
        }
        // Signing out there clears that cookie.
        let r = send_with(
            &app,
            Method::DELETE,
            "/api/v1/session",
            Some(&pair),
            None,
            &[("host", host)],
        )
        .await;
        let cleared = r
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            cleared.starts_with("portal_session=;") && cleared.contains("Max-Age=0"),
            "{cleared}"
        );
    }
    for extra in [
        vec![("host", "portal.example.edu")],
        vec![("host", "10.0.0.5:8080")],
        vec![("host", "127.0.0.1.example.com")],
        vec![("host", "127.0.0.1:8080"), ("x-forwarded-proto", "https")],
        vec![
            ("host", "localhost"),
            ("forwarded", "for=1.2.3.4;proto=https"),
        ],
    ] {
        let cookie = sign_in_at(extra.clone()).await;
        assert!(
            cookie.starts_with("__Host-portal_session=") && cookie.contains("; Secure;"),
            "{extra:?}: {cookie}"
        );
    }
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = demo_app().await;
    let cookie = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let r = send(&app, Method::DELETE, "/api/v1/session", Some(&cookie), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.headers.get("clear-site-data").is_some());
    let r = send(&app, Method::GET, "/api/v1/me", Some(&cookie), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_problem(
        &send(&app, Method::GET, "/api/v1/cases", Some(&cookie), None).await,
        StatusCode::UNAUTHORIZED,
    );
}

#[tokio::test]
async fn customers_list_only_their_institutions_cases() {
    let app = demo_app().await;
    let north = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?page_size=100",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.body["items"].as_array().expect("items");
    assert_eq!(r.body["total"], 13);
    assert!(items
        .iter()
        .all(|c| c["institution"] == "Northfield University"));
    assert!(items.iter().all(|c| c["initial_response_due"]
        .as_str()
        .is_some_and(|s| s.ends_with('Z'))));
    let mine = send(
        &app,
        Method::GET,
        "/api/v1/cases?scope=mine&page_size=100",
        Some(&north),
        None,
    )
    .await;
    assert!(mine.body["total"].as_u64() < Some(13));
    let agent = sign_in(&app, "agent@vendor.example", "agent-demo").await;
    let all = send(
        &app,
        Method::GET,
        "/api/v1/cases?page_size=100",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(all.body["total"], 17);
}

#[tokio::test]
async fn list_filters_sorts_and_pages() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?status=closed",
        Some(&c),
        None,
    )
    .await;
    assert!(r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["status"] == "closed"));
    assert_eq!(r.body["total"], 2);
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?level=I&kind=defect",
        Some(&c),
        None,
    )
    .await;
    assert_eq!(r.body["total"], 1);
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?q=timetable",
        Some(&c),
        None,
    )
    .await;
    assert_eq!(
        r.body["items"][0]["subject"],
        "Timetable module shows no events"
    );
    let r = send(&app, Method::GET, "/api/v1/cases?q=50%25_", Some(&c), None).await;
    assert_eq!(
        r.body["total"], 0,
        "LIKE wildcards in the query are literal"
    );
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?sort=number&page=2&page_size=5",
        Some(&c),
        None,
    )
    .await;
    assert_eq!(r.body["page"], 2);
    assert_eq!(r.body["items"][0]["number"], "CS-000006");
    assert_problem(
        &send(
            &app,
            Method::GET,
            "/api/v1/cases?sort=password",
            Some(&c),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
    assert_problem(
        &send(
            &app,
            Method::GET,
            "/api/v1/cases?status=lost",
            Some(&c),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
    assert_problem(
        &send(
            &app,
            Method::GET,
            "/api/v1/cases?page_size=1000",
            Some(&c),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
    assert_problem(
        &send(&app, Method::GET, "/api/v1/cases?page=x", Some(&c), None).await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn another_institutions_case_is_404_on_every_endpoint() {
    let app = demo_app().await;
    let south = sign_in(&app, "support@southbank.example", "southbank-demo").await;
    let number = "CS-000001"; // Northfield's
    let attempts: [(Method, String, Option<Value>); 7] = [
        (Method::GET, format!("/api/v1/cases/{number}"), None),
        (
            Method::POST,
            format!("/api/v1/cases/{number}/comments"),
            Some(json!({"body": "hello"})),
        ),
        (Method::POST, format!("/api/v1/cases/{number}/close"), None),
        (Method::POST, format!("/api/v1/cases/{number}/reopen"), None),
        (Method::POST, format!("/api/v1/cases/{number}/accept"), None),
        (
            Method::PUT,
            format!("/api/v1/cases/{number}/secrets"),
            Some(json!({"connect_layer_access": "mine now"})),
        ),
        (
            Method::GET,
            format!("/api/v1/cases/{number}/attachments/up_x"),
            None,
        ),
    ];
    for (m, uri, body) in attempts {
        let r = send(&app, m, &uri, Some(&south), body).await;
        assert_problem(&r, StatusCode::NOT_FOUND);
        assert!(
            !r.body.to_string().contains("Service unavailable"),
            "leaked data on {uri}"
        );
    }
    // And the list never shows it.
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?q=CS-000001",
        Some(&south),
        None,
    )
    .await;
    assert_eq!(r.body["total"], 0);
}

#[tokio::test]
async fn creating_a_case_computes_number_and_response_due() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let body = minimal_case("Map layer question");
    let r = send(&app, Method::POST, "/api/v1/cases", Some(&c), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["summary"]["number"], "CS-000018");
    assert_eq!(
        r.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap_or("")),
        Some("/api/v1/cases/CS-000018")
    );
    assert_eq!(r.body["summary"]["status"], "new");
    // A question is Level IV: Friday 16:00 London + 2 business days = Tuesday 16:00 (GMT in
    // November).
    assert_eq!(
        r.body["summary"]["initial_response_due"],
        "2026-12-01T16:00:00Z"
    );
    let got = send(&app, Method::GET, "/api/v1/cases/CS-000018", Some(&c), None).await;
    assert_eq!(got.body["summary"]["subject"], "Map layer question");
    assert_eq!(got.body["actions"], json!(["comment", "close"]));
}

#[tokio::test]
async fn invalid_cases_get_field_errors() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let body = json!({"kind": "defect", "level": "II", "subject": "", "description": "Broken"});
    let r = send(&app, Method::POST, "/api/v1/cases", Some(&c), Some(body)).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = r.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "subject",
            "scenario.steps",
            "credentials.username",
            "connect_layer_access"
        ]
    );
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&c),
        Some(json!({"kind": "defect", "level": "V"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/cases")
        .header("x-requested-with", "portal")
        .header(header::COOKIE, &c)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_case_gets_a_level_that_fits_it_and_text_that_shows_what_it_says() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let post = |body: Value| {
        let (app, c) = (app.clone(), c.clone());
        async move {
            let r = send(&app, Method::POST, "/api/v1/cases", Some(&c), Some(body)).await;
            assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
            r.body["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_string(),
                        e["message"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // A question is Level IV: production-down levels are about production.
    let e = post(
        json!({"kind": "question", "level": "I", "subject": "Where is the push export?",
        "description": "We cannot find it."}),
    )
    .await;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "level");
    assert!(e[0].1.contains("Level IV"), "{e:?}");
    // A sandbox is never down.
    let e = post(
        json!({"kind": "defect", "level": "II", "environment": "sandbox",
        "subject": "Sandbox maps empty", "description": "Nothing shows."}),
    )
    .await;
    assert!(
        e.iter().any(|(f, m)| f == "level" && m.contains("sandbox")),
        "{e:?}"
    );
    // A subject that a list would show reversed, a description of zero-width spaces, a NUL.
    let e = post(
        json!({"kind": "question", "level": "IV", "subject": "invoice\u{202E}fdp.exe",
        "description": "\u{200B}\u{200B}", "product_area": "maps\u{0}"}),
    )
    .await;
    let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["subject", "description", "product_area"], "{e:?}");
    assert!(e[0].1.contains("U+202E"), "{e:?}");
}

#[tokio::test]
async fn a_draft_sent_again_after_an_edit_names_the_case_it_made() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let first = post_case_with_key(&app, &c, "Push statistics export", "tab-key").await;
    assert_eq!(first.status, StatusCode::CREATED);
    let number = first.body["summary"]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // The second tab edited the draft before sending it under the same key.
    let again = post_case_with_key(&app, &c, "Push statistics export, edited", "tab-key").await;
    assert_problem(&again, StatusCode::CONFLICT);
    assert_eq!(again.body["type"], portal_core::model::PROBLEM_ALREADY_SENT);
    assert_eq!(again.body["case_number"], number.as_str());
    let detail = again.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&number) && !detail.contains("Idempotency"),
        "{detail}"
    );
}

#[tokio::test]
async fn credentials_are_write_only() {
    let app = demo_app().await;
    let c = sign_in(&app, "support@southbank.example", "southbank-demo").await;
    let body = json!({"kind": "defect", "level": "III", "subject": "Login loop", "description": "Loops",
        "scenario": {"steps": "Open the app"}, "credentials": {"username": "test.student", "password": "s3cret-Pa55"}});
    let r = send(&app, Method::POST, "/api/v1/cases", Some(&c), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert!(!r.body.to_string().contains("s3cret-Pa55"));
    assert_eq!(r.body["secrets"][0]["kind"], "app_credentials");
    assert_eq!(r.body["secrets"][0]["state"], "provided");
    let number = r.body["summary"]["number"]
        .as_str()
        .expect("number")
        .to_string();
    let got = send(
        &app,
        Method::GET,
        &format!("/api/v1/cases/{number}"),
        Some(&c),
        None,
    )
    .await;
    assert!(!got.body.to_string().contains("s3cret-Pa55"));
}

/// `POST /api/v1/cases` with a minimal question under an Idempotency-Key.
async fn post_case_with_key(app: &Router, cookie: &str, subject: &str, key: &str) -> Reply {
    send_with(
        app,
        Method::POST,
        "/api/v1/cases",
        Some(cookie),
        Some(minimal_case(subject)),
        &[("idempotency-key", key)],
    )
    .await
}

#[tokio::test]
async fn one_idempotency_key_creates_one_case_under_twenty_parallel_requests() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (app, c) = (app.clone(), c.clone());
        tasks.push(tokio::spawn(async move {
            post_case_with_key(&app, &c, "Once only", "draft-42").await
        }));
    }
    let mut numbers = std::collections::BTreeSet::new();
    let mut conflicts = 0;
    for t in tasks {
        let r = t.await.expect("task");
        if r.status == StatusCode::CONFLICT {
            // Still running: the answer says when to ask again.
            assert_problem(&r, StatusCode::CONFLICT);
            assert_eq!(r.body["type"], portal_core::model::PROBLEM_IN_PROGRESS);
            assert_eq!(
                r.headers
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()),
                Some("1")
            );
            conflicts += 1;
            continue;
        }
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        numbers.insert(
            r.body["summary"]["number"]
                .as_str()
                .expect("number")
                .to_string(),
        );
    }
    assert_eq!(numbers.len(), 1, "{numbers:?}, {conflicts} conflicts");
    // Once the first has finished, a repeat replays its answer.
    let again = send_with(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&c),
        Some(minimal_case("Once only")),
        &[("idempotency-key", "draft-42")],
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert!(numbers.contains(again.body["summary"]["number"].as_str().unwrap_or("")));
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?q=Once%20only",
        Some(&c),
        None,
    )
    .await;
    assert_eq!(r.body["total"], 1);
    // Same key, different body: refused, naming the case the key made.
    let r = send_with(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&c),
        Some(minimal_case("Something else")),
        &[("idempotency-key", "draft-42")],
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT);
    assert_eq!(r.body["type"], portal_core::model::PROBLEM_ALREADY_SENT);
}

#[tokio::test]
async fn lifecycle_actions_follow_core_rules() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let agent = sign_in(&app, "agent@vendor.example", "agent-demo").await;
    // CS-000002 awaits the customer: their answer hands it back to support.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&c),
        Some(json!({"body": "Feed URL fixed."})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["summary"]["status"], "in_progress");
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/cases/CS-000002/accept",
            Some(&c),
            None,
        )
        .await,
        StatusCode::CONFLICT,
    );
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/cases/CS-000002/comments",
            Some(&c),
            Some(json!({"body": " "})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/solution",
        Some(&agent),
        Some(json!({"body": "Cache cleared."})),
    )
    .await;
    assert_eq!(r.body["summary"]["status"], "solution_proposed");
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/accept",
        Some(&c),
        None,
    )
    .await;
    assert_eq!(r.body["summary"]["status"], "closed");
    assert_eq!(r.body["actions"], json!(["reopen"]));
    // Accepting is its own entry, so support can tell it from a plain close.
    let last = r.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned();
    let last = last.unwrap_or_default();
    assert_eq!(last["kind"], "solution_accepted", "{last}");
    assert_eq!(last["status"], "closed");
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/cases/CS-000002/close",
            Some(&c),
            None,
        )
        .await,
        StatusCode::CONFLICT,
    );
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/reopen",
        Some(&c),
        None,
    )
    .await;
    assert_eq!(r.body["summary"]["status"], "in_progress");
    // Only agents patch statuses.
    assert_problem(
        &send(
            &app,
            Method::PATCH,
            "/api/v1/cases/CS-000002",
            Some(&c),
            Some(json!({"status": "closed"})),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    let r = send(
        &app,
        Method::PATCH,
        "/api/v1/cases/CS-000002",
        Some(&agent),
        Some(json!({"status": "awaiting_customer"})),
    )
    .await;
    assert_eq!(r.body["summary"]["status"], "awaiting_customer");
    let kinds: Vec<&str> = r.body["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds.last(), Some(&"status"));
}

#[tokio::test]
async fn state_changes_need_x_requested_with() {
    let app = demo_app().await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"email": "it-lead@northfield.example", "password": "northfield-demo"})
                .to_string(),
        ))
        .expect("request");
    let res = app.oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        res.headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("")),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_are_problems() {
    let app = demo_app().await;
    assert_problem(
        &send(&app, Method::GET, "/api/v1/nothing", None, None).await,
        StatusCode::NOT_FOUND,
    );
    assert_problem(
        &send(&app, Method::GET, "/api/v2/cases", None, None).await,
        StatusCode::NOT_FOUND,
    );
    assert_problem(
        &send(&app, Method::PUT, "/api/v1/health", None, None).await,
        StatusCode::METHOD_NOT_ALLOWED,
    );
}

#[tokio::test]
async fn sla_preview_is_public_and_exact() {
    let app = demo_app().await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/sla/preview?level=III&opened_at=2026-11-27T16:00:00Z&region=emea",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body,
        json!({"level": "III", "region": "emea", "time_zone": "Europe/London", "opened_at": "2026-11-27T16:00:00Z", "initial_response_due": "2026-11-30T16:00:00Z", "clock": "business_hours"})
    );
    let r = send(
        &app,
        Method::GET,
        "/api/v1/sla/preview?level=I&opened_at=2026-11-28T23:30:00Z&region=emea",
        None,
        None,
    )
    .await;
    assert_eq!(r.body["initial_response_due"], "2026-11-29T00:30:00Z");
    assert_eq!(r.body["clock"], "24x7");
    for bad in [
        "level=V&region=emea",
        "level=I&region=mars",
        "level=I&region=emea&opened_at=yesterday",
        "region=emea",
    ] {
        assert_problem(
            &send(
                &app,
                Method::GET,
                &format!("/api/v1/sla/preview?{bad}"),
                None,
                None,
            )
            .await,
            StatusCode::BAD_REQUEST,
        );
    }
}

#[tokio::test]
async fn config_lists_kinds_levels_and_regions() {
    let app = demo_app().await;
    let r = send(&app, Method::GET, "/api/v1/config", None, None).await;
    assert_eq!(r.body["kinds"].as_array().map(Vec::len), Some(4));
    assert_eq!(r.body["kinds"][2]["route"], "ideas_exchange");
    assert_eq!(r.body["levels"][0]["clock"], "24x7");
    assert_eq!(r.body["regions"].as_array().map(Vec::len), Some(3));
    // Level IV in the policy's own words, and the pages the policy names.
    let iv = r.body["levels"][3]["definition"]
        .as_str()
        .unwrap_or_default();
    assert!(
        iv.contains("general questions, requests for information, documentation questions, enhancement requests")
            && iv.contains("Ideas Exchange"),
        "{iv}"
    );
    assert!(r.body["support_247_url"]
        .as_str()
        .is_some_and(|u| u.contains("24X7_Support")));
    assert!(r.body["support_portal_guide_url"]
        .as_str()
        .is_some_and(|u| u.contains("Support_Portal_User_Guide")));
}

#[tokio::test]
async fn articles_are_searchable_and_deflections_counted() {
    let app = demo_app().await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/articles?q=timetable%20empty%20new%20term",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["items"][0]["id"], "KA-0101");
    let r = send(&app, Method::GET, "/api/v1/articles/KA-0101", None, None).await;
    assert!(r.body["body"]
        .as_str()
        .is_some_and(|b| b.contains("Connect Layer")));
    assert_problem(
        &send(&app, Method::GET, "/api/v1/articles/KA-9999", None, None).await,
        StatusCode::NOT_FOUND,
    );
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/articles/KA-0101/helpful",
            None,
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
    );
    let r = send(
        &app,
        Method::POST,
        "/api/v1/articles/KA-0101/helpful",
        Some(&c),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["helpful_count"], 1);
}

#[tokio::test]
async fn ideas_and_consultations_are_recorded() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let r = send(&app, Method::POST, "/api/v1/routings", Some(&c), Some(json!({"title": "Canvas deadlines", "description": "As a student I want Canvas deadlines in the app"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["reference"], "IX-000001");
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/routings",
            Some(&c),
            Some(json!({"title": "", "description": ""})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    // Friday 27 Nov 2026: the earliest recommended start is 8 Jan 2027.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/consultations",
        Some(&c),
        Some(json!({"what": "A new home screen", "desired_start": "2026-12-14"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["earliest_recommended_start"], "2027-01-08");
    assert_eq!(r.body["before_lead_time"], true);
    let r = send(
        &app,
        Method::POST,
        "/api/v1/consultations",
        Some(&c),
        Some(json!({"what": "A new home screen", "desired_start": "2027-02-01"})),
    )
    .await;
    assert_eq!(r.body["before_lead_time"], false);
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/consultations",
            Some(&c),
            Some(json!({"what": "x", "desired_start": "2020-01-01"})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let agent = sign_in(&app, "agent@vendor.example", "agent-demo").await;
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/routings",
            Some(&agent),
            Some(json!({"title": "t", "description": "d"})),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
}

#[tokio::test]
async fn case_polling_gets_304_until_something_changes() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let agent = sign_in(&app, "agent@vendor.example", "agent-demo").await;
    let first = send(&app, Method::GET, "/api/v1/cases/CS-000005", Some(&c), None).await;
    let etag = first
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_string();
    let again = send_with(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000005",
        Some(&c),
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.body, Value::Null);
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000005/comments",
        Some(&agent),
        Some(json!({"body": "Fix deployed."})),
    )
    .await;
    let changed = send_with(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000005",
        Some(&c),
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(
        changed
            .headers
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok()),
        Some(etag.as_str())
    );
}

#[tokio::test]
async fn unknown_case_actions_are_404() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/cases/CS-000001/delete",
            Some(&c),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    assert_problem(
        &send(
            &app,
            Method::POST,
            "/api/v1/cases/CS-000001/comment",
            Some(&c),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
}

/// Uploads `bytes` as `name` (multipart, part `file`).
async fn upload(app: &Router, cookie: &str, name: &str, bytes: &[u8]) -> Reply {
    let boundary = "XportalBoundaryX";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    post_bytes(
        app,
        "/api/v1/uploads",
        cookie,
        &format!("multipart/form-data; boundary={boundary}"),
        body,
    )
    .await
}

/// POSTs raw bytes with a content type (a state-changing request, signed in).
async fn post_bytes(
    app: &Router,
    uri: &str,
    cookie: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header("x-requested-with", "portal")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Reply {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

async fn download(
    app: &Router,
    cookie: &str,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let req = Request::builder()
        .uri(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, headers, bytes.to_vec())
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR screenshot";

#[tokio::test]
async fn attachments_travel_with_cases_and_updates_and_stay_private() {
    let app = demo_app().await;
    let north = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let up = upload(&app, &north, "Login screen <b>.png", PNG).await;
    assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    assert_eq!(up.body["content_type"], "image/png");
    assert_eq!(up.body["size"], PNG.len());
    assert_eq!(up.body["name"], "Login screen <b>.png");
    let id = up.body["id"].as_str().expect("id").to_string();

    // Another user cannot attach it to their case.
    let south = sign_in(&app, "support@southbank.example", "southbank-demo").await;
    let mut stolen = minimal_case("Stolen file");
    stolen["attachments"] = json!([id]);
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&south),
        Some(stolen),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "attachments");

    let mut case = minimal_case("Screenshot attached");
    case["attachments"] = json!([id]);
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&north),
        Some(case.clone()),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["attachments"][0]["id"], id.as_str());
    let number = r.body["summary"]["number"]
        .as_str()
        .expect("number")
        .to_string();

    // One file belongs to one case.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&north),
        Some(case),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);

    // Download: the bytes, as an attachment, sandboxed.
    let uri = format!("/api/v1/cases/{number}/attachments/{id}");
    let (status, headers, bytes) = download(&app, &north, &uri).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, PNG);
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(h("content-type"), "image/png");
    assert!(
        h("content-disposition").starts_with("attachment;"),
        "{}",
        h("content-disposition")
    );
    assert!(h("content-security-policy").contains("sandbox"));
    assert_eq!(h("x-content-type-options"), "nosniff");

    // A colleague of the same institution may download it; another institution gets 404.
    let library = sign_in(&app, "library@northfield.example", "northfield-library").await;
    assert_eq!(download(&app, &library, &uri).await.0, StatusCode::OK);
    let (status, _, bytes) = download(&app, &south, &uri).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!bytes.windows(4).any(|w| w == b"IHDR"));

    // An update with a log file shows it on its timeline entry.
    let log = upload(&app, &north, "app.log", b"12:00 ERROR timeout\n").await;
    assert_eq!(log.status, StatusCode::CREATED);
    assert_eq!(log.body["content_type"], "text/plain; charset=utf-8");
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{number}/comments"),
        Some(&north),
        Some(json!({"body": "Log attached", "attachments": [log.body["id"]]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let last = r.body["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .expect("entry");
    assert_eq!(last["attachments"][0]["name"], "app.log");
    assert_eq!(r.body["attachments"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn uploads_are_checked_on_their_content_and_size() {
    let app = demo_app().await;
    let north = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    // HTML posing as a screenshot.
    let r = upload(&app, &north, "shot.png", b"<html><script>alert(1)</script>").await;
    assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("content is not"));
    // A program.
    let r = upload(&app, &north, "setup.exe", b"MZ\x90\0").await;
    assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Too large: 10 MiB + 1 byte.
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let r = upload(&app, &north, "huge.txt", &big).await;
    assert_problem(&r, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body["detail"].as_str().unwrap_or("").contains("10.0 MB"));
    // Not multipart at all.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/uploads",
        Some(&north),
        Some(json!({"file": "x"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Without a session.
    let r = upload(&app, "x=y", "a.png", PNG).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    // Paths in names are dropped.
    let r = upload(&app, &north, "..\\..\\boot.ini.txt", b"ok").await;
    assert_eq!(r.body["name"], "boot.ini.txt");
}

#[tokio::test]
async fn unsent_uploads_can_be_removed_only_by_their_owner() {
    let app = demo_app().await;
    let north = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let library = sign_in(&app, "library@northfield.example", "northfield-library").await;
    let up = upload(&app, &north, "a.png", PNG).await;
    let uri = format!("/api/v1/uploads/{}", up.body["id"].as_str().expect("id"));
    let r = send(&app, Method::DELETE, &uri, Some(&library), None).await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    let r = send(&app, Method::DELETE, &uri, Some(&north), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = send(&app, Method::DELETE, &uri, Some(&north), None).await;
    assert_problem(&r, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_retried_update_is_posted_once() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let uri = "/api/v1/cases/CS-000001/comments";
    let body = json!({"body": "Restarted the Connect Layer; still failing."});
    let first = send_with(
        &app,
        Method::POST,
        uri,
        Some(&c),
        Some(body.clone()),
        &[("idempotency-key", "c-1")],
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let entries = first.body["timeline"].as_array().map(Vec::len);
    let retry = send_with(
        &app,
        Method::POST,
        uri,
        Some(&c),
        Some(body),
        &[("idempotency-key", "c-1")],
    )
    .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.body, first.body, "the retry replays the first answer");
    let now = send(&app, Method::GET, "/api/v1/cases/CS-000001", Some(&c), None).await;
    assert_eq!(
        now.body["timeline"].as_array().map(Vec::len),
        entries,
        "posted once"
    );
    // A failed attempt (invalid) leaves the key free for the corrected request.
    let bad = send_with(
        &app,
        Method::POST,
        uri,
        Some(&c),
        Some(json!({"body": "ok", "attachments": ["up_nope"]})),
        &[("idempotency-key", "c-2")],
    )
    .await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY);
    let fixed = send_with(
        &app,
        Method::POST,
        uri,
        Some(&c),
        Some(json!({"body": "ok", "attachments": []})),
        &[("idempotency-key", "c-2")],
    )
    .await;
    assert_eq!(fixed.status, StatusCode::CREATED, "{:?}", fixed.body);
}

#[tokio::test]
async fn overview_counts_only_visible_cases_and_weeks() {
    let app = demo_app().await;
    let north = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let total = send(&app, Method::GET, "/api/v1/cases", Some(&north), None)
        .await
        .body["total"]
        .as_u64()
        .expect("total");
    let sum = |v: &Value| -> u64 {
        v.as_array()
            .map(|a| a.iter().filter_map(|p| p[1].as_u64()).sum())
            .unwrap_or(0)
    };
    let o = send(
        &app,
        Method::GET,
        "/api/v1/cases/overview",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(o.status, StatusCode::OK, "{:?}", o.body);
    assert_eq!(sum(&o.body["by_status"]), total);
    assert_eq!(o.body["by_status"].as_array().map(Vec::len), Some(6));
    let weeks = o.body["weeks"].as_array().cloned().expect("weeks");
    assert_eq!(weeks.len(), 8);
    // Friday 27 Nov 2026: the last week starts on Monday 23 Nov.
    assert_eq!(weeks[7]["week"], "2026-11-23");
    assert_eq!(weeks[0]["week"], "2026-10-05");
    let closed_now = weeks[7]["closed"].as_u64().unwrap_or(0);

    // Closing a case counts this week.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000001/close",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let o = send(
        &app,
        Method::GET,
        "/api/v1/cases/overview",
        Some(&north),
        None,
    )
    .await;
    assert_eq!(o.body["weeks"][7]["closed"].as_u64(), Some(closed_now + 1));

    // Another institution sees only its own.
    let south = sign_in(&app, "support@southbank.example", "southbank-demo").await;
    let o = send(
        &app,
        Method::GET,
        "/api/v1/cases/overview",
        Some(&south),
        None,
    )
    .await;
    let south_total = send(&app, Method::GET, "/api/v1/cases", Some(&south), None)
        .await
        .body["total"]
        .as_u64()
        .expect("total");
    assert_eq!(sum(&o.body["by_status"]), south_total);
    assert_ne!(south_total, total);
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/overview?scope=everyone",
        Some(&south),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn announcements_are_posted_by_agents_and_shown_to_whom_they_concern() {
    let app = demo_app().await;
    let agent = sign_in(&app, "agent@vendor.example", "agent-demo").await;
    let north = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let south = sign_in(&app, "support@southbank.example", "southbank-demo").await;
    let me = send(&app, Method::GET, "/api/v1/me", Some(&north), None).await;
    let north_id = me.body["institution"]["id"].clone();

    // Customers may not post; bad input gets one message per field.
    let body = json!({"kind": "incident", "message": "Push notifications are delayed.", "case_number": "CS-000001"});
    let r = send(
        &app,
        Method::POST,
        "/api/v1/announcements",
        Some(&north),
        Some(body.clone()),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    let r = send(
        &app,
        Method::POST,
        "/api/v1/announcements",
        Some(&agent),
        Some(json!({"kind": "incident", "message": " ", "case_number": "CS-9", "expires_at": "2026-11-01T00:00:00Z", "institution_id": 999})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = r.body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["message", "case_number", "expires_at"]);
    let r = send(
        &app,
        Method::POST,
        "/api/v1/announcements",
        Some(&agent),
        Some(json!({"kind": "outage", "message": "x"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = send(
        &app,
        Method::POST,
        "/api/v1/announcements",
        Some(&agent),
        Some(json!({"kind": "incident", "message": "x", "case_number": "CS-999999", "institution_id": 999})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"].as_array().map(Vec::len), Some(2));

    // For everyone, naming Northfield's case: only Northfield (and agents) get the link.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/announcements",
        Some(&agent),
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let everyone = r.body["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        r.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some(format!("/api/v1/announcements/{everyone}").as_str())
    );
    // For Northfield only, expiring tomorrow.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/announcements",
        Some(&agent),
        Some(json!({"kind": "maintenance", "message": "Your Connect Layer restarts tonight.", "institution_id": north_id, "expires_at": "2026-11-28T16:00:00Z"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let north_only = r.body["id"].as_str().unwrap_or_default().to_string();

    let list = |cookie: Option<String>| {
        let app = app.clone();
        async move {
            let r = send(
                &app,
                Method::GET,
                "/api/v1/announcements",
                cookie.as_deref(),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::OK);
            r.body
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| {
                            (
                                x["id"].as_str().unwrap_or("").to_string(),
                                x["case_visible"] == true,
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    assert_eq!(
        list(None).await,
        [(everyone.clone(), false)],
        "signed out: the public one"
    );
    assert_eq!(
        list(Some(north.clone())).await,
        [(north_only.clone(), false), (everyone.clone(), true)]
    );
    assert_eq!(list(Some(south.clone())).await, [(everyone.clone(), false)]);
    assert_eq!(list(Some(agent.clone())).await.len(), 2);

    // Withdrawn: gone for everyone; only agents withdraw; twice is 404.
    let uri = format!("/api/v1/announcements/{everyone}");
    assert_problem(
        &send(&app, Method::DELETE, &uri, Some(&north), None).await,
        StatusCode::FORBIDDEN,
    );
    assert_eq!(
        send(&app, Method::DELETE, &uri, Some(&agent), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_problem(
        &send(&app, Method::DELETE, &uri, Some(&agent), None).await,
        StatusCode::NOT_FOUND,
    );
    assert_problem(
        &send(
            &app,
            Method::DELETE,
            "/api/v1/announcements/nonsense",
            Some(&agent),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    assert_eq!(list(Some(north)).await, [(north_only, false)]);
    assert!(list(None).await.is_empty());
}

#[tokio::test]
async fn announcements_expire_by_themselves() {
    let state = AppState::new(Db::for_tests().expect("db"), None)
        .expect("state")
        .with_clock(friday_afternoon);
    assert!(demo::seed(&state).await.expect("seed"));
    let db = state.db.clone();
    let app = app(state);
    let agent = sign_in(&app, "agent@vendor.example", "agent-demo").await;
    let r = send(
        &app,
        Method::POST,
        "/api/v1/announcements",
        Some(&agent),
        Some(json!({"kind": "information", "message": "New release notes are out.", "expires_at": "2026-11-27T17:00:00Z"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let shown = send(&app, Method::GET, "/api/v1/announcements", None, None).await;
    assert_eq!(shown.body.as_array().map(Vec::len), Some(1));
    // An hour later (moved in the data, since the clock is pinned): no longer listed.
    db.call(|c| {
        Ok(c.execute(
            "UPDATE announcements SET expires_at = '2026-11-27T15:59:59.000Z'",
            (),
        )?)
    })
    .await
    .expect("update");
    let shown = send(&app, Method::GET, "/api/v1/announcements", None, None).await;
    assert_eq!(shown.body, json!([]));
}

#[tokio::test]
async fn a_configuration_file_changes_what_is_served_without_a_rebuild() {
    let mut file: Value = serde_json::from_str(portal_api::config::REFERENCE).expect("reference");
    file["product_name"] = json!("campusM (test deployment)");
    file["community"] = json!([{"name": "Our forum", "url": "https://forum.example"}]);
    // Every text comes in every language: the French for the new link is part of the change.
    file["translations"]["fr"]["community"] = json!({"Our forum": "Notre forum"});
    file["attachment_limits"] = json!({"max_bytes": 100, "max_files": 2});
    let state = AppState::new(Db::for_tests().expect("db"), None).expect("state");
    let config = portal_api::config::load(&file.to_string(), &state.clocks).expect("valid file");
    let state = state.with_config(config).with_clock(friday_afternoon);
    assert!(demo::seed(&state).await.expect("seed"));
    let app = app(state);
    let r = send(&app, Method::GET, "/api/v1/config", None, None).await;
    assert_eq!(r.body["product_name"], "campusM (test deployment)");
    assert_eq!(r.body["community"][0]["name"], "Our forum");
    let r = send_with(
        &app,
        Method::GET,
        "/api/v1/config",
        None,
        None,
        &[("accept-language", "fr")],
    )
    .await;
    assert_eq!(r.body["community"][0]["name"], "Notre forum");
    assert!(
        r.body["regions"].as_array().is_some_and(|a| !a.is_empty()),
        "regions from the data files"
    );
    // The upload limit follows the file.
    let cookie = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let r = upload(&app, &cookie, "notes.txt", &[b'a'; 101]).await;
    assert_problem(&r, StatusCode::PAYLOAD_TOO_LARGE);
    let r = upload(&app, &cookie, "notes.txt", b"short log").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
}

#[tokio::test]
async fn hsts_only_on_tls() {
    let app = demo_app().await;
    let plain = send(&app, Method::GET, "/api/v1/health", None, None).await;
    assert!(plain
        .headers
        .get(header::STRICT_TRANSPORT_SECURITY)
        .is_none());
    let behind_tls = send_with(
        &app,
        Method::GET,
        "/api/v1/health",
        None,
        None,
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert_eq!(
        behind_tls
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .and_then(|v| v.to_str().ok()),
        Some("max-age=63072000; includeSubDomains")
    );
}

/// Sends raw bytes as a JSON body (not necessarily JSON at all).
async fn send_raw(app: &Router, uri: &str, cookie: &str, body: Vec<u8>) -> Reply {
    post_bytes(app, uri, cookie, "application/json", body).await
}

/// Any answer to bad input is a 4xx problem+json with a detail; nothing is a 5xx.
fn assert_clean_answer(r: &Reply, what: &str) {
    assert!(r.status.as_u16() < 500, "{what}: {} {:?}", r.status, r.body);
    if r.status.is_client_error() {
        assert_problem(r, r.status);
    }
}

/// Arbitrary JSON values shaped loosely like the request bodies (keys the API knows, wrong types).
fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,40}".prop_map(Value::String),
        prop_oneof![
            Just("question"),
            Just("defect"),
            Just("I"),
            Just("IV"),
            Just("CS-000001")
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        let keys = prop_oneof![
            Just("kind".to_string()),
            Just("level".to_string()),
            Just("subject".to_string()),
            Just("description".to_string()),
            Just("scenario".to_string()),
            Just("credentials".to_string()),
            Just("attachments".to_string()),
            Just("body".to_string()),
            "[a-z_]{1,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn request_parsing_never_fails_the_server() {
    use proptest::prelude::*;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (app, cookie) = rt.block_on(async {
        let app = demo_app().await;
        let cookie = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
        (app, cookie)
    });
    let config = ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    };
    proptest!(config, |(value in json_value(), raw in proptest::collection::vec(any::<u8>(), 0..64), query in "[a-z_=&%0-9A-Z.-]{0,40}")| {
        rt.block_on(async {
            for uri in ["/api/v1/cases", "/api/v1/cases/CS-000001/comments", "/api/v1/routings", "/api/v1/consultations", "/api/v1/session"] {
                let r = send_raw(&app, uri, &cookie, value.to_string().into_bytes()).await;
                assert_clean_answer(&r, &format!("POST {uri} {value}"));
                let r = send_raw(&app, uri, &cookie, raw.clone()).await;
                assert_clean_answer(&r, &format!("POST {uri} with raw bytes"));
            }
            for path in ["/api/v1/cases", "/api/v1/cases/overview", "/api/v1/articles", "/api/v1/sla/preview"] {
                let uri = format!("{path}?{query}");
                let r = send(&app, Method::GET, &uri, Some(&cookie), None).await;
                assert_clean_answer(&r, &format!("GET {uri}"));
            }
        });
    });
}

#[tokio::test]
async fn search_finds_any_part_of_number_subject_or_description() {
    let app = demo_app().await;
    let cookie = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let total = |q: &str| {
        let (app, cookie) = (app.clone(), cookie.clone());
        let uri = format!("/api/v1/cases?q={}", urlencode(q));
        async move {
            let r = send(&app, Method::GET, &uri, Some(&cookie), None).await;
            assert_eq!(r.status, StatusCode::OK, "{uri}: {:?}", r.body);
            r.body["total"].as_u64().unwrap_or(u64::MAX)
        }
    };
    let all = total("").await;
    assert_eq!(total("CS-000002").await, 1, "by number");
    assert_eq!(total("000002").await, 1, "by part of the number");
    let by_word = total("timetable").await;
    assert!(by_word >= 1);
    assert_eq!(total("TIMETABLE").await, by_word, "case-insensitive");
    assert_eq!(total("imetabl").await, by_word, "any part of a word");
    assert!(total("ti").await >= by_word, "two characters: a plain scan");
    // Search syntax is text, never an error.
    for q in [
        "\"",
        "*",
        "NEAR(a b)",
        "a AND b",
        "100%",
        "x_y",
        "é",
        "') OR 1=1 --",
    ] {
        assert!(total(q).await <= all, "{q}");
    }
    // A new case is found at once; another institution's never.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&cookie),
        Some(minimal_case("Quokka sightings widget")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(total("quokka").await, 1);
    let south = sign_in(&app, "support@southbank.example", "southbank-demo").await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases?q=quokka",
        Some(&south),
        None,
    )
    .await;
    assert_eq!(r.body["total"], 0);
}

/// Percent-encodes a query value.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn an_oversized_json_body_is_a_clear_413() {
    let app = demo_app().await;
    let cookie = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let mut case = minimal_case("Huge");
    case["description"] = json!("x".repeat(portal_api::JSON_BODY_MAX + 1));
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&cookie),
        Some(case),
    )
    .await;
    assert_problem(&r, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("MB") || d.contains("large")),
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn answers_come_in_the_language_asked_for() {
    let app = demo_app().await;
    let fr = [("accept-language", "fr-CA, en;q=0.5")];
    // The configuration's texts.
    let r = send_with(&app, Method::GET, "/api/v1/config", None, None, &fr).await;
    assert_eq!(
        r.headers
            .get("content-language")
            .map(|v| v.to_str().unwrap_or("")),
        Some("fr")
    );
    assert!(r
        .headers
        .get_all("vary")
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.contains("accept-language"))));
    assert_eq!(r.body["levels"][0]["priority"], "Système indisponible");
    assert_eq!(r.body["product_areas"][4]["value"], "Timetable");
    assert_eq!(r.body["product_areas"][4]["label"], "Emploi du temps");
    let r = send(&app, Method::GET, "/api/v1/config", None, None).await;
    assert_eq!(
        r.headers
            .get("content-language")
            .map(|v| v.to_str().unwrap_or("")),
        Some("en")
    );
    assert_eq!(r.body["levels"][0]["priority"], "System Down");
    assert_eq!(r.body["product_areas"][4]["label"], "Timetable");
    // Problems: 401, field errors from portal-core's rules, and the API's own messages.
    let r = send_with(&app, Method::GET, "/api/v1/cases", None, None, &fr).await;
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("Connectez-vous")),
        "{:?}",
        r.body
    );
    let r = send_with(
        &app,
        Method::POST,
        "/api/v1/session",
        None,
        Some(json!({"email": "it-lead@northfield.example", "password": "wrong"})),
        &fr,
    )
    .await;
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("ne correspondent à aucun compte")),
        "{:?}",
        r.body
    );
    let cookie = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let r = send_with(
        &app,
        Method::POST,
        "/api/v1/cases",
        Some(&cookie),
        Some(json!({"kind": "question", "level": "IV", "subject": "", "description": ""})),
        &fr,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "subject");
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Saisissez un objet")),
        "{:?}",
        r.body
    );
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("champs demandent")),
        "{:?}",
        r.body
    );
    let r = send_with(
        &app,
        Method::GET,
        "/api/v1/cases/CS-999999",
        Some(&cookie),
        None,
        &fr,
    )
    .await;
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("Aucun dossier CS-999999")),
        "{:?}",
        r.body
    );
}

#[tokio::test]
#[ignore = "PostgreSQL only: run by the PostgreSQL pass of cargo xtask test (--include-ignored)"]
async fn two_api_instances_share_one_database() {
    // Two instances behind a load balancer: separate processes in production, separate states
    // and connection pools here, one PostgreSQL database. (SQLite deployments run one instance.)
    let (db1, db2) = Db::for_tests_shared().expect("PORTAL_TEST_POSTGRES");
    let one = AppState::new(db1, None)
        .expect("state")
        .with_clock(friday_afternoon);
    assert!(demo::seed(&one).await.expect("seed"));
    let two = AppState::new(db2, None)
        .expect("state")
        .with_clock(friday_afternoon);
    assert!(
        !demo::seed(&two).await.expect("seed"),
        "seeded once, seen by both"
    );
    let (one, two) = (app(one), app(two));
    // A session started on one instance is valid on the other.
    let c = sign_in(&one, "it-lead@northfield.example", "northfield-demo").await;
    let me = send(&two, Method::GET, "/api/v1/me", Some(&c), None).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    // One Idempotency-Key, twenty requests spread over both instances: one case.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (app, c) = (
            if i % 2 == 0 { one.clone() } else { two.clone() },
            c.clone(),
        );
        tasks.push(tokio::spawn(async move {
            post_case_with_key(&app, &c, "Across instances", "shared-7").await
        }));
    }
    let mut numbers = std::collections::BTreeSet::new();
    for t in tasks {
        let r = t.await.expect("task");
        match r.status {
            StatusCode::CONFLICT => {
                assert_eq!(r.body["type"], portal_core::model::PROBLEM_IN_PROGRESS)
            }
            StatusCode::CREATED => {
                numbers.insert(
                    r.body["summary"]["number"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            other => panic!("{other}: {:?}", r.body),
        }
    }
    assert_eq!(numbers.len(), 1, "{numbers:?}");
    let number = numbers.into_iter().next().unwrap_or_default();
    // Both instances see it, and sign-out on one ends the session on both.
    for app in [&one, &two] {
        let r = send(
            app,
            Method::GET,
            &format!("/api/v1/cases/{number}"),
            Some(&c),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }
    let r = send(&two, Method::DELETE, "/api/v1/session", Some(&c), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = send(&one, Method::GET, "/api/v1/cases", Some(&c), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Failed sign-ins count across instances: five wrong passwords spread over both lock the
    // account on both, so a load balancer does not multiply an attacker's guesses.
    let wrong = json!({"email": "support@southbank.example", "password": "bad"});
    for i in 0..5 {
        let app = if i % 2 == 0 { &one } else { &two };
        let r = send(
            app,
            Method::POST,
            "/api/v1/session",
            None,
            Some(wrong.clone()),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    for app in [&one, &two] {
        let r = try_sign_in(app, "support@southbank.example", "southbank-demo").await;
        assert_problem(&r, StatusCode::TOO_MANY_REQUESTS);
    }
}

/// A state with the demo data on a PostgreSQL pool of `max` connections that waits `wait`.
async fn demo_on_pool(max: u32, wait: std::time::Duration) -> (Db, Router) {
    let db = Db::for_tests_with(PoolSettings {
        max_size: max,
        wait,
    })
    .expect("PORTAL_TEST_POSTGRES");
    assert_eq!(db.dialect(), portal_api::db::sql::Dialect::Postgres);
    let state = AppState::new(db.clone(), None)
        .expect("state")
        .with_clock(friday_afternoon);
    assert!(demo::seed(&state).await.expect("seed"));
    (db, app(state))
}

/// The server's connections of this pool right now (pg_stat_activity, by the pool's
/// application_name), asked through the pool itself.
async fn server_connections(db: &Db) -> i64 {
    db.read(|c| {
        Ok(c.query_row(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = current_setting('application_name')",
            (),
            |r| r.get(0),
        )?)
    })
    .await
    .expect("pg_stat_activity")
}

#[tokio::test]
#[ignore = "PostgreSQL only: run by the PostgreSQL pass of cargo xtask test (--include-ignored)"]
async fn a_burst_larger_than_the_pool_is_answered_within_its_bound() {
    let (db, app) = demo_on_pool(10, std::time::Duration::from_secs(30)).await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let burst: Vec<_> = (0..200)
        .map(|i| {
            let (app, c) = (app.clone(), c.clone());
            tokio::spawn(async move {
                let path = if i % 2 == 0 {
                    "/api/v1/cases/CS-000001"
                } else {
                    "/api/v1/cases?status=open"
                };
                send(&app, Method::GET, path, Some(&c), None).await.status
            })
        })
        .collect();
    // Count the server's connections while the burst runs.
    let watcher = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut most = 0;
            for _ in 0..20 {
                most = most.max(server_connections(&db).await);
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            most
        })
    };
    for t in burst {
        assert_eq!(t.await.expect("task"), StatusCode::OK);
    }
    let most = watcher.await.expect("watcher");
    assert!((1..=10).contains(&most), "{most} server connections");
    let (max, open) = db.pool_size().expect("a pool");
    assert_eq!(max, 10);
    assert!(open <= 10, "{open} connections open");
}

#[tokio::test]
#[ignore = "PostgreSQL only: run by the PostgreSQL pass of cargo xtask test (--include-ignored)"]
async fn no_free_connection_in_time_is_a_503_problem_with_retry_after() {
    let (db, app) = demo_on_pool(1, std::time::Duration::from_millis(200)).await;
    // The pool's only connection is busy for a second.
    let holder = {
        let db = db.clone();
        tokio::spawn(async move {
            db.read(|c| Ok(c.execute_batch("SELECT pg_sleep(1)")?))
                .await
                .expect("sleep")
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let r = send_with(&app, Method::GET, "/api/v1/config", None, None, &[]).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "no database needed for the configuration"
    );
    let r = send_with(
        &app,
        Method::GET,
        "/api/v1/announcements",
        None,
        None,
        &[("accept-language", "fr")],
    )
    .await;
    assert_problem(&r, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        r.headers.get(header::RETRY_AFTER).map(|v| v.as_bytes()),
        Some(&b"2"[..])
    );
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("Le portail de support est très sollicité")),
        "{:?}",
        r.body
    );
    holder.await.expect("holder");
    let r = send(&app, Method::GET, "/api/v1/announcements", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "free again");
}

/// One request for the error walk: method, path, who sends it, body (raw bytes and their content
/// type), and whether it leaves out X-Requested-With.
struct Faulty {
    method: Method,
    path: &'static str,
    who: Option<&'static str>,
    body: Option<(&'static str, Vec<u8>)>,
    plain: bool,
}

fn faulty(method: Method, path: &'static str, who: Option<&'static str>) -> Faulty {
    Faulty {
        method,
        path,
        who,
        body: None,
        plain: false,
    }
}

fn with_json(mut f: Faulty, body: Value) -> Faulty {
    f.body = Some(("application/json", body.to_string().into_bytes()));
    f
}

async fn send_faulty(app: &Router, f: &Faulty, cookie: Option<&str>, lang: &str) -> Reply {
    let mut req = Request::builder()
        .method(f.method.clone())
        .uri(f.path)
        .header("accept-language", lang);
    if !f.plain {
        req = req.header("x-requested-with", "portal");
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let req = match &f.body {
        Some((ct, bytes)) => req
            .header(header::CONTENT_TYPE, *ct)
            .body(Body::from(bytes.clone())),
        None => req.body(Body::empty()),
    }
    .expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Reply {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

#[tokio::test]
async fn every_error_path_speaks_french() {
    let app = demo_app().await;
    let customer = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let agent = sign_in(&app, "agent@vendor.example", "agent-demo").await;
    let (c, a) = (Some("customer"), Some("agent"));
    let mut plain_post = faulty(Method::POST, "/api/v1/cases", c);
    plain_post.plain = true;
    let mut not_json = faulty(Method::POST, "/api/v1/cases", c);
    not_json.body = Some(("text/plain", b"hello".to_vec()));
    let mut bad_syntax = faulty(Method::POST, "/api/v1/cases", c);
    bad_syntax.body = Some(("application/json", b"{\"kind\":".to_vec()));
    let mut too_large = faulty(Method::POST, "/api/v1/cases", c);
    too_large.body = Some((
        "application/json",
        json!({"description": "x".repeat(portal_api::JSON_BODY_MAX + 1)})
            .to_string()
            .into_bytes(),
    ));
    let mut upload_not_multipart = faulty(Method::POST, "/api/v1/uploads", c);
    upload_not_multipart.body = Some(("application/json", b"{}".to_vec()));
    // A query string past the API's limit (the portal's links are far shorter).
    let long_query: &'static str =
        Box::leak(format!("/api/v1/cases?q={}", "x".repeat(9000)).into_boxed_str());
    let walk = vec![
        faulty(Method::GET, long_query, c),
        faulty(Method::GET, "/api/v1/cases?page=1e20", c),
        faulty(Method::GET, "/api/v1/cases?status=lost&level=V", c),
        faulty(Method::GET, "/api/v1/cases/overview?scope=everyone", c),
        faulty(Method::GET, "/api/v1/sla/preview?level=V&region=emea", None),
        faulty(Method::GET, "/api/v1/sla/preview?level=I&region=mars", None),
        faulty(
            Method::GET,
            "/api/v1/sla/preview?level=I&region=emea&opened_at=soon",
            None,
        ),
        faulty(Method::GET, "/api/v1/sla/preview", None),
        faulty(Method::GET, "/api/v1/news", None),
        with_json(
            faulty(Method::POST, "/api/v1/session", None),
            json!({"email": "it-lead@northfield.example", "password": "nope"}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/session", None),
            json!({"email": "", "password": ""}),
        ),
        plain_post,
        with_json(
            faulty(Method::POST, "/api/v1/cases", a),
            minimal_case("Agents cannot"),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/cases/CS-000001/solution", c),
            json!({"body": "Customers cannot"}),
        ),
        with_json(
            faulty(Method::PATCH, "/api/v1/cases/CS-000001", c),
            json!({"status": "closed"}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/announcements", c),
            json!({"kind": "information", "message": "no"}),
        ),
        faulty(Method::GET, "/api/v1/cases/CS-999999", c),
        faulty(Method::GET, "/api/v1/cases/CS-000013", c),
        faulty(Method::GET, "/api/v1/nothing-here", c),
        faulty(Method::GET, "/api/nothing-here", c),
        faulty(Method::DELETE, "/api/v1/announcements/AN-999999", a),
        faulty(Method::POST, "/api/v1/cases/CS-000001/archive", c),
        faulty(
            Method::GET,
            "/api/v1/cases/CS-000001/attachments/up_missing",
            c,
        ),
        faulty(Method::DELETE, "/api/v1/uploads/up_missing", c),
        faulty(Method::GET, "/api/v1/articles/KA-none", None),
        faulty(Method::PUT, "/api/v1/cases", c),
        faulty(Method::POST, "/api/v1/cases/CS-000006/close", c),
        faulty(Method::POST, "/api/v1/cases/CS-000001/accept", c),
        with_json(
            faulty(Method::POST, "/api/v1/cases", c),
            json!({"kind": "question", "level": "IV", "subject": "", "description": ""}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/cases", c),
            json!({"kind": "bug", "level": "IV", "subject": "x", "description": "y"}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/cases", c),
            json!({"level": "IV"}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/cases/CS-000001/comments", c),
            json!({"body": " "}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/routings", c),
            json!({"title": "", "description": ""}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/routings", a),
            json!({"title": "t", "description": "d"}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/consultations", c),
            json!({"what": "x", "desired_start": "2020-01-01"}),
        ),
        with_json(
            faulty(Method::POST, "/api/v1/announcements", a),
            json!({"kind": "information", "message": "Soon", "case_number": "CS-999999"}),
        ),
        not_json,
        bad_syntax,
        too_large,
        upload_not_multipart,
    ];
    for f in &walk {
        let cookie = match f.who {
            Some("customer") => Some(customer.as_str()),
            Some("agent") => Some(agent.as_str()),
            _ => None,
        };
        let en = send_faulty(&app, f, cookie, "en").await;
        let fr = send_faulty(&app, f, cookie, "fr-CA").await;
        let what = format!("{} {}", f.method, f.path);
        assert!(
            en.status.is_client_error() || en.status.is_server_error(),
            "{what}: {}",
            en.status
        );
        assert_eq!(en.status, fr.status, "{what}");
        assert_eq!(
            fr.headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{what}"
        );
        let text = |r: &Reply, k: &str| r.body[k].as_str().unwrap_or_default().to_string();
        assert!(
            !text(&fr, "detail").is_empty(),
            "{what}: no detail {:?}",
            fr.body
        );
        assert_ne!(
            text(&en, "detail"),
            text(&fr, "detail"),
            "{what}: detail in English only"
        );
        assert_ne!(
            text(&en, "title"),
            text(&fr, "title"),
            "{what}: title in English only"
        );
        for (e, f) in en.body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(fr.body["errors"].as_array().into_iter().flatten())
        {
            assert_ne!(
                e["message"], f["message"],
                "{what}: field error in English only"
            );
        }
        // serde's and the parsers' own words never reach people.
        for r in [&en, &fr] {
            let all = r.body.to_string();
            for raw in [
                "line 1 column",
                "unknown variant",
                "target type",
                "Failed to deserialize",
                "invalid digit",
            ] {
                assert!(!all.contains(raw), "{what}: {raw:?} in {all}");
            }
        }
    }
    // Locked out after five wrong passwords: the wait is in minutes, in French too.
    for _ in 0..5 {
        try_sign_in(&app, "library@northfield.example", "wrong").await;
    }
    let f = with_json(
        faulty(Method::POST, "/api/v1/session", None),
        json!({"email": "library@northfield.example", "password": "wrong"}),
    );
    let fr = send_faulty(&app, &f, None, "fr").await;
    assert_problem(&fr, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        fr.body["detail"],
        "Trop de tentatives. Réessayez dans 15 minutes."
    );
}

#[tokio::test]
async fn an_overlong_address_is_a_problem_for_people() {
    let app = demo_app().await;
    let c = sign_in(&app, "it-lead@northfield.example", "northfield-demo").await;
    let path = format!("/api/v1/cases?q={}", "x".repeat(9000));
    let r = send(&app, Method::GET, &path, Some(&c), None).await;
    assert_problem(&r, StatusCode::URI_TOO_LONG);
    let detail = r.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("too long") && detail.contains("9002"),
        "{detail}"
    );
}
