//! `/`: what needs the user's attention, and the two main actions.

use leptos::prelude::*;
use leptos_router::components::A;
use portal_core::due::DueFilter;
use portal_core::model::CaseList;
use portal_core::query::{AssigneeFilter, CaseQuery, StatusFilter};
use portal_core::{CaseStatus, Role};

use crate::api;
use crate::auth::Auth;
use crate::components::badges::{DueBadge, LevelBadge, StatusBadge};
use crate::components::ErrorNote;
use crate::load::{load, Load};

/// The home page: support's or a customer's.
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = Auth::get();
    if auth
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.user.role == Role::Agent))
    {
        view! { <AgentHome/> }.into_any()
    } else {
        view! { <CustomerHome/> }.into_any()
    }
}

/// Support's home: what needs a response first, and what is assigned to the agent.
#[component]
fn AgentHome() -> impl IntoView {
    super::set_title(t!(en: "Home", fr: "Accueil"));
    // The page's lists, as core defines them (index.html asks for them early).
    let [breached, within_hour, unassigned, first, mine] = CaseQuery::agent_home().map(|q| {
        let q = StoredValue::new(q);
        load(move || {
            let q = q.get_value();
            async move { api::cases(&q).await }
        })
    });
    let count = |r: Load<CaseList>| {
        move || {
            r.ok()
                .map(|l| l.total.to_string())
                .unwrap_or_else(|| "…".into())
        }
    };
    let link = |f: fn(&mut CaseQuery)| {
        let mut q = CaseQuery::queue();
        f(&mut q);
        q.href()
    };
    view! {
        <section class="page">
            <h1>{t!(en: "Ex Libris support", fr: "Support Ex Libris")}</h1>
            <div class="actions-row">
                <A href="/cases" attr:class="button button-primary">{t!(en: "Open the queue", fr: "Ouvrir la file d’attente")}</A>
                <A href="/announcements" attr:class="button">{t!(en: "Service banner", fr: "Bandeau de service")}</A>
            </div>
            <div class="stats">
                <A href=link(|q| q.due = Some(DueFilter::Breached)) attr:class="stat stat-urgent"><span class="stat-n">{count(breached)}</span>{t!(en: " breached, no response yet", fr: " délais dépassés, sans réponse")}</A>
                <A href=link(|q| q.due = Some(DueFilter::WithinHour)) attr:class="stat stat-attention"><span class="stat-n">{count(within_hour)}</span>{t!(en: " due within the hour", fr: " attendues dans l’heure")}</A>
                <A href=link(|q| q.assignee = Some(AssigneeFilter::Unassigned)) attr:class="stat"><span class="stat-n">{count(unassigned)}</span>{t!(en: " open, nobody assigned", fr: " ouverts, sans attribution")}</A>
            </div>
            {move || if first.value.with(Option::is_some) && mine.value.with(Option::is_some) {
                view! {
                    <h2>{t!(en: "Needs a response soonest", fr: "À traiter en premier")}</h2>
                    <CaseShortList res=first empty=t!(en: "No open cases.", fr: "Aucun dossier ouvert.")/>
                    <h2>{t!(en: "Assigned to you", fr: "Qui vous sont attribués")}</h2>
                    <CaseShortList res=mine empty=t!(en: "Nothing is assigned to you.", fr: "Rien ne vous est attribué.")/>
                }.into_any()
            } else {
                view! { <p class="loading" role="status">{t!(en: "Loading the queue…", fr: "Chargement de la file…")}</p> }.into_any()
            }}
        </section>
    }
}

