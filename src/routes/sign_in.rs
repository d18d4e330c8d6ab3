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
    let sso_error = query
        .with_untracked(|q| q.get("sso-error"))
        .map(|code| sso_failure(&code));
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
                <CodeStep challenge=c on_restart=Callback::new(move |m: String| {
                    challenge.set(None);
                    error.set(Some(m));
                })/>
            })}
            {sso_error.map(|m| view! { <div class="note note-error" role="alert" id="sso-error"><p>{m}</p></div> })}
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

/// What a single sign-on that came back without signing in means, for people.
fn sso_failure(code: &str) -> String {
    match code {
        "expired" => t!(en: "That sign-in through your institution took too long or was opened in another browser. Try again.",
            fr: "Cette connexion par votre établissement a pris trop de temps ou a été ouverte dans un autre navigateur. Réessayez."),
        "refused" => t!(en: "Your institution's sign-in did not complete (it was cancelled or refused). Try again, or sign in with your password.",
            fr: "La connexion par votre établissement n’a pas abouti (annulée ou refusée). Réessayez, ou connectez-vous avec votre mot de passe."),
        "unverified" => t!(en: "Your institution's sign-in did not confirm your e-mail address, so the portal cannot tell which account is yours. Ask your IT team, or sign in with your password.",
            fr: "La connexion de votre établissement n’a pas confirmé votre adresse e-mail : le portail ne peut pas savoir quel compte est le vôtre. Demandez à votre service informatique, ou connectez-vous avec votre mot de passe."),
        "no-account" => t!(en: "You signed in at your institution, but you have no account in the support portal yet. Ask your institution's portal administrator to invite you.",
            fr: "Vous vous êtes connecté auprès de votre établissement, mais vous n’avez pas encore de compte sur le portail de support. Demandez à l’administrateur du portail de votre établissement de vous inviter."),
        "other-institution" => t!(en: "Your e-mail address belongs to an account of another institution (or of support) in the portal. Sign in with your password instead.",
            fr: "Votre adresse e-mail appartient à un compte d’un autre établissement (ou du support) dans le portail. Connectez-vous plutôt avec votre mot de passe."),
        "deactivated" => t!(en: "Your institution's administrator deactivated your portal account. Ask them to reactivate it.",
            fr: "L’administrateur de votre établissement a désactivé votre compte du portail. Demandez-lui de le réactiver."),
        _ => t!(en: "Your institution's sign-in cannot be reached right now. Try again in a moment, or sign in with your password.",
            fr: "La connexion de votre établissement est injoignable pour le moment. Réessayez dans un instant, ou connectez-vous avec votre mot de passe."),
    }
    .to_string()
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
