//! Support's workspace, the whole loop of a case between support and a customer: the queue with
//! the production-down case due soonest on top, assignment, revealing the credentials (which the
//! customer then sees on the timeline), asking for Connect Layer access, the customer giving it
//! through the secure fields, a proposed solution, and the customer accepting it.

use portal_e2e::{with_browser, Ctx, Width};

const AGENT: &str = "agent@vendor.example";
/// Sam Okafor, who opened the room booking case (CS-000017).
const CUSTOMER: &str = "library@northfield.example";
const CASE: &str = "/cases/CS-000017";

async fn sign_out(ctx: &Ctx) {
    ctx.click(".account button").await;
    ctx.wait_path("/sign-in").await;
}

/// Every state is checked the same way: accessible, no sideways scroll, and a picture.
async fn look(ctx: &Ctx, state: &str) {
    ctx.screenshot(&format!("workspace-{}", state.replace(' ', "-")))
        .await;
    ctx.assert_accessible(state).await;
    ctx.assert_no_sideways_scroll().await;
}

async fn case_loop(ctx: Ctx) {
    // The queue: every institution, the production-down case due soonest on top, standing out.
    ctx.sign_in_as(AGENT, "/cases").await;
    ctx.wait_text("Room booking module fails to load").await;
    let first = ctx
        .js("const r = document.querySelector('table.cases tbody tr'); return [r.querySelector('.case-number').textContent, r.classList.contains('urgent'), r.textContent.includes('Northfield University')];")
        .await;
    assert_eq!(first, serde_json::json!(["CS-000017", true, true]));
    let nav = ctx
        .js("return document.querySelector('nav').textContent;")
        .await;
    assert!(
        !nav.as_str().unwrap_or_default().contains("New"),
        "support does not open requests: {nav}"
    );
    assert!(!ctx.body_text().await.contains("Awaiting your reply"));
    look(&ctx, "queue").await;

    // The case: assign it to me, reveal what the customer gave.
    ctx.click("table.cases tbody tr a.case-number").await;
    ctx.wait_path_is(CASE).await;
    ctx.wait_text("Access the customer gave").await;
    ctx.wait_text("Knowledge articles the customer read first")
        .await;
    ctx.click("#assign-me").await;
    ctx.wait_text("Assigned to Robin Ex Libris Support.").await;
    // Support reveals secrets only with two-step sign-in: the case says so, the account page
    // turns it on, and then the reveal works.
    ctx.click("#reveal").await;
    ctx.wait_text("Turn it on from your account page").await;
    let key = ctx.enrol_two_factor().await;
    ctx.goto(CASE).await;
    ctx.click("#reveal").await;
    ctx.wait_text("Demo-Booking-2026").await;
    ctx.wait_text("jump host cl-prod-2").await;
    look(&ctx, "case revealed").await;

    // Ask for Connect Layer access: the case then awaits the customer.
    ctx.click("#ask-connect").await;
    ctx.fill(
        "#ask-message",
        "The jump host refuses our account; please check its group.",
    )
    .await;
    ctx.click("#ask-access").await;
    ctx.wait_text("asked for the Connect Layer access").await;
    ctx.wait_text("Awaiting the customer").await;
    sign_out(&ctx).await;

    // The customer sees the reveal and the request, and answers through the secure fields.
    ctx.sign_in_as(CUSTOMER, CASE).await;
    ctx.wait_text("viewed the app credentials and the Connect Layer access")
        .await;
    ctx.wait_text("Support asks for the Connect Layer access")
        .await;
    assert!(
        !ctx.body_text().await.contains("Demo-Booking-2026"),
        "customers never get secrets back"
    );
    look(&ctx, "customer asked for access").await;
    ctx.fill(
        "#access-connect",
        "VPN vpn.northfield.example, group exl-support-2; jump host cl-prod-2.",
    )
    .await;
    ctx.click("#access-prompt button[type=submit]").await;
    ctx.wait_text("gave the Connect Layer access").await;
    assert!(!ctx.body_text().await.contains("exl-support-2"));
    ctx.wait_text("In progress").await;
    sign_out(&ctx).await;

    // Support proposes a solution.
    ctx.sign_in_with_code(AGENT, &key, 1, CASE).await;
    ctx.wait_text("gave the Connect Layer access").await;
    ctx.fill(
        "#solution",
        "The booking service's certificate had expired; renewed. Bookings work again.",
    )
    .await;
    ctx.click("#propose").await;
    ctx.wait_text("proposed a solution").await;
    sign_out(&ctx).await;

    // The customer accepts it.
    ctx.sign_in_as(CUSTOMER, CASE).await;
    ctx.wait_text("Bookings work again.").await;
    ctx.click("#action-accept").await;
    ctx.click("#confirm-yes").await;
    ctx.wait_text("accepted the solution · the case is closed")
        .await;
    look(&ctx, "customer accepted").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_goes_round_between_support_and_the_customer_desktop() {
    with_browser(Width::Desktop, case_loop).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_goes_round_between_support_and_the_customer_phone() {
    with_browser(Width::Phone, case_loop).await;
}

/// Support's screens on the smallest phone: the queue (cards), a case with its tools, the
/// service banner screen.
async fn narrow(ctx: Ctx) {
    ctx.sign_in_as(AGENT, "/cases").await;
    ctx.wait_text("Room booking module fails to load").await;
    look(&ctx, "queue narrow").await;
    ctx.goto(CASE).await;
    ctx.wait_text("Access the customer gave").await;
    look(&ctx, "case tools narrow").await;
    ctx.goto("/announcements").await;
    ctx.wait_text("Post an announcement").await;
    look(&ctx, "banner screen narrow").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_screens_fit_the_smallest_phone() {
    with_browser(Width::Narrow, narrow).await;
}