/// A customer's home.
#[component]
fn CustomerHome() -> impl IntoView {
    super::set_title(t!(en: "Home", fr: "Accueil"));
    let auth = Auth::get();
    // Open cases (Level I and II first) and those awaiting a reply, as core defines them
    // (index.html asks for them early); again whenever the news move.
    let version = news_version();
    let [open, awaiting] = CaseQuery::customer_home().map(|q| {
        let q = StoredValue::new(q);
        load(move || {
            version.track();
            let q = q.get_value();
            async move { api::cases(&q).await }
        })
    });
    // The counts link to the whole lists they count.
    let all = |status| {
        CaseQuery {
            status: Some(status),
            ..CaseQuery::default()
        }
        .href()
    };
    let name = move || {
        auth.me.with(|m| {
            m.as_ref()
                .and_then(|m| m.institution.as_ref().map(|i| i.name.clone()))
                .unwrap_or_else(|| t!(en: "Ex Libris support", fr: "Support Ex Libris").into())
        })
    };
    let count = |r: Load<CaseList>| {
        move || {
            r.ok()
                .map(|l| l.total.to_string())
                .unwrap_or_else(|| "…".into())
        }
    };

    view! {
        <section class="page">
            <h1>{name}</h1>
            <div class="actions-row">
                <A href="/new" attr:class="button button-primary">{t!(en: "New request", fr: "Nouvelle demande")}</A>
                <A href="/cases" attr:class="button">{t!(en: "All cases", fr: "Tous les dossiers")}</A>
                <A href="/access-profile" attr:class="button button-quiet">{t!(en: "Support access profile", fr: "Profil d’accès pour le support")}</A>
            </div>
            <div class="stats">
                <A href=all(StatusFilter::Open) attr:class="stat"><span class="stat-n">{count(open)}</span>{t!(en: " open cases", fr: " dossiers ouverts")}</A>
                <A href=all(StatusFilter::Is(CaseStatus::AwaitingCustomer)) attr:class="stat stat-attention"><span class="stat-n">{count(awaiting)}</span>{t!(en: " awaiting your reply", fr: " en attente de votre réponse")}</A>
            </div>
            // Both lists appear together, once both have answered: whichever answers first never
            // gets pushed down by the other (no layout shift), whatever the network's order.
            {move || if awaiting.value.with(Option::is_some) && open.value.with(Option::is_some) {
                view! {
                    <h2>{t!(en: "Awaiting your reply", fr: "En attente de votre réponse")}</h2>
                    <CaseShortList res=awaiting empty=t!(en: "Nothing is waiting for you.", fr: "Rien ne vous attend.")/>
                    <h2>{t!(en: "Open cases, most urgent first", fr: "Dossiers ouverts, les plus urgents d’abord")}</h2>
                    <CaseShortList res=open empty=t!(en: "No open cases.", fr: "Aucun dossier ouvert.")/>
                }.into_any()
            } else {
                view! { <p class="loading" role="status">{t!(en: "Loading your cases…", fr: "Chargement de vos dossiers…")}</p> }.into_any()
            }}
        </section>
    }
}

/// What home's lists reload on: the news moved (someone acted on the person's cases).
fn news_version() -> RwSignal<u32> {
    crate::news::News::get().map_or_else(|| RwSignal::new(0), |n| n.version)
}

#[component]
fn CaseShortList(res: Load<CaseList>, empty: &'static str) -> impl IntoView {
    let role = Auth::get().role();
    move || {
        match res.get() {
        None => view! { <p class="loading" role="status">{t!(en: "Loading…", fr: "Chargement…")}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=e.message() retry=Callback::new(move |_| res.refetch())/> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => view! { <p class="empty">{empty}</p> }.into_any(),
        Some(Ok(list)) => view! {
            <ul class="short-list">
                {list.items.into_iter().map(|c| view! {
                    <li class=if c.level.is_down() && c.status.is_open() { "urgent" } else { "" }>
                        <A href=format!("/cases/{}", c.number)>
                            <span class="case-number">{c.number.clone()}</span>" "{c.subject.clone()}
                        </A>
                        {c.news.then(|| view! { " "<span class="badge badge-new">{t!(en: "News", fr: "Du nouveau")}</span> })}
                        <span class="meta"><StatusBadge status=c.status role=role/><LevelBadge level=c.level/>
                            <DueBadge due=c.initial_response_due first_response=c.first_response_at closed=!c.status.is_open()/></span>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any(),
    }
    }
}
