//! Accounts an institution runs itself: an administrator invites a colleague, who reads the
//! invitation from the e-mail, sets a name and password and sees the institution's cases; the
//! administrator deactivates them and their open session ends at its next request. Forgotten
//! password round trip; changing the password on the account page.

use portal_e2e::{api_call, api_sign_in, eventually, totp_code, with_browser, Ctx, Width};

const COLLEAGUE: &str = "new.colleague@northfield.example";
const GOOD_PASSWORD: &str = "tulip harbour violin cement";

/// The token of the newest e-mailed link to `to` that has `marker` (`/join#`, `/reset-password#`).
async fn link_token(ctx: &Ctx, to: &str, marker: &str) -> String {
    eventually(&format!("an e-mail to {to} with {marker}"), || async {
        ctx.mails()
            .into_iter()
            .filter(|m| m.contains(&format!("To: {to}")))
            .find_map(|m| {
                m.split(marker)
                    .nth(1)
                    .and_then(|rest| rest.split_whitespace().next())
                    .map(|t| t.trim_end_matches(['"', '<', '>']).to_string())
            })
            .ok_or_else(|| format!("{} e-mails", ctx.mails().len()))
    })
    .await
}

async fn invite_join_deactivate(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/account")
        .await;
    ctx.click("#people-link").await;
    ctx.wait_path_is("/people").await;
    ctx.wait_text("People of Northfield University").await;
    ctx.assert_accessible("people").await;
    // A typo gets a specific message before anything is sent.
    ctx.fill("#invite-email", "new.colleague@northfield").await;
    ctx.click("#send-invitation").await;
    ctx.wait_text("is not an e-mail address").await;
    ctx.fill("#invite-email", COLLEAGUE).await;
    ctx.click("label.choice-card:nth-child(2)").await;
    ctx.click("#send-invitation").await;
    ctx.find("#people-notice").await;
    ctx.wait_text("Invitations waiting (1)").await;
    ctx.assert_accessible("invitation sent").await;
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("people-invited").await;

    // The colleague opens the e-mailed link (in this browser: joining signs it in as them).
    let token = link_token(&ctx, COLLEAGUE, "/join#").await;
    ctx.goto(&format!("/join#{token}")).await;
    ctx.wait_text("Alex Morgan invites you to Northfield University, as Member.")
        .await;
    ctx.assert_accessible("join").await;
    ctx.fill("#join-name", "Dana Brooks").await;
    ctx.fill("#join-password", "password1234").await;
    ctx.click("#join-submit").await;
    ctx.wait_text("breached passwords").await;
    ctx.assert_accessible("join refused").await;
    ctx.screenshot("join-refused").await;
    ctx.fill("#join-password", GOOD_PASSWORD).await;
    ctx.click("#join-submit").await;
    ctx.wait_path_is("/").await;
    ctx.goto("/account").await;
    ctx.wait_text("Dana Brooks · new.colleague@northfield.example · Northfield University")
        .await;
    ctx.goto("/cases").await;
    ctx.wait_text("CS-000").await;

    // Their session elsewhere (a second device), then the administrator deactivates them.
    let elsewhere = api_sign_in(&ctx.base, COLLEAGUE, GOOD_PASSWORD).await;
    let (status, _, _) = api_call(&ctx.base, "GET", "/api/v1/me", Some(&elsewhere), None).await;
    assert_eq!(status, 200);
    ctx.click("header .button-quiet").await;
    ctx.wait_path("/sign-in").await;
    ctx.sign_in_as("it-lead@northfield.example", "/people")
        .await;
    ctx.wait_text("Dana Brooks").await;
    ctx.click("button[aria-label='Deactivate Dana Brooks']")
        .await;
    ctx.wait_text("Deactivate Dana Brooks? They are signed out at once")
        .await;
    ctx.assert_accessible("deactivate confirm").await;
    ctx.click(".confirm-deactivate").await;
    ctx.find("button[aria-label='Reactivate Dana Brooks']")
        .await;
    let (status, _, _) = api_call(&ctx.base, "GET", "/api/v1/me", Some(&elsewhere), None).await;
    assert_eq!(status, 204, "the deactivated colleague's session ended");
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("people-deactivated").await;
}

