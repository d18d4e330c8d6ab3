//! Notifications in the browser: support replies, and the customer's home marks the case as
//! changed without a reload; the portal writes the e-mail (.eml, as the demo does) with the case's
//! number and link. The header counts the cases with news.

use std::time::Duration;

use portal_e2e::{api_call, api_sign_in, eventually, eventually_within, with_browser, Ctx, Width};
use serde_json::json;

async fn news_arrive(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/cases/CS-000010")
        .await;
    ctx.wait_text("Events calendar shows times one hour off")
        .await;
    ctx.click("a[href='/']").await;
    ctx.wait_text("Awaiting your reply").await;
    let row = "return [...document.querySelectorAll('.short-list li')].find(li => li.textContent.includes('CS-000010'))?.textContent ?? '(no row)';";
    assert!(
        !ctx.js(row)
            .await
            .as_str()
            .unwrap_or_default()
            .contains("News"),
        "seen just now"
    );
    // Support replies, outside this browser.
    let agent = api_sign_in(&ctx.base, "agent@vendor.example", "agent-demo").await;
    let (status, _, _) = api_call(
        &ctx.base,
        "POST",
        "/api/v1/cases/CS-000010/comments",
        Some(&agent),
        Some(json!({"body": "Your feed sends local times without an offset; we adjusted the import."})),
    )
    .await;
    assert_eq!(status, 201);
    // The home page marks it without a reload (it asks for news every 20 seconds).
    eventually_within(
        "the case marked as changed",
        Duration::from_secs(45),
        || async {
            let text = ctx.js(row).await;
            if text.as_str().unwrap_or_default().contains("News") {
                Ok(())
            } else {
                Err(text.to_string())
            }
        },
    )
    .await;
    ctx.assert_accessible("home with news").await;
    ctx.screenshot("home-news").await;
    // The e-mail: the number first in the subject, the link to the case.
    let link = format!("{}/cases/CS-000010", ctx.base);
    eventually("the e-mail to the customer", || async {
        let mails = ctx.mails();
        match mails.iter().find(|m| {
            m.contains("it-lead@northfield.example") && m.contains("Subject: [CS-000010]")
        }) {
            Some(m) if m.contains(&link) => Ok(()),
            Some(m) => Err(format!("no link {link} in:\n{m}")),
            None => Err(format!("{} e-mails", mails.len())),
        }
    })
    .await;
    // Opening the case clears its news.
    ctx.click("a[href='/cases/CS-000010']").await;
    ctx.wait_text("we adjusted the import").await;
    ctx.click("a[href='/']").await;
    eventually("the news cleared", || async {
        let text = ctx.js(row).await;
        let text = text.as_str().unwrap_or_default();
        if text.contains("News") || text == "(no row)" {
            Err(text.to_string())
        } else {
            Ok(())
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_replies_and_the_customer_sees_it_without_reloading_desktop() {
    with_browser(Width::Desktop, news_arrive).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_replies_and_the_customer_sees_it_without_reloading_phone() {
    with_browser(Width::Phone, news_arrive).await;
}

/// Preferences and escalation from the portal.
async fn account_and_escalation(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/account")
        .await;
    ctx.wait_text("E-mails about your cases").await;
    ctx.click("input[value='needs_me']").await;
    ctx.click("#save-preferences").await;
    ctx.wait_text("Saved.").await;
    ctx.assert_accessible("account").await;
    ctx.assert_no_sideways_scroll().await;
    ctx.screenshot("account").await;
    // A question stays at Level IV: its page offers no higher level.
    ctx.goto("/cases/CS-000004").await;
    ctx.wait_text("How do we add a second campus to the map?")
        .await;
    ctx.find("#comment").await;
    assert_eq!(
        ctx.js("return document.querySelector('.escalate') === null")
            .await,
        true,
        "a question offers escalation"
    );
    // Raise a Level III problem to Level II: the 24/7 line is alerted, and the page says so.
    ctx.goto("/cases/CS-000009").await;
    ctx.wait_text("Campus map pins misplaced after zoom").await;
    ctx.click(".escalate summary").await;
    ctx.find("#escalate-level")
        .await
        .select_by_value("II")
        .await
        .expect("choose a level");
    ctx.fill(
        "#escalate-reason",
        "The map is now blank for every student.",
    )
    .await;
    ctx.click("#escalate").await;
    ctx.wait_text("the 24/7 line was alerted by e-mail").await;
    ctx.wait_text("changed the level from III to II").await;
    ctx.assert_accessible("escalated").await;
    ctx.screenshot("escalated").await;
    eventually("the e-mail to the 24/7 line", || async {
        let found = ctx.mails().iter().any(|m| {
            m.contains("campusm.support@exlibrisgroup.com") && m.contains("ESCALATION Level II")
        });
        if found {
            Ok(())
        } else {
            Err("not yet".into())
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preferences_and_escalation_desktop() {
    with_browser(Width::Desktop, account_and_escalation).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preferences_and_escalation_narrow() {
    with_browser(Width::Narrow, account_and_escalation).await;
}
