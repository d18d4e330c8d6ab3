//! `/account`: who is signed in, and what they want to hear about by e-mail, in which language.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::model::Preferences;
use portal_core::notify::Preference;
use portal_core::{Lang, Role};

use crate::api;
use crate::auth::Auth;
use crate::components::ErrorNote;
use crate::i18n::lang;
use crate::load::load;

/// The page.
#[component]
pub fn AccountPage() -> impl IntoView {
    super::set_title(t!(en: "Your account", fr: "Votre compte"));
    let auth = Auth::get();
    let prefs = load(api::preferences);
    let chosen = RwSignal::new(None::<Preferences>);
    Effect::new(move |_| {
        if let Some(p) = prefs.ok() {
            if chosen.get_untracked().is_none() {
                chosen.set(Some(p));
            }
        }
    });
    let (busy, error, saved) = (
        RwSignal::new(false),
        RwSignal::new(None::<String>),
        RwSignal::new(false),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = chosen.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        saved.set(false);
        spawn_local(async move {
            match api::update_preferences(&p).await {
                Ok(_) => saved.set(true),
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let who = move || {
        auth.me.with(|m| {
            m.as_ref().map(|m| {
                let inst = m
                    .institution
                    .as_ref()
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| t!(en: "Ex Libris support", fr: "Support Ex Libris").into());
                format!("{} · {} · {}", m.user.name, m.user.email, inst)
            })
        })
    };
    let customer = auth.role() == Role::Customer;
    view! {
        <section class="page narrow-page">
            <h1>{t!(en: "Your account", fr: "Votre compte")}</h1>
            <p class="lead">{who}</p>
            <form class="card form" on:submit=save novalidate>
                <fieldset>
                    <legend>{t!(en: "E-mails about your cases", fr: "E-mails sur vos dossiers")}</legend>
                    <p class="hint">{t!(en: "About the cases you opened or follow: when support replies, asks you something, proposes a solution, or the case changes.",
                        fr: "Sur les dossiers que vous avez ouverts ou suivez : quand le support répond, vous demande quelque chose, propose une solution, ou que le dossier change.")}</p>
                    <div class="choices">
                        {Preference::ALL.into_iter().map(|p| view! {
                            <label class="choice-pill"><input type="radio" name="notify" value=p.as_str()
                                prop:checked=move || chosen.with(|c| c.is_some_and(|c| c.notify == p))
                                on:change=move |_| chosen.update(|c| if let Some(c) = c { c.notify = p })/>{p.label(lang())}</label>
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="field">
                    <label for="mail-lang">{t!(en: "Language of the e-mails", fr: "Langue des e-mails")}</label>
                    <select id="mail-lang" on:change:target=move |ev| {
                        let l = Lang::from_tag(&ev.target().value()).unwrap_or_default();
                        chosen.update(|c| if let Some(c) = c { c.lang = l });
                    }>
                        {Lang::ALL.into_iter().map(|l| view! {
                            <option value=l.code() selected=move || chosen.with(|c| c.is_some_and(|c| c.lang == l))>{l.name()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
                {move || saved.get().then(|| view! { <p class="note note-success" role="status">{t!(en: "Saved.", fr: "Enregistré.")}</p> })}
                <div><button type="submit" class="button button-primary" id="save-preferences" disabled=move || busy.get() || chosen.with(Option::is_none)>{t!(en: "Save", fr: "Enregistrer")}</button></div>
            </form>
            {customer.then(|| view! {
                <p><a href="/access-profile">{t!(en: "Your institution's support access profile", fr: "Le profil d’accès pour le support de votre établissement")}</a></p>
            })}
        </section>
    }
}
