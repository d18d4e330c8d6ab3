//! `/cases`: the institution's cases, filtered, searched, sorted and paged on the server. Every
//! choice lives in the URL as a `portal_core::query::CaseQuery` (the API parses the same), so
//! back / forward and a shared link keep it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use portal_core::due::DueFilter;
use portal_core::query::{
    AssigneeFilter, CaseQuery, QueryError, Scope, Sort, SortKey, StatusFilter,
};
use portal_core::{CaseStatus, Level, RequestKind, Role};

use crate::api;
use crate::auth::Auth;
use crate::components::badges::{DueBadge, LevelBadge, StatusBadge, Time};
use crate::components::ErrorNote;
use crate::format;
use crate::i18n::lang;
use crate::load::load;

/// The page.
#[component]
pub fn CasesPage() -> impl IntoView {
    let auth = Auth::get();
    // Support reads the page as its work queue: every institution, the open cases, the response
    // due soonest first (the page's own link, without filters, opens there).
    let agent = auth
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.user.role == Role::Agent));
    super::set_title(if agent {
        t!(en: "Queue", fr: "File d’attente")
    } else {
        t!(en: "Cases", fr: "Dossiers")
    });
    let query = use_query_map();
    let navigate = use_navigate();
    // The URL's query, typed: what it understood, and what it had to leave out.
    let parsed = Memo::new(move |_| {
        query.with(|q| {
            let pairs: Vec<(&str, String)> = CaseQuery::KEYS
                .iter()
                .filter_map(|k| q.get(k).map(|v| (*k, v)))
                .collect();
            CaseQuery::for_list_page(pairs.iter().map(|(k, v)| (*k, v.as_str())), agent, lang())
        })
    });
    let cq = Memo::new(move |_| parsed.with(|(q, _)| q.clone()));
    let ignored = Memo::new(move |_| parsed.with(|(_, e)| e.clone()));
    // The list reloads when the person's news move (someone acted on one of their cases).
    let news_version = crate::news::News::get().map(|n| n.version);
    let list = load(move || {
        let q = cq.get();
        if let Some(v) = news_version {
            v.track();
        }
        async move { api::cases(&q).await }
    });
    // A changed filter: the same query with the change, back on page 1.
    let change = move |f: Box<dyn FnOnce(&mut CaseQuery)>| {
        navigate(&cq.get_untracked().with(f).href(), Default::default())
    };
    let search = RwSignal::new(cq.get_untracked().q);
    let filters_open = RwSignal::new(false);
    Effect::new(move |_| search.set(cq.with(|q| q.q.clone())));
    let on_search = {
        let change = change.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = search.get_untracked().trim().to_string();
            change(Box::new(move |q| q.q = text));
        }
    };
    let (change_scope, change_status, change_level, change_kind) = (
        change.clone(),
        change.clone(),
        change.clone(),
        change.clone(),
    );
    let (change_institution, change_due, change_assignee, change_sort) =
        (change.clone(), change.clone(), change.clone(), change);
    let sort_link = move |key: SortKey| {
        cq.with(|q| {
            let sort = q.sort.toggled(key);
            q.with(|n| n.sort = sort).href()
        })
    };
    let aria_sort = move |key: SortKey| {
        cq.with(|q| match (q.sort.key == key, q.sort.desc) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        })
    };
    let header = move |key: SortKey, label: &'static str| {
        view! { <th scope="col" aria-sort=move || aria_sort(key)><a href=move || sort_link(key)>{label}</a></th> }
    };
    let page_link = move |page: u32| cq.with(|q| q.with(|n| n.page = page).href());
    let is_agent = move || agent;
    let role = if agent { Role::Agent } else { Role::Customer };
    let institutions = load(move || async move {
        if agent {
            api::institutions().await
        } else {
            Ok(Vec::new())
        }
    });
    let now = format::now();
    let selected =
        move |f: fn(&CaseQuery) -> String, v: &'static str| move || cq.with(|q| f(q) == v);
    let status_of = |q: &CaseQuery| q.status.map(|s| s.as_str().to_string()).unwrap_or_default();
    let level_of = |q: &CaseQuery| q.level.map(|l| l.as_str().to_string()).unwrap_or_default();
    let kind_of = |q: &CaseQuery| q.kind.map(|k| k.as_str().to_string()).unwrap_or_default();

    view! {
        <section class="page">
            <div class="page-head">
                <h1>{if agent { t!(en: "Queue", fr: "File d’attente") } else { t!(en: "Cases", fr: "Dossiers") }}</h1>
                <div class="actions-row">
                    <A href="/sent" attr:class="button">{t!(en: "Sent elsewhere", fr: "Envoyé ailleurs")}</A>
                    {(!agent).then(|| view! { <A href="/new" attr:class="button button-primary">{t!(en: "New request", fr: "Nouvelle demande")}</A> })}
                </div>
            </div>
            <form class="filters" role="search" on:submit=on_search>
                <div class="field field-grow field-search">
                    <label for="f-q">{t!(en: "Search number or text", fr: "Chercher un numéro ou du texte")}</label>
                    <div class="inline">
                        <input id="f-q" type="search" bind:value=search placeholder=t!(en: "CS-000123 or words", fr: "CS-000123 ou des mots")/>
                        <button type="submit" class="button">{t!(en: "Search", fr: "Chercher")}</button>
                    </div>
                </div>
                // Phones: the filters behind one control, what is applied said in one line.
                <div class="filter-bar">
                    <button type="button" class="button filter-toggle" aria-controls="filter-fields"
                        aria-expanded=move || filters_open.get().to_string()
                        on:click=move |_| filters_open.update(|o| *o = !*o)>
                        {t!(en: "Filter and sort", fr: "Filtrer et trier")}
                    </button>
                    <p class="filter-summary">{move || summary(&cq.get(), agent, institutions.ok().unwrap_or_default())}</p>
                </div>
                <div id="filter-fields" class="filter-fields" class:open=move || filters_open.get()>
                {move || (!is_agent()).then(|| { let change = change_scope.clone(); view! {
                    <div class="field">
                        <label for="f-scope">{t!(en: "Show", fr: "Afficher")}</label>
                        <select id="f-scope" on:change:target=move |ev| {
                            let scope = if ev.target().value() == "mine" { Scope::Mine } else { Scope::Institution };
                            change(Box::new(move |q| q.scope = scope));
                        }>
                            <option value="" prop:selected=move || cq.with(|q| q.scope == Scope::Institution)>{t!(en: "All of my institution", fr: "Tout mon établissement")}</option>
                            <option value="mine" prop:selected=move || cq.with(|q| q.scope == Scope::Mine)>{t!(en: "Opened by me", fr: "Ouverts par moi")}</option>
                        </select>
                    </div>
                }})}
                <div class="field">
                    <label for="f-status">{t!(en: "Status", fr: "Statut")}</label>
                    <select id="f-status" on:change:target=move |ev| {
                        let v = ev.target().value();
                        let status = if v == "open" { Some(StatusFilter::Open) } else { CaseStatus::parse(&v).map(StatusFilter::Is) };
                        change_status(Box::new(move |q| q.status = status));
                    }>
                        <option value="" prop:selected=selected(status_of, "")>{t!(en: "Any status", fr: "Tous les statuts")}</option>
                        <option value="open" prop:selected=selected(status_of, "open")>{t!(en: "Open (not closed)", fr: "Ouverts (non clôturés)")}</option>
                        {CaseStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() prop:selected=selected(status_of, s.as_str())>{s.label_for(role, lang())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-level">{t!(en: "Level", fr: "Niveau")}</label>
                    <select id="f-level" on:change:target=move |ev| {
                        let level = Level::parse(&ev.target().value());
                        change_level(Box::new(move |q| q.level = level));
                    }>
                        <option value="" prop:selected=selected(level_of, "")>{t!(en: "Any level", fr: "Tous les niveaux")}</option>
                        {Level::ALL.into_iter().map(|l| view! {
                            <option value=l.as_str() prop:selected=selected(level_of, l.as_str())>{format!("{} – {}", l.as_str(), l.priority(lang()))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-kind">{t!(en: "Request", fr: "Demande")}</label>
                    <select id="f-kind" on:change:target=move |ev| {
                        let kind = RequestKind::parse(&ev.target().value());
                        change_kind(Box::new(move |q| q.kind = kind));
                    }>
                        <option value="" prop:selected=selected(kind_of, "")>{t!(en: "Any request", fr: "Toutes les demandes")}</option>
                        {RequestKind::ALL.into_iter().filter(|k| k.is_support_case()).map(|k| view! {
                            <option value=k.as_str() prop:selected=selected(kind_of, k.as_str())>{k.label(lang())}</option>
                        }).collect_view()}
                    </select>
                </div>
                {agent.then(|| { let (ci, cd, ca) = (change_institution.clone(), change_due.clone(), change_assignee.clone()); view! {
                    <div class="field">
                        <label for="f-institution">{t!(en: "Institution", fr: "Établissement")}</label>
                        <select id="f-institution" on:change:target=move |ev| {
                            let i = ev.target().value().parse::<i64>().ok();
                            ci(Box::new(move |q| q.institution = i));
                        }>
                            <option value="" prop:selected=move || cq.with(|q| q.institution.is_none())>{t!(en: "Every institution", fr: "Tous les établissements")}</option>
                            {move || institutions.ok().map(|list| list.into_iter().map(|i| view! {
                                <option value=i.id.to_string() prop:selected=move || cq.with(|q| q.institution == Some(i.id))>{i.name}</option>
                            }).collect_view())}
                        </select>
                    </div>
                    <div class="field">
                        <label for="f-due">{t!(en: "Response due", fr: "Échéance de réponse")}</label>
                        <select id="f-due" on:change:target=move |ev| {
                            let d = DueFilter::parse(&ev.target().value());
                            cd(Box::new(move |q| q.due = d));
                        }>
                            <option value="" prop:selected=move || cq.with(|q| q.due.is_none())>{t!(en: "Any", fr: "Toutes")}</option>
                            {DueFilter::ALL.into_iter().map(|d| view! {
                                <option value=d.as_str() prop:selected=move || cq.with(|q| q.due == Some(d))>{d.label(lang())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="f-assignee">{t!(en: "Assigned to", fr: "Attribué à")}</label>
                        <select id="f-assignee" on:change:target=move |ev| {
                            let a = match ev.target().value().as_str() {
                                "unassigned" => Some(AssigneeFilter::Unassigned),
                                "mine" => Some(AssigneeFilter::Mine),
                                _ => None,
                            };
                            ca(Box::new(move |q| q.assignee = a));
                        }>
                            <option value="" prop:selected=move || cq.with(|q| q.assignee.is_none())>{t!(en: "Anyone", fr: "N’importe qui")}</option>
                            <option value="unassigned" prop:selected=move || cq.with(|q| q.assignee == Some(AssigneeFilter::Unassigned))>{t!(en: "Nobody yet", fr: "Personne encore")}</option>
                            <option value="mine" prop:selected=move || cq.with(|q| q.assignee == Some(AssigneeFilter::Mine))>{t!(en: "Me", fr: "Moi")}</option>
                        </select>
                    </div>
                }})}
                <div class="field sort-phone">
                    <label for="f-sort">{t!(en: "Sort by", fr: "Trier par")}</label>
                    <select id="f-sort" on:change:target=move |ev| {
                        if let Some(sort) = Sort::parse(&ev.target().value()) {
                            change_sort(Box::new(move |q| q.sort = sort));
                        }
                    }>
                        {sort_choices(agent).into_iter().map(|(sort, label)| {
                            let v = sort.to_value();
                            view! { <option value=v.clone() prop:selected=move || cq.with(|q| q.sort == sort)>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                </div>
            </form>
            {move || ignored.with(|e| (!e.is_empty()).then(|| view! { <IgnoredNote errors=e.clone()/> }))}
            {move || match list.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Loading cases…", fr: "Chargement des dossiers…")}</p> }.into_any(),
                Some(Err(e)) => {
                    let msg = auth.handle(&e);
                    view! { <ErrorNote message=msg retry=Callback::new(move |_| list.refetch())/> }.into_any()
                }
                Some(Ok(l)) if l.items.is_empty() && l.total > 0 => {
                    // Past the last page (an old link, or cases closed meanwhile): offer it.
                    let last = cq.with_untracked(|q| q.last_page(l.total));
                    view! {
                        <div class="empty card">
                            <p>{ let (page, total) = (l.page, l.total); tf!(en: "There is no page {page} of these {total} cases.", fr: "Il n’y a pas de page {page} pour ces {total} dossiers.") }</p>
                            <p><A href=page_link(last)>{ tf!(en: "Go to the last page ({last})", fr: "Aller à la dernière page ({last})") }</A></p>
                        </div>
                    }.into_any()
                }
                Some(Ok(l)) if l.items.is_empty() => view! {
                    <div class="empty card">
                        <p>{match (cq.with_untracked(CaseQuery::is_filtered), agent) {
                            (true, _) => t!(en: "No cases match these filters.", fr: "Aucun dossier ne correspond à ces filtres."),
                            (false, true) => t!(en: "No cases here.", fr: "Aucun dossier ici."),
                            (false, false) => t!(en: "Your institution has no cases yet.", fr: "Votre établissement n’a encore aucun dossier."),
                        }}</p>
                        {if agent {
                            view! { <p><A href="/cases">{t!(en: "Back to the queue", fr: "Retour à la file d’attente")}</A></p> }.into_any()
                        } else {
                            view! { <p><A href="/cases">{t!(en: "Clear all filters", fr: "Effacer tous les filtres")}</A>{t!(en: " or ", fr: " ou ")}<A href="/new">{t!(en: "open a new request", fr: "ouvrir une nouvelle demande")}</A>"."</p> }.into_any()
                        }}
                    </div>
                }.into_any(),
                Some(Ok(l)) => {
                    let pages = cq.with_untracked(|q| q.last_page(l.total));
                    let (page, total) = (l.page, l.total);
                    view! {
                        <p class="result-count" role="status">{if total == 1 { t!(en: "1 case", fr: "1 dossier").to_string() } else { tf!(en: "{total} cases", fr: "{total} dossiers") }}</p>
                        <table class="cases">
                            <caption class="visually-hidden">{t!(en: "Cases, sortable by column", fr: "Dossiers, triables par colonne")}</caption>
                            <thead><tr>
                                {header(SortKey::Number, t!(en: "Number", fr: "Numéro"))}
                                {header(SortKey::Subject, t!(en: "Subject", fr: "Objet"))}
                                {agent.then(|| view! { <th scope="col">{t!(en: "Institution", fr: "Établissement")}</th> })}
                                {header(SortKey::Status, t!(en: "Status", fr: "Statut"))}
                                {header(SortKey::Level, t!(en: "Level", fr: "Niveau"))}
                                {if agent {
                                    view! { <th scope="col">{t!(en: "Assigned to", fr: "Attribué à")}</th> }.into_any()
                                } else {
                                    view! { {header(SortKey::OpenedAt, t!(en: "Opened", fr: "Ouvert"))} }.into_any()
                                }}
                                {header(SortKey::UpdatedAt, t!(en: "Updated", fr: "Mis à jour"))}
                                {header(SortKey::InitialResponseDue, t!(en: "Initial response", fr: "Première réponse"))}
                            </tr></thead>
                            <tbody>
                                {l.items.into_iter().map(|c| {
                                    let href = format!("/cases/{}", c.number);
                                    // Production down, unanswered, breached or due within the hour.
                                    let urgent = move || portal_core::due::is_urgent(c.level, c.initial_response_due, c.first_response_at, c.status.is_open(), now.get());
                                    view! {
                                        <tr class:urgent=urgent>
                                            <td data-label=t!(en: "Number", fr: "Numéro") class="c-number"><A href=href.clone() attr:class="case-number">{c.number.clone()}</A></td>
                                            <td data-label=t!(en: "Subject", fr: "Objet") class="subject"><A href=href>{c.subject.clone()}</A>
                                                {c.news.then(|| view! { " "<span class="badge badge-new">{t!(en: "News", fr: "Du nouveau")}</span> })}</td>
                                            {agent.then(|| view! { <td data-label=t!(en: "Institution", fr: "Établissement") class="c-more">{c.institution.clone()}</td> })}
                                            <td data-label=t!(en: "Status", fr: "Statut") class="c-status"><StatusBadge status=c.status role=role/></td>
                                            <td data-label=t!(en: "Level", fr: "Niveau") class="c-level"><LevelBadge level=c.level/></td>
                                            {if agent {
                                                view! { <td data-label=t!(en: "Assigned to", fr: "Attribué à") class="c-more">{c.assignee.clone().unwrap_or_else(|| "—".into())}</td> }.into_any()
                                            } else {
                                                view! { <td data-label=t!(en: "Opened", fr: "Ouvert") class="c-opened"><Time t=c.opened_at/></td> }.into_any()
                                            }}
                                            <td data-label=t!(en: "Updated", fr: "Mis à jour") class="c-updated"><Time t=c.updated_at/></td>
                                            <td data-label=t!(en: "Initial response", fr: "Première réponse") class="c-due"><DueBadge due=c.initial_response_due first_response=c.first_response_at closed=!c.status.is_open()/></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <nav class="pager" aria-label=t!(en: "Pages", fr: "Pages")>
                            {(page > 1).then(|| view! { <a href=page_link(page - 1) rel="prev">{t!(en: "← Previous", fr: "← Précédente")}</a> })}
                            <span>{tf!(en: "Page {page} of {pages}", fr: "Page {page} sur {pages}")}</span>
                            {(page < pages).then(|| view! { <a href=page_link(page + 1) rel="next">{t!(en: "Next →", fr: "Suivante →")}</a> })}
                        </nav>
                    }.into_any()
                }
            }}
            // Below the list, and only once the list is shown: nothing the customer is reading
            // moves when the overview arrives (no layout shift).
            <Overview scope=Signal::derive(move || cq.with(|q| q.scope)) ready=Signal::derive(move || list.value.with(Option::is_some))/>
        </section>
    }
}

/// The filters and order applied, in one line ("Open · Level II · response due soonest first").
fn summary(
    q: &CaseQuery,
    agent: bool,
    institutions: Vec<portal_core::model::InstitutionRef>,
) -> String {
    let role = if agent { Role::Agent } else { Role::Customer };
    let mut parts: Vec<String> = Vec::new();
    if q.scope == Scope::Mine {
        parts.push(t!(en: "Opened by me", fr: "Ouverts par moi").into());
    }
    match q.status {
        Some(StatusFilter::Open) => parts.push(t!(en: "Open", fr: "Ouverts").into()),
        Some(StatusFilter::Is(s)) => parts.push(s.label_for(role, lang()).into()),
        None => parts.push(t!(en: "Any status", fr: "Tous les statuts").into()),
    }
    if let Some(l) = q.level {
        let id = l.as_str();
        parts.push(tf!(en: "Level {id}", fr: "Niveau {id}"));
    }
    if let Some(k) = q.kind {
        parts.push(k.label(lang()).into());
    }
    if let Some(i) = q.institution {
        parts.push(
            institutions
                .into_iter()
                .find(|x| x.id == i)
                .map_or_else(|| i.to_string(), |x| x.name),
        );
    }
    if let Some(d) = q.due {
        parts.push(d.label(lang()).into());
    }
    match q.assignee {
        Some(AssigneeFilter::Unassigned) => {
            parts.push(t!(en: "Nobody assigned", fr: "Sans attribution").into())
        }
        Some(AssigneeFilter::Mine) => {
            parts.push(t!(en: "Assigned to me", fr: "Attribués à moi").into())
        }
        None => {}
    }
    if let Some((_, label)) = sort_choices(agent).into_iter().find(|(s, _)| *s == q.sort) {
        parts.push(label.to_lowercase());
    }
    parts.join(" · ")
}

/// The orders a phone offers in its "Sort by" control (wider screens sort by the column headers).
fn sort_choices(agent: bool) -> Vec<(Sort, &'static str)> {
    let asc = |key| Sort { key, desc: false };
    let desc = |key| Sort { key, desc: true };
    let mut v = vec![
        (
            desc(SortKey::UpdatedAt),
            t!(en: "Recently updated first", fr: "Mis à jour récemment d’abord"),
        ),
        (
            asc(SortKey::InitialResponseDue),
            t!(en: "Response due soonest first", fr: "Échéance la plus proche d’abord"),
        ),
        (
            asc(SortKey::Level),
            t!(en: "Most urgent level first", fr: "Niveau le plus urgent d’abord"),
        ),
        (
            desc(SortKey::Number),
            t!(en: "Newest first", fr: "Les plus récents d’abord"),
        ),
        (
            asc(SortKey::Number),
            t!(en: "Oldest first", fr: "Les plus anciens d’abord"),
        ),
        (
            asc(SortKey::Subject),
            t!(en: "Subject, A to Z", fr: "Objet, de A à Z"),
        ),
    ];
    if agent {
        v.swap(0, 1);
    }
    v
}

/// What the page left out of the address because it did not understand it.
#[component]
fn IgnoredNote(errors: Vec<QueryError>) -> impl IntoView {
    view! {
        <div class="note note-info" role="status">
            <p>{t!(en: "Part of this link was not understood and is not applied: ", fr: "Une partie de ce lien n’a pas été comprise et n’est pas appliquée : ")}
            {CaseQuery::errors_text(&errors, lang())}</p>
        </div>
    }
}

/// Counts by status and level (each a link to the filtered list) and a chart of cases opened and
/// closed per week. The chart is inline SVG for the eye, with the same numbers in a table for
/// screen readers.
#[component]
fn Overview(scope: Signal<Scope>, ready: Signal<bool>) -> impl IntoView {
    let role = Auth::get().role();
    let data = load(move || {
        let s = scope.get();
        async move { api::overview(s).await }
    });
    // Each count links to exactly the set it counts: a status, or the open cases of a level.
    let link = move |status: StatusFilter, level: Option<Level>| {
        CaseQuery {
            scope: scope.get(),
            status: Some(status),
            level,
            ..CaseQuery::default()
        }
        .href()
    };
    move || {
        if !ready.get() {
            return None;
        }
        data.ok().map(|o| {
            let max = o
                .weeks
                .iter()
                .map(|w| w.opened.max(w.closed))
                .max()
                .unwrap_or(0)
                .max(1);
            let bar = |n: u64| (n * 80 / max) as i64;
            view! {
                <section class="overview card" aria-labelledby="overview-title">
                    <h2 id="overview-title" class="visually-hidden">{t!(en: "Overview", fr: "Vue d’ensemble")}</h2>
                    <div class="overview-counts">
                        <ul class="chips" aria-label=t!(en: "Cases by status", fr: "Dossiers par statut")>
                            {o.by_status.iter().map(|(s, n)| view! {
                                <li><a href=link(StatusFilter::Is(*s), None)>{s.label_for(role, lang())}" "<strong>{*n}</strong></a></li>
                            }).collect_view()}
                        </ul>
                        <ul class="chips" aria-label=t!(en: "Open cases by level", fr: "Dossiers ouverts par niveau")>
                            {o.open_by_level.iter().map(|(l, n)| view! {
                                <li><a href=link(StatusFilter::Open, Some(*l)) class=format!("chip-level-{}", l.as_str())>{ let id = l.as_str(); tf!(en: "Level {id} open ", fr: "Niveau {id} ouverts ") }<strong>{*n}</strong></a></li>
                            }).collect_view()}
                        </ul>
                    </div>
                    <figure class="chart">
                        <figcaption>{t!(en: "Cases opened and closed per week", fr: "Dossiers ouverts et clôturés par semaine")}
                            <span class="legend"><span class="key key-opened"></span>{t!(en: "opened", fr: "ouverts")}<span class="key key-closed"></span>{t!(en: "closed", fr: "clôturés")}</span>
                        </figcaption>
                        // The bars in SVG; the week labels in HTML below them, one column per week,
                        // so they keep the page's text size (at least 12 px) at any width.
                        <svg viewBox="0 0 320 90" aria-hidden="true" focusable="false">
                            {o.weeks.iter().enumerate().map(|(i, w)| {
                                let x = 5 + i as i64 * 40;
                                view! {
                                    <rect class="bar-opened" x=x y=88 - bar(w.opened) width="14" height=bar(w.opened)></rect>
                                    <rect class="bar-closed" x=x + 16 y=88 - bar(w.closed) width="14" height=bar(w.closed)></rect>
                                }
                            }).collect_view()}
                            <line x1="0" x2="320" y1="88.5" y2="88.5" class="axis"></line>
                        </svg>
                        <ol class="chart-weeks" aria-hidden="true">
                            {o.weeks.iter().map(|w| view! { <li>{format::day_month(&w.week)}</li> }).collect_view()}
                        </ol>
                        <table class="visually-hidden">
                            <caption>{t!(en: "Cases opened and closed per week", fr: "Dossiers ouverts et clôturés par semaine")}</caption>
                            <thead><tr>
                                <th scope="col">{t!(en: "Week of", fr: "Semaine du")}</th>
                                <th scope="col">{t!(en: "Opened", fr: "Ouverts")}</th>
                                <th scope="col">{t!(en: "Closed", fr: "Clôturés")}</th>
                            </tr></thead>
                            <tbody>
                                {o.weeks.iter().map(|w| view! {
                                    <tr><th scope="row">{format::day_month(&w.week)}</th><td>{w.opened}</td><td>{w.closed}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </figure>
                    {(!o.ratings.is_empty()).then(|| view! {
                        <div class="overview-ratings">
                            <h3>{t!(en: "Rating of support's answers", fr: "Note des réponses du support")}</h3>
                            <ul class="plain">
                                {o.ratings.iter().rev().take(6).map(|m| {
                                    let t = m.average_tenths();
                                    let (month, avg, n) = (format::month(&m.month), format!("{}.{}", t / 10, t % 10), m.count);
                                    view! { <li>{if n == 1 {
                                        tf!(en: "{month}: {avg} of 5 (1 rating)", fr: "{month} : {avg} sur 5 (1 note)")
                                    } else {
                                        tf!(en: "{month}: {avg} of 5 ({n} ratings)", fr: "{month} : {avg} sur 5 ({n} notes)")
                                    }}</li> }
                                }).collect_view()}
                            </ul>
                        </div>
                    })}
                </section>
            }
        })
    }
}
