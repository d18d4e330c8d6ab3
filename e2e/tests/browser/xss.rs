//! XSS: a corpus of payloads in every free-text field, shown in the list, the case page and the
//! new-request page's suggestions. Nothing may execute and the CSP must report nothing.

use portal_e2e::{api_call, api_sign_in, eventually, with_browser, Ctx, Width};
use serde_json::json;

/// Classic and modern payloads; each one sets `window.__xss` if it ever runs.
const PAYLOADS: [&str; 50] = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<svg onload=window.__xss=1>",
    "\"><script>window.__xss=1</script>",
    "'><img src=x onerror=window.__xss=1>",
    "<iframe src=\"javascript:window.__xss=1\"></iframe>",
    "<a href=\"javascript:window.__xss=1\">click</a>",
    "<body onload=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<input autofocus onfocus=window.__xss=1>",
    "<video><source onerror=window.__xss=1>",
    "<object data=\"javascript:window.__xss=1\">",
    "<embed src=\"javascript:window.__xss=1\">",
    "<style>@import 'javascript:window.__xss=1';</style>",
    "{{constructor.constructor('window.__xss=1')()}}",
    "${window.__xss=1}",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\">",
    "<form action=\"javascript:window.__xss=1\"><button>x</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
    "javascript:window.__xss=1",
    "<img src=\"x\" onerror=\"window.__xss=1\"/>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
    "<marquee onstart=window.__xss=1>",
    "<audio src=x onerror=window.__xss=1>",
    "<select autofocus onfocus=window.__xss=1>",
    "<textarea autofocus onfocus=window.__xss=1>",
    "<keygen autofocus onfocus=window.__xss=1>",
    "<isindex type=image src=1 onerror=window.__xss=1>",
    "<link rel=import href=\"data:text/html,<script>window.__xss=1</script>\">",
    "<base href=\"javascript:window.__xss=1//\">",
    "<script src=data:,window.__xss=1></script>",
    "<script>eval('window.__xss=1')</script>",
    "<img src=x:x onerror=eval(atob('d2luZG93Ll9feHNzPTE='))>",
    "<IMG SRC=JaVaScRiPt:window.__xss=1>",
    "<img src=`x` onerror=window.__xss=1>",
    "<div style=\"background:url(javascript:window.__xss=1)\">",
    "<table background=\"javascript:window.__xss=1\">",
    "<a href=\"&#106;avascript:window.__xss=1\">entity</a>",
    "<a href=\"jav&#x09;ascript:window.__xss=1\">tab</a>",
    "<svg><a xlink:href=\"javascript:window.__xss=1\"><text y=20>x</text></a></svg>",
    "<template><img src=x onerror=window.__xss=1></template>",
    "<xmp><img src=x onerror=window.__xss=1></xmp>",
    "<!--<img src=--><img src=x onerror=window.__xss=1//-->",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    "<svg/onload=window.__xss=1>",
    "\"; window.__xss=1; //",
];

async fn arm(ctx: &Ctx) {
    ctx.js(
        "window.__xss = 0; window.__csp = [];
         document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
         return 1;",
    )
    .await;
}

async fn assert_clean(ctx: &Ctx, where_: &str) {
    let v = ctx.js("return [window.__xss, window.__csp];").await;
    assert_eq!(v[0], json!(0), "a payload executed on {where_}");
    assert_eq!(v[1], json!([]), "CSP violations on {where_}: {}", v[1]);
}