async fn forgot_password(ctx: Ctx) {
    let email = "library@northfield.example";
    ctx.goto("/sign-in").await;
    ctx.click("#forgot-link").await;
    ctx.wait_path_is("/forgot-password").await;
    ctx.fill("#forgot-email", email).await;
    ctx.click("#forgot-submit").await;
    ctx.find("#forgot-sent").await;
    ctx.wait_text("If this address has an account").await;
    ctx.assert_accessible("reset asked").await;
    let token = link_token(&ctx, email, "/reset-password#").await;
    ctx.goto(&format!("/reset-password#{token}")).await;
    ctx.fill("#reset-password", "short").await;
    ctx.click("#reset-submit").await;
    ctx.wait_text("Use at least 12 characters").await;
    ctx.assert_accessible("reset too short").await;
    ctx.fill("#reset-password", GOOD_PASSWORD).await;
    ctx.click("#reset-submit").await;
    ctx.wait_path_is("/").await;
    ctx.goto("/account").await;
    ctx.wait_text("Sam Okafor · library@northfield.example")
        .await;
    // The old password no longer works; the new one does; the link worked once.
    let (status, _, _) = api_call(
        &ctx.base,
        "POST",
        "/api/v1/session",
        None,
        Some(serde_json::json!({"email": email, "password": "northfield-library"})),
    )
    .await;
    assert_eq!(status, 401);
    api_sign_in(&ctx.base, email, GOOD_PASSWORD).await;
    ctx.goto(&format!("/reset-password#{token}")).await;
    ctx.fill("#reset-password", "another long pass phrase")
        .await;
    ctx.click("#reset-submit").await;
    ctx.wait_text("used already").await;
    ctx.screenshot("reset-used").await;

    // Changing it again from the account page.
    ctx.goto("/account").await;
    ctx.fill("#change-current", "not my password").await;
    ctx.fill("#change-password", "another long pass phrase")
        .await;
    ctx.click("#change-submit").await;
    ctx.wait_text("That is not your current password").await;
    ctx.fill("#change-current", GOOD_PASSWORD).await;
    ctx.click("#change-submit").await;
    ctx.find("#password-changed").await;
    ctx.assert_accessible("password changed").await;
    ctx.assert_no_sideways_scroll().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_join_deactivate_desktop() {
    with_browser(Width::Desktop, invite_join_deactivate).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_join_deactivate_phone() {
    with_browser(Width::Phone, invite_join_deactivate).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_desktop() {
    with_browser(Width::Desktop, forgot_password).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_narrow() {
    with_browser(Width::Narrow, forgot_password).await;
}

/// The new pages in French: every text, and axe-core clean.
async fn accounts_in_french(ctx: Ctx) {
    ctx.goto("/forgot-password").await;
    ctx.wait_text("Forgot your password?").await;
    ctx.click(".lang-switch").await;
    ctx.wait_text("Mot de passe oublié ?").await;
    ctx.fill("#forgot-email", "pas une adresse").await;
    ctx.click("#forgot-submit").await;
    ctx.wait_text("n’est pas une adresse e-mail").await;
    ctx.assert_accessible("forgot, French").await;
    ctx.sign_in_as("it-lead@northfield.example", "/people")
        .await;
    ctx.wait_text("Membres de Northfield University").await;
    ctx.wait_text("Inviter un collègue").await;
    ctx.assert_accessible("people, French").await;
    ctx.goto("/account").await;
    ctx.wait_text("Changer votre mot de passe").await;
    ctx.assert_accessible("account, French").await;
    ctx.screenshot("people-french").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_in_french_desktop() {
    with_browser(Width::Desktop, accounts_in_french).await;
}

/// An agent turns on two-step sign-in (QR code, key, code, recovery codes shown once), then signs
/// in with the password and a code.
async fn agent_two_step(ctx: Ctx) {
    ctx.sign_in_as("agent@vendor.example", "/account").await;
    ctx.click("#two-factor-start").await;
    ctx.find("svg.qr").await;
    ctx.assert_accessible("two-step QR").await;
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("two-step-qr").await;
    let key = ctx
        .find("#totp-secret")
        .await
        .text()
        .await
        .expect("key")
        .replace(' ', "");
    ctx.fill("#two-factor-code", "123").await;
    ctx.click("#two-factor-confirm").await;
    ctx.wait_text("A code has 6 digits").await;
    ctx.fill("#two-factor-code", &totp_code(&key, 0)).await;
    ctx.click("#two-factor-confirm").await;
    ctx.find("#recovery-codes").await;
    assert_eq!(
        ctx.js("return document.querySelectorAll('#recovery-codes li').length;")
            .await,
        serde_json::json!(10)
    );
    ctx.assert_accessible("recovery codes").await;
    ctx.screenshot("two-step-on").await;
    // Signing in again: password, then the code.
    ctx.click("header .button-quiet").await;
    ctx.wait_path("/sign-in").await;
    ctx.sign_in("agent@vendor.example", "agent-demo").await;
    ctx.find("#code").await;
    ctx.wait_text("Code from your authenticator app").await;
    ctx.assert_accessible("code step").await;
    ctx.fill("#code", "000000").await;
    ctx.click("#code-submit").await;
    ctx.wait_text("That code is not right").await;
    ctx.fill("#code", &totp_code(&key, 1)).await;
    ctx.click("#code-submit").await;
    ctx.wait_path_is("/").await;
    ctx.goto("/account").await;
    ctx.wait_text("On: signing in asks for your password and a code")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_two_step_desktop() {
    with_browser(Width::Desktop, agent_two_step).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_two_step_narrow() {
    with_browser(Width::Narrow, agent_two_step).await;
}

/// Support makes an institution's first administrator: it chooses the institution on the people
/// page and invites with the administrator membership (preselected for support).
async fn agent_invites_an_administrator(ctx: Ctx) {
    ctx.sign_in_as("agent@vendor.example", "/account").await;
    ctx.click("#people-link").await;
    ctx.wait_path_is("/people").await;
    ctx.find("#people-institution").await;
    ctx.assert_accessible("people, support, no institution yet")
        .await;
    let id = ctx
        .js("const o = [...document.querySelectorAll('#people-institution option')].find(o => o.textContent === 'Southbank College'); return o ? o.value : null;")
        .await;
    let id = id.as_str().expect("Southbank in the list").to_string();
    ctx.js(&format!(
        "const s = document.querySelector('#people-institution'); s.value = '{id}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true;"
    ))
    .await;
    ctx.wait_text("People of Southbank College").await;
    ctx.wait_text("Jordan Reyes").await;
    ctx.fill("#invite-email", "head.of.it@southbank.example")
        .await;
    ctx.click("#send-invitation").await;
    ctx.find("#people-notice").await;
    ctx.wait_text("Invitations waiting (1)").await;
    assert!(ctx
        .body_text()
        .await
        .contains("head.of.it@southbank.example"));
    let token = link_token(&ctx, "head.of.it@southbank.example", "/join#").await;
    assert!(!token.is_empty());
    ctx.assert_accessible("support invited an administrator")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_invites_an_administrator_desktop() {
    with_browser(Width::Desktop, agent_invites_an_administrator).await;
}
