//! Home: the institution's name, the two main actions, the counts of open cases and of cases
//! awaiting the customer's reply (equal to what the API counts), those cases listed first, and a
//! production-down case at the top of the open ones, highlighted with its response due.

use portal_e2e::{eventually, with_browser, Ctx, Width};
use serde_json::json;

/// Waits until the home page shows these two counts (open, awaiting the customer).
async fn wait_counts(ctx: &Ctx, open: i64, awaiting: i64) {
    let want = json!([open.to_string(), awaiting.to_string()]);
    eventually(
        &format!("the home page showing the counts {want}"),
        || async {
            let shown = ctx
            .js("return [...document.querySelectorAll('.stats .stat-n')].map(e => e.textContent);")
            .await;
            if shown == want {
                Ok(())
            } else {
                Err(shown.to_string())
            }
        },
    )
    .await;
}

async fn home(ctx: Ctx) {
    ctx.sign_in_as("it-lead@northfield.example", "/").await;
    ctx.wait_text("Northfield University").await;
    ctx.find("a.button-primary[href='/new']").await;
    ctx.find("a[href='/cases']").await;
    let open = ctx.cases_total("'status=open'").await;
    let awaiting = ctx.cases_total("'status=awaiting_customer'").await;
    assert!(open > 0 && awaiting > 0, "the demo data has both");
    wait_counts(&ctx, open, awaiting).await;
    // Awaiting the customer comes first.
    let headings = ctx
        .js("return [...document.querySelectorAll('main h2')].map(h => h.textContent);")
        .await;
    assert_eq!(
        headings,
        json!(["Awaiting your reply", "Open cases, most urgent first"])
    );

    // A production-down case opened now: counted, and first among the open cases, highlighted
    // with its response due.
    let created = ctx
        .js_async(
            "const done = arguments[0];
             fetch('/api/v1/cases', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'portal' },
               body: JSON.stringify({ kind: 'defect', level: 'I', subject: 'Home test: the whole app is down',
                 description: 'Nobody can open the app.', environment: 'production',
                 scenario: { steps: '1. Open the app', expected: 'Home screen', actual: 'Error' },
                 credentials: { username: 'test.student', password: 'pw' },
                 connect_layer_access: 'VPN vpn.northfield.example' }) })
               .then(r => r.json()).then(j => done(j.summary ? j.summary.number : JSON.stringify(j))).catch(e => done(String(e)));",
        )
        .await;
    let number = created.as_str().unwrap_or_default().to_string();
    assert!(number.starts_with("CS-"), "{created}");
    ctx.goto("/").await;
    wait_counts(&ctx, open + 1, awaiting).await;
    let rows = ctx
        .js("return [...document.querySelectorAll('.short-list')[1].querySelectorAll('li')].map(li => [li.className, li.textContent]);")
        .await;
    let rows: Vec<(String, String)> = rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r[0].as_str().unwrap_or_default().to_string(),
                r[1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let urgent = rows
        .iter()
        .take_while(|(class, _)| class == "urgent")
        .count();
    assert!(
        rows[urgent..].iter().all(|(class, _)| class != "urgent"),
        "production-down cases come first: {rows:?}"
    );
    let (_, text) = rows[..urgent]
        .iter()
        .find(|(_, text)| text.contains(&number))
        .unwrap_or_else(|| panic!("{number} is not among the highlighted cases: {rows:?}"));
    assert!(
        text.contains("Level I") && text.contains("Due in"),
        "{text}"
    );
    ctx.assert_accessible("home with a production-down case")
        .await;
    ctx.assert_no_sideways_scroll().await;

    // The counts lead to the lists they count.
    ctx.click("a.stat-attention").await;
    ctx.wait_path("/cases?status=awaiting_customer").await;
    ctx.wait_text(&format!("{awaiting} case")).await;

    // The production-down case's page puts the 24/7 route beside it: call now, quote the number,
    // with the contacts and the policy from the configuration.
    ctx.goto(&format!("/cases/{number}")).await;
    ctx.wait_text("Still down? Call 24/7 support now.").await;
    let panel = ctx
        .js("const p = document.getElementById('escalation'); return [p.textContent, p.querySelectorAll('a[href^=\"tel:\"]').length, p.querySelectorAll('a[href^=\"mailto:\"]').length, p.querySelectorAll('a[rel=noopener]').length];")
        .await;
    let text = panel[0].as_str().unwrap_or_default();
    assert!(
        text.contains(&format!("quote its number, {number}")),
        "{text}"
    );
    assert!(
        panel[1].as_i64() > Some(0) && panel[2].as_i64() > Some(0) && panel[3].as_i64() == Some(1),
        "contacts and the policy link: {panel:?}"
    );
    ctx.assert_accessible("a production-down case").await;
    ctx.assert_no_sideways_scroll().await;
    // Solved by support is no longer down: no call-now panel on a closed case.
    let closed = ctx
        .js_async("const done = arguments[arguments.length - 1]; \
                   fetch('/api/v1/cases?scope=institution&status=closed&level=II', {headers: {'Accept': 'application/json'}}) \
                   .then(r => r.json()).then(j => done(j.items[0].number)).catch(e => done(String(e)));")
        .await;
    let closed = closed.as_str().unwrap_or_default().to_string();
    assert!(closed.starts_with("CS-"), "{closed}");
    ctx.goto(&format!("/cases/{closed}")).await;
    ctx.wait_text(&closed).await;
    ctx.find("h1").await;
    assert_eq!(
        ctx.js("return document.getElementById('escalation') === null;")
            .await,
        serde_json::Value::Bool(true),
        "a closed case shows no call-now panel"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_desktop() {
    with_browser(Width::Desktop, home).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_phone() {
    with_browser(Width::Phone, home).await;
}
