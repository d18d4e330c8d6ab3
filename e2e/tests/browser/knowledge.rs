//! The public knowledge articles: browse by topic, search as people write ("login" finds the SSO
//! sign-in article), read, come back to the same search, links out.

use portal_e2e::{with_browser, Ctx, Width};

async fn search_and_read(ctx: Ctx) {
    ctx.goto("/support").await;
    // Signed out, the header links the articles.
    ctx.click("header nav a[href='/knowledge']").await;
    ctx.wait_path("/knowledge").await;
    ctx.wait_text("browse the articles by topic").await;
    ctx.wait_text("Sign-in and identity").await;
    assert_eq!(
        ctx.js("return document.querySelectorAll('.topic .articles li').length;")
            .await,
        serde_json::json!(10),
        "with no query every article is listed under its topic"
    );
    ctx.assert_accessible("knowledge by topic").await;
    ctx.screenshot("knowledge-topics").await;
    // Other words for the same thing.
    ctx.fill("#kq", "login").await;
    ctx.click("form[role=search] button[type=submit]").await;
    ctx.wait_path_is("/knowledge?q=login").await;
    ctx.wait_text("SSO sign-in fails").await;
    ctx.click(".articles a[href='/knowledge/KA-0103?q=login']")
        .await;
    ctx.wait_text("Back to the search results").await;
    ctx.click("a[href='/knowledge?q=login']").await;
    ctx.wait_path_is("/knowledge?q=login").await;
    ctx.wait_text("SSO sign-in fails").await;
    assert_eq!(ctx.value("#kq").await, "login");

    ctx.fill("#kq", "timetable empty").await;
    ctx.click("form[role=search] button[type=submit]").await;
    ctx.wait_path("/knowledge?q=timetable%20empty").await;
    ctx.wait_text("article").await;
    ctx.assert_accessible("knowledge search results").await;
    ctx.assert_no_sideways_scroll().await;
    ctx.click(".articles a").await;
    ctx.wait_path("/knowledge/KA-").await;
    ctx.wait_text("Full article in the Knowledge Center").await;
    let rel = ctx
        .js("return [...document.querySelectorAll('a[target=_blank]')].every(a => (a.rel || '').includes('noopener'));")
        .await;
    assert_eq!(rel.as_bool(), Some(true), "every link out has rel=noopener");
    ctx.assert_accessible("knowledge article").await;
    ctx.assert_no_sideways_scroll().await;
    // Back keeps the search.
    ctx.client.back().await.expect("back");
    ctx.wait_path_is("/knowledge?q=timetable%20empty").await;
    assert_eq!(ctx.value("#kq").await, "timetable empty");
    // Nothing found says what to do.
    ctx.goto("/knowledge?q=zzzqqq").await;
    ctx.wait_text("No article matches").await;
    ctx.assert_accessible("knowledge, nothing found").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_and_read_desktop() {
    with_browser(Width::Desktop, search_and_read).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_and_read_phone() {
    with_browser(Width::Phone, search_and_read).await;
}
