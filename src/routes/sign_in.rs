//! `/sign-in`: e-mail and password; back to where the user was going.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api;
use crate::auth::Auth;
use crate::routes::code_step::confirm_kept;

/// A safe local path to continue to after signing in (never another site, never sign-in itself).
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.starts_with("/\\")
            && !n.starts_with("/sign-in")
    })
    .unwrap_or_else(|| "/".into())
}

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    super::set_title(t!(en: "Sign in", fr: "Connexion"));
    let auth = Auth::get();
    let query = use_query_map();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let password_ref = NodeRef::<leptos::html::Input>::new();
    // Set when the password was right and the account has two-step sign-in (or single sign-on
    // came back with one, after `#challenge=`).
    let from_sso = window()
        .location()
        .hash()
        .ok()
        .and_then(|h| h.strip_prefix("#challenge=").map(str::to_string))
        .filter(|c| !c.is_empty());
    let challenge = RwSignal::new(from_sso);
    let sso = crate::load::load(api::sso_options);
    // Why single sign-on came back without signing in: its texts are in a part of their own.
    let sso_error = RwSignal::new(None::<String>);
    if let Some(code) = query.with_untracked(|q| q.get("sso-error")) {
        leptos::task::spawn_local(async move {
            sso_error.set(Some(crate::pages::sso_failure(code).await));
        });
    }
    let next_param = query.with_untracked(|q| q.get("next")).unwrap_or_default();

    Effect::new(move |_| {
        if auth.me.with(Option::is_some) {
            let next = safe_next(query.with_untracked(|q| q.get("next")));
            navigate(
                &next,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (e, p) = (email.get_untracked(), password.get_untracked());
        if e.trim().is_empty() || p.is_empty() {
            error.set(Some(
                t!(en: "Enter both your e-mail address and your password.",
                   fr: "Saisissez votre adresse e-mail et votre mot de passe.")
                .into(),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::sign_in(&e, &p).await {
                Ok(api::SignedIn::Code(c)) => {
                    password.set(String::new());
                    challenge.set(Some(c));
                }
                Ok(api::SignedIn::Me(_)) => confirm_kept(auth, error).await,
                Err(err) => {
                    // Keep the e-mail; clear the password and put the cursor back in it.
                    error.set(Some(err.message()));
                    password.set(String::new());
                    if let Some(input) = password_ref.get_untracked() {
                        let _ = input.focus();
                    }
                }
            }
            busy.set(false);
        });
    };

    view! {
        <section class="page narrow">
            <h1>{t!(en: "Sign in to campusM Support", fr: "Connexion au support campusM")}</h1>
            <p class="lead">{t!(en: "Open, update and track your institution's support cases.",
                                fr: "Ouvrez, mettez à jour et suivez les dossiers de support de votre établissement.")}</p>
            {query.with_untracked(|q| q.get("signed-out").is_some()).then(|| view! {
                <p class="note note-info" role="status" id="signed-out">{t!(
                    en: "You have signed out. Anything you had not sent was removed from this browser, so the next person cannot read it.",
                    fr: "Vous êtes déconnecté. Ce que vous n’aviez pas envoyé a été effacé de ce navigateur, pour que la personne suivante ne puisse pas le lire.")}</p>
            })}
            {query.with_untracked(|q| q.get("next").is_some() && q.get("signed-out").is_none()).then(|| view! {
                <p class="note note-info" role="status" id="sign-in-return">{t!(
                    en: "Sign in to continue where you were. Anything you were writing is kept as a draft and will be there again.",
                    fr: "Connectez-vous pour reprendre là où vous en étiez. Ce que vous écriviez est conservé en brouillon et sera de nouveau là.")}</p>
            })}
            {move || challenge.get().map(|c| view! {
                <crate::pages::CodeStepPart challenge=c on_restart=Callback::new(move |m: String| {
                    challenge.set(None);
                    error.set(Some(m));
                })/>
            })}
            {move || sso_error.get().map(|m| view! { <div class="note note-error" role="alert" id="sso-error"><p>{m}</p></div> })}
            <form class="card form" on:submit=submit novalidate hidden=move || challenge.with(Option::is_some)>
                {move || error.get().map(|m| view! { <div class="note note-error" role="alert" id="sign-in-error"><p>{m}</p></div> })}
                <div class="field">
                    <label for="email">{t!(en: "E-mail address", fr: "Adresse e-mail")}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required
                        bind:value=email aria-describedby=move || error.with(|e| e.as_ref().map(|_| "sign-in-error"))/>
                </div>
                <div class="field">
                    <label for="password">{t!(en: "Password", fr: "Mot de passe")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        node_ref=password_ref bind:value=password/>
                    <p class="hint"><a href="/forgot-password" id="forgot-link">{t!(en: "Forgot your password?", fr: "Mot de passe oublié ?")}</a></p>
                </div>
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || if busy.get() { t!(en: "Signing in…", fr: "Connexion…") } else { t!(en: "Sign in", fr: "Se connecter") }}
                </button>
            </form>
            {move || {
                let options = sso.ok().unwrap_or_default();
                (!options.is_empty() && challenge.with(Option::is_none)).then(|| {
                    let next = api::encode(&next_param);
                    view! {
                        <section class="card" aria-labelledby="sso-heading">
                            <h2 id="sso-heading">{t!(en: "Or sign in with your institution's account", fr: "Ou connectez-vous avec le compte de votre établissement")}</h2>
                            <ul class="plain sso-options">
                                {options.into_iter().map(|o| {
                                    let href = format!("/api/v1/sso/{}/start?next={next}", o.id);
                                    let label = o.label;
                                    view! { <li><a class="button" rel="external" href=href>{tf!(en: "Sign in with {label}", fr: "Se connecter avec {label}")}</a></li> }
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                })
            }}
        </section>
    }
}

/// The sign-in worked but the browser did not keep the session cookie (a browser that keeps no
/// cookies, or plain HTTP at an address other than this machine's).
pub(crate) fn cookie_refused() -> String {
    let host = leptos::prelude::window()
        .location()
        .host()
        .unwrap_or_default();
    tf!(
        en: "Your password was right, but this browser did not keep the session, so you are not signed in. Allow cookies for {host}; over plain http the portal can only be used at http://127.0.0.1 or http://localhost on the machine that runs it, elsewhere use its https address.",
        fr: "Votre mot de passe était correct, mais ce navigateur n’a pas gardé la session : vous n’êtes pas connecté. Autorisez les cookies pour {host} ; en http simple, le portail ne s’utilise qu’à http://127.0.0.1 ou http://localhost sur la machine qui le fait tourner, ailleurs utilisez son adresse https."
    )
}
