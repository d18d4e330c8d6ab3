//! "Move to the Ideas Exchange": an open case that asks for new functionality rather than
//! reporting something broken becomes an idea for the institution (`IX-…`, linked to the case)
//! and the case closes with a history entry naming it. Core decides which cases may move.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use portal_core::model::{CaseDetail, NewRouting};
use portal_core::validate;

use crate::api;
use crate::auth::Auth;
use crate::components::ErrorNote;
use crate::i18n::lang;
use crate::load::Load;

/// What is typed (above the view that updates re-render): filled from the case when opened.
#[derive(Clone, Copy)]
pub struct MoveDraft {
    open: RwSignal<bool>,
    title: RwSignal<String>,
    text: RwSignal<String>,
    key: StoredValue<String>,
}

impl MoveDraft {
    /// Nothing typed yet.
    pub fn new() -> MoveDraft {
        MoveDraft {
            open: RwSignal::new(false),
            title: RwSignal::new(String::new()),
            text: RwSignal::new(String::new()),
            key: StoredValue::new(crate::draft::new_idempotency_key()),
        }
    }
}

impl Default for MoveDraft {
    fn default() -> Self {
        Self::new()
    }
}

/// The idea text prepared from the case: its description, then the scenario when it has one.
fn idea_text(d: &CaseDetail) -> String {
    let mut text = d.description.clone();
    let s = &d.scenario;
    if !s.steps.trim().is_empty() {
        text.push_str(&format!(
            "\n\n{}\n{}",
            t!(en: "Steps:", fr: "Étapes :"),
            s.steps
        ));
    }
    if !s.expected.trim().is_empty() {
        text.push_str(&format!(
            "\n\n{} {}",
            t!(en: "Wanted:", fr: "Souhaité :"),
            s.expected
        ));
    }
    let n = &d.summary.number;
    text.push_str(
        &tf!(en: "\n\n(From support case {n}.)", fr: "\n\n(Issu du dossier de support {n}.)"),
    );
    text
}

/// The panel, behind "Move to the Ideas Exchange".
#[component]
pub fn MoveToIdeas(d: CaseDetail, detail: Load<CaseDetail>, draft: MoveDraft) -> impl IntoView {
    let auth = Auth::get();
    let number = d.summary.number.clone();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let from = d.clone();
    let toggle = move |ev: leptos::ev::Event| {
        let open = crate::components::form::details_opened(&ev);
        if open && draft.title.with_untracked(String::is_empty) {
            draft.title.set(from.summary.subject.clone());
            draft.text.set(idea_text(&from));
        }
        draft.open.set(open);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewRouting {
            title: draft.title.get_untracked(),
            description: draft.text.get_untracked(),
        };
        if let Some(e) = validate::routing(&body, lang()).into_iter().next() {
            error.set(Some(e.message));
            crate::components::form::focus(if e.field == "title" {
                "m-title"
            } else {
                "m-text"
            });
            return;
        }
        busy.set(true);
        error.set(None);
        let (n, k) = (number.clone(), draft.key.get_value());
        spawn_local(async move {
            match api::case_to_idea(&n, &body, &k).await {
                Ok(updated) => {
                    draft.open.set(false);
                    detail.value.set(Some(Ok(updated)));
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <details class="card correct" id="to-idea" prop:open=move || draft.open.get() on:toggle=toggle>
            <summary>{t!(en: "Move to the Ideas Exchange", fr: "Déplacer vers l’Ideas Exchange")}</summary>
            <form class="form" on:submit=submit novalidate>
                <p class="hint">{t!(
                    en: "If this asks for new functionality rather than reporting something broken, it belongs on the Ideas Exchange, where the campusM product team reviews ideas. Moving it records the idea for the institution, links it to this case and closes the case.",
                    fr: "Si ceci demande une nouvelle fonctionnalité plutôt que de signaler une panne, sa place est sur l’Ideas Exchange, où l’équipe produit campusM examine les idées. Le déplacer enregistre l’idée pour l’établissement, la relie à ce dossier et clôture le dossier.")}</p>
                <div class="field">
                    <label for="m-title">{t!(en: "Idea title", fr: "Titre de l’idée")}</label>
                    <input id="m-title" type="text" bind:value=draft.title/>
                </div>
                <div class="field">
                    <label for="m-text">{t!(en: "The idea", fr: "L’idée")}</label>
                    <textarea id="m-text" rows="6" bind:value=draft.text></textarea>
                </div>
                <div class="actions-row">
                    <button type="submit" class="button button-primary" id="m-move" disabled=move || busy.get()>{t!(en: "Move it and close the case", fr: "Le déplacer et clôturer le dossier")}</button>
                </div>
                {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
            </form>
        </details>
    }
}

/// Where a moved case went: the hand-off, on "Sent elsewhere", and the Ideas Exchange itself.
#[component]
pub fn MovedNote(reference: String, title: String, text: String) -> impl IntoView {
    let config = crate::use_config();
    let href = format!("/sent?q={}", api::encode(&reference));
    view! {
        <div class="note note-info" id="moved-note">
            <p>{ let r = &reference; tf!(
                en: "Moved to the Ideas Exchange as {r}: it reads like new functionality, which the product team reviews there. ",
                fr: "Déplacé vers l’Ideas Exchange sous {r} : il ressemble à une nouvelle fonctionnalité, que l’équipe produit y examine. ") }
                <A href=href>{t!(en: "See it on Sent elsewhere", fr: "Le voir dans Envoyé ailleurs")}</A>
                {move || config.ok().map(|c| {
                    let post = format!("{}?title={}&description={}", c.ideas_exchange_url, api::encode(&title), api::encode(&text));
                    view! { " · "<a href=post target="_blank" rel="noopener">{t!(en: "Post it on the Ideas Exchange", fr: "La publier sur l’Ideas Exchange")}</a> }
                })}
            </p>
        </div>
    }
}
