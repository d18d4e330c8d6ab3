//! The write-only fields for the secrets support needs (app credentials, Connect Layer access),
//! used on a case and in the institution's support access profile. What is typed stays in memory
//! only: never in a draft, never sent back.

use leptos::prelude::*;
use portal_core::model::Credentials;
use portal_core::secrets::{NewSecrets, SecretKind};

use crate::components::form::{focus, Errors, TextInput};
use crate::components::ErrorNote;
use crate::i18n::lang;

/// What is being typed.
#[derive(Clone, Copy)]
pub struct SecretsDraft {
    /// App user name.
    pub user: RwSignal<String>,
    /// App password.
    pub pass: RwSignal<String>,
    /// Connect Layer access details.
    pub connect: RwSignal<String>,
}

impl SecretsDraft {
    /// Empty fields.
    pub fn new() -> SecretsDraft {
        SecretsDraft {
            user: RwSignal::new(String::new()),
            pass: RwSignal::new(String::new()),
            connect: RwSignal::new(String::new()),
        }
    }

    /// What to send (tracked): each kind that has something typed.
    pub fn to_new(&self) -> NewSecrets {
        let (user, pass, connect) = (self.user.get(), self.pass.get(), self.connect.get());
        NewSecrets {
            app_credentials: (!user.is_empty() || !pass.is_empty()).then_some(Credentials {
                username: user,
                password: pass,
            }),
            connect_layer_access: (!connect.trim().is_empty()).then_some(connect),
        }
    }

    /// Forgets what was typed.
    pub fn clear(&self) {
        for s in [self.user, self.pass, self.connect] {
            s.set(String::new());
        }
    }
}

impl Default for SecretsDraft {
    fn default() -> Self {
        Self::new()
    }
}

fn id_of(prefix: &'static str, field: &str) -> String {
    let suffix = match field {
        "app_credentials.password" => "pass",
        "connect_layer_access" => "connect",
        _ => "user",
    };
    format!("{prefix}-{suffix}")
}

/// The fields and a button; `submit` runs with what to send once it is complete. `connect_layer`:
/// the institution has one (its field shows); `requested`: what support asked for (marked).
#[component]
pub fn SecretsForm(
    /// Element ids start with this.
    prefix: &'static str,
    draft: SecretsDraft,
    connect_layer: bool,
    #[prop(optional)] requested: Vec<SecretKind>,
    #[prop(into)] button: String,
    submit: Callback<NewSecrets>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let errors = Errors::new(move || draft.to_new().validate(lang()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if let Some(field) = errors.submit() {
            focus(&id_of(prefix, &field));
            return;
        }
        submit.run(draft.to_new());
    };
    let asked = |k: SecretKind| requested.contains(&k);
    let (ask_creds, ask_connect) = (
        asked(SecretKind::AppCredentials),
        asked(SecretKind::ConnectLayer),
    );
    view! {
        <form class="form secrets-form" on:submit=on_submit novalidate>
            <fieldset class="group">
                <legend>{t!(en: "Working app credentials", fr: "Identifiants de l’application qui fonctionnent")}
                    {ask_creds.then(|| view! { " "<span class="badge badge-asked">{t!(en: "Support asks for these", fr: "Le support les demande")}</span> })}</legend>
                <div class="grid-2">
                    <TextInput id=format!("{prefix}-user") label=t!(en: "App user name", fr: "Nom d’utilisateur de l’application") hint="" value=draft.user error=errors.for_field("app_credentials.username") autocomplete="off"/>
                    <TextInput id=format!("{prefix}-pass") label=t!(en: "App password", fr: "Mot de passe de l’application") hint="" value=draft.pass error=errors.for_field("app_credentials.password") kind="password" autocomplete="new-password"/>
                </div>
            </fieldset>
            {connect_layer.then(|| view! {
                <TextInput multiline=true id=format!("{prefix}-connect")
                    label=if ask_connect { t!(en: "Remote access to your local Connect Layer (support asks for it)", fr: "Accès à distance à votre Connect Layer local (le support le demande)") } else { t!(en: "Remote access to your local Connect Layer", fr: "Accès à distance à votre Connect Layer local") }
                    hint=t!(en: "How support reaches it: VPN or jump host, address, and who grants access.", fr: "Comment le support y accède : VPN ou serveur de rebond, adresse, et qui accorde l’accès.")
                    value=draft.connect error=errors.for_field("connect_layer_access")/>
            })}
            <p class="hint">{t!(en: "Sealed when they arrive and readable by support only; you will see on the case when support views them. Leave a part empty to keep what was given.",
                fr: "Scellés dès leur arrivée et lisibles par le support uniquement ; vous verrez sur le dossier quand le support les consulte. Laissez une partie vide pour garder ce qui a été donné.")}</p>
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
            <div class="actions-row">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || if busy.get() { t!(en: "Sending…", fr: "Envoi…").to_string() } else { button.clone() }}
                </button>
            </div>
        </form>
    }
}
