//! Feedback on support's answer, once the case is closed: the customer rates it (1 to 5) with
//! optional words, and can change it for 14 days (`portal_core::feedback`); support reads it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::feedback;
use portal_core::model::{CaseDetail, NewRating};
use portal_core::{validate, CaseStatus, Role};

use crate::api;
use crate::auth::Auth;
use crate::components::badges::Time;
use crate::components::ErrorNote;
use crate::i18n::lang;
use crate::load::Load;

/// The rating card: a form for the customer while it may change, else what was said.
#[component]
pub fn RatingCard(d: CaseDetail, detail: Load<CaseDetail>, role: Role) -> impl IntoView {
    let auth = Auth::get();
    let number = d.summary.number.clone();
    let closed = d.summary.status == CaseStatus::Closed;
    let given = d.rating.clone();
    let may = feedback::may_rate(
        role,
        d.summary.status,
        given.as_ref().map(|r| r.first_rated_at),
        chrono::Utc::now(),
    );
    let score = RwSignal::new(given.as_ref().map_or(0, |r| r.score));
    let comment = RwSignal::new(
        given
            .as_ref()
            .map(|r| r.comment.clone())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let errors = validate::rating(score.get_untracked(), &comment.get_untracked(), lang());
        if let Some(e) = errors.first() {
            error.set(Some(e.message.clone()));
            crate::components::form::focus(if e.field == "score" {
                "rating-1"
            } else {
                "rating-comment"
            });
            return;
        }
        busy.set(true);
        error.set(None);
        let (n, body) = (
            number.clone(),
            NewRating {
                score: score.get_untracked(),
                comment: comment.get_untracked(),
            },
        );
        spawn_local(async move {
            match api::rate(&n, &body).await {
                // The case with its rating: this card shows it, and "Change your rating".
                Ok(d) => detail.value.set(Some(Ok(d))),
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let shown = given.clone().map(|r| {
        let label = feedback::score_label(r.score, lang());
        view! {
            <p class="rating-given"><strong>{label}</strong>" · "{r.by.clone()}" · "<Time t=r.rated_at/></p>
            {(!r.comment.is_empty()).then(|| view! { <p class="prose">{r.comment.clone()}</p> })}
        }
    });
    (closed && (may || given.is_some())).then(|| {
        if may {
            view! {
                <form class="card form" id="rating" on:submit=submit novalidate>
                    <h2>{if given.is_some() { t!(en: "Change your rating", fr: "Modifier votre évaluation") } else { t!(en: "How well did support answer?", fr: "La réponse du support vous a-t-elle satisfait ?") }}</h2>
                    <fieldset class="rating-scale">
                        <legend>{t!(en: "Your rating, from 1 (poor) to 5 (excellent)", fr: "Votre note, de 1 (insuffisant) à 5 (excellent)")}</legend>
                        <div class="rating-options">
                            {(1u8..=5).map(|n| {
                                let (id, for_id) = (format!("rating-{n}"), format!("rating-{n}"));
                                view! {
                                    <label class="rating-option" for=for_id>
                                        <input type="radio" name="rating" id=id value=n.to_string()
                                            prop:checked=move || score.get() == n on:change=move |_| score.set(n)/>
                                        <span>{feedback::score_label(n, lang())}</span>
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <div class="field">
                        <label for="rating-comment">{t!(en: "Anything to add? (optional)", fr: "Quelque chose à ajouter ? (facultatif)")}</label>
                        <textarea id="rating-comment" rows="3" bind:value=comment></textarea>
                    </div>
                    <div class="actions-row">
                        <button type="submit" class="button button-primary" disabled=move || busy.get()>{if given.is_some() { t!(en: "Change rating", fr: "Modifier la note") } else { t!(en: "Send rating", fr: "Envoyer la note") }}</button>
                    </div>
                    {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
                    {shown.map(|s| view! { <div class="note note-success" role="status"><p>{t!(en: "Thank you: support sees your rating on the case.", fr: "Merci : le support voit votre note sur le dossier.")}</p>{s}</div> })}
                </form>
            }.into_any()
        } else {
            view! {
                <section class="card" id="rating">
                    <h2>{if role == Role::Agent { t!(en: "The customer's rating", fr: "La note du client") } else { t!(en: "Your rating", fr: "Votre note") }}</h2>
                    {shown}
                </section>
            }.into_any()
        }
    })
}
