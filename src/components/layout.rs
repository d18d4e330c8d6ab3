//! Header with navigation and account, and the footer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::auth::Auth;
use crate::{api, draft};

/// The site header: product, navigation, who is signed in, sign out.
#[component]
pub fn Header() -> impl IntoView {
    let auth = Auth::get();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // A shared computer must not keep this user's unsent drafts.
            if let Some(email) = auth.email() {
                draft::clear_user(&email);
            }
            let _ = api::sign_out().await;
            // To sign-in first, saying why (the drafts were removed), then forget the user: the
            // pages that need a session never see the sign-in page as where to come back to.
            navigate("/sign-in?signed-out=1", Default::default());
            auth.me.set(None);
        });
    };
    view! {
        <header class="site-header">
            <div class="bar">
                <A href="/" attr:class="brand">
                    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" width="28" height="28"><rect width="32" height="32" rx="7"/><path d="M9 21V11h3l4 6 4-6h3v10h-3v-5l-4 6-4-6v5z"/></svg>
                    <span><span class="wide-only">"campusM "</span><span class="brand-word">{t!(en: "Support", fr: "Support")}</span></span>
                </A>
                <nav aria-label=t!(en: "Main", fr: "Navigation principale")>
                    // Unseen until the session (and for someone signed in, their news count) is
                    // known: the signed-in links then appear in place, and nothing moves.
                    <ul class:settling=move || !auth.checked.get() || (auth.me.with(Option::is_some)
                        && !crate::news::News::get().is_none_or(|n| n.known.get()))>
                        <Show when=move || auth.me.with(Option::is_some)>
                            <li><A href="/" exact=true><span>{t!(en: "Home", fr: "Accueil")}</span><NewsCount/></A></li>
                            {move || if auth.is_agent() {
                                view! {
                                    <li><A href="/cases">{t!(en: "Queue", fr: "File")}</A></li>
                                    <li><A href="/announcements">{t!(en: "Banner", fr: "Bandeau")}</A></li>
                                }.into_any()
                            } else {
                                view! {
                                    <li><A href="/cases">{t!(en: "Cases", fr: "Dossiers")}</A></li>
                                    // One flex item: the space before "request" is inside inline text, never at the start of
                                    // a flex item (which every engine drops: "Newrequest").
                                    <li><A href="/new"><span>{t!(en: "New", fr: "Nouvelle")}<span class="wide-only">{t!(en: " request", fr: " demande")}</span></span></A></li>
                                }.into_any()
                            }}
                        </Show>
                        // Small phones signed in have no room for it: the footer links the articles.
                        <li class:nav-extra=move || auth.me.with(Option::is_some)><A href="/knowledge">{t!(en: "Knowledge", fr: "Articles")}</A></li>
                        <li><A href="/support">{t!(en: "Support", fr: "Support")}</A></li>
                    </ul>
                </nav>
                <Show when=move || auth.me.with(Option::is_some)>
                    <div class="account">
                        <A href="/account" attr:class="who">
                            {move || auth.me.with(|m| m.as_ref().map(|m| {
                                let inst = m.institution.as_ref().map(|i| i.name.clone()).unwrap_or_else(|| t!(en: "Ex Libris support", fr: "Support Ex Libris").into());
                                format!("{} · {}", m.user.name, inst)
                            }))}
                        </A>
                        <button type="button" class="button button-quiet" on:click=sign_out.clone()>{t!(en: "Sign out", fr: "Déconnexion")}</button>
                    </div>
                </Show>
                <LanguageSwitch/>
            </div>
        </header>
    }
}

/// How many of the person's cases have news since they last opened them (a badge; its words for
/// screen readers).
#[component]
fn NewsCount() -> impl IntoView {
    let news = crate::news::News::get();
    move || {
        let n = news.map_or(0, |n| n.cases.with(Vec::len));
        (n > 0).then(|| view! {
            <span class="badge badge-count" aria-hidden="true">{n}</span>
            <span class="visually-hidden">{if n == 1 { t!(en: ": 1 case with news", fr: " : 1 dossier avec du nouveau").to_string() } else { tf!(en: ": {n} cases with news", fr: " : {n} dossiers avec du nouveau") }}</span>
        })
    }
}

/// The site footer: where else to get help (links from the deployment's configuration).
#[component]
pub fn Footer() -> impl IntoView {
    let config = crate::use_config();
    let auth = Auth::get();
    view! {
        <footer class="site-footer">
            // On phones the header has no room for the name: the account is reachable here.
            <Show when=move || auth.me.with(Option::is_some)>
                <p class="footer-account">
                    <A href="/account">{t!(en: "Your account and e-mail settings", fr: "Votre compte et vos e-mails")}</A>
                </p>
            </Show>
            <p>
                {t!(en: "Down system? Follow the 24/7 escalation policy in parallel to opening a Level I or II case. ",
                    fr: "Système indisponible ? Suivez la procédure d’escalade 24 h/24, 7 j/7 en parallèle de l’ouverture d’un dossier de niveau I ou II. ")}
                <A href="/support">{t!(en: "Support overview", fr: "Présentation du support")}</A>" · "
                <A href="/knowledge">{t!(en: "Knowledge articles", fr: "Articles de connaissances")}</A>
            </p>
            {move || config.ok().map(|c| view! {
                <ul class="footer-links">
                    <li><a href=c.escalation_policy_url.clone() rel="noopener" target="_blank">{t!(en: "Escalation policy", fr: "Procédure d’escalade")}</a></li>
                    <li><a href=c.knowledge_center_url.clone() rel="noopener" target="_blank">{t!(en: "Knowledge Center", fr: "Knowledge Center")}</a></li>
                    <li><a href=c.ideas_exchange_url.clone() rel="noopener" target="_blank">{t!(en: "Ideas Exchange", fr: "Ideas Exchange")}</a></li>
                    {c.community.into_iter().map(|l| view! { <li><a href=l.url rel="noopener" target="_blank">{l.name}</a></li> }).collect_view()}
                </ul>
            })}
        </footer>
    }
}

/// "Offline — last updated …": shown while the portal reads the service worker's offline copy.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let since = crate::api::offline_since();
    move || {
        since.get().map(|d| {
            let t = js_sys::Date::parse(&d);
            let when = if t.is_nan() {
                t!(en: "earlier", fr: "plus tôt").to_string()
            } else {
                chrono::DateTime::from_timestamp_millis(t as i64)
                    .map(crate::format::local)
                    .unwrap_or_else(|| t!(en: "earlier", fr: "plus tôt").into())
            };
            view! {
                <div class="offline-banner" role="status">
                    <p><strong>{t!(en: "Offline", fr: "Hors ligne")}</strong>{tf!(
                        en: " — showing what was last updated {when}. Sending updates needs a connection; the portal checks again by itself.",
                        fr: " — affichage de la dernière mise à jour, {when}. L’envoi de messages demande une connexion ; le portail vérifie de lui-même.")}</p>
                </div>
            }
        })
    }
}

/// The language switch: offers the other language, named in itself (and marked up in it, so a
/// screen reader pronounces it right). It shows the language's code ("FR"), so the header's row
/// keeps its height when the account appears; the full name is part of the button's accessible
/// name and its tooltip.
/// The choice is remembered on this device.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let other = crate::i18n::lang().other();
    view! {
        <button type="button" class="button button-quiet lang-switch" lang=other.code() title=other.name()
            on:click=move |_| crate::i18n::switch(other)>
            <span class="lang-code">{other.code().to_ascii_uppercase()}</span><span class="lang-name">" "{other.name()}</span>
        </button>
    }
}
