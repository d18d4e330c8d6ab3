//! Where you are signed in: the account page lists the person's sessions (this browser marked)
//! and signs out everywhere else; the other session ends at once.

use portal_e2e::{api_call, api_sign_in, with_browser, Ctx, Width};

async fn sign_out_everywhere_else(ctx: Ctx) {
    // Another device, signed in earlier.
    let other = api_sign_in(&ctx.base, "it-lead@northfield.example", "northfield-demo").await;
    ctx.sign_in_as("it-lead@northfield.example", "/account")
        .await;
    ctx.wait_text("Where you are signed in").await;
    ctx.wait_text("This browser").await;
    assert_eq!(
        ctx.js("return document.querySelectorAll('.sessions li').length;")
            .await,
        serde_json::json!(2),
        "this browser and the other device"
    );
    ctx.assert_accessible("sessions listed").await;
    ctx.click("#sign-out-others").await;
    ctx.wait_text("Signed out everywhere else").await;
    assert_eq!(
        ctx.js("return document.querySelectorAll('.sessions li').length;")
            .await,
        serde_json::json!(1)
    );
    let (status, _, _) = api_call(&ctx.base, "GET", "/api/v1/me", Some(&other), None).await;
    assert_eq!(status, 204, "the other session ended");
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("sessions").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_everywhere_else_desktop() {
    with_browser(Width::Desktop, sign_out_everywhere_else).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_everywhere_else_narrow() {
    with_browser(Width::Narrow, sign_out_everywhere_else).await;
}
