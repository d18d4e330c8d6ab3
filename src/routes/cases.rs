//! `/cases`: the institution's cases, filtered, searched, sorted and paged on the server. Every
//! choice lives in the URL, so back / forward and a shared link keep it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use portal_core::{CaseStatus, Level, RequestKind};

use crate::api;
use crate::auth::Auth;
use crate::components::badges::{DueBadge, LevelBadge, StatusBadge, Time};
use crate::components::ErrorNote;
use crate::format;
use crate::i18n::lang;
use crate::load::load;

const KEYS: [&str; 7] = ["scope", "status", "level", "kind", "q", "sort", "page"];

/// The query string for these parameters, only the ones that are set, in a stable order.
pub fn query_string(params: &[(&str, String)]) -> String {
    KEYS.iter()
        .filter_map(|k| {
            params
                .iter()
                .find(|(pk, v)| pk == k && !v.is_empty())
                .map(|(k, v)| format!("{k}={}", api::encode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn current(q: &ParamsMap) -> Vec<(&'static str, String)> {
    KEYS.iter()
        .map(|k| (*k, q.get(k).unwrap_or_default()))
        .collect()
}

/// The page.
#[component]
pub fn CasesPage() -> impl IntoView {
    super::set_title(t!(en: "Cases", fr: "Dossiers"));
    let auth = Auth::get();
    let query = use_query_map();
    let navigate = use_navigate();
    let api_query = Memo::new(move |_| query.with(|q| query_string(&current(q))));
    let list = load(move || {
        let q = api_query.get();
        async move { api::cases(&q).await }
    });
    let param = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());

    // Changing a filter goes back to page 1.
    let set = {
        let navigate = navigate.clone();
        move |k: &'static str, v: String| {
            let mut p = query.with_untracked(current);
            for (pk, pv) in p.iter_mut() {
                if *pk == k {
                    *pv = v.clone();
                } else if *pk == "page" {
                    pv.clear();
                }
            }
            let qs = query_string(&p);
            navigate(
                &format!("/cases{}{qs}", if qs.is_empty() { "" } else { "?" }),
                Default::default(),
            );
        }
    };
    let search = RwSignal::new(param("q"));
    Effect::new(move |_| search.set(param("q")));
    let on_search = {
        let set = set.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            set("q", search.get_untracked().trim().to_string());
        }
    };
    let sort_link = move |col: &'static str| {
        let cur = param("sort");
        let next = if cur == col {
            format!("-{col}")
        } else {
            col.to_string()
        };
        let mut p = query.with(current);
        for (k, v) in p.iter_mut() {
            if *k == "sort" {
                *v = next.clone();
            } else if *k == "page" {
                v.clear();
            }
        }
        format!("/cases?{}", query_string(&p))
    };
    let aria_sort = move |col: &'static str| {
        let cur = param("sort");
        let cur = if cur.is_empty() {
            "-updated_at".to_string()
        } else {
            cur
        };
        if cur == col {
            "ascending"
        } else if cur == format!("-{col}") {
            "descending"
        } else {
            "none"
        }
    };
    let header = move |col: &'static str, label: &'static str| {
        view! { <th scope="col" aria-sort=move || aria_sort(col)><a href=move || sort_link(col)>{label}</a></th> }
    };
    let page_link = move |delta: i64| {
        let page = param("page").parse::<i64>().unwrap_or(1) + delta;
        let mut p = query.with(current);
        for (k, v) in p.iter_mut() {
            if *k == "page" {
                *v = if page <= 1 {
                    String::new()
                } else {
                    page.to_string()
                };
            }
        }
        format!("/cases?{}", query_string(&p))
    };
    let is_agent = move || {
        auth.me
            .with(|m| m.as_ref().is_some_and(|m| m.institution.is_none()))
    };
    let set_scope = set.clone();
    let set_status = set.clone();
    let set_level = set.clone();
    let set_kind = set.clone();

    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t!(en: "Cases", fr: "Dossiers")}</h1>
                <A href="/new" attr:class="button button-primary">{t!(en: "New request", fr: "Nouvelle demande")}</A>
            </div>
            <form class="filters" role="search" on:submit=on_search>
                {move || (!is_agent()).then(|| { let set_scope = set_scope.clone(); view! {
                    <div class="field">
                        <label for="f-scope">{t!(en: "Show", fr: "Afficher")}</label>
                        <select id="f-scope" on:change:target=move |ev| set_scope("scope", ev.target().value())>
                            <option value="" prop:selected=move || param("scope") != "mine">{t!(en: "All of my institution", fr: "Tout mon établissement")}</option>
                            <option value="mine" prop:selected=move || param("scope") == "mine">{t!(en: "Opened by me", fr: "Ouverts par moi")}</option>
                        </select>
                    </div>
                }})}
                <div class="field">
                    <label for="f-status">{t!(en: "Status", fr: "Statut")}</label>
                    <select id="f-status" on:change:target=move |ev| set_status("status", ev.target().value())>
                        <option value="" prop:selected=move || param("status").is_empty()>{t!(en: "Any status", fr: "Tous les statuts")}</option>
                        <option value="open" prop:selected=move || param("status") == "open">{t!(en: "Open (not closed)", fr: "Ouverts (non clôturés)")}</option>
                        {CaseStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() prop:selected=move || param("status") == s.as_str()>{s.label(lang())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-level">{t!(en: "Level", fr: "Niveau")}</label>
                    <select id="f-level" on:change:target=move |ev| set_level("level", ev.target().value())>
                        <option value="" prop:selected=move || param("level").is_empty()>{t!(en: "Any level", fr: "Tous les niveaux")}</option>
                        {Level::ALL.into_iter().map(|l| view! {
                            <option value=l.as_str() prop:selected=move || param("level") == l.as_str()>{format!("{} – {}", l.as_str(), l.priority(lang()))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-kind">{t!(en: "Request", fr: "Demande")}</label>
                    <select id="f-kind" on:change:target=move |ev| set_kind("kind", ev.target().value())>
                        <option value="" prop:selected=move || param("kind").is_empty()>{t!(en: "Any request", fr: "Toutes les demandes")}</option>
                        {RequestKind::ALL.into_iter().filter(|k| k.is_support_case()).map(|k| view! {
                            <option value=k.as_str() prop:selected=move || param("kind") == k.as_str()>{k.label(lang())}</option>
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
            {move || match list.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Loading cases…", fr: "Chargement des dossiers…")}</p> }.into_any(),
                Some(Err(e)) => {
                    let msg = auth.handle(&e);
                    view! { <ErrorNote message=msg retry=Callback::new(move |_| list.refetch())/> }.into_any()
                }
                Some(Ok(l)) if l.items.is_empty() => view! {
                    <div class="empty card">
                        <p>{if api_query.get_untracked().is_empty() {
                            t!(en: "Your institution has no cases yet.", fr: "Votre établissement n’a encore aucun dossier.")
                        } else {
                            t!(en: "No cases match these filters.", fr: "Aucun dossier ne correspond à ces filtres.")
                        }}</p>
                        <p><A href="/cases">{t!(en: "Clear all filters", fr: "Effacer tous les filtres")}</A>{t!(en: " or ", fr: " ou ")}<A href="/new">{t!(en: "open a new request", fr: "ouvrir une nouvelle demande")}</A>"."</p>
                    </div>
                }.into_any(),
                Some(Ok(l)) => {
                    let pages = l.total.div_ceil(u64::from(l.page_size.max(1)));
                    let (page, total) = (l.page, l.total);
                    view! {
                        <p class="result-count" role="status">{if total == 1 { t!(en: "1 case", fr: "1 dossier").to_string() } else { tf!(en: "{total} cases", fr: "{total} dossiers") }}</p>
                        <table class="cases">
                            <caption class="visually-hidden">{t!(en: "Cases, sortable by column", fr: "Dossiers, triables par colonne")}</caption>
                            <thead><tr>
                                {header("number", t!(en: "Number", fr: "Numéro"))}
                                {header("subject", t!(en: "Subject", fr: "Objet"))}
                                {header("status", t!(en: "Status", fr: "Statut"))}
                                {header("level", t!(en: "Level", fr: "Niveau"))}
                                {header("opened_at", t!(en: "Opened", fr: "Ouvert"))}
                                {header("updated_at", t!(en: "Updated", fr: "Mis à jour"))}
                                {header("initial_response_due", t!(en: "Initial response", fr: "Première réponse"))}
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
                            {(page > 1).then(|| view! { <a href=move || page_link(-1) rel="prev">{t!(en: "← Previous", fr: "← Précédente")}</a> })}
                            <span>{ let pages = pages.max(1); tf!(en: "Page {page} of {pages}", fr: "Page {page} sur {pages}") }</span>
                            {(u64::from(page) < pages).then(|| view! { <a href=move || page_link(1) rel="next">{t!(en: "Next →", fr: "Suivante →")}</a> })}
                        </nav>
                    }.into_any()
                }
            }}
            // Below the list, and only once the list is shown: nothing the customer is reading
            // moves when the overview arrives (no layout shift).
            <Overview scope=Signal::derive(move || param("scope")) ready=Signal::derive(move || list.value.with(Option::is_some))/>
        </section>
    }
}

/// Counts by status and level (each a link to the filtered list) and a chart of cases opened and
/// closed per week. The chart is inline SVG for the eye, with the same numbers in a table for
/// screen readers.
#[component]
fn Overview(scope: Signal<String>, ready: Signal<bool>) -> impl IntoView {
    let data = load(move || {
        let s = scope.get();
        async move {
            api::overview(&if s.is_empty() {
                String::new()
            } else {
                format!("scope={}", api::encode(&s))
            })
            .await
        }
    });
    let link = move |k: &str, v: &str| {
        let s = scope.get();
        let mut p = vec![(k, v.to_string())];
        if !s.is_empty() {
            p.push(("scope", s));
        }
        format!("/cases?{}", query_string(&p))
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
                                <li><a href=link("status", s.as_str())>{s.label(lang())}" "<strong>{*n}</strong></a></li>
                            }).collect_view()}
                        </ul>
                        <ul class="chips" aria-label=t!(en: "Open cases by level", fr: "Dossiers ouverts par niveau")>
                            {o.open_by_level.iter().map(|(l, n)| view! {
                                <li><a href=link("level", l.as_str()) class=format!("chip-level-{}", l.as_str())>{ let id = l.as_str(); tf!(en: "Level {id} open ", fr: "Niveau {id} ouverts ") }<strong>{*n}</strong></a></li>
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
