//! The OpenAPI document: served, checked in, and the two never drift apart.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use portal_api::db::Db;
use portal_api::{app, openapi, AppState};
use tower::ServiceExt;

const CHECKED_IN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

#[test]
fn the_checked_in_document_matches_the_code() {
    let generated = openapi::document();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(CHECKED_IN, format!("{generated}\n")).expect("write api/openapi.json");
    }
    let checked_in = std::fs::read_to_string(CHECKED_IN).unwrap_or_default();
    assert!(
        checked_in.trim_end() == generated,
        "api/openapi.json is out of date with the code: run `UPDATE_OPENAPI=1 cargo test -p portal-api --test openapi` and commit it"
    );
}

#[tokio::test]
async fn it_is_served_and_describes_every_endpoint() {
    let state = AppState::new(Db::for_tests().expect("db"), None).expect("state");
    let res = app(state)
        .oneshot(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    assert!(doc["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1")));
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/cases",
        "/api/v1/cases/{number}",
        "/api/v1/cases/{number}/comments",
        "/api/v1/uploads",
        "/api/v1/session",
        "/api/v1/announcements",
        "/api/v1/articles/{id}",
    ] {
        assert!(paths.contains_key(p), "{p} is not in the document");
    }
    // Every operation documents its errors as problem+json.
    for (path, ops) in paths {
        for (method, op) in ops.as_object().into_iter().flatten() {
            let Some(responses) = op["responses"].as_object() else {
                continue;
            };
            for (status, r) in responses {
                if status.starts_with('4') {
                    assert!(
                        r["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status} is not problem+json"
                    );
                }
            }
        }
    }
}
