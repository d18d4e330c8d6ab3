//! Every page, signed out and signed in, at the narrowest supported width (320 px: a phone, and a
//! desktop zoomed to 400 % with a classic scrollbar) and at desktop width: zero axe-core violations (WCAG 2.2 A/AA, target-size) and no sideways scroll. The
//! states covered here (plain, empty, not found) complete the ones the flow tests check.

use portal_e2e::{with_browser, Ctx, Engine, Width};

/// Opens `path`, waits for `text`, and checks the page.
async fn check(ctx: &Ctx, path: &str, text: &str, state: &str) {
    ctx.goto(path).await;
    ctx.wait_text(text).await;
    ctx.assert_accessible(state).await;
    ctx.assert_no_sideways_scroll().await;
}

async fn every_page(ctx: Ctx) {
    // Signed out.
    check(&ctx, "/sign-in", "Sign in", "sign-in").await;
    check(&ctx, "/support", "Response levels", "support overview").await;
    check(&ctx, "/knowledge", "Type a few words", "knowledge search").await;
    check(
        &ctx,
        "/knowledge/KA-0101",
        "Full article",
        "knowledge article",
    )
    .await;
    check(&ctx, "/no/such/page", "Page not found", "not found").await;

    // Signed in.
    ctx.sign_in_as("it-lead@northfield.example", "/").await;
    ctx.wait_text("Awaiting your reply").await;
    check(&ctx, "/", "Awaiting your reply", "home").await;
    check(&ctx, "/cases", "CS-000001", "case list").await;
    check(
        &ctx,
        "/cases?q=nothing-matches-this",
        "No cases match these filters.",
        "case list, nothing matches",
    )
    .await;
    check(&ctx, "/cases/CS-000001", "CS-000001", "case detail").await;
    check(&ctx, "/new", "What do you need?", "new request, start").await;
    check(
        &ctx,
        "/no/such/page",
        "Page not found",
        "not found, signed in",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_narrow() {
    with_browser(Width::Narrow, every_page).await;
}

/// 320 CSS px with a classic scrollbar taking 15 of them (a desktop zoomed to 400 %).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_reflow() {
    with_browser(Width::Reflow, |ctx| async move {
        ctx.goto("/support").await;
        ctx.wait_text("Response levels").await;
        let scrollbar = ctx
            .js("return window.innerWidth - document.documentElement.clientWidth;")
            .await;
        println!("classic scrollbar: {scrollbar} px");
        if ctx.engine == Engine::Chromium {
            // Otherwise this would be the phone test again.
            assert!(
                scrollbar.as_i64().unwrap_or(0) >= 12,
                "no classic scrollbar: {scrollbar}"
            );
        }
        every_page(ctx).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_desktop() {
    with_browser(Width::Desktop, every_page).await;
}
