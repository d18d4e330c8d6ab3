//! Keyboard only: sign in and submit a support case without a pointer.

use fantoccini::key::Key;
use portal_e2e::{with_browser, Ctx, Width};

async fn keyboard_only(ctx: Ctx) {
    ctx.goto("/sign-in").await;
    ctx.find("#email").await;
    // The first Tab reaches the skip link.
    ctx.press(&Key::Tab).await;
    let first = ctx.js("return document.activeElement.textContent;").await;
    assert_eq!(first.as_str(), Some("Skip to content"));
    ctx.tab_to("email").await;
    ctx.press("it-lead@northfield.example").await;
    ctx.tab_to("password").await;
    ctx.press("northfield-demo").await;
    ctx.press(&Key::Enter).await;
    ctx.wait_path("/").await;
    ctx.wait_text("Awaiting your reply").await;

    ctx.goto("/new").await;
    ctx.find("#kind-question").await;
    ctx.tab_to("kind-question").await;
    ctx.press(" ").await;
    // A radio group: Tab enters it, an arrow key moves to the next choice and back.
    ctx.tab_to("env-production").await;
    ctx.press(&Key::Down).await;
    assert_eq!(ctx.focused_id().await, "env-sandbox");
    ctx.press(&Key::Up).await;
    assert_eq!(ctx.focused_id().await, "env-production");
    // A question is Level IV without the production questions.
    ctx.wait_text("Level IV").await;
    ctx.tab_to("f-subject").await;
    ctx.press("Keyboard-only question about the app").await;
    ctx.tab_to("f-description").await;
    ctx.press("Sent without touching a mouse.").await;
    ctx.tab_to("submit-case").await;
    ctx.press(&Key::Enter).await;
    ctx.wait_path("/cases/CS-").await;
    ctx.wait_text("Keyboard-only question about the app").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_only_submits_a_case() {
    with_browser(Width::Desktop, keyboard_only).await;
}
