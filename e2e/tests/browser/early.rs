//! A page's first API requests start from index.html while the app downloads
//! (`portal_core::routes::first_requests`), and the app adopts them: each is asked once, none
//! twice. An early request that gets no answer costs nothing: the app asks again itself.

use portal_e2e::faults::Fault;
use portal_e2e::{api_call, api_sign_in, eventually, with_browser, Ctx, Width};
use serde_json::json;

/// How often the page asked for each of `paths` (the browser's resource timing).
async fn asked(ctx: &Ctx, paths: &[&str]) -> Vec<i64> {
    let mut counts = Vec::new();
    for p in paths {
        let n = ctx
            .js(&format!(
                "return performance.getEntriesByType('resource')
                   .filter(e => {{ const u = new URL(e.name); return u.pathname + (u.search || '') === {p:?}; }}).length;"
            ))
            .await;
        counts.push(n.as_i64().unwrap_or(-1));
    }
    counts
}

async fn early_requests(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/").await;
    ctx.wait_text("Awaiting your reply").await;
    // A deep link, loaded afresh: the session, the configuration, the announcements and the case
    // are asked once each, and every early answer (the news count's too) was taken by the app.
    ctx.goto("/cases/CS-000001").await;
    ctx.wait_text("Since 07:40 every user gets").await;
    let paths = [
        "/api/v1/me",
        "/api/v1/config",
        "/api/v1/announcements",
        "/api/v1/cases/CS-000001",
    ];
    assert_eq!(asked(&ctx, &paths).await, [1, 1, 1, 1], "{paths:?}");
    // The news count: the early answer, then once more because opening the case marked it seen.
    eventually("the news asked twice", || async {
        match asked(&ctx, &["/api/v1/news"]).await[..] {
            [2] => Ok(()),
            ref other => Err(format!("{other:?}")),
        }
    })
    .await;
    assert_eq!(
        ctx.js("return window.portalEarly && Object.keys(window.portalEarly.requests).length;")
            .await,
        json!(0),
        "every early request adopted"
    );

    // Home: its two lists (open cases, Level I and II first; those awaiting a reply), once each.
    ctx.goto("/").await;
    ctx.wait_text("Open cases, most urgent first").await;
    let home = [
        "/api/v1/cases?status=open&sort=level&page_size=5",
        "/api/v1/cases?status=awaiting_customer&page_size=5",
    ];
    assert_eq!(asked(&ctx, &home).await, [1, 1], "{home:?}");

    // The case list: its first page as the app asks for it, once.
    ctx.goto("/cases?status=closed").await;
    ctx.wait_text("Closed").await;
    assert_eq!(
        asked(&ctx, &["/api/v1/cases?status=closed"]).await,
        [1],
        "the list"
    );

    // An early request that gets no answer: the app asks itself and shows what it got.
    let agent = api_sign_in(&ctx.base, "agent@vendor.example", "agent-demo").await;
    let (status, _, _) = api_call(
        &ctx.base,
        "POST",
        "/api/v1/announcements",
        Some(&agent),
        Some(json!({"kind": "information", "message": "Early requests are only a head start.", "institution_id": 1})),
    )
    .await;
    assert_eq!(status, 201);
    ctx.faults
        .inject("GET", "/api/v1/announcements", Fault::Offline, 1);
    ctx.goto("/support").await;
    ctx.wait_text("Early requests are only a head start.").await;
    ctx.faults.clear();
    // The refused one leaves no timing entry: one answered request, the app's own.
    assert_eq!(asked(&ctx, &["/api/v1/announcements"]).await, [1]);
    ctx.assert_accessible("support overview after an early request failed")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_requests_start_early_and_are_asked_once_desktop() {
    with_browser(Width::Desktop, early_requests).await;
}
