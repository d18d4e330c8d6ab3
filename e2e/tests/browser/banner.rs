//! The service banner: announcements posted by a support agent through the API show on every
//! page, public ones to everyone and an institution's own only to its people; a case number links
//! to the case for those who may open it; dismissing is remembered; withdrawing removes it.

use portal_e2e::{api_call, api_sign_in, with_browser, Ctx, Width};
use serde_json::json;

async fn banner(ctx: Ctx) {
    let agent = api_sign_in(&ctx.base, "agent@vendor.example", "agent-demo").await;
    let post = |body: serde_json::Value| {
        let (base, agent) = (ctx.base.clone(), agent.clone());
        async move {
            let (status, bytes, _) = api_call(
                &base,
                "POST",
                "/api/v1/announcements",
                Some(&agent),
                Some(body),
            )
            .await;
            assert_eq!(status, 201, "{}", String::from_utf8_lossy(&bytes));
            let v: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
            v["id"].as_str().unwrap_or_default().to_string()
        }
    };
    post(json!({"kind": "incident", "message": "Push notifications are delayed by up to an hour.", "case_number": "CS-000001"})).await;
    let northfield = post(json!({"kind": "maintenance", "message": "Northfield's Connect Layer restarts tonight at 22:00.", "institution_id": 1})).await;

    // Signed out: the public one, the case number as text (no link to a case they cannot open).
    ctx.goto("/support").await;
    ctx.wait_text("Known incident: Push notifications are delayed")
        .await;
    assert!(!ctx
        .body_text()
        .await
        .contains("Connect Layer restarts tonight"));
    assert_eq!(
        ctx.js("return document.querySelectorAll(\".banners a[href='/cases/CS-000001']\").length;")
            .await,
        json!(0)
    );
    // The banner arrives after the page started: nothing the reader sees moves for it.
    let shift = ctx
        .js_async(
            "const done = arguments[0]; let sum = 0;
             new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value; })
               .observe({ type: 'layout-shift', buffered: true });
             setTimeout(() => done(sum), 300);",
        )
        .await
        .as_f64()
        .unwrap_or(1.0);
    assert!(shift < 0.01, "layout shift {shift} on a page with a banner");
    ctx.assert_accessible("support overview with a banner")
        .await;
    ctx.assert_no_sideways_scroll().await;

    // Northfield: both, and the case is a link.
    ctx.sign_in_as("it-lead@northfield.example", "/").await;
    ctx.wait_text("Planned maintenance: Northfield's Connect Layer restarts tonight")
        .await;
    ctx.wait_text("Quote case CS-000001 about it.").await;
    ctx.screenshot("banner").await;
    ctx.assert_accessible("home with two banners").await;
    ctx.assert_no_sideways_scroll().await;
    ctx.click(".banners a[href='/cases/CS-000001']").await;
    ctx.wait_path("/cases/CS-000001").await;

    // Dismissed: gone on every page and after a reload; the other one stays.
    ctx.click("button[aria-label='Dismiss this announcement (Known incident)']")
        .await;
    assert_eq!(
        ctx.focused_id().await,
        "main",
        "after dismissing, the keyboard continues at the content"
    );
    ctx.goto("/cases").await;
    ctx.wait_text("Connect Layer restarts tonight").await;
    ctx.client.refresh().await.expect("reload");
    ctx.wait_text("Connect Layer restarts tonight").await;
    // The page load asked once: the first request carried the session, so its answer already
    // held the institution's announcement (no second request after GET /me).
    let asked = ctx
        .js("return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname === '/api/v1/announcements').length;")
        .await;
    assert_eq!(asked, json!(1), "one announcements request per page load");
    assert!(!ctx
        .body_text()
        .await
        .contains("Push notifications are delayed"));

    // Withdrawn by the agent: gone at the next load.
    let (status, _, _) = api_call(
        &ctx.base,
        "DELETE",
        &format!("/api/v1/announcements/{northfield}"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(status, 204);
    ctx.goto("/").await;
    ctx.wait_text("Awaiting your reply").await;
    let left = ctx
        .js_async("const done = arguments[0]; fetch('/api/v1/announcements').then(r => r.json()).then(a => setTimeout(() => done([a.length, document.querySelectorAll('.banner').length]), 500));")
        .await;
    assert_eq!(
        left,
        json!([1, 0]),
        "only the dismissed announcement is left, and no banner shows"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn banner_desktop() {
    with_browser(Width::Desktop, banner).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn banner_phone() {
    with_browser(Width::Phone, banner).await;
}
