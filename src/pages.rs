//! The large or rarely used pages are parts of the WebAssembly of their own, fetched the first
//! time one is shown, so a first visit to home, sign-in, the support overview or a knowledge
//! article downloads the shell and those pages only.
//!
//! Each function below is a split point (`#[wasm_split(part)]`): `cargo xtask dist` cuts the
//! part out of the main module after the build, with what only that part uses (code two parts
//! share becomes a file of its own). The part names are `portal_core::routes::PARTS` (the build
//! checks it), which the API also uses to tell the browser which part a deep link needs, so it
//! downloads alongside the main module.
//!
//! A part that cannot be fetched (network gone, server restarted with a new build) leaves the
//! shell working, says so, and offers "Try again"; a failure is never remembered.
//! In tests and native builds the functions are plain calls.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use wasm_split_helpers::{wasm_split, SplitLoaderError};

use crate::auth::Protected;
use crate::routes::{
    access_profile::AccessProfilePage,
    account::AccountPage,
    announcements::AnnouncementsPage,
    case::CasePage,
    cases::CasesPage,
    join::JoinPage,
    new_request::NewRequestPage,
    password::{ForgotPasswordPage, ResetPasswordPage},
    people::PeoplePage,
    sent::SentPage,
};

/// A page's part could not be fetched.
#[derive(Debug, Clone, Copy)]
pub struct PartMissing;

impl From<SplitLoaderError> for PartMissing {
    fn from(_: SplitLoaderError) -> Self {
        PartMissing
    }
}

/// What a page's part gives once fetched: the page.
type PageResult = Result<AnyView, PartMissing>;

/// Fetches a page's part (once; later calls answer at once) and builds the page.
pub type PageLoad = fn() -> Pin<Box<dyn Future<Output = PageResult>>>;

#[wasm_split(page_cases, fallible)]
fn cases_view() -> PageResult {
    Ok(view! { <Protected><CasesPage/></Protected> }.into_any())
}

#[wasm_split(page_account, fallible)]
fn account_view() -> PageResult {
    Ok(view! { <Protected><AccountPage/></Protected> }.into_any())
}

#[wasm_split(page_sent, fallible)]
fn sent_view() -> PageResult {
    Ok(view! { <Protected><SentPage/></Protected> }.into_any())
}

#[wasm_split(page_case, fallible)]
fn case_view() -> PageResult {
    Ok(view! { <Protected><CasePage/></Protected> }.into_any())
}

#[wasm_split(page_new, fallible)]
fn new_request_view() -> PageResult {
    Ok(view! { <Protected><NewRequestPage/></Protected> }.into_any())
}

#[wasm_split(page_admin, fallible)]
fn announcements_view() -> PageResult {
    Ok(view! { <Protected><AnnouncementsPage/></Protected> }.into_any())
}

#[wasm_split(page_admin, fallible)]
fn access_profile_view() -> PageResult {
    Ok(view! { <Protected><AccessProfilePage/></Protected> }.into_any())
}

#[wasm_split(page_account, fallible)]
fn people_view() -> PageResult {
    Ok(view! { <Protected><PeoplePage/></Protected> }.into_any())
}

#[wasm_split(page_account, fallible)]
fn join_view() -> PageResult {
    Ok(view! { <JoinPage/> }.into_any())
}

#[wasm_split(page_account, fallible)]
fn forgot_password_view() -> PageResult {
    Ok(view! { <ForgotPasswordPage/> }.into_any())
}

#[wasm_split(page_account, fallible)]
fn reset_password_view() -> PageResult {
    Ok(view! { <ResetPasswordPage/> }.into_any())
}

#[wasm_split(page_account, fallible)]
fn code_step_view(challenge: String, on_restart: Callback<String>) -> PageResult {
    Ok(
        view! { <crate::routes::code_step::CodeStep challenge=challenge on_restart=on_restart/> }
            .into_any(),
    )
}

#[wasm_split(page_account, fallible)]
fn sso_failure_text(code: String) -> Result<String, PartMissing> {
    Ok(crate::routes::code_step::sso_failure(&code))
}

