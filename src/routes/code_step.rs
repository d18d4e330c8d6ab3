//! The code step of signing in (two-step sign-in) and the reasons single sign-on gives for not
//! signing in: in the account pages' part of the wasm (`page_account`), since most sign-ins need
//! neither.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::auth::Auth;
use crate::routes::sign_in::cookie_refused;

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

/// What a single sign-on that came back without signing in means, for people.
pub fn sso_failure(code: &str) -> String {
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
pub(crate) async fn confirm_kept(auth: Auth, error: RwSignal<Option<String>>) {
    match api::me().await {
        Ok(Some(me)) => auth.me.set(Some(me)),
        Ok(None) => error.set(Some(cookie_refused())),
        Err(err) => error.set(Some(err.message())),
    }
}
