//! The new-request flow end to end: each route, knowledge deflection, drafts, double submit, and a
//! response lost after the server committed (retry makes exactly one case).

use portal_e2e::{api_call, api_sign_in, eventually, with_browser, Ctx, Width};

async fn signed_in(ctx: &Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/").await;
    ctx.wait_text("Awaiting your reply").await;
}

/// How many cases match `q`, asked from the page (same session).
async fn count(ctx: &Ctx, q: &str) -> i64 {
    ctx.case_count(q).await
}

async fn routes(ctx: Ctx) {
    signed_in(&ctx).await;

    // Ideas Exchange: written here, recorded, opened prefilled in a new tab.
    ctx.goto("/new").await;
    ctx.click("#kind-integration-request").await;
    ctx.click("#open-ideas").await;
    ctx.wait_text("Give your idea a short title.").await;
    assert_eq!(ctx.focused_id().await, "f-idea-title");
    ctx.fill("#f-idea-title", "Canvas deadlines in the app")
        .await;
    ctx.fill(
        "#f-idea-description",
        "As a student I want my Canvas deadlines in the app, so that I never miss one.",
    )
    .await;
    let href = ctx
        .find("#open-ideas")
        .await
        .attr("href")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(
        href.contains("title=Canvas%20deadlines%20in%20the%20app"),
        "{href}"
    );
    ctx.click("#open-ideas").await;
    ctx.wait_text("Recorded as IX-000001").await;
    ctx.assert_accessible("ideas exchange route").await;
    let main = ctx.client.window().await.expect("this window");
    let windows = ctx.client.windows().await.expect("windows");
    assert_eq!(windows.len(), 2, "the Ideas Exchange opens in a new tab");
    for w in windows.into_iter().filter(|w| *w != main) {
        ctx.client
            .switch_to_window(w)
            .await
            .expect("switch to the new tab");
        ctx.client.close_window().await.expect("close it");
    }
    ctx.client
        .switch_to_window(main)
        .await
        .expect("back to the portal");

    // Account manager: lead time warning, sent and recorded.
    ctx.goto("/new").await;
    ctx.click("#kind-ux-redesign").await;
    ctx.fill("#f-what", "A new home screen with role-based tiles")
        .await;
    let soon = ctx
        .js("const d = new Date(Date.now() + 14 * 864e5); return d.toISOString().slice(0, 10);")
        .await;
    let soon = soon.as_str().unwrap_or_default().to_string();
    ctx.js(&format!(
        "const i = document.getElementById('f-start'); i.value = '{soon}'; i.dispatchEvent(new Event('input', {{bubbles: true}})); return 1;"
    ))
    .await;
    ctx.wait_text("earlier than the recommended 6 weeks").await;
    ctx.wait_text("Priya Shah").await;
    ctx.assert_accessible("account manager route").await;
    ctx.click("#send-consultation").await;
    ctx.wait_text("Sent as AM-000001").await;
    // It reaches the account manager as a message (the demo's transport writes .eml files).
    eventually("the consultation mail", || async {
        ctx.mails()
            .into_iter()
            .find(|m| m.contains("priya.shah@vendor.example") && m.contains("AM-000001"))
            .map(|m| assert!(m.contains("less than the recommended 6 weeks"), "{m}"))
            .ok_or_else(|| "no message to Priya Shah yet".to_string())
    })
    .await;

    // Both read back on "Sent elsewhere".
    ctx.click("a[href='/sent']").await;
    ctx.wait_path_is("/sent").await;
    ctx.wait_text("Canvas deadlines in the app").await;
    ctx.wait_text("A new home screen with role-based tiles")
        .await;
    ctx.wait_text("waiting for the account manager").await;
    ctx.assert_accessible("sent elsewhere").await;
    ctx.assert_no_sideways_scroll().await;
    // The idea gets its link once posted on the Ideas Exchange.
    ctx.fill("#idea-ix-000001", "not a link").await;
    ctx.click(".sent .inline-form button[type=submit]").await;
    ctx.wait_text("This is not a web address").await;
    ctx.fill(
        "#idea-ix-000001",
        "https://ideas.exlibrisgroup.com/forums/campusm/suggestions/42",
    )
    .await;
    ctx.click(".sent .inline-form button[type=submit]").await;
    ctx.wait_text("The idea on the Ideas Exchange").await;
    ctx.screenshot("sent-elsewhere").await;
    // Filters in the URL.
    ctx.find("#s-kind")
        .await
        .select_by_value("account_manager")
        .await
        .expect("filter by destination");
    ctx.wait_path_is("/sent?kind=account_manager").await;
    eventually("only the consultation", || async {
        let t = ctx.body_text().await;
        (t.contains("1 request") && !t.contains("Canvas deadlines"))
            .then_some(())
            .ok_or_else(|| "still both".to_string())
    })
    .await;

    // Knowledge deflection: an article answers it; no case.
    ctx.goto("/new").await;
    ctx.click("#kind-question").await;
    // A question is Level IV without the production questions.
    ctx.wait_text("Level IV").await;
    ctx.fill("#f-subject", "Timetable empty since the new term")
        .await;
    ctx.wait_text("These articles may answer it").await;
    ctx.click(".suggestion .link-button").await;
    ctx.wait_text("clear the timetable cache").await;
    ctx.assert_accessible("knowledge suggestion open").await;
    ctx.click(".suggestion .button").await;
    ctx.wait_text("Glad that answered it.").await;
    assert_eq!(count(&ctx, "Timetable empty since the new term").await, 0);
    // And the draft is gone.
    ctx.goto("/new").await;
    ctx.find("#kind-question").await;
    assert!(!ctx.body_text().await.contains("We restored the request"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routes_desktop() {
    with_browser(Width::Desktop, routes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routes_phone() {
    with_browser(Width::Phone, routes).await;
}

async fn defect_draft_and_safe_submit(ctx: Ctx) {
    signed_in(&ctx).await;
    ctx.goto("/new").await;
    ctx.click("#kind-defect").await;
    // A sandbox is never down: only "does a feature work incorrectly?" is asked there.
    ctx.click("#env-sandbox").await;
    ctx.wait_text("Does a feature work incorrectly or perform poorly in the sandbox?")
        .await;
    assert!(
        !ctx.body_text()
            .await
            .contains("Is the production service unavailable"),
        "a sandbox is asked whether production is down"
    );
    ctx.click("#impact-2-yes").await;
    ctx.wait_text("Level III – High").await;
    ctx.js("document.querySelector('.wizard').scrollIntoView()")
        .await;
    ctx.screenshot("wizard-sandbox").await;
    ctx.assert_accessible("level wizard, sandbox").await;
    ctx.click("#env-production").await;
    ctx.click("#impact-0-yes").await;
    ctx.wait_text("Down system: call 24/7 support now.").await;
    ctx.wait_text("+44 20 3880 0000").await;
    // Sent empty: every missing field is named, at the top and at the field.
    ctx.click("#submit-case").await;
    ctx.find("#error-summary").await;
    ctx.screenshot("defect-form-errors").await;
    ctx.assert_accessible("defect form with errors").await;
    ctx.assert_no_sideways_scroll().await;
    let subject = format!("Whole app down at {:?}", ctx.width);
    ctx.fill("#f-subject", &subject).await;
    ctx.fill(
        "#f-description",
        "Every user gets Service unavailable on launch.",
    )
    .await;
    ctx.fill("#f-steps", "1. Open the app\n2. See the error")
        .await;
    ctx.fill("#f-cred-user", "test.student").await;
    ctx.fill("#f-cred-pass", "S3cret!").await;
    ctx.fill(
        "#f-connect",
        "VPN vpn.northfield.example, host cl01, account from IT",
    )
    .await;
    ctx.screenshot("defect-form").await;
    ctx.assert_accessible("defect form, level I").await;

    // A reload keeps everything but the credentials.
    ctx.client.refresh().await.expect("reload");
    ctx.wait_text("We restored the request you were writing.")
        .await;
    assert_eq!(ctx.value("#f-subject").await, subject);
    assert_eq!(
        ctx.value("#f-steps").await,
        "1. Open the app\n2. See the error"
    );
    assert_eq!(
        ctx.value("#f-cred-pass").await,
        "",
        "a password is never kept in a draft"
    );
    let stored = ctx.js("return JSON.stringify(localStorage);").await;
    assert!(
        !stored.as_str().unwrap_or("").contains("S3cret"),
        "credentials reached storage"
    );

    // The first answer is lost after the server committed; the retry replays it.
    assert_eq!(
        ctx.value("#f-cred-user").await,
        "",
        "credentials are never kept in a draft"
    );
    ctx.fill("#f-cred-user", "test.student").await;
    ctx.fill("#f-cred-pass", "S3cret!").await;
    ctx.js(
        "const real = window.fetch; let failed = false;
         window.fetch = async (...args) => {
           const r = await real(...args);
           const req = args[0];
           if (!failed && req && req.method === 'POST' && String(req.url).endsWith('/api/v1/cases')) { failed = true; throw new TypeError('connection reset'); }
           return r;
         }; return 1;",
    )
    .await;
    // Two quick clicks: one request.
    ctx.js("const b = document.getElementById('submit-case'); b.click(); b.click(); return 1;")
        .await;
    ctx.wait_text("We could not reach the support portal").await;
    assert_eq!(
        ctx.value("#f-subject").await,
        subject,
        "the form is intact after the failure"
    );
    assert_eq!(count(&ctx, &subject).await, 1, "the server committed once");
    ctx.click("#submit-case").await;
    let path = ctx.wait_path("/cases/CS-").await;
    assert!(path.ends_with("?created=1"));
    ctx.wait_text("Level I").await;
    assert_eq!(
        count(&ctx, &subject).await,
        1,
        "the retry made no second case"
    );
    ctx.wait_text("The app credentials: given, kept sealed for support")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defect_draft_and_safe_submit_desktop() {
    with_browser(Width::Desktop, defect_draft_and_safe_submit).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defect_draft_and_safe_submit_phone() {
    with_browser(Width::Phone, defect_draft_and_safe_submit).await;
}

/// Writes a file for the file chooser and answers its path.
fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("portal-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file");
    path.to_string_lossy().into_owned()
}

async fn attach(ctx: &Ctx, path: &str) {
    ctx.find("#f-files")
        .await
        .send_keys(path)
        .await
        .expect("choose a file");
}

async fn attachments_and_an_ended_session(ctx: Ctx) {
    signed_in(&ctx).await;
    ctx.goto("/new").await;
    ctx.click("#kind-question").await;
    // A question is Level IV without the production questions.
    ctx.wait_text("Level IV").await;
    let subject = format!("Export of push statistics {:?}", ctx.width);
    ctx.fill("#f-subject", &subject).await;
    ctx.fill(
        "#f-description",
        "Where do I find the monthly push statistics export?",
    )
    .await;
    ctx.wait_text("up to 10 files, 10.0 MB each").await;

    // Refused before upload: a program. Refused by the API: HTML posing as a PNG. Accepted: a PNG.
    attach(&ctx, &temp_file("setup.exe", b"MZ\x90\0")).await;
    ctx.wait_text("“setup.exe” is a .exe file").await;
    attach(
        &ctx,
        &temp_file("fake.png", b"<html><script>alert(1)</script>"),
    )
    .await;
    ctx.wait_text("its content is not").await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR push statistics";
    attach(&ctx, &temp_file("push stats.png", png)).await;
    ctx.wait_text("Attached").await;
    ctx.assert_accessible("attachments: refused, failed, attached")
        .await;
    ctx.assert_no_sideways_scroll().await;
    ctx.click("button[aria-label='Remove setup.exe']").await;
    ctx.click("button[aria-label='Remove fake.png']").await;
    assert!(!ctx.body_text().await.contains("setup.exe"));

    // The session ends on the server while the customer is writing.
    ctx.js_async("const done = arguments[0]; fetch('/api/v1/session', {method: 'DELETE', headers: {'X-Requested-With': 'portal'}}).then(() => done(1));")
        .await;
    ctx.wait_text("These articles may answer it").await;
    ctx.click("#submit-case").await;
    let path = ctx.wait_path("/sign-in").await;
    assert!(path.contains("next=%2Fnew"), "{path}");
    ctx.wait_text("Anything you were writing is kept").await;
    ctx.assert_accessible("sign in after the session ended")
        .await;
    ctx.sign_in("it-lead@northfield.example", "northfield-demo")
        .await;
    ctx.wait_path("/new").await;
    ctx.wait_text("We restored the request you were writing.")
        .await;
    assert_eq!(ctx.value("#f-subject").await, subject);
    ctx.wait_text("push stats.png").await;
    assert_eq!(count(&ctx, &subject).await, 0, "nothing was sent yet");

    ctx.wait_text("These articles may answer it").await;
    ctx.click("#submit-case").await;
    ctx.wait_path("/cases/CS-").await;
    ctx.wait_text("push stats.png").await;
    assert_eq!(count(&ctx, &subject).await, 1, "exactly one case");
    // The link downloads the same bytes.
    let size = ctx
        .js_async("const done = arguments[0]; const a = document.querySelector('.files-download a'); fetch(a.href).then(r => r.arrayBuffer()).then(b => done(b.byteLength));")
        .await;
    assert_eq!(size.as_u64(), Some(png.len() as u64));
    ctx.assert_accessible("case with an attachment").await;

    // Two parallel requests with one key, as a browser retrying on two tabs would: one case.
    let twin = format!("Parallel twin {:?}", ctx.width);
    let statuses = ctx
        .js_async(&format!(
            "const done = arguments[0];
             const body = JSON.stringify({{kind: 'question', level: 'IV', subject: {twin:?}, description: 'Twice?'}});
             const post = () => fetch('/api/v1/cases', {{method: 'POST', body, headers: {{'Content-Type': 'application/json', 'X-Requested-With': 'portal', 'Idempotency-Key': 'twin-' + {twin:?}}}}}).then(r => r.status);
             Promise.all([post(), post()]).then(done);"
        ))
        .await;
    let statuses: Vec<u64> = statuses
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
        .unwrap_or_default();
    assert!(statuses.contains(&201), "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(count(&ctx, &twin).await, 1, "one key, one case");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defect_draft_and_safe_submit_narrow() {
    with_browser(Width::Narrow, defect_draft_and_safe_submit).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_and_an_ended_session_desktop() {
    with_browser(Width::Desktop, attachments_and_an_ended_session).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_and_an_ended_session_phone() {
    with_browser(Width::Phone, attachments_and_an_ended_session).await;
}

/// A colleague reported it already: the form offers the open case, and following it opens
/// nothing new.
async fn similar_case_followed_instead(ctx: Ctx) {
    ctx.sign_in_as("library@northfield.example", "/new").await;
    ctx.click("#kind-defect").await;
    ctx.click("#env-production").await;
    ctx.click("#impact-0-no").await;
    ctx.click("#impact-1-no").await;
    ctx.click("#impact-2-yes").await;
    ctx.wait_text("Level III – High").await;
    ctx.fill("#f-subject", "Timetable shows no events for anyone")
        .await;
    ctx.wait_text("Open cases that look similar").await;
    ctx.wait_text("CS-000002").await;
    ctx.assert_accessible("similar open cases offered").await;
    ctx.assert_no_sideways_scroll().await;
    let before = ctx.cases_total("''").await;
    ctx.click("#follow-cs-000002").await;
    ctx.wait_text("You follow CS-000002 now").await;
    ctx.screenshot("similar-followed").await;
    // A follower now; no case was opened; the draft is still there.
    let who = api_sign_in(
        &ctx.base,
        "library@northfield.example",
        "northfield-library",
    )
    .await;
    let (status, body, _) = api_call(
        &ctx.base,
        "GET",
        "/api/v1/cases/CS-000002",
        Some(&who),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let case: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    assert_eq!(case["following"], true, "following makes a watcher");
    assert_eq!(ctx.cases_total("''").await, before, "no new case");
    assert_eq!(
        ctx.value("#f-subject").await,
        "Timetable shows no events for anyone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn similar_case_followed_instead_desktop() {
    with_browser(Width::Desktop, similar_case_followed_instead).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn similar_case_followed_instead_phone() {
    with_browser(Width::Phone, similar_case_followed_instead).await;
}