/// Why single sign-on did not sign anyone in, for people (the texts are in the `page_account` part).
pub async fn sso_failure(code: String) -> String {
    sso_failure_text(code).await.unwrap_or_else(|_| {
        t!(en: "Signing in with your institution did not complete. Try again, or sign in with your password.",
           fr: "La connexion par votre établissement n’a pas abouti. Réessayez, ou connectez-vous avec votre mot de passe.")
        .into()
    })
}

/// The code step of signing in, from its part; if the part cannot be fetched, a message and back
/// to the password step.
#[component]
pub fn CodeStepPart(challenge: String, on_restart: Callback<String>) -> impl IntoView {
    let state = RwSignal::new(State::Loading);
    let page = StoredValue::new_local(None::<AnyView>);
    let owner = Owner::current().unwrap_or_default();
    owner.with(|| {
        spawn_local_scoped(async move {
            match code_step_view(challenge, on_restart).await {
                Ok(view) => {
                    page.set_value(Some(view));
                    state.set(State::Ready);
                }
                Err(PartMissing) => {
                    state.set(State::Missing);
                    on_restart.run(
                        t!(en: "The code step could not be loaded: the connection may have dropped. Sign in again.",
                           fr: "L’étape du code n’a pas pu être chargée : la connexion a pu être coupée. Reconnectez-vous.")
                        .into(),
                    );
                }
            }
        })
    });
    move || match state.get() {
        State::Loading => {
            view! { <p class="loading" role="status">{t!(en: "Loading…", fr: "Chargement…")}</p> }
                .into_any()
        }
        State::Missing => ().into_any(),
        State::Ready => page
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
    }
}

/// The pages in parts, for the router.
pub const CASES: PageLoad = || Box::pin(cases_view());
pub const CASE: PageLoad = || Box::pin(case_view());
pub const SENT: PageLoad = || Box::pin(sent_view());
pub const ACCOUNT: PageLoad = || Box::pin(account_view());
pub const NEW_REQUEST: PageLoad = || Box::pin(new_request_view());
pub const ANNOUNCEMENTS: PageLoad = || Box::pin(announcements_view());
pub const ACCESS_PROFILE: PageLoad = || Box::pin(access_profile_view());
pub const PEOPLE: PageLoad = || Box::pin(people_view());
pub const JOIN: PageLoad = || Box::pin(join_view());
pub const FORGOT_PASSWORD: PageLoad = || Box::pin(forgot_password_view());
pub const RESET_PASSWORD: PageLoad = || Box::pin(reset_password_view());

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Loading,
    Missing,
    Ready,
}

/// Shows the page `load` gives: "Loading…" while its part arrives (at once when it is already
/// here), then the page; if the part cannot be fetched, a message with "Try again".
#[component]
pub fn Page(load: PageLoad) -> impl IntoView {
    let state = RwSignal::new(State::Loading);
    let page = StoredValue::new_local(None::<AnyView>);
    // The page's signals and contexts belong to this component's owner, also when "Try again"
    // (an event handler, outside any owner) builds it.
    let owner = Owner::current().unwrap_or_default();
    let fetch = move || {
        state.set(State::Loading);
        owner.with(|| {
            spawn_local_scoped(async move {
                match load().await {
                    Ok(view) => {
                        page.set_value(Some(view));
                        state.set(State::Ready);
                    }
                    Err(PartMissing) => state.set(State::Missing),
                }
            })
        });
    };
    fetch.clone()();
    move || {
        match state.get() {
        State::Loading => view! {
            <section class="page"><p class="loading" role="status">{t!(en: "Loading…", fr: "Chargement…")}</p></section>
        }
        .into_any(),
        State::Missing => view! {
            <section class="page">
                <h1>{t!(en: "This page could not be loaded", fr: "Cette page n’a pas pu être chargée")}</h1>
                <crate::components::ErrorNote
                    message=t!(
                        en: "Its part of the portal did not arrive: the connection may have dropped, or the portal was just updated. Nothing you typed elsewhere is lost.",
                        fr: "Sa partie du portail n’est pas arrivée : la connexion a pu être coupée, ou le portail vient d’être mis à jour. Rien de ce que vous avez saisi ailleurs n’est perdu.")
                    retry=Callback::new({ let fetch = fetch.clone(); move |_| fetch() })/>
            </section>
        }
        .into_any(),
        State::Ready => page
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
    }
    }
}
