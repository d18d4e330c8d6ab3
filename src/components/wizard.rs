//! The level wizard: impact questions from `portal-core`, asked in order; the first "yes" decides
//! the level, all "no" means Level IV. The result and its reason are announced.

use leptos::prelude::*;
use portal_core::level::{wizard_question, wizard_reason, WIZARD_LEVELS};
use portal_core::ImpactAnswers;

use crate::i18n::lang;

/// Asks the impact questions; `answers` are the replies so far (what a draft saves), `answer`
/// records one (question, yes).
#[component]
pub fn LevelWizard(
    #[prop(into)] answers: Signal<[Option<bool>; 3]>,
    answer: Callback<(usize, bool)>,
) -> impl IntoView {
    let shown = move || ImpactAnswers::questions_to_show(&answers.get());
    let result = move || ImpactAnswers::from_partial(&answers.get());
    view! {
        <div class="wizard">
            {WIZARD_LEVELS.iter().enumerate().map(|(i, yes_level)| {
                let question = wizard_question(*yes_level, lang());
                let name = format!("impact-{i}");
                let pick = move |v: bool| answer.run((i, v));
                view! {
                    <Show when=move || { i < shown() }>
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
                        <p><strong>{tf!(en: "Level {id} – {priority}", fr: "Niveau {id} – {priority}")}</strong>{t!(en: ": ", fr: " : ")}{wizard_reason(level, lang())}</p>
                        <p>{tf!(en: "Initial response target: {target}.", fr: "Délai de première réponse : {target}.")}</p>
                    }
                })}
            </div>
        </div>
    }
}
