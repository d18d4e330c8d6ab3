//! Fault injection: a faulty proxy in front of the API breaks the submit of a new request in each
//! way a network, load balancer or server can (500, 503 with Retry-After, a timeout, malformed
//! JSON, a connection reset after the server committed, offline). In each: a clear message, the
//! draft intact (also after a reload), and the retry makes exactly one case. Reading breaks too:
//! the loading and error states of the case list are shown, accessible, and recover. A page whose
//! part of the wasm does not arrive leaves the portal working, says so, and "Try again" shows it.

use portal_e2e::faults::Fault;
use portal_e2e::{part_files, with_browser, Ctx, Width};

const CASES: &str = "/api/v1/cases";

/// Writes a question on `/new` with `subject`.
async fn write_question(ctx: &Ctx, subject: &str) {
    ctx.goto("/new").await;
    ctx.click("#kind-question").await;
    ctx.wait_text("Level IV").await;
    ctx.fill("#f-subject", subject).await;
    ctx.fill("#f-description", &format!("Details of: {subject}"))
        .await;
}

/// One fault on submit: message, draft kept across a reload, one case after the retry.
async fn submit_through(ctx: &Ctx, fault: Fault, message: &str, committed: bool) {
    let subject = format!("Fault {fault:?} at {:?}", ctx.width);
    write_question(ctx, &subject).await;
    // Chromium itself retries a request whose reused connection closed without an answer, so
    // the fault stays until the message is shown.
    ctx.faults.inject("POST", CASES, fault, 10);
    ctx.click("#submit-case").await;
    let wait = if fault == Fault::Timeout { 40 } else { 15 };
    ctx.wait_text_within(message, wait).await;
    ctx.faults.clear();
    assert_eq!(ctx.value("#f-subject").await, subject, "{fault:?}");
    ctx.assert_accessible(&format!("submit failed: {fault:?}"))
        .await;
    assert_eq!(
        ctx.case_count(&subject).await,
        i64::from(committed),
        "{fault:?}: did the server commit?"
    );

    // Nothing typed is lost, not even across a reload; the retry keeps its Idempotency-Key.
    ctx.client.refresh().await.expect("reload");
    ctx.wait_text("We restored the request you were writing.")
        .await;
    assert_eq!(ctx.value("#f-subject").await, subject, "{fault:?}");
    assert_eq!(
        ctx.value("#f-description").await,
        format!("Details of: {subject}"),
        "{fault:?}"
    );
    ctx.click("#submit-case").await;
    ctx.wait_path("/cases/CS-").await;
    ctx.wait_text(&subject).await;
    assert_eq!(
        ctx.case_count(&subject).await,
        1,
        "{fault:?}: the retry made exactly one case"
    );
}

async fn submit_faults(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/").await;
    ctx.wait_text("Awaiting your reply").await;

    // Sending: the button says so and the page stays accessible.
    let subject = format!("Slow network at {:?}", ctx.width);
    write_question(&ctx, &subject).await;
    ctx.faults.inject("POST", CASES, Fault::Delay(3000), 1);
    ctx.click("#submit-case").await;
    ctx.wait_text("Sending…").await;
    ctx.assert_accessible("submitting").await;
    ctx.wait_path("/cases/CS-").await;
    ctx.wait_text(&subject).await;

    let unreachable = "We could not reach the support portal";
    for (fault, message, committed) in [
        (
            Fault::ServerError,
            "The support portal had a problem on its side",
            false,
        ),
        (
            Fault::Unavailable(30),
            "briefly unavailable (maintenance or heavy load). Try again in 30 seconds",
            false,
        ),
        (Fault::Offline, unreachable, false),
        (
            Fault::MalformedJson,
            "received an answer it could not read",
            true,
        ),
        (Fault::ResetAfterCommit, unreachable, true),
        (Fault::Timeout, "did not answer within 20 seconds", true),
    ] {
        submit_through(&ctx, fault, message, committed).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_faults_desktop() {
    with_browser(Width::Desktop, submit_faults).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_faults_phone() {
    with_browser(Width::Phone, submit_faults).await;
}

async fn reading_faults(ctx: Ctx) {
    ctx.goto("/sign-in").await;
    ctx.sign_in("it-lead@northfield.example", "northfield-demo")
        .await;
    ctx.wait_text("Awaiting your reply").await;

    // Loading: shown, announced, accessible.
    ctx.faults.inject("GET", CASES, Fault::Delay(3000), 1);
    ctx.goto("/cases").await;
    ctx.wait_text("Loading cases…").await;
    ctx.assert_accessible("case list loading").await;
    ctx.wait_text("CS-000001").await;

    // Errors: a clear message and a way to try again that works.
    for (fault, message) in [
        (
            Fault::Unavailable(120),
            "briefly unavailable (maintenance or heavy load). Try again in about 2 minutes",
        ),
        (Fault::MalformedJson, "received an answer it could not read"),
        (
            Fault::ServerError,
            "The support portal had a problem on its side",
        ),
    ] {
        ctx.faults.inject("GET", CASES, fault, 1);
        ctx.goto("/cases?q=timetable").await;
        ctx.wait_text(message).await;
        ctx.assert_accessible(&format!("case list error: {fault:?}"))
            .await;
        ctx.click(".note-error .button").await;
        ctx.wait_text("Timetable").await;
        assert!(!ctx.body_text().await.contains(message), "{fault:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_faults_desktop() {
    with_browser(Width::Desktop, reading_faults).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_faults_phone() {
    with_browser(Width::Phone, reading_faults).await;
}

/// The part of the wasm with `/new` does not arrive (the service worker's copy neither): a clear
/// message with "Try again", the rest of the portal working; once the network is back, "Try
/// again" shows the page.
async fn missing_part(ctx: Ctx) {
    let own = part_files("page_new")
        .into_iter()
        .find(|f| f.starts_with("split_page_new"))
        .expect("the part's own file");
    ctx.faults
        .inject("GET", &format!("/{own}"), Fault::ServerError, 1000);
    ctx.sign_in_as("it-lead@northfield.example", "/").await;
    ctx.wait_text("Awaiting your reply").await;
    ctx.click("a[href='/new']").await;
    ctx.wait_text("This page could not be loaded").await;
    ctx.wait_text("Its part of the portal did not arrive").await;
    ctx.assert_accessible("a page's part missing").await;
    ctx.screenshot("part-missing").await;
    // The portal still works around it.
    ctx.click("a[href='/cases']").await;
    ctx.wait_text("CS-000001").await;
    ctx.click("a[href='/new']").await;
    ctx.wait_text("This page could not be loaded").await;
    // The network is back: "Try again" shows the page.
    ctx.faults.clear();
    ctx.click(".note-error .button").await;
    ctx.click("#kind-question").await;
    assert!(!ctx.body_text().await.contains("could not be loaded"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_part_says_so_and_recovers_desktop() {
    with_browser(Width::Desktop, missing_part).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_part_says_so_and_recovers_phone() {
    with_browser(Width::Phone, missing_part).await;
}
