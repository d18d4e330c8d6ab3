//! `/join#<token>`: a colleague invited by e-mail sets their name and password, and is signed in.
//! The token stays in the URL's fragment, which the browser never sends to a server.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use portal_core::account;
use portal_core::model::{Acceptance, InvitationOffer};

use crate::api;
use crate::auth::Auth;
use crate::components::badges::Time;
use crate::components::form::{Errors, Field};
use crate::components::ErrorNote;
use crate::i18n::lang;
use crate::routes::password::{link_token, NewPasswordField};

#[derive(Clone, Default)]
struct Draft {
    name: String,
    password: String,
}

/// The page.
#[component]
pub fn JoinPage() -> impl IntoView {
    super::set_title(
        t!(en: "Join the campusM Support Portal", fr: "Rejoindre le portail de support campusM"),
    );
    let auth = Auth::get();
    let navigate = use_navigate();
    let token = link_token();
    let offer = RwSignal::new(None::<Result<InvitationOffer, String>>);
    {
        let token = token.clone();
        spawn_local(async move {
            let r = if token.is_empty() {
                Err(t!(
                    en: "This address holds no invitation. Open the whole link from the e-mail.",
                    fr: "Cette adresse ne contient aucune invitation. Ouvrez le lien complet de l’e-mail.").into())
            } else {
                api::invitation_offer(&token).await.map_err(|e| e.message())
            };
            offer.set(Some(r));
        });
    }
    let draft = RwSignal::new(Draft::default());
    let errors =
        Errors::new(move || draft.with(|d| account::new_account(&d.name, &d.password, lang())));
    let server = RwSignal::new(Vec::<portal_core::model::FieldError>::new());
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let field_error = move |f: &'static str| {
        let local = errors.for_field(f);
        Signal::derive(move || {
            local.get().or_else(|| {
                server.with(|s| s.iter().find(|e| e.field == f).map(|e| e.message.clone()))
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        server.set(Vec::new());
        if let Some(field) = errors.submit() {
            crate::components::form::focus(&format!("join-{field}"));
            return;
        }
        let body = draft.with_untracked(|d| Acceptance {
            token: token.clone(),
            name: d.name.trim().to_string(),
            password: d.password.clone(),
        });
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::accept_invitation(&body).await {
                Ok(me) => {
                    auth.me.set(Some(me));
                    navigate("/", Default::default());
                }
                Err(e) => {
                    let fields = e.field_errors();
                    if fields.is_empty() {
                        error.set(Some(e.message()));
                    } else {
                        if let Some(f) = fields.first() {
                            crate::components::form::focus(&format!("join-{}", f.field));
                        }
                        server.set(fields);
                    }
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{t!(en: "Join the campusM Support Portal", fr: "Rejoindre le portail de support campusM")}</h1>
            {move || match offer.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Checking your invitation…", fr: "Vérification de votre invitation…")}</p> }.into_any(),
                Some(Err(m)) => view! {
                    <ErrorNote message=m/>
                    <p><a href="/sign-in">{t!(en: "Go to sign-in", fr: "Aller à la connexion")}</a></p>
                }.into_any(),
                Some(Ok(o)) => {
                    let (by, inst, role) = (o.invited_by.clone(), o.institution.clone(), o.membership.label(lang()));
                    view! {
                        <p class="lead" id="join-offer">{tf!(en: "{by} invites you to {inst}, as {role}.", fr: "{by} vous invite à rejoindre {inst}, en tant que {role}.")}
                            " "{o.membership.explain(lang())}</p>
                        <form class="card form" on:submit=submit.clone() novalidate>
                            <div class="field">
                                <label for="join-email">{t!(en: "Your e-mail address (you sign in with it)", fr: "Votre adresse e-mail (vous vous connectez avec)")}</label>
                                <input id="join-email" type="email" autocomplete="username" readonly prop:value=o.email.clone()/>
                            </div>
                            <crate::components::form::TextInput id="join-name" label=t!(en: "Your name", fr: "Votre nom")
                                hint=t!(en: "As colleagues and support should see it.", fr: "Tel que vos collègues et le support doivent le voir.")
                                value=Field::of(draft, |d| &d.name, |d| &mut d.name) error=field_error("name") autocomplete="name" required=true/>
                            <NewPasswordField id="join-password" value=Field::of(draft, |d| &d.password, |d| &mut d.password) error=field_error("password")/>
                            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
                            <p class="hint">{t!(en: "The link works until ", fr: "Le lien fonctionne jusqu’au ")}<Time t=o.expires_at/>"."</p>
                            <div><button type="submit" class="button button-primary" id="join-submit" disabled=move || busy.get()>
                                {t!(en: "Create my account", fr: "Créer mon compte")}</button></div>
                        </form>
                    }.into_any()
                }
            }}
        </section>
    }
}
