//! The level wizard: impact questions from `portal-core`, asked in order; the first "yes" decides
//! the level, all "no" means Level IV. The result and its reason are announced.

use leptos::prelude::*;
use portal_core::level::WIZARD_QUESTIONS;
use portal_core::ImpactAnswers;

/// Asks the impact questions; `answers` holds the replies (and is what a draft saves).
#[component]
pub fn LevelWizard(answers: RwSignal<[Option<bool>; 3]>) -> impl IntoView {
    let shown = move || ImpactAnswers::questions_to_show(&answers.get());
    let result = move || ImpactAnswers::from_partial(&answers.get());
    view! {
        <div class="wizard">
            {WIZARD_QUESTIONS.iter().enumerate().map(|(i, (question, _))| {
                let name = format!("impact-{i}");
                let pick = move |v: bool| answers.update(|a| a[i] = Some(v));
                view! {
                    <Show when=move || { i < shown() }>
                        <fieldset class="question">
                            <legend>{*question}</legend>
                            <div class="choices-inline">
                                <label class="choice-pill">
                                    <input type="radio" name=name.clone() value="yes" id=format!("impact-{i}-yes")
                                        prop:checked=move || answers.get()[i] == Some(true) on:change=move |_| pick(true)/>
                                    "Yes"
                                </label>
                                <label class="choice-pill">
                                    <input type="radio" name=name.clone() value="no" id=format!("impact-{i}-no")
                                        prop:checked=move || answers.get()[i] == Some(false) on:change=move |_| pick(false)/>
                                    "No"
                                </label>
                            </div>
                        </fieldset>
                    </Show>
                }
            }).collect_view()}
            <div class="wizard-result" role="status" aria-live="polite">
                {move || result().map(|(level, reason)| view! {
                    <p><strong>{format!("Level {} – {}", level.as_str(), level.priority())}</strong>": "{reason}</p>
                    <p>{format!("Initial response target: {}.", level.target_text())}</p>
                })}
            </div>
        </div>
    }
}
