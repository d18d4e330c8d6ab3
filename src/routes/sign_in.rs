//! `/sign-in`: e-mail and password; back to where the user was going.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api;
use crate::auth::Auth;

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
    // Set when the password was right and the account has two-step sign-in.
    let challenge = RwSignal::new(None::<String>);

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
                <CodeStep challenge=c on_restart=Callback::new(move |m: String| {
                    challenge.set(None);
                    error.set(Some(m));
                })/>
            })}
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
        </section>
    }
}

/// Only a session the browser kept counts: asks who is signed in with it, and says so when
/// nobody is.
async fn confirm_kept(auth: Auth, error: RwSignal<Option<String>>) {
    match api::me().await {
        Ok(Some(me)) => auth.me.set(Some(me)),
        Ok(None) => error.set(Some(cookie_refused())),
        Err(err) => error.set(Some(err.message())),
    }
}

/// The code step of signing in (after a right password, or a password reset, of an account with
/// two-step sign-in). `on_restart` gets the reason when the step ended and the password must be
/// given again.
#[component]
pub fn CodeStep(challenge: String, on_restart: Callback<String>) -> impl IntoView {
    let auth = Auth::get();
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(i) = input.get() {
            let _ = i.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = code.get_untracked();
        if let Some(m) = portal_core::account::second_factor_code(&typed, crate::i18n::lang()) {
            error.set(Some(m));
            return;
        }
        busy.set(true);
        error.set(None);
        let challenge = challenge.clone();
        spawn_local(async move {
            match api::second_factor(&challenge, &typed).await {
                Ok(_) => confirm_kept(auth, error).await,
                Err(e) if e.is_unauthorized() => on_restart.run(e.message()),
                Err(e) => {
                    error.set(Some(
                        e.field_errors()
                            .first()
                            .map(|f| f.message.clone())
                            .unwrap_or_else(|| e.message()),
                    ));
                    code.set(String::new());
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card form" on:submit=submit novalidate id="code-step">
            <h2>{t!(en: "Two-step sign-in", fr: "Connexion en deux étapes")}</h2>
            <div class="field" class:invalid=move || error.with(Option::is_some)>
                <label for="code">{t!(en: "Code from your authenticator app", fr: "Code de votre application d’authentification")}</label>
                <p class="hint" id="code-hint">{t!(en: "6 digits; it changes every 30 seconds. Lost your phone? Type one of your recovery codes.",
                    fr: "6 chiffres ; il change toutes les 30 secondes. Téléphone perdu ? Saisissez l’un de vos codes de secours.")}</p>
                <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required node_ref=input
                    bind:value=code aria-invalid=move || error.with(|e| e.is_some().to_string())
                    aria-describedby=move || if error.with(Option::is_some) { "code-hint code-error" } else { "code-hint" }/>
                {move || error.get().map(|m| view! { <p class="field-error" id="code-error" role="alert">{m}</p> })}
            </div>
            <button type="submit" class="button button-primary" id="code-submit" disabled=move || busy.get()>{t!(en: "Sign in", fr: "Se connecter")}</button>
        </form>
    }
}

/// The sign-in worked but the browser did not keep the session cookie (a browser that keeps no
/// cookies, or plain HTTP at an address other than this machine's).
fn cookie_refused() -> String {
    let host = leptos::prelude::window()
        .location()
        .host()
        .unwrap_or_default();
    tf!(
        en: "Your password was right, but this browser did not keep the session, so you are not signed in. Allow cookies for {host}; over plain http the portal can only be used at http://127.0.0.1 or http://localhost on the machine that runs it, elsewhere use its https address.",
        fr: "Votre mot de passe était correct, mais ce navigateur n’a pas gardé la session : vous n’êtes pas connecté. Autorisez les cookies pour {host} ; en http simple, le portail ne s’utilise qu’à http://127.0.0.1 ou http://localhost sur la machine qui le fait tourner, ailleurs utilisez son adresse https."
    )
}