async fn corpus(ctx: Ctx) {
    let cookie = api_sign_in(&ctx.base, "it-lead@northfield.example", "northfield-demo").await;
    let mut number = String::new();
    for (i, p) in PAYLOADS.iter().enumerate() {
        let body = json!({
            "kind": "defect", "level": "IV", "subject": format!("XSS {i} {p}"),
            "description": format!("desc {p}"), "scenario": {"steps": p, "expected": p, "actual": p},
            "product_area": p, "connect_layer_access": p,
        });
        let (status, bytes, _) = api_call(
            &ctx.base,
            "POST",
            "/api/v1/cases",
            Some(&cookie),
            Some(body),
        )
        .await;
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(&bytes));
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        number = v["summary"]["number"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (status, _, _) = api_call(
            &ctx.base,
            "POST",
            &format!("/api/v1/cases/{number}/comments"),
            Some(&cookie),
            Some(json!({"body": p})),
        )
        .await;
        assert_eq!(status, 201);
    }

    ctx.goto("/sign-in").await;
    arm(&ctx).await;
    ctx.sign_in("it-lead@northfield.example", "northfield-demo")
        .await;
    ctx.wait_path("/").await;
    // In-app navigation keeps the page (and the listeners) alive.
    ctx.click("nav a[href='/cases']").await;
    ctx.wait_text("XSS 49").await;
    ctx.wait_text("<script>window.__xss=1</script>").await;
    assert_clean(&ctx, "the case list").await;
    ctx.click(&format!("a[href='/cases/{number}']")).await;
    ctx.wait_text("desc \"; window.__xss=1; //").await;
    assert_clean(&ctx, "the case page").await;
    // Attachment names: uploaded from the page with payloads as file names, sent with an update.
    let uploaded = ctx
        .js_async(&format!(
            "const done = arguments[0];
             const names = ['<img src=x onerror=window.__xss=1>.txt', '\\\"><svg onload=window.__xss=1>.log', '<b onmouseover=window.__xss=1>bold</b>.csv'];
             Promise.all(names.map(n => {{ const f = new FormData(); f.append('file', new Blob(['log line']), n);
               return fetch('/api/v1/uploads', {{method: 'POST', body: f, headers: {{'X-Requested-With': 'portal'}}}}).then(r => r.json()); }}))
             .then(list => fetch('/api/v1/cases/{number}/comments', {{method: 'POST', headers: {{'Content-Type': 'application/json', 'X-Requested-With': 'portal'}},
               body: JSON.stringify({{body: 'files', attachments: list.map(a => a.id)}})}}))
             .then(r => done(r.status)).catch(e => done(String(e)));"
        ))
        .await;
    assert_eq!(uploaded, json!(201), "uploading payload-named files");
    // Away and back inside the app (the listeners stay armed).
    ctx.click("nav a[href='/cases']").await;
    ctx.click(&format!("a[href='/cases/{number}']")).await;
    ctx.wait_text("b>.csv").await;
    ctx.wait_text("onerror=window.__xss=1>.txt").await;
    assert_clean(&ctx, "attachment names on the case page").await;
    // Search with a payload.
    ctx.click("nav a[href='/cases']").await;
    ctx.fill("#f-q", "<img src=x onerror=window.__xss=1>").await;
    ctx.click(".filters button[type=submit]").await;
    ctx.wait_text("XSS 1").await;
    assert_clean(&ctx, "search results").await;
    // Article suggestions with payloads typed into the form.
    ctx.click("nav a[href='/new']").await;
    ctx.click("#kind-question").await;
    // A question is Level IV without the production questions.
    ctx.wait_text("Level IV").await;
    ctx.fill("#f-subject", "timetable <svg onload=window.__xss=1>")
        .await;
    ctx.fill(
        "#f-description",
        "\"><script>window.__xss=1</script> push notifications",
    )
    .await;
    ctx.wait_text("These articles may answer it").await;
    assert_clean(&ctx, "the new request page").await;
    // The detector works: HTML injected the way a bug would inject it is blocked and reported.
    ctx.js("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__xss=1\">'); return 1;").await;
    let v = eventually("the CSP reporting the injected handler", || async {
        let v = ctx.js("return [window.__xss, window.__csp.length];").await;
        if v[1].as_i64().unwrap_or(0) >= 1 {
            Ok(v)
        } else {
            Err(v.to_string())
        }
    })
    .await;
    assert_eq!(v[0], json!(0), "the CSP let an inline handler run");
    assert!(
        v[1].as_i64().unwrap_or(0) >= 1,
        "the CSP did not report the blocked handler"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xss_corpus_never_executes() {
    with_browser(Width::Desktop, corpus).await;
}
