//! `/announcements` (support): the service banner — what shows now and what is scheduled, each
//! withdrawable, and a form to post one for everyone or one institution, now or later, until a
//! time or until withdrawn, with the case to quote.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::announcement::{self, Announcement, AnnouncementKind, NewAnnouncement};

use crate::api;
use crate::auth::Auth;
use crate::components::badges::Time;
use crate::components::form::{focus, Errors};
use crate::components::ErrorNote;
use crate::format;
use crate::i18n::lang;
use crate::load::{load, Load};

const KINDS: [AnnouncementKind; 3] = [
    AnnouncementKind::Incident,
    AnnouncementKind::Maintenance,
    AnnouncementKind::Information,
];

/// The page.
#[component]
pub fn AnnouncementsPage() -> impl IntoView {
    super::set_title(t!(en: "Service banner", fr: "Bandeau de service"));
    let list = load(api::announcements_managed);
    let institutions = load(api::institutions);
    view! {
        <section class="page">
            <h1>{t!(en: "Service banner", fr: "Bandeau de service")}</h1>
            <p class="lead">{t!(en: "What every page of the portal shows customers: a known incident, planned maintenance, or information, with the case to quote.",
                fr: "Ce que chaque page du portail montre aux clients : un incident connu, une maintenance planifiée ou une information, avec le dossier à citer.")}</p>
            <h2>{t!(en: "Showing and scheduled", fr: "Affichées et planifiées")}</h2>
            {move || match list.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Loading…", fr: "Chargement…")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=Auth::get().handle(&e) retry=Callback::new(move |_| list.refetch())/> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p class="empty">{t!(en: "Nothing shows now.", fr: "Rien n’est affiché en ce moment.")}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="short-list" id="announcements">
                        {items.into_iter().map(|a| view! { <Row a=a list=list institutions=institutions/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <PostForm list=list institutions=institutions/>
        </section>
    }
}

#[component]
fn Row(
    a: Announcement,
    list: Load<Vec<Announcement>>,
    institutions: Load<Vec<portal_core::model::InstitutionRef>>,
) -> impl IntoView {
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    // Answers arrive outside any owner: take the context now.
    let auth = Auth::get();
    let id = a.id.clone();
    let withdraw = move |_| {
        busy.set(true);
        let id = id.clone();
        spawn_local(async move {
            match api::withdraw_announcement(&id).await {
                Ok(()) => list.refetch(),
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let now = format::now();
    let scheduled = a.starts_at.filter(|s| *s > now.get_untracked());
    let target = move || match a.institution_id {
        None => t!(en: "everyone", fr: "tout le monde").to_string(),
        Some(i) => institutions
            .ok()
            .and_then(|l| l.into_iter().find(|x| x.id == i).map(|x| x.name))
            .unwrap_or_else(|| i.to_string()),
    };
    view! {
        <li class=format!("announcement announcement-{}", a.kind.as_str())>
            <p><strong>{a.kind.label(lang())}</strong>" · "{t!(en: "for ", fr: "pour ")}{target}
                {scheduled.map(|s| view! { " · "{t!(en: "starts ", fr: "commence ")}<Time t=s/> })}
                {a.expires_at.map(|e| view! { " · "{t!(en: "until ", fr: "jusqu’à ")}<Time t=e/> })}
                {a.case_number.clone().map(|n| view! { " · "<a href=format!("/cases/{n}")>{n.clone()}</a> })}</p>
            <p class="prose">{a.message.clone()}</p>
            <button type="button" class="button button-small" disabled=move || busy.get() on:click=withdraw>{t!(en: "Withdraw", fr: "Retirer")}</button>
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
        </li>
    }
}

#[component]
fn PostForm(
    list: Load<Vec<Announcement>>,
    institutions: Load<Vec<portal_core::model::InstitutionRef>>,
) -> impl IntoView {
    let auth = Auth::get();
    let kind = RwSignal::new(AnnouncementKind::Incident);
    let message = RwSignal::new(String::new());
    let case_number = RwSignal::new(String::new());
    let institution = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let build = move || NewAnnouncement {
        kind: kind.get(),
        message: message.get(),
        case_number: Some(case_number.get().trim().to_ascii_uppercase()).filter(|n| !n.is_empty()),
        starts_at: format::from_local_input(&starts.get()),
        expires_at: format::from_local_input(&expires.get()),
        institution_id: institution.get().parse().ok(),
    };
    let now = format::now();
    let errors = Errors::new(move || announcement::validate(&build(), now.get(), lang()));
    let (busy, failure) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let posted = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if let Some(field) = errors.submit() {
            focus(&format!("a-{}", field.replace('_', "-")));
            return;
        }
        busy.set(true);
        failure.set(None);
        let a = build();
        spawn_local(async move {
            match api::create_announcement(&a).await {
                Ok(_) => {
                    message.set(String::new());
                    case_number.set(String::new());
                    starts.set(String::new());
                    expires.set(String::new());
                    errors.reset();
                    posted.set(true);
                    list.refetch();
                }
                Err(e) => failure.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let err = move |f: &'static str| {
        let e = errors.for_field(f);
        move || e.get().map(|m| view! { <p class="field-error">{m}</p> })
    };
    view! {
        <form class="card form" on:submit=submit novalidate>
            <h2>{t!(en: "Post an announcement", fr: "Publier une annonce")}</h2>
            <fieldset>
                <legend>{t!(en: "What it is", fr: "De quoi il s’agit")}</legend>
                <div class="choices-inline">
                    {KINDS.into_iter().map(|k| view! {
                        <label class="choice-pill"><input type="radio" name="a-kind" value=k.as_str() prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>{k.label(lang())}</label>
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="field">
                <label for="a-message">{ let max = announcement::MESSAGE_MAX; tf!(en: "Message (at most {max} characters)", fr: "Message ({max} caractères au plus)") }</label>
                <textarea id="a-message" rows="3" bind:value=message></textarea>
                {err("message")}
            </div>
            <div class="grid-2">
                <div class="field">
                    <label for="a-institution">{t!(en: "For", fr: "Pour")}</label>
                    <select id="a-institution" on:change:target=move |ev| institution.set(ev.target().value())>
                        <option value="">{t!(en: "Everyone, signed in or not", fr: "Tout le monde, connecté ou non")}</option>
                        {move || institutions.ok().map(|l| l.into_iter().map(|i| view! {
                            <option value=i.id.to_string()>{i.name}</option>
                        }).collect_view())}
                    </select>
                    {err("institution_id")}
                </div>
                <div class="field">
                    <label for="a-case-number">{t!(en: "Case to quote (optional)", fr: "Dossier à citer (facultatif)")}</label>
                    <input id="a-case-number" type="text" placeholder="CS-000123" bind:value=case_number/>
                    {err("case_number")}
                </div>
                <div class="field">
                    <label for="a-starts-at">{t!(en: "Starts (empty: now)", fr: "Début (vide : maintenant)")}</label>
                    <input id="a-starts-at" type="datetime-local" bind:value=starts/>
                    {err("starts_at")}
                </div>
                <div class="field">
                    <label for="a-expires-at">{t!(en: "Ends (empty: until withdrawn)", fr: "Fin (vide : jusqu’au retrait)")}</label>
                    <input id="a-expires-at" type="datetime-local" bind:value=expires/>
                    {err("expires_at")}
                </div>
            </div>
            {move || failure.get().map(|m| view! { <ErrorNote message=m/> })}
            {move || posted.get().then(|| view! { <p class="note note-success" role="status">{t!(en: "Posted.", fr: "Publiée.")}</p> })}
            <div><button type="submit" class="button button-primary" id="post-announcement" disabled=move || busy.get()>{t!(en: "Post", fr: "Publier")}</button></div>
        </form>
    }
}
