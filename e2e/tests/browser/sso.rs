//! Single sign-on through an institution's identity provider: a real OpenID Provider
//! (`oidc-provider`, run by Node on loopback, with its development login and consent pages).
//! An existing account is matched by e-mail; someone new becomes a member (Northfield allows it);
//! an address of another institution is refused with a reason.

use portal_e2e::{with_browser_and_idp, Ctx, Width};

/// From the portal's sign-in page through the provider's login and consent pages as `email`.
async fn sign_in_at_the_institution(ctx: &Ctx, email: &str) {
    ctx.goto("/sign-in?next=%2Faccount").await;
    ctx.wait_text("Or sign in with your institution's account")
        .await;
    ctx.assert_accessible("sign-in with single sign-on").await;
    ctx.click("a[href^='/api/v1/sso/northfield/start']").await;
    // The provider's own pages.
    ctx.fill("input[name=login]", email).await;
    ctx.fill(
        "input[name=password]",
        "any password: the test provider accepts it",
    )
    .await;
    ctx.click("button[type=submit]").await;
    // Its consent page, once.
    ctx.wait_text("Continue").await;
    ctx.click("button[type=submit]").await;
}

async fn existing_account(ctx: Ctx) {
    sign_in_at_the_institution(&ctx, "library@northfield.example").await;
    ctx.wait_path_is("/account").await;
    ctx.wait_text("Sam Okafor · library@northfield.example · Northfield University")
        .await;
    ctx.assert_accessible("signed in by single sign-on").await;
}

async fn new_member(ctx: Ctx) {
    sign_in_at_the_institution(&ctx, "robin.lee@northfield.example").await;
    ctx.wait_path_is("/account").await;
    ctx.wait_text("Robin Lee · robin.lee@northfield.example · Northfield University")
        .await;
    ctx.goto("/cases").await;
    ctx.wait_text("CS-000").await;
    ctx.assert_no_sideways_scroll().await;
}

async fn another_institution(ctx: Ctx) {
    sign_in_at_the_institution(&ctx, "support@southbank.example").await;
    ctx.wait_path("/sign-in").await;
    ctx.find("#sso-error").await;
    ctx.wait_text("belongs to an account of another institution")
        .await;
    ctx.assert_accessible("single sign-on refused").await;
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("sso-refused").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_existing_account_desktop() {
    with_browser_and_idp(Width::Desktop, existing_account).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_new_member_phone() {
    with_browser_and_idp(Width::Phone, new_member).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_another_institution_narrow() {
    with_browser_and_idp(Width::Narrow, another_institution).await;
}
