//! # support-portal — the campusM support portal in the browser
//!
//! A Leptos 0.8 client-side app. Where things live:
//! - [`api`]: every call to the JSON API, typed;
//! - [`pages`]: the pages that are parts of the wasm of their own, fetched when first shown;
//! - [`routes`]: one file per page (`/`, `/sign-in`, `/cases`, `/cases/{number}`, `/new`,
//!   `/support`, `/knowledge`);
//! - [`components`]: small pieces shared by several pages (badges, time, layout);
//! - [`auth`]: who is signed in, and the guard that sends everyone else to sign in;
//! - [`load`]: API answers into signals;
//! - [`draft`]: drafts of new requests in the browser's storage, per user;
//! - [`i18n`]: English and French — every text is written in both where it is shown (`t!`);
//! - the support policy itself comes from `portal-core`, shared with the API.

// First, so every module below can use its `t!` and `tf!`.
#[macro_use]
pub mod i18n;
pub mod api;
pub mod auth;
pub mod components;
pub mod draft;
pub mod format;
pub mod load;
pub mod news;
pub mod pages;
pub mod routes;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::auth::{Auth, Protected};
use crate::components::banner::ServiceBanner;
use crate::components::layout::{Footer, Header, OfflineBanner};
use crate::load::{load, Load};
use crate::pages::Page;
use crate::routes::{
    home::HomePage, knowledge::ArticlePage, knowledge::KnowledgePage, not_found::NotFound,
    sign_in::SignInPage, support::SupportPage,
};
use portal_core::model::Config;

/// The deployment configuration (`GET /api/v1/config`), loaded once for the whole app.
pub fn use_config() -> Load<Config> {
    use_context::<Load<Config>>().unwrap_or_else(|| load(api::config))
}

/// Mounts the portal on the page (called by `main`).
pub fn start() {
    // index.html shows a static shell until the app is ready; the app replaces it.
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
    i18n::apply(i18n::initial(), false);
    leptos::mount::mount_to_body(App);
    // The service worker keeps the app shell and the cases last seen readable offline.
    let _ = window().navigator().service_worker().register("/sw.js");
}

/// The whole portal: header, routes, footer.
#[component]
pub fn App() -> impl IntoView {
    Auth::provide();
    news::News::provide();
    format::provide_now();
    // App-wide signals are created here, outside what a language switch renders again, so they
    // outlive it (the offline state is read by every API answer).
    let _ = api::offline_since();
    let lang = RwSignal::new(i18n::lang());
    provide_context(i18n::LangSignal(lang));
    // Everything below renders again when the language changes: texts are not reactive one by
    // one (that would cost a closure per text in the wasm), and a switch is rare.
    move || {
        lang.track();
        view! { <Portal/> }
    }
}

/// The portal in the current language: header, routes, footer.
#[component]
fn Portal() -> impl IntoView {
    provide_context(load(api::config));
    let banner_settled = RwSignal::new(false);
    view! {
        <Router>
            <a class="skip-link" href="#main">{t!(en: "Skip to content", fr: "Aller au contenu")}</a>
            <Header/>
            <OfflineBanner/>
            <ServiceBanner settled=banner_settled/>
            <main id="main" tabindex="-1" class:pending=move || !banner_settled.get()>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Protected><HomePage/></Protected> }/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                    <Route path=path!("/support") view=SupportPage/>
                    <Route path=path!("/knowledge") view=KnowledgePage/>
                    <Route path=path!("/knowledge/:id") view=ArticlePage/>
                    <Route path=path!("/cases") view=|| view! { <Page load=pages::CASES/> }/>
                    <Route path=path!("/cases/:number") view=|| view! { <Page load=pages::CASE/> }/>
                    <Route path=path!("/sent") view=|| view! { <Page load=pages::SENT/> }/>
                    <Route path=path!("/new") view=|| view! { <Page load=pages::NEW_REQUEST/> }/>
                    <Route path=path!("/announcements") view=|| view! { <Page load=pages::ANNOUNCEMENTS/> }/>
                    <Route path=path!("/access-profile") view=|| view! { <Page load=pages::ACCESS_PROFILE/> }/>
                    <Route path=path!("/account") view=|| view! { <Page load=pages::ACCOUNT/> }/>
                    <Route path=path!("/people") view=|| view! { <Page load=pages::PEOPLE/> }/>
                    <Route path=path!("/join") view=|| view! { <Page load=pages::JOIN/> }/>
                    <Route path=path!("/forgot-password") view=|| view! { <Page load=pages::FORGOT_PASSWORD/> }/>
                    <Route path=path!("/reset-password") view=|| view! { <Page load=pages::RESET_PASSWORD/> }/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
