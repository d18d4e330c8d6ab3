//! Who hears about a case: its followers, following / muting it, adding a colleague; raising its
//! level (an escalation, which alerts the 24/7 line for Level I/II); and, for support, the
//! e-mails about it that could not be delivered.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::model::{CaseDetail, EntryKind};
use portal_core::{validate, Level, Role};

use crate::api::{self, ApiResult};
use crate::auth::Auth;
use crate::components::badges::Time;
use crate::components::ErrorNote;
use crate::i18n::lang;
use crate::load::{load, Load};

/// What is typed in these forms (above the view that updates re-render).
#[derive(Clone, Copy)]
pub struct PeopleDrafts {
    colleague: RwSignal<String>,
    level: RwSignal<String>,
    reason: RwSignal<String>,
}

impl PeopleDrafts {
    /// Nothing typed yet.
    pub fn new() -> PeopleDrafts {
        PeopleDrafts {
            colleague: RwSignal::new(String::new()),
            level: RwSignal::new(String::new()),
            reason: RwSignal::new(String::new()),
        }
    }
}

impl Default for PeopleDrafts {
    fn default() -> Self {
        Self::new()
    }
}

fn finish(
    auth: Auth,
    detail: Load<CaseDetail>,
    error: RwSignal<Option<String>>,
    r: ApiResult<CaseDetail>,
) -> bool {
    match r {
        Ok(d) => {
            detail.value.set(Some(Ok(d)));
            true
        }
        Err(e) => {
            error.set(Some(auth.handle(&e)));
            false
        }
    }
}

/// Followers, following and muting, and (customers) adding a colleague.
#[component]
pub fn People(
    d: CaseDetail,
    detail: Load<CaseDetail>,
    drafts: PeopleDrafts,
    role: Role,
) -> impl IntoView {
    let number = StoredValue::new(d.summary.number.clone());
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    // Answers arrive outside any owner: take the context now.
    let auth = Auth::get();
    let set = move |following: bool, muted: bool| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let r = api::set_following(&number.get_value(), following, muted).await;
            finish(auth, detail, error, r);
            busy.set(false);
        });
    };
    let colleagues = load(move || async move {
        if role == Role::Customer {
            api::colleagues().await
        } else {
            Ok(Vec::new())
        }
    });
    let me = Auth::get().email().unwrap_or_default();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let email = drafts.colleague.get_untracked();
        if email.is_empty() {
            error.set(Some(
                t!(en: "Choose a colleague.", fr: "Choisissez un collègue.").into(),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            if finish(
                auth,
                detail,
                error,
                api::add_follower(&number.get_value(), &email).await,
            ) {
                drafts.colleague.set(String::new());
            }
            busy.set(false);
        });
    };
    let (following, muted) = (d.following, d.muted);
    let names: Vec<String> = d.followers.iter().map(|f| f.name.clone()).collect();
    view! {
        <section class="card people" aria-labelledby="people-title">
            <h2 id="people-title">{t!(en: "Who hears about this case", fr: "Qui est informé de ce dossier")}</h2>
            <p>{if names.is_empty() {
                t!(en: "Its opener, and the support agent it is assigned to, hear about it by e-mail.", fr: "La personne qui l’a ouvert, et l’agent du support à qui il est attribué, en sont informés par e-mail.").to_string()
            } else {
                let list = names.join(", ");
                tf!(en: "Its opener, the agent it is assigned to, and: {list}.", fr: "La personne qui l’a ouvert, l’agent à qui il est attribué, et : {list}.")
            }}</p>
            <div class="actions-row">
                {if muted {
                    view! { <button type="button" class="button" disabled=move || busy.get() on:click=move |_| set(true, false)>{t!(en: "Unmute: e-mail me again", fr: "Réactiver les e-mails")}</button> }.into_any()
                } else if following {
                    view! {
                        <button type="button" class="button" disabled=move || busy.get() on:click=move |_| set(false, false)>{t!(en: "Stop following", fr: "Ne plus suivre")}</button>
                        <button type="button" class="button button-quiet" disabled=move || busy.get() on:click=move |_| set(false, true)>{t!(en: "Mute this case", fr: "Couper les e-mails de ce dossier")}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" id="follow" disabled=move || busy.get() on:click=move |_| set(true, false)>{t!(en: "Follow this case", fr: "Suivre ce dossier")}</button>
                        <button type="button" class="button button-quiet" disabled=move || busy.get() on:click=move |_| set(false, true)>{t!(en: "Mute this case", fr: "Couper les e-mails de ce dossier")}</button>
                    }.into_any()
                }}
            </div>
            {(role == Role::Customer).then(|| view! {
                <form class="field" on:submit=add novalidate>
                    <label for="add-colleague">{t!(en: "Keep a colleague informed", fr: "Tenir un collègue informé")}</label>
                    <div class="inline">
                        <select id="add-colleague" on:change:target=move |ev| drafts.colleague.set(ev.target().value())>
                            <option value="">{t!(en: "Choose a colleague…", fr: "Choisir un collègue…")}</option>
                            {move || colleagues.ok().map(|list| list.into_iter().filter(|u| u.email != me).map(|u| {
                                let e = u.email.clone();
                                view! { <option value=u.email selected=move || drafts.colleague.with(|v| *v == e)>{u.name}</option> }
                            }).collect_view())}
                        </select>
                        <button type="submit" class="button" disabled=move || busy.get()>{t!(en: "Add", fr: "Ajouter")}</button>
                    </div>
                </form>
            })}
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
        </section>
    }
}

