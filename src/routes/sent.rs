//! `/sent` "Sent elsewhere": what the institution handed to the Ideas Exchange and to its account
//! manager (support: every institution's), filterable, with the idea's link once someone gives it
//! and whether the account manager's side acknowledged a consultation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use portal_core::model::{HandOffKind, SentItem};
use portal_core::validate;

use crate::api;
use crate::auth::Auth;
use crate::components::badges::Time;
use crate::components::ErrorNote;
use crate::format::calendar_date;
use crate::i18n::lang;
use crate::load::load;

/// The page.
#[component]
pub fn SentPage() -> impl IntoView {
    super::set_title(t!(en: "Sent elsewhere", fr: "Envoyé ailleurs"));
    let agent = Auth::get().is_agent();
    let query = use_query_map();
    let navigate = use_navigate();
    let kind = Memo::new(move |_| query.with(|m| m.get("kind").unwrap_or_default()));
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let text = RwSignal::new(q.get_untracked());
    Effect::new(move |_| text.set(q.get()));
    let list = load(move || {
        let (k, q) = (kind.get(), q.get());
        async move { api::handoffs(&k, &q).await }
    });
    let go = move |kind: String, q: String| {
        let mut parts = Vec::new();
        if !kind.is_empty() {
            parts.push(format!("kind={}", api::encode(&kind)));
        }
        if !q.trim().is_empty() {
            parts.push(format!("q={}", api::encode(q.trim())));
        }
        let href = if parts.is_empty() {
            "/sent".to_string()
        } else {
            format!("/sent?{}", parts.join("&"))
        };
        navigate(&href, Default::default());
    };
    let (go_kind, go_text) = (go.clone(), go);
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go_text(kind.get_untracked(), text.get_untracked());
    };
    let filtered = move || !kind.get().is_empty() || !q.get().trim().is_empty();
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t!(en: "Sent elsewhere", fr: "Envoyé ailleurs")}</h1>
                <A href=if agent { "/cases" } else { "/new" } attr:class="button">{if agent { t!(en: "Back to the queue", fr: "Retour à la file") } else { t!(en: "New request", fr: "Nouvelle demande") }}</A>
            </div>
            <p class="lead">{if agent {
                t!(en: "Every institution's ideas for the Ideas Exchange and consultation requests for account managers. Mark a consultation acknowledged once the account manager has it.",
                   fr: "Les idées pour l’Ideas Exchange et les demandes de consultation aux responsables de compte de tous les établissements. Marquez une consultation comme reçue une fois que le responsable de compte l’a.")
            } else {
                t!(en: "What your institution sent to the Ideas Exchange and to your account manager instead of opening a support case.",
                   fr: "Ce que votre établissement a envoyé à l’Ideas Exchange et à votre responsable de compte au lieu d’ouvrir un dossier de support.")
            }}</p>
            <form class="filters sent-filters" role="search" on:submit=on_search>
                <div class="field">
                    <label for="s-kind">{t!(en: "Sent to", fr: "Envoyé à")}</label>
                    <select id="s-kind" on:change:target=move |ev| go_kind(ev.target().value(), q.get_untracked())>
                        <option value="" prop:selected=move || kind.get().is_empty()>{t!(en: "Anywhere", fr: "Partout")}</option>
                        <option value="ideas_exchange" prop:selected=move || kind.get() == "ideas_exchange">{t!(en: "The Ideas Exchange", fr: "L’Ideas Exchange")}</option>
                        <option value="account_manager" prop:selected=move || kind.get() == "account_manager">{t!(en: "The account manager", fr: "Le responsable de compte")}</option>
                    </select>
                </div>
                <div class="field field-grow">
                    <label for="s-q">{t!(en: "Search", fr: "Chercher")}</label>
                    <div class="inline">
                        <input id="s-q" type="search" bind:value=text placeholder=t!(en: "IX-000001, AM-000001 or words", fr: "IX-000001, AM-000001 ou des mots")/>
                        <button type="submit" class="button">{t!(en: "Search", fr: "Chercher")}</button>
                    </div>
                </div>
            </form>
            {move || match list.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Loading…", fr: "Chargement…")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=e.message() retry=Callback::new(move |_| list.refetch())/> }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! {
                    <p class="empty card" role="status">{if filtered() {
                        t!(en: "Nothing sent elsewhere matches these filters.", fr: "Rien de ce qui a été envoyé ailleurs ne correspond à ces filtres.")
                    } else {
                        t!(en: "Nothing sent elsewhere yet. When a new request is an idea or a redesign, the portal sends it on from here.",
                           fr: "Rien n’a encore été envoyé ailleurs. Quand une demande est une idée ou une refonte, le portail la transmet d’ici.")
                    }}</p>
                }.into_any(),
                Some(Ok(l)) => view! {
                    <p class="result-count" role="status">{ let n = l.items.len(); if n == 1 { t!(en: "1 request", fr: "1 demande").to_string() } else { tf!(en: "{n} requests", fr: "{n} demandes") } }</p>
                    <ul class="sent-list">
                        {l.items.into_iter().map(|item| view! { <SentCard item=item agent=agent/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// One hand-off: where it went, who sent it when, the text, and its link or status.
#[component]
fn SentCard(item: SentItem, agent: bool) -> impl IntoView {
    let item = RwSignal::new(item);
    let r = item.with_untracked(|i| i.reference.clone());
    let kind = item.with_untracked(|i| i.kind);
    let heading = format!("sent-{}", r.to_ascii_lowercase());
    view! {
        <li class="card sent">
            <h2 id=heading>
                <span class="case-number">{r.clone()}</span>" "
                {move || item.with(|i| i.title.clone())}
            </h2>
            <p class="sent-meta">
                <span class=format!("badge sent-{}", kind.as_str())>{match kind {
                    HandOffKind::IdeasExchange => t!(en: "Ideas Exchange", fr: "Ideas Exchange"),
                    HandOffKind::AccountManager => t!(en: "Account manager", fr: "Responsable de compte"),
                }}</span>" "
                {move || item.with(|i| {
                    let by = if agent { format!("{} · {}", i.by, i.institution) } else { i.by.clone() };
                    tf!(en: "by {by}", fr: "par {by}")
                })}
                " · "<Time t=item.with_untracked(|i| i.created_at)/>
                {item.with_untracked(|i| i.case_number.clone()).map(|n| view! {
                    " · "<A href=format!("/cases/{n}")>{tf!(en: "from case {n}", fr: "issu du dossier {n}")}</A>
                })}
            </p>
            <details class="sent-text">
                <summary>{t!(en: "What was sent", fr: "Ce qui a été envoyé")}</summary>
                <p class="prose">{move || item.with(|i| i.description.clone())}</p>
            </details>
            {match kind {
                HandOffKind::IdeasExchange => view! { <IdeaLinkRow item=item/> }.into_any(),
                HandOffKind::AccountManager => view! { <ConsultationStatus item=item agent=agent/> }.into_any(),
            }}
        </li>
    }
}

/// The idea's link on the Ideas Exchange, or a field to give it.
#[component]
fn IdeaLinkRow(item: RwSignal<SentItem>) -> impl IntoView {
    let auth = Auth::get();
    let r = item.with_untracked(|i| i.reference.clone());
    let id = format!("idea-{}", r.to_ascii_lowercase());
    let editing = RwSignal::new(item.with_untracked(|i| i.idea_url.is_none()));
    let value = RwSignal::new(item.with_untracked(|i| i.idea_url.clone().unwrap_or_default()));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let field = id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(m) = validate::idea_link(&value.get_untracked(), lang()) {
            error.set(Some(m));
            crate::components::form::focus(&field);
            return;
        }
        busy.set(true);
        error.set(None);
        let (r, link) = (r.clone(), value.get_untracked());
        spawn_local(async move {
            match api::set_idea_link(&r, link.trim()).await {
                Ok(updated) => {
                    item.set(updated);
                    editing.set(false);
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let error_id = format!("{id}-error");
    move || {
        if editing.get() {
            let (id, error_id) = (id.clone(), error_id.clone());
            view! {
                <form class="inline-form" on:submit=save.clone() novalidate>
                    <label for=id.clone()>{t!(en: "Link to the idea on the Ideas Exchange", fr: "Lien vers l’idée sur l’Ideas Exchange")}</label>
                    <div class="inline">
                        <input id=id type="url" inputmode="url" bind:value=value placeholder="https://"
                            aria-invalid=move || error.with(|e| e.is_some().to_string()) aria-describedby=error_id.clone()/>
                        <button type="submit" class="button" disabled=move || busy.get()>{t!(en: "Save link", fr: "Enregistrer le lien")}</button>
                    </div>
                    <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
                </form>
            }.into_any()
        } else {
            let href = item.with(|i| i.idea_url.clone().unwrap_or_default());
            view! {
                <p class="sent-status">
                    <a href=href target="_blank" rel="noopener">{t!(en: "The idea on the Ideas Exchange", fr: "L’idée sur l’Ideas Exchange")}</a>" "
                    <button type="button" class="button button-quiet" on:click=move |_| editing.set(true)>{t!(en: "Change the link", fr: "Changer le lien")}</button>
                </p>
            }.into_any()
        }
    }
}

/// A consultation's desired start and whether the account manager's side has it.
#[component]
fn ConsultationStatus(item: RwSignal<SentItem>, agent: bool) -> impl IntoView {
    let auth = Auth::get();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let acknowledge = move |_| {
        let r = item.with_untracked(|i| i.reference.clone());
        busy.set(true);
        spawn_local(async move {
            match api::acknowledge_consultation(&r).await {
                Ok(()) => item.update(|i| i.acknowledged_at = Some(chrono::Utc::now())),
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        {move || item.with(|i| i.desired_start.map(|d| {
            let start = calendar_date(&d.to_string());
            view! {
                <p class="sent-status">{tf!(en: "Desired start: {start}", fr: "Début souhaité : {start}")}
                    {i.before_lead_time.then(|| view! { " "<span class="badge badge-asked">{t!(en: "less than 6 weeks' lead time", fr: "moins de 6 semaines de délai")}</span> })}
                </p>
            }
        }))}
        <p class="sent-status">
            {move || match item.with(|i| i.acknowledged_at) {
                Some(at) => view! { <span class="badge status-closed">{t!(en: "Acknowledged", fr: "Reçu")}</span>" "<Time t=at/> }.into_any(),
                None => view! { <span class="badge status-new">{t!(en: "Sent", fr: "Envoyé")}</span>" "{t!(en: "waiting for the account manager", fr: "en attente du responsable de compte")}
                    {agent.then(|| view! { " "<button type="button" class="button" disabled=move || busy.get() on:click=acknowledge>{t!(en: "Mark acknowledged", fr: "Marquer comme reçu")}</button> })}
                }.into_any(),
            }}
        </p>
        {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
    }
}
