//! Correcting an open case after sending (the opener, or support): environment, product area and
//! the scenario. Each change lands in the history with its old and new value; raising the level is
//! the escalation's job, not this form's.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::model::{CaseCorrection, CaseDetail, Environment, FieldChange, Scenario};
use portal_core::validate;

use crate::api;
use crate::auth::Auth;
use crate::components::ErrorNote;
use crate::i18n::lang;
use crate::load::Load;

/// What is typed in the form (above the view that updates re-render); `None` until it is opened,
/// then filled from the case.
#[derive(Clone, Copy)]
pub struct CorrectionDraft {
    open: RwSignal<bool>,
    environment: RwSignal<Option<Environment>>,
    area: RwSignal<String>,
    steps: RwSignal<String>,
    expected: RwSignal<String>,
    actual: RwSignal<String>,
}

impl CorrectionDraft {
    /// Nothing typed yet.
    pub fn new() -> CorrectionDraft {
        CorrectionDraft {
            open: RwSignal::new(false),
            environment: RwSignal::new(None),
            area: RwSignal::new(String::new()),
            steps: RwSignal::new(String::new()),
            expected: RwSignal::new(String::new()),
            actual: RwSignal::new(String::new()),
        }
    }

    fn fill(&self, d: &CaseDetail) {
        self.environment.set(Some(d.environment));
        self.area.set(d.product_area.clone());
        self.steps.set(d.scenario.steps.clone());
        self.expected.set(d.scenario.expected.clone());
        self.actual.set(d.scenario.actual.clone());
    }
}

impl Default for CorrectionDraft {
    fn default() -> Self {
        Self::new()
    }
}

/// A field's name in a correction, for people.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "environment" => t!(en: "Environment", fr: "Environnement"),
        "product_area" => t!(en: "Product area", fr: "Domaine du produit"),
        "scenario.steps" => t!(en: "Steps", fr: "Étapes"),
        "scenario.expected" => t!(en: "Expected", fr: "Résultat attendu"),
        _ => t!(en: "Actual", fr: "Résultat obtenu"),
    }
}

/// The changes of a correction entry: short values as "old → new", texts before and after.
#[component]
pub fn Changes(changes: Vec<FieldChange>) -> impl IntoView {
    view! {
        <ul class="changes">
            {changes.into_iter().map(|c| {
                let label = field_label(&c.field);
                if c.field.starts_with("scenario.") {
                    view! {
                        <li><details><summary>{tf!(en: "{label} changed", fr: "{label} : modifié")}</summary>
                            <p class="prose"><strong>{t!(en: "Before: ", fr: "Avant : ")}</strong>{c.from}</p>
                            <p class="prose"><strong>{t!(en: "Now: ", fr: "Maintenant : ")}</strong>{c.to}</p>
                        </details></li>
                    }.into_any()
                } else {
                    view! { <li>{label}{t!(en: ": ", fr: " : ")}<del>{c.from}</del>" → "<ins>{c.to}</ins></li> }.into_any()
                }
            }).collect_view()}
        </ul>
    }
}

/// The form, behind "Correct the details".
#[component]
pub fn CorrectDetails(
    d: CaseDetail,
    detail: Load<CaseDetail>,
    draft: CorrectionDraft,
) -> impl IntoView {
    let auth = Auth::get();
    let config = crate::use_config();
    let number = d.summary.number.clone();
    let (kind, level) = (d.summary.kind, d.summary.level);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let open_with = d.clone();
    let toggle = move |ev: leptos::ev::Event| {
        let open = crate::components::form::details_opened(&ev);
        if open && !draft.open.get_untracked() {
            draft.fill(&open_with);
        }
        draft.open.set(open);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CaseCorrection {
            environment: draft.environment.get_untracked(),
            product_area: Some(draft.area.get_untracked()),
            scenario: Some(Scenario {
                steps: draft.steps.get_untracked(),
                expected: draft.expected.get_untracked(),
                actual: draft.actual.get_untracked(),
            }),
        };
        if let Some(e) = validate::correction(&body, kind, level, lang())
            .into_iter()
            .next()
        {
            error.set(Some(e.message));
            return;
        }
        busy.set(true);
        error.set(None);
        let n = number.clone();
        spawn_local(async move {
            match api::correct_case(&n, &body).await {
                Ok(updated) => {
                    draft.open.set(false);
                    saved.set(true);
                    detail.value.set(Some(Ok(updated)));
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let env_choice = move |e: Environment, id: &'static str, label: &'static str| {
        view! {
            <label class="choice-pill" for=id>
                <input type="radio" name="c-env" id=id prop:checked=move || draft.environment.get() == Some(e)
                    on:change=move |_| draft.environment.set(Some(e))/>
                {label}
            </label>
        }
    };
    view! {
        <details class="card correct" prop:open=move || draft.open.get() on:toggle=toggle>
            <summary>{t!(en: "Correct the details", fr: "Corriger les informations")}</summary>
            <form class="form" on:submit=submit novalidate>
                <p class="hint">{t!(
                    en: "Picked the wrong environment or product area, or the steps need fixing? Each change shows in the history with the old and new value. To raise the level, use “Raise the response level”.",
                    fr: "Mauvais environnement ou domaine du produit, ou des étapes à corriger ? Chaque changement apparaît dans l’historique avec l’ancienne et la nouvelle valeur. Pour relever le niveau, utilisez « Relever le niveau de réponse ».")}</p>
                <fieldset class="field">
                    <legend>{t!(en: "Environment", fr: "Environnement")}</legend>
                    <div class="choices-inline">
                        {env_choice(Environment::Production, "c-env-production", t!(en: "Production", fr: "Production"))}
                        {env_choice(Environment::Sandbox, "c-env-sandbox", t!(en: "Sandbox", fr: "Sandbox"))}
                    </div>
                </fieldset>
                <div class="field">
                    <label for="c-area">{t!(en: "Product area", fr: "Domaine du produit")}</label>
                    <select id="c-area" on:change:target=move |ev| draft.area.set(ev.target().value())>
                        {move || config.ok().map(|c| c.product_areas.into_iter().map(|a| {
                            let v = a.value.clone();
                            view! { <option value=a.value prop:selected=move || draft.area.get() == v>{a.label}</option> }
                        }).collect_view())}
                    </select>
                </div>
                <div class="field">
                    <label for="c-steps">{t!(en: "Steps", fr: "Étapes")}</label>
                    <textarea id="c-steps" rows="4" bind:value=draft.steps></textarea>
                </div>
                <div class="grid-2">
                    <div class="field">
                        <label for="c-expected">{t!(en: "Expected result", fr: "Résultat attendu")}</label>
                        <textarea id="c-expected" rows="3" bind:value=draft.expected></textarea>
                    </div>
                    <div class="field">
                        <label for="c-actual">{t!(en: "Actual result", fr: "Résultat obtenu")}</label>
                        <textarea id="c-actual" rows="3" bind:value=draft.actual></textarea>
                    </div>
                </div>
                <div class="actions-row">
                    <button type="submit" class="button button-primary" id="c-save" disabled=move || busy.get()>{t!(en: "Save the corrections", fr: "Enregistrer les corrections")}</button>
                </div>
                {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
            </form>
        </details>
        {move || saved.get().then(|| view! { <p class="note note-success" role="status">{t!(en: "Corrected: the history shows what changed.", fr: "Corrigé : l’historique montre ce qui a changé.")}</p> })}
    }
}
