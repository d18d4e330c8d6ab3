//! The walking skeleton's vertical slice, end to end, at desktop and phone width: sign in (a wrong
//! password first) → my institution's cases → one case → a new support case → its page with its
//! number → it is in the list → sign out.

use portal_e2e::{with_browser, Ctx, Width};

async fn slice(ctx: Ctx) {
    // A deep link while signed out lands on sign-in, and comes back after.
    ctx.goto("/cases").await;
    ctx.wait_path("/sign-in?next=%2Fcases").await;
    ctx.sign_in("it-lead@northfield.example", "not-the-password")
        .await;
    let alert = ctx
        .find("[role=alert]")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(alert.contains("do not match"), "{alert}");
    let kept = ctx
        .find("#email")
        .await
        .prop("value")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert_eq!(
        kept, "it-lead@northfield.example",
        "the typed e-mail is kept"
    );
    ctx.screenshot("sign-in-error").await;
    ctx.assert_accessible("sign-in with an error").await;

    ctx.fill("#password", "northfield-demo").await;
    ctx.click("form button[type=submit]").await;
    ctx.wait_path("/cases").await;
    ctx.wait_text("Timetable module shows no events").await;
    let text = ctx.body_text().await;
    assert!(
        text.contains("CS-000001") && text.contains("Awaiting your reply"),
        "{text}"
    );
    assert!(
        !text.contains("Dining menu module is blank"),
        "another institution's case is listed"
    );
    ctx.screenshot("cases").await;
    ctx.assert_accessible("case list").await;
    ctx.assert_no_sideways_scroll().await;

    // One case.
    ctx.click("a[href='/cases/CS-000002']").await;
    ctx.wait_path("/cases/CS-000002").await;
    ctx.wait_text("Could you confirm the timetable feed URL")
        .await;
    ctx.find("h1").await;
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("case").await;
    ctx.assert_accessible("case detail").await;

    // A new support case: a question, level IV.
    ctx.goto("/new").await;
    ctx.click("#kind-question").await;
    // A question is Level IV without the production questions.
    ctx.wait_text("Level IV").await;
    ctx.wait_text("Level IV").await;
    ctx.wait_text("If you open it now, the initial response is due by")
        .await;
    // Sending it empty: the errors are listed, announced, and focus goes to the first one.
    ctx.click("#submit-case").await;
    ctx.wait_text("Please fix these before sending").await;
    assert_eq!(ctx.focused_id().await, "f-subject");
    ctx.assert_accessible("new request with validation errors")
        .await;
    let subject = format!("Map layers question at {:?}", ctx.width);
    ctx.fill("#f-subject", &subject).await;
    ctx.fill(
        "#f-description",
        "How do we add a parking layer to the campus map?",
    )
    .await;
    // The knowledge suggestions for this text arrive (and move the button) before we send.
    ctx.wait_text("These articles may answer it").await;
    ctx.wait_text("Adding a campus or building to the map")
        .await;
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("new-request").await;
    ctx.assert_accessible("new request form").await;
    ctx.click("#submit-case").await;
    let path = ctx.wait_path("/cases/CS-").await;
    assert!(path.ends_with("?created=1"), "{path}");
    let number = path
        .trim_start_matches("/cases/")
        .trim_end_matches("?created=1")
        .to_string();
    assert_eq!(number, "CS-000018");
    ctx.wait_text(&format!("Case {number} is open.")).await;
    ctx.wait_text(&subject).await;
    ctx.screenshot("created").await;
    ctx.assert_accessible("case just opened").await;

    // It is in the list.
    ctx.click("nav a[href='/cases']").await;
    ctx.wait_path("/cases").await;
    ctx.wait_text(&number).await;
    ctx.wait_text(&subject).await;

    // Sign out: back to sign-in, told the unsent drafts are gone (not "kept"), nowhere to come
    // back to; and the cases are gone.
    ctx.click(".account button").await;
    ctx.wait_path("/sign-in").await;
    ctx.wait_text("You have signed out.").await;
    let (path, text) = (
        ctx.js("return location.search").await,
        ctx.body_text().await,
    );
    assert_eq!(path, "?signed-out=1", "sign-out keeps no next");
    assert!(!text.contains("kept as a draft"), "{text}");
    ctx.goto("/cases").await;
    ctx.wait_path("/sign-in").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slice_desktop() {
    with_browser(Width::Desktop, slice).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slice_phone() {
    with_browser(Width::Phone, slice).await;
}

/// The accessibility gate itself can fail: a planted violation is reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_reports_a_planted_violation() {
    with_browser(Width::Desktop, |ctx| async move {
        ctx.goto("/sign-in").await;
        ctx.find("#email").await;
        assert!(ctx.axe_violations().await.is_empty());
        ctx.js("const i = document.createElement('input'); document.querySelector('form').append(i); return 1;").await;
        let ids: Vec<String> =
            ctx.axe_violations().await.iter().filter_map(|v| v["id"].as_str().map(String::from)).collect();
        assert!(ids.iter().any(|id| id == "label"), "axe missed an unlabelled input: {ids:?}");
    })
    .await;
}

async fn support_overview(ctx: Ctx) {
    ctx.goto("/support").await;
    ctx.wait_text("campusM support overview").await;
    for needle in [
        "1 hour, around the clock",
        "2 business days",
        "Ideas Exchange",
        "Account manager",
        "6 weeks",
        "Connect Layer",
        "Developer Network",
        "+44 20 3880 0000",
        // The policy's own words for Level IV, and the links it names next to the escalation policy.
        "documentation questions, enhancement requests",
        "The Support Portal User Guide",
        "24/7 support",
    ] {
        ctx.wait_text(needle).await;
    }
    ctx.assert_no_sideways_scroll().await;
    ctx.assert_accessible("support overview (signed out)").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_overview_desktop() {
    with_browser(Width::Desktop, support_overview).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_overview_phone() {
    with_browser(Width::Phone, support_overview).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slice_narrow_320() {
    with_browser(Width::Narrow, slice).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_overview_narrow_320() {
    with_browser(Width::Narrow, support_overview).await;
}
