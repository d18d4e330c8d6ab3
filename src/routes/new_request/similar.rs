//! Open cases of the institution that look like the request being written: a colleague may have
//! reported the same outage already. "Follow this case instead" makes the person a follower of
//! that case (they hear about it as it changes) and opens nothing new; the draft stays.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use portal_core::model::CaseSummary;
use portal_core::similar;

use super::knowledge::debounced;
use crate::api;
use crate::auth::Auth;
use crate::components::badges::{StatusBadge, Time};
use crate::load::load;

/// The similar open cases for the text in `query` (subject and description).
#[component]
pub fn SimilarCases(query: Signal<String>) -> impl IntoView {
    let settled = debounced(query);
    let found = load(move || {
        let text = settled.get();
        async move {
            if similar::worth_asking(&text) {
                api::similar_cases(&text).await.map(|l| l.items)
            } else {
                Ok(Vec::new())
            }
        }
    });
    move || {
        let items = found.ok().unwrap_or_default();
        (!items.is_empty()).then(|| view! {
            <aside class="suggestions similar" aria-labelledby="similar-title">
                <h3 id="similar-title">{t!(en: "Open cases that look similar", fr: "Dossiers ouverts qui se ressemblent")}</h3>
                <p class="hint">{t!(
                    en: "If one of these is the same problem, follow it instead of opening another case: you hear about it as it changes.",
                    fr: "Si l’un d’eux est le même problème, suivez-le au lieu d’ouvrir un autre dossier : vous serez informé de ses changements.")}</p>
                <ul>{items.into_iter().map(|c| view! { <Similar c=c/> }).collect_view()}</ul>
            </aside>
        })
    }
}

#[component]
fn Similar(c: CaseSummary) -> impl IntoView {
    let auth = Auth::get();
    let followed = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let n = c.number.clone();
    let follow = move |_| {
        let n = n.clone();
        busy.set(true);
        spawn_local(async move {
            match api::set_following(&n, true, false).await {
                Ok(_) => followed.set(true),
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let number = c.number.clone();
    let id = format!("follow-{}", c.number.to_ascii_lowercase());
    view! {
        <li class="similar-item">
            <p class="similar-case"><A href=format!("/cases/{}", c.number)><span class="case-number">{c.number.clone()}</span>" "{c.subject.clone()}</A></p>
            <p class="hint"><StatusBadge status=c.status/>" "{ let by = c.opened_by.clone(); tf!(en: "opened by {by}", fr: "ouvert par {by}") }" · "<Time t=c.opened_at/></p>
            {move || if followed.get() {
                let n = number.clone();
                view! { <p class="note note-success" role="status">{tf!(
                    en: "You follow {n} now: you hear about it as it changes. No new case was opened; your draft stays here if you still need it.",
                    fr: "Vous suivez {n} désormais : vous serez informé de ses changements. Aucun nouveau dossier n’a été ouvert ; votre brouillon reste ici si vous en avez encore besoin.")}</p> }.into_any()
            } else {
                view! { <p><button type="button" class="button button-small" id=id.clone() disabled=move || busy.get() on:click=follow.clone()>{t!(en: "Follow this case instead", fr: "Suivre ce dossier plutôt")}</button></p> }.into_any()
            }}
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </li>
    }
}
