//! Passwords: `/forgot-password` (asks for a link; the answer is the same for every address) and
//! `/reset-password#<token>` (chooses a new one and signs in), and the new-password field with the
//! rules shown before anyone types.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use portal_core::account;
use portal_core::model::NewPassword;

use crate::api;
use crate::auth::Auth;
use crate::components::form::{Errors, Field};
use crate::components::ErrorNote;
use crate::i18n::lang;

/// The token an e-mailed link carries after `#` (never sent to a server by the browser).
pub fn link_token() -> String {
    window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim()
        .to_string()
}

/// A new password with its rule as the hint and a "Show" toggle (typing a long pass phrase blind
/// is error-prone).
#[component]
pub fn NewPasswordField(
    #[prop(into)] id: String,
    value: Field,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described = {
        let (h, e) = (hint_id.clone(), err_id.clone());
        move || {
            if error.with(Option::is_some) {
                format!("{h} {e}")
            } else {
                h.clone()
            }
        }
    };
    let Field { value, set } = value;
    let min = account::PASSWORD_MIN;
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{t!(en: "New password", fr: "Nouveau mot de passe")}" "<span class="required">{t!(en: "(required)", fr: "(obligatoire)")}</span></label>
            <p class="hint" id=hint_id.clone()>{tf!(
                en: "At least {min} characters. No rules about symbols: a few unrelated words make a strong password that is easy to remember. Common and breached passwords are refused.",
                fr: "Au moins {min} caractères. Aucune règle sur les symboles : quelques mots sans rapport font un mot de passe solide et facile à retenir. Les mots de passe courants et divulgués sont refusés.")}</p>
            <div class="password-row">
                <input id=id.clone() type=move || if shown.get() { "text" } else { "password" } autocomplete="new-password"
                    prop:value=value on:input:target=move |ev| set.set(ev.target().value())
                    aria-required="true" aria-invalid=move || error.with(|e| e.is_some().to_string()) aria-describedby=described/>
                <button type="button" class="button" aria-pressed=move || shown.get().to_string()
                    on:click=move |_| shown.update(|s| *s = !*s)>{t!(en: "Show", fr: "Afficher")}</button>
            </div>
            {move || error.get().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}

/// `/forgot-password`.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    super::set_title(t!(en: "Forgot your password?", fr: "Mot de passe oublié ?"));
    #[derive(Clone, Default)]
    struct Draft {
        email: String,
    }
    let draft = RwSignal::new(Draft::default());
    let errors = Errors::new(move || {
        draft.with(|d| {
            account::email(&d.email, lang())
                .map(|m| vec![portal_core::model::FieldError::new("email", m)])
                .unwrap_or_default()
        })
    });
    let (busy, error, done) = (
        RwSignal::new(false),
        RwSignal::new(None::<String>),
        RwSignal::new(None::<String>),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if errors.submit().is_some() {
            crate::components::form::focus("forgot-email");
            return;
        }
        let email = draft.with_untracked(|d| d.email.trim().to_string());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::forgot_password(&email).await {
                Ok(m) => done.set(Some(m)),
                Err(e) => error.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{t!(en: "Forgot your password?", fr: "Mot de passe oublié ?")}</h1>
            {move || match done.get() {
                Some(m) => view! {
                    <p class="note note-success" role="status" id="forgot-sent">{m}</p>
                    <p><a href="/sign-in">{t!(en: "Back to sign-in", fr: "Retour à la connexion")}</a></p>
                }.into_any(),
                None => view! {
                    <p class="lead">{t!(en: "Enter the address you sign in with. We e-mail you a link to choose a new password; it works once, for an hour.",
                        fr: "Saisissez l’adresse avec laquelle vous vous connectez. Nous vous envoyons un lien pour choisir un nouveau mot de passe ; il fonctionne une fois, pendant une heure.")}</p>
                    <form class="card form" on:submit=submit novalidate>
                        <crate::components::form::TextInput id="forgot-email" label=t!(en: "E-mail address", fr: "Adresse e-mail") hint=""
                            value=Field::of(draft, |d| &d.email, |d| &mut d.email) error=errors.for_field("email")
                            kind="email" autocomplete="username" required=true/>
                        {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
                        <div><button type="submit" class="button button-primary" id="forgot-submit" disabled=move || busy.get()>
                            {t!(en: "E-mail me a link", fr: "M’envoyer un lien")}</button></div>
                    </form>
                    <p><a href="/sign-in">{t!(en: "Back to sign-in", fr: "Retour à la connexion")}</a></p>
                }.into_any(),
            }}
        </section>
    }
}

/// `/reset-password#<token>`.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    super::set_title(t!(en: "Choose a new password", fr: "Choisir un nouveau mot de passe"));
    #[derive(Clone, Default)]
    struct Draft {
        password: String,
    }
    let auth = Auth::get();
    let navigate = use_navigate();
    let token = link_token();
    let draft = RwSignal::new(Draft::default());
    let errors = Errors::new(move || {
        draft.with(|d| {
            account::password(&d.password, lang())
                .map(|m| vec![portal_core::model::FieldError::new("password", m)])
                .unwrap_or_default()
        })
    });
    let server = RwSignal::new(None::<String>);
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let local = errors.for_field("password");
    let field_error = Signal::derive(move || local.get().or_else(|| server.get()));
    let missing = token.is_empty();
    // The account has two-step sign-in: the new password is set; the code comes next.
    let challenge = RwSignal::new(None::<String>);
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if challenge.with_untracked(Option::is_some) && auth.me.with(Option::is_some) {
                navigate("/", Default::default());
            }
        });
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        server.set(None);
        if errors.submit().is_some() {
            crate::components::form::focus("reset-password");
            return;
        }
        let body = NewPassword {
            token: token.clone(),
            password: draft.with_untracked(|d| d.password.clone()),
        };
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::reset_password(&body).await {
                Ok(api::SignedIn::Me(me)) => {
                    auth.me.set(Some(me));
                    navigate("/", Default::default());
                }
                Ok(api::SignedIn::Code(c)) => challenge.set(Some(c)),
                Err(e) => match e.field_errors().into_iter().next() {
                    Some(f) => {
                        server.set(Some(f.message));
                        crate::components::form::focus("reset-password");
                    }
                    None => error.set(Some(e.message())),
                },
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{t!(en: "Choose a new password", fr: "Choisir un nouveau mot de passe")}</h1>
            {missing.then(|| view! {
                <ErrorNote message=t!(en: "This address holds no reset link. Open the whole link from the e-mail, or ask for a new one.",
                    fr: "Cette adresse ne contient aucun lien de réinitialisation. Ouvrez le lien complet de l’e-mail, ou demandez-en un nouveau.")/>
            })}
            <p class="lead">{t!(en: "Choosing it signs you out everywhere else and signs you in here.",
                fr: "Le choisir vous déconnecte partout ailleurs et vous connecte ici.")}</p>
            {move || challenge.get().map(|c| view! {
                <p class="note note-success" role="status">{t!(en: "Your new password is set. Now the code from your authenticator app.",
                    fr: "Votre nouveau mot de passe est enregistré. Maintenant, le code de votre application d’authentification.")}</p>
                <crate::routes::code_step::CodeStep challenge=c on_restart=Callback::new(move |_m: String| {
                    challenge.set(None);
                })/>
            })}
            <form class="card form" on:submit=submit novalidate hidden=move || challenge.with(Option::is_some)>
                <NewPasswordField id="reset-password" value=Field::of(draft, |d| &d.password, |d| &mut d.password) error=field_error/>
                {move || error.get().map(|m| view! {
                    <ErrorNote message=m/>
                    <p><a href="/forgot-password">{t!(en: "Ask for a new link", fr: "Demander un nouveau lien")}</a></p>
                })}
                <div><button type="submit" class="button button-primary" id="reset-submit" disabled=move || busy.get() || missing>
                    {t!(en: "Set the new password", fr: "Enregistrer le nouveau mot de passe")}</button></div>
            </form>
        </section>
    }
}
