//! The level wizard: the impact questions from `portal-core` that fit the request, asked in order;
//! the first "yes" decides the level, all "no" means Level IV. A question is Level IV without
//! asking; a sandbox is only asked whether a feature works incorrectly. The environment is chosen
//! here, before the questions, because it decides which ones fit. The result and its reason are
//! announced.

use leptos::prelude::*;
use portal_core::level::{decide, questions_shown, wizard_question, wizard_reason, WIZARD_LEVELS};
use portal_core::model::Environment;
use portal_core::RequestKind;

use crate::i18n::lang;

/// Asks where the problem is and the impact questions that fit; `answers` are the replies so far
/// (what a draft saves), `answer` records one (question, yes), `choose` the environment.
#[component]
pub fn LevelWizard(
    #[prop(into)] kind: Signal<RequestKind>,
    #[prop(into)] environment: Signal<Environment>,
    choose: Callback<Environment>,
    #[prop(into)] answers: Signal<[Option<bool>; 3]>,
    answer: Callback<(usize, bool)>,
) -> impl IntoView {
    let shown = Memo::new(move |_| questions_shown(kind.get(), environment.get(), &answers.get()));
    let result = move || decide(kind.get(), environment.get(), &answers.get());
    view! {
        <div class="wizard">
            <fieldset class="question">
                <legend>{t!(en: "Where does it happen?", fr: "Où cela se produit-il ?")}</legend>
                <div class="choices-inline">
                    {Environment::ALL.into_iter().map(|env| view! {
                        <label class="choice-pill">
                            <input type="radio" name="env" value=env.as_str() id=format!("env-{}", env.as_str())
                                prop:checked=move || environment.get() == env on:change=move |_| choose.run(env)/>
                            {match env {
                                Environment::Production => t!(en: "Production", fr: "Production"),
                                Environment::Sandbox => t!(en: "Sandbox", fr: "Sandbox"),
                            }}
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            {WIZARD_LEVELS.iter().enumerate().map(|(i, yes_level)| {
                let question = move || wizard_question(*yes_level, environment.get(), lang());
                let name = format!("impact-{i}");
                let pick = move |v: bool| answer.run((i, v));
                view! {
                    <Show when=move || shown.with(|s| s.contains(&i))>
                        <fieldset class="question">
                            <legend>{question}</legend>
                            <div class="choices-inline">
                                <label class="choice-pill">
                                    <input type="radio" name=name.clone() value="yes" id=format!("impact-{i}-yes")
                                        prop:checked=move || answers.get()[i] == Some(true) on:change=move |_| pick(true)/>
                                    {t!(en: "Yes", fr: "Oui")}
                                </label>
                                <label class="choice-pill">
                                    <input type="radio" name=name.clone() value="no" id=format!("impact-{i}-no")
                                        prop:checked=move || answers.get()[i] == Some(false) on:change=move |_| pick(false)/>
                                    {t!(en: "No", fr: "Non")}
                                </label>
                            </div>
                        </fieldset>
                    </Show>
                }
            }).collect_view()}
            <div class="wizard-result" role="status" aria-live="polite">
                {move || result().map(|level| {
                    let (id, priority, target) = (level.as_str(), level.priority(lang()), level.target_text(lang()));
                    view! {
                        <p><strong>{tf!(en: "Level {id} – {priority}", fr: "Niveau {id} – {priority}")}</strong>{t!(en: ": ", fr: " : ")}{wizard_reason(level, environment.get(), lang())}</p>
                        <p>{tf!(en: "Initial response target: {target}.", fr: "Délai de première réponse : {target}.")}</p>
                    }
                })}
            </div>
        </div>
    }
}
