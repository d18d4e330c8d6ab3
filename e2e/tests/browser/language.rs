//! Two languages: the switch turns every text French — the portal's own, core's messages and the
//! configuration's texts from the API — sets `<html lang>`, is remembered after a reload, and
//! keeps what the customer typed (draft fields and the in-memory app credentials alike). Dates
//! follow the language. axe-core is clean on the French pages.

use portal_e2e::{eventually, with_browser, Ctx, Width};
use serde_json::json;

async fn html_lang(ctx: &Ctx) -> String {
    ctx.js("return document.documentElement.lang;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn switch_language(ctx: &Ctx, to: &str, code: &str) {
    let button = ctx
        .js("const b = document.querySelector('.lang-switch'); return b ? [b.querySelector('.lang-name').textContent.trim(), b.querySelector('.lang-code').textContent, b.lang] : null;")
        .await;
    assert_eq!(
        button,
        json!([to, code.to_ascii_uppercase(), code]),
        "the switch offers {to}"
    );
    ctx.click(".lang-switch").await;
    eventually(&format!("<html lang> becoming {code}"), || async {
        let lang = html_lang(ctx).await;
        if lang == code {
            Ok(())
        } else {
            Err(lang)
        }
    })
    .await;
}

/// The header's first row holds the brand, the account and the language switch without wrapping
/// (a wrap when the account appears would shift the page).
async fn assert_header_row(ctx: &Ctx) {
    let tops = ctx
        .js("return ['.brand', '.account', '.lang-switch'].map(s => document.querySelector(s).getBoundingClientRect().top);")
        .await;
    let tops: Vec<f64> = tops
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_f64)
        .collect();
    assert!(
        tops.len() == 3 && tops.iter().all(|t| (t - tops[0]).abs() < 1.0),
        "the header's first row wrapped: {tops:?}"
    );
}

