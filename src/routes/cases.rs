//! `/cases`: the institution's cases, filtered, searched, sorted and paged on the server. Every
//! choice lives in the URL as a `portal_core::query::CaseQuery` (the API parses the same), so
//! back / forward and a shared link keep it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use portal_core::query::{CaseQuery, QueryError, Scope, SortKey, StatusFilter};
use portal_core::{CaseStatus, Level, RequestKind};

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
    super::set_title(t!(en: "Cases", fr: "Dossiers"));
    let auth = Auth::get();
    let query = use_query_map();
    let navigate = use_navigate();
    // The URL's query, typed: what it understood, and what it had to leave out.
    let parsed = Memo::new(move |_| {
        query.with(|q| {
            let pairs: Vec<(&str, String)> = CaseQuery::KEYS
                .iter()
                .filter_map(|k| q.get(k).map(|v| (*k, v)))
                .collect();
            CaseQuery::lenient(pairs.iter().map(|(k, v)| (*k, v.as_str())), lang())
        })
    });
    let cq = Memo::new(move |_| parsed.with(|(q, _)| q.clone()));
    let ignored = Memo::new(move |_| parsed.with(|(_, e)| e.clone()));
    let list = load(move || {
        let q = cq.get();
        async move { api::cases(&q).await }
    });
    // A changed filter: the same query with the change, back on page 1.
    let change = move |f: Box<dyn FnOnce(&mut CaseQuery)>| {
        navigate(&cq.get_untracked().with(f).href(), Default::default())
    };
    let search = RwSignal::new(cq.get_untracked().q);
    Effect::new(move |_| search.set(cq.with(|q| q.q.clone())));
    let on_search = {
        let change = change.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = search.get_untracked().trim().to_string();
            change(Box::new(move |q| q.q = text));
        }
    };
    let (change_scope, change_status, change_level, change_kind) =
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
    let is_agent = move || {
        auth.me
            .with(|m| m.as_ref().is_some_and(|m| m.institution.is_none()))
    };
    let selected =
        move |f: fn(&CaseQuery) -> String, v: &'static str| move || cq.with(|q| f(q) == v);
    let status_of = |q: &CaseQuery| q.status.map(|s| s.as_str().to_string()).unwrap_or_default();
    let level_of = |q: &CaseQuery| q.level.map(|l| l.as_str().to_string()).unwrap_or_default();
    let kind_of = |q: &CaseQuery| q.kind.map(|k| k.as_str().to_string()).unwrap_or_default();

    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t!(en: "Cases", fr: "Dossiers")}</h1>
                <A href="/new" attr:class="button button-primary">{t!(en: "New request", fr: "Nouvelle demande")}</A>
            </div>
            <form class="filters" role="search" on:submit=on_search>
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
                            <option value=s.as_str() prop:selected=selected(status_of, s.as_str())>{s.label(lang())}</option>
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
                <div class="field field-grow">
                    <label for="f-q">{t!(en: "Search number or text", fr: "Chercher un numéro ou du texte")}</label>
                    <div class="inline">
                        <input id="f-q" type="search" bind:value=search placeholder=t!(en: "CS-000123 or words", fr: "CS-000123 ou des mots")/>
                        <button type="submit" class="button">{t!(en: "Search", fr: "Chercher")}</button>
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
                        <p>{if cq.with_untracked(CaseQuery::is_filtered) {
                            t!(en: "No cases match these filters.", fr: "Aucun dossier ne correspond à ces filtres.")
                        } else {
                            t!(en: "Your institution has no cases yet.", fr: "Votre établissement n’a encore aucun dossier.")
                        }}</p>
                        <p><A href="/cases">{t!(en: "Clear all filters", fr: "Effacer tous les filtres")}</A>{t!(en: " or ", fr: " ou ")}<A href="/new">{t!(en: "open a new request", fr: "ouvrir une nouvelle demande")}</A>"."</p>
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
                                {header(SortKey::Status, t!(en: "Status", fr: "Statut"))}
                                {header(SortKey::Level, t!(en: "Level", fr: "Niveau"))}
                                {header(SortKey::OpenedAt, t!(en: "Opened", fr: "Ouvert"))}
                                {header(SortKey::UpdatedAt, t!(en: "Updated", fr: "Mis à jour"))}
                                {header(SortKey::InitialResponseDue, t!(en: "Initial response", fr: "Première réponse"))}
                            </tr></thead>
                            <tbody>
                                {l.items.into_iter().map(|c| {
                                    let href = format!("/cases/{}", c.number);
                                    view! {
                                        <tr>
                                            <td data-label=t!(en: "Number", fr: "Numéro")><A href=href.clone() attr:class="case-number">{c.number.clone()}</A></td>
                                            <td data-label=t!(en: "Subject", fr: "Objet") class="subject"><A href=href>{c.subject.clone()}</A></td>
                                            <td data-label=t!(en: "Status", fr: "Statut")><StatusBadge status=c.status/></td>
                                            <td data-label=t!(en: "Level", fr: "Niveau")><LevelBadge level=c.level/></td>
                                            <td data-label=t!(en: "Opened", fr: "Ouvert")><Time t=c.opened_at/></td>
                                            <td data-label=t!(en: "Updated", fr: "Mis à jour")><Time t=c.updated_at/></td>
                                            <td data-label=t!(en: "Initial response", fr: "Première réponse")><DueBadge due=c.initial_response_due first_response=c.first_response_at closed=!c.status.is_open()/></td>
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
                                <li><a href=link(StatusFilter::Is(*s), None)>{s.label(lang())}" "<strong>{*n}</strong></a></li>
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
                        <svg viewBox="0 0 320 110" aria-hidden="true" focusable="false">
                            {o.weeks.iter().enumerate().map(|(i, w)| {
                                let x = 8 + i as i64 * 39;
                                view! {
                                    <rect class="bar-opened" x=x y=88 - bar(w.opened) width="14" height=bar(w.opened)></rect>
                                    <rect class="bar-closed" x=x + 15 y=88 - bar(w.closed) width="14" height=bar(w.closed)></rect>
                                    <text x=x + 15 y="104" text-anchor="middle">{format::day_month(&w.week)}</text>
                                }
                            }).collect_view()}
                            <line x1="0" x2="320" y1="88.5" y2="88.5" class="axis"></line>
                        </svg>
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
                </section>
            }
        })
    }
}
