//! Case tracking end to end: support's answer appears without a reload (and a half-written update
//! survives it), close and reopen follow the lifecycle.

use portal_e2e::{api_call, api_sign_in, eventually, with_browser, Ctx, Width};
use serde_json::json;

async fn freshness_and_lifecycle(ctx: Ctx) {
    ctx.sign_in_as("library@northfield.example", "/cases/CS-000005")
        .await;
    ctx.wait_text("Push notifications arrive twice on Android")
        .await;
    ctx.fill("#comment", "Half-written update").await;

    // Support answers, elsewhere.
    let agent = api_sign_in(&ctx.base, "agent@vendor.example", "agent-demo").await;
    let (status, _, _) = api_call(
        &ctx.base,
        "POST",
        "/api/v1/cases/CS-000005/solution",
        Some(&agent),
        Some(json!({"body": "Retire the old notification profile in App Manager."})),
    )
    .await;
    assert_eq!(status, 200);
    ctx.wait_text_within("Updated just now", 30).await;
    ctx.wait_text("Retire the old notification profile").await;
    ctx.find(".badge-new").await;
    assert_eq!(
        ctx.value("#comment").await,
        "Half-written update",
        "polling never loses what is typed"
    );
    ctx.assert_accessible("case updated by support").await;

    // "This did not solve it" turns the update into the reason, for support.
    ctx.click("#action-reject").await;
    ctx.wait_text("Why did the solution not solve it?").await;
    ctx.wait_focus("comment").await;
    ctx.assert_accessible("did not solve it").await;
    // Accepting asks first; Escape steps back to the button, nothing changes.
    ctx.fill("#comment", "").await;
    ctx.click("#action-accept").await;
    ctx.wait_text("Accept the solution and close CS-000005?")
        .await;
    ctx.wait_focus("confirm-yes").await;
    ctx.assert_accessible("confirm accepting").await;
    ctx.screenshot("confirm-accept").await;
    ctx.press(&fantoccini::key::Key::Escape).await;
    ctx.wait_focus("action-accept").await;
    assert!(!ctx
        .body_text()
        .await
        .contains("Accept the solution and close CS-000005?"));
    // Accepted with the keyboard: its own entry in the history, not a plain close.
    ctx.click("#action-accept").await;
    ctx.wait_focus("confirm-yes").await;
    ctx.press(&fantoccini::key::Key::Enter).await;
    ctx.wait_text("Reopen case").await;
    ctx.wait_text("accepted the solution · the case is closed")
        .await;
    // Closed: rate support's answer.
    ctx.wait_text("How well did support answer?").await;
    ctx.click("form#rating button[type=submit]").await;
    ctx.wait_text("Choose from 1 (poor) to 5 (excellent).")
        .await;
    ctx.click("label[for=rating-4]").await;
    ctx.fill("#rating-comment", "Quick and clear.").await;
    ctx.click("form#rating button[type=submit]").await;
    ctx.wait_text("Change your rating").await;
    ctx.wait_text("4 of 5: very good").await;
    ctx.assert_accessible("case rated").await;
    ctx.screenshot("case-rated").await;
    ctx.click("#action-reopen").await;
    ctx.wait_text("Close case").await;
    ctx.wait_text("In progress").await;
    // Closing asks too; "Keep it open" changes nothing, "Yes" closes.
    ctx.click("#action-close").await;
    ctx.click("#confirm-no").await;
    ctx.find("#action-close").await;
    ctx.click("#action-close").await;
    ctx.click("#confirm-yes").await;
    ctx.wait_text("Reopen case").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn freshness_and_lifecycle_desktop() {
    with_browser(Width::Desktop, freshness_and_lifecycle).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn freshness_and_lifecycle_phone() {
    with_browser(Width::Phone, freshness_and_lifecycle).await;
}

async fn overview_and_filters_in_the_url(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/cases").await;
    ctx.wait_text("Cases opened and closed per week").await;
    ctx.screenshot("cases-overview").await;
    // The chart's week labels are readable text at every width (they were 9 px on phones).
    let sizes = ctx
        .js("return [...document.querySelectorAll('.chart-weeks li')].map(e => parseFloat(getComputedStyle(e).fontSize));")
        .await;
    let sizes: Vec<f64> = serde_json::from_value(sizes).unwrap_or_default();
    assert_eq!(sizes.len(), 8, "one label per week");
    assert!(
        sizes.iter().all(|&px| px >= 12.0),
        "week labels of {sizes:?} px"
    );
    // Phones: compact cards (number, status, level, subject, updated, due): 14 cases must not
    // take five screens.
    if ctx.width != Width::Desktop {
        let heights = ctx
            .js("return [...document.querySelectorAll('table.cases tbody tr')].map(r => r.getBoundingClientRect().height);")
            .await;
        let heights: Vec<f64> = serde_json::from_value(heights).unwrap_or_default();
        let average = heights.iter().sum::<f64>() / heights.len().max(1) as f64;
        assert!(
            !heights.is_empty() && average <= 140.0 && heights.iter().all(|&h| h <= 180.0),
            "case cards of {heights:?} px on a phone"
        );
    }
    ctx.assert_accessible("case list with overview").await;
    ctx.assert_no_sideways_scroll().await;

    // A count is a link to the filtered list.
    ctx.click("a[href='/cases?status=in_progress']").await;
    ctx.wait_path_is("/cases?status=in_progress").await;
    if ctx.width != Width::Desktop {
        // Phones: the filters are behind one control that says what is applied.
        ctx.wait_text("In progress · recently updated first").await;
        ctx.click(".filter-toggle").await;
        ctx.assert_accessible("phone filters open").await;
    }
    ctx.find("#f-kind")
        .await
        .select_by_value("defect")
        .await
        .expect("choose a request kind");
    let path = ctx.wait_path("/cases?status=in_progress&kind=defect").await;
    assert!(path.ends_with("kind=defect"), "{path}");
    ctx.find(".result-count").await;

    // Back and forward restore the filters, in the URL and in the form.
    ctx.client.back().await.expect("back");
    ctx.wait_path_is("/cases?status=in_progress").await;
    ctx.wait_value("#f-kind", "").await;
    assert_eq!(ctx.value("#f-status").await, "in_progress");
    ctx.client.forward().await.expect("forward");
    ctx.wait_path("/cases?status=in_progress&kind=defect").await;
    ctx.wait_value("#f-kind", "defect").await;
    // A shared link opens the same view.
    ctx.goto("/cases?level=I&status=open").await;
    ctx.wait_text("Cases opened and closed per week").await;
    assert_eq!(ctx.value("#f-level").await, "I");
    assert_eq!(ctx.value("#f-status").await, "open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overview_and_filters_in_the_url_desktop() {
    with_browser(Width::Desktop, overview_and_filters_in_the_url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overview_and_filters_in_the_url_phone() {
    with_browser(Width::Phone, overview_and_filters_in_the_url).await;
}

async fn offline_reading(ctx: Ctx) {
    ctx.sign_in_as("library@northfield.example", "/cases").await;
    // Wait until the service worker controls the page, then read a case through it.
    eventually("the service worker taking control", || async {
        let v = ctx
            .js("return !!(navigator.serviceWorker && navigator.serviceWorker.controller);")
            .await;
        if v.as_bool() == Some(true) {
            Ok(())
        } else {
            Err(v.to_string())
        }
    })
    .await;
    ctx.goto("/cases/CS-000005").await;
    ctx.wait_text("Push notifications arrive twice on Android")
        .await;
    assert!(!ctx.body_text().await.contains("Offline —"));

    // The server goes away; a reload still shows the case, marked as an offline copy.
    ctx.stop_server().await;
    ctx.client.refresh().await.expect("reload");
    ctx.wait_text("Push notifications arrive twice on Android")
        .await;
    ctx.wait_text("Offline — showing what was last updated")
        .await;
    ctx.assert_accessible("offline copy of a case").await;
    ctx.assert_no_sideways_scroll().await;
    // A case never opened is not there, and says so.
    ctx.goto("/cases/CS-000002").await;
    ctx.wait_text("We could not reach the support portal").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_reading_desktop() {
    with_browser(Width::Desktop, offline_reading).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_reading_phone() {
    with_browser(Width::Phone, offline_reading).await;
}

/// The opener corrects the environment and the steps after sending; the history shows old and
/// new.
async fn correct_after_sending(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/cases/CS-000009")
        .await;
    ctx.wait_text("Campus map pins misplaced after zoom").await;
    ctx.click(".correct summary").await;
    ctx.find("#c-env-sandbox").await;
    ctx.assert_accessible("correct the details").await;
    ctx.click("label[for=c-env-sandbox]").await;
    ctx.fill("#c-steps", "1. Open Maps\n2. Zoom in twice").await;
    ctx.click("#c-save").await;
    ctx.wait_text("corrected the details").await;
    ctx.wait_text("Environment: Production → Sandbox").await;
    ctx.wait_text("Steps changed").await;
    ctx.assert_accessible("corrected").await;
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("case-corrected").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correct_after_sending_desktop() {
    with_browser(Width::Desktop, correct_after_sending).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correct_after_sending_phone() {
    with_browser(Width::Phone, correct_after_sending).await;
}

/// A question that asks for new functionality moves to the Ideas Exchange: the case closes with
/// a link to the hand-off, and the hand-off links back to the case.
async fn move_to_the_ideas_exchange(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/cases/CS-000004")
        .await;
    ctx.wait_text("How do we add a second campus to the map?")
        .await;
    ctx.click("#to-idea summary").await;
    ctx.wait_value("#m-title", "How do we add a second campus to the map?")
        .await;
    ctx.assert_accessible("move to the Ideas Exchange").await;
    ctx.click("#m-move").await;
    ctx.wait_text("moved the case to the Ideas Exchange as IX-000001")
        .await;
    ctx.wait_text("Reopen case").await;
    ctx.assert_accessible("moved").await;
    ctx.screenshot("case-moved").await;
    ctx.click("#moved-note a[href='/sent?q=IX-000001']").await;
    ctx.wait_path_is("/sent?q=IX-000001").await;
    ctx.wait_text("from case CS-000004").await;
    ctx.click("a[href='/cases/CS-000004']").await;
    ctx.wait_path_is("/cases/CS-000004").await;
    ctx.wait_text("Moved to the Ideas Exchange as IX-000001")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_to_the_ideas_exchange_desktop() {
    with_browser(Width::Desktop, move_to_the_ideas_exchange).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_to_the_ideas_exchange_phone() {
    with_browser(Width::Phone, move_to_the_ideas_exchange).await;
}