async fn language(ctx: Ctx) {
    // Public support overview: English first, then French from the switch.
    ctx.goto("/support").await;
    ctx.wait_text("campusM support overview").await;
    assert_eq!(html_lang(&ctx).await, "en");
    switch_language(&ctx, "Français", "fr").await;
    ctx.wait_text("Présentation du support campusM").await;
    // Texts from the configuration (the API answers in French) and from core.
    ctx.wait_text("Système indisponible").await;
    ctx.wait_text("Ligne de support 24 h/24, 7 j/7 (EMEA)")
        .await;
    ctx.wait_text("Procédure d’escalade").await;
    let title = ctx.js("return document.title;").await;
    assert_eq!(title, json!("Présentation du support · Support campusM"));
    ctx.assert_accessible("support overview in French").await;
    ctx.assert_no_sideways_scroll().await;

    // Remembered on this device.
    ctx.goto("/sign-in").await;
    ctx.wait_text("Connexion au support campusM").await;
    assert_eq!(html_lang(&ctx).await, "fr");
    // A French error from the portal, then one from the API.
    ctx.click("form button[type=submit]").await;
    ctx.wait_text("Saisissez votre adresse e-mail et votre mot de passe.")
        .await;
    ctx.sign_in("it-lead@northfield.example", "wrong-password")
        .await;
    ctx.wait_text("ne correspondent à aucun compte").await;
    ctx.sign_in("it-lead@northfield.example", "northfield-demo")
        .await;
    ctx.wait_path("/").await;
    ctx.wait_text("dossiers ouverts").await;
    assert_header_row(&ctx).await;
    if ctx.width == Width::Desktop {
        // Every width from a small phone to a laptop, with the longer French texts.
        // Down to the narrowest window the engine has (WebKitGTK's is wider than a phone).
        let narrowest = ctx.narrowest_window().await;
        for w in [1040, 900, 800, 700, 480, 420, 360, 320] {
            if i64::from(w) < narrowest {
                continue;
            }
            ctx.client
                .set_window_size(w, 900)
                .await
                .expect("window size");
            eventually(&format!("the window becoming {w} px wide"), || async {
                let inner = ctx.js("return window.innerWidth;").await;
                if inner.as_i64() == Some(w.into()) {
                    Ok(())
                } else {
                    Err(inner.to_string())
                }
            })
            .await;
            assert_header_row(&ctx).await;
        }
        ctx.client
            .set_window_size(1280, 900)
            .await
            .expect("window size");
    }
    ctx.assert_accessible("home in French").await;
    ctx.assert_no_sideways_scroll().await;

    // The case list: French headings and dates in French.
    ctx.goto("/cases").await;
    ctx.find("table.cases tbody tr").await;
    let dates = ctx
        // The full instant (recent ones read "il y a 1 h" on the page; the tooltip says when).
        .js("return [...document.querySelectorAll('table.cases time')].slice(0, 3).map(t => t.title);")
        .await;
    let months = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    let dates: Vec<String> = dates
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d.as_str().map(str::to_string))
        .collect();
    assert!(!dates.is_empty(), "the list shows dates");
    for d in &dates {
        assert!(
            months.iter().any(|m| d.contains(m)),
            "{d:?} is not a French date"
        );
    }
    // Column headings (on phones they label each cell instead).
    let head = ctx
        .js("return document.querySelector('table.cases thead').textContent;")
        .await;
    assert!(
        head.as_str()
            .is_some_and(|h| h.contains("Numéro") && h.contains("Première réponse")),
        "{head}"
    );
    ctx.assert_accessible("case list in French").await;

    // A new request: typed in French, switched to English and back; nothing typed is lost.
    ctx.goto("/new").await;
    ctx.wait_text("De quoi avez-vous besoin ?").await;
    ctx.click("#kind-defect").await;
    ctx.wait_text("Le service de production est-il indisponible pour vos utilisateurs ?")
        .await;
    ctx.click("#impact-0-no").await;
    ctx.click("#impact-1-no").await;
    ctx.click("#impact-2-yes").await;
    ctx.wait_text("Élevée, niveau III").await;
    ctx.fill("#f-subject", "Test de langue : l’emploi du temps est vide")
        .await;
    ctx.fill("#f-cred-user", "etudiant.test").await;
    ctx.fill("#f-cred-pass", "secret-de-test").await;
    // Product areas: French labels, stable values.
    let area = ctx
        .js("const o = [...document.querySelectorAll('#f-area option')].find(o => o.value === 'Timetable'); return o ? o.textContent : null;")
        .await;
    assert_eq!(area, json!("Emploi du temps"));
    switch_language(&ctx, "English", "en").await;
    ctx.wait_text("What do you need?").await;
    ctx.wait_text("A production feature works incorrectly or performs poorly")
        .await;
    assert_eq!(
        ctx.value("#f-subject").await,
        "Test de langue : l’emploi du temps est vide"
    );
    assert_eq!(ctx.value("#f-cred-user").await, "etudiant.test");
    assert_eq!(ctx.value("#f-cred-pass").await, "secret-de-test");
    switch_language(&ctx, "Français", "fr").await;
    ctx.wait_text("De quoi avez-vous besoin ?").await;
    assert_eq!(ctx.value("#f-cred-pass").await, "secret-de-test");
    // Core's validation in French, before anything is sent.
    ctx.click("#submit-case").await;
    ctx.wait_text("Décrivez ce qui se passe").await;
    ctx.wait_text("Indiquez les étapes qui reproduisent le problème")
        .await;
    ctx.assert_accessible("new request with errors in French")
        .await;
    ctx.assert_no_sideways_scroll().await;

    // Back to English for whoever uses this browser next.
    switch_language(&ctx, "English", "en").await;
    ctx.goto("/support").await;
    ctx.wait_text("campusM support overview").await;
    assert_header_row(&ctx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_desktop() {
    with_browser(Width::Desktop, language).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_phone() {
    with_browser(Width::Phone, language).await;
}