/// When the customer escalated the case to a production-down level: the 24/7 line was alerted.
pub fn escalated_at(d: &CaseDetail) -> Option<chrono::DateTime<chrono::Utc>> {
    d.timeline
        .iter()
        .rev()
        .find(|e| {
            e.kind == EntryKind::LevelChange
                && e.author_role == Role::Customer
                && e.level.is_some_and(Level::is_down)
        })
        .map(|e| e.at)
}

/// The more urgent levels the customer may raise the case to: above its level, and possible
/// for its kind and environment (a question stays at Level IV, a sandbox is never down).
fn higher_levels(d: &CaseDetail) -> impl Iterator<Item = Level> {
    let current = d.summary.level;
    portal_core::level::possible_levels(d.summary.kind, d.environment)
        .iter()
        .copied()
        .filter(move |l| *l < current)
}

/// Whether the case can be raised to a more urgent level at all.
pub fn can_escalate(d: &CaseDetail) -> bool {
    higher_levels(d).next().is_some()
}

/// "Raise the response level": a more urgent level and why (customers, open cases).
#[component]
pub fn Escalate(d: CaseDetail, detail: Load<CaseDetail>, drafts: PeopleDrafts) -> impl IntoView {
    let current = d.summary.level;
    let (kind, environment) = (d.summary.kind, d.environment);
    let higher: Vec<Level> = higher_levels(&d).collect();
    let number = d.summary.number.clone();
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let auth = Auth::get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(level) = Level::parse(&drafts.level.get_untracked()) else {
            error.set(Some(
                t!(en: "Choose the new level.", fr: "Choisissez le nouveau niveau.").into(),
            ));
            return;
        };
        let e = portal_core::model::Escalation {
            level,
            reason: drafts.reason.get_untracked(),
        };
        if let Some(first) = validate::escalation(&e, current, kind, environment, lang()).first() {
            error.set(Some(first.message.clone()));
            return;
        }
        busy.set(true);
        error.set(None);
        let n = number.clone();
        spawn_local(async move {
            if finish(
                auth,
                detail,
                error,
                api::escalate(&n, e.level, &e.reason).await,
            ) {
                drafts.reason.set(String::new());
                drafts.level.set(String::new());
            }
            busy.set(false);
        });
    };
    view! {
        <details class="card escalate">
            <summary>{t!(en: "Raise the response level", fr: "Relever le niveau de réponse")}</summary>
            <form class="form" on:submit=submit novalidate>
                <p class="hint">{t!(
                    en: "When the problem got worse. The response due follows the new level from now, and for Level I or II the 24/7 line is alerted at once, in parallel to this case.",
                    fr: "Quand le problème s’est aggravé. L’échéance suit le nouveau niveau à partir de maintenant, et pour le niveau I ou II la ligne 24 h/24 est alertée aussitôt, en parallèle de ce dossier.")}</p>
                <div class="field">
                    <label for="escalate-level">{t!(en: "New level", fr: "Nouveau niveau")}</label>
                    <select id="escalate-level" on:change:target=move |ev| drafts.level.set(ev.target().value())>
                        <option value="">{t!(en: "Choose…", fr: "Choisir…")}</option>
                        {higher.into_iter().map(|l| view! {
                            <option value=l.as_str() selected=move || drafts.level.with(|v| v == l.as_str())>{format!("{} – {}", l.as_str(), l.priority(lang()))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="escalate-reason">{t!(en: "What makes it more urgent now", fr: "Ce qui le rend plus urgent maintenant")}</label>
                    <textarea id="escalate-reason" rows="2" bind:value=drafts.reason></textarea>
                </div>
                {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
                <div><button type="submit" class="button button-primary" id="escalate" disabled=move || busy.get()>{t!(en: "Raise the level", fr: "Relever le niveau")}</button></div>
            </form>
        </details>
    }
}

/// E-mails about the case that could not be delivered (support).
#[component]
pub fn DeliveryFailures(d: CaseDetail) -> impl IntoView {
    (!d.delivery_failures.is_empty()).then(|| view! {
        <div class="card note-error" id="delivery-failures">
            <h3>{t!(en: "E-mails not delivered", fr: "E-mails non distribués")}</h3>
            <ul class="plain">{d.delivery_failures.into_iter().map(|f| view! {
                <li><strong>{f.recipient}</strong>" · "<Time t=f.at/><br/><span class="hint">{f.reason}</span></li>
            }).collect_view()}</ul>
        </div>
    })
}
