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
    super::set_title("Cases");
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
                <h1>"Cases"</h1>
                <A href="/new" attr:class="button button-primary">"New request"</A>
            </div>
            <form class="filters" role="search" on:submit=on_search>
                {move || (!is_agent()).then(|| { let set_scope = set_scope.clone(); view! {
                    <div class="field">
                        <label for="f-scope">"Show"</label>
                        <select id="f-scope" on:change:target=move |ev| set_scope("scope", ev.target().value())>
                            <option value="" prop:selected=move || param("scope") != "mine">"All of my institution"</option>
                            <option value="mine" prop:selected=move || param("scope") == "mine">"Opened by me"</option>
                        </select>
                    </div>
                }})}
                <div class="field">
                    <label for="f-status">"Status"</label>
                    <select id="f-status" on:change:target=move |ev| set_status("status", ev.target().value())>
                        <option value="" prop:selected=move || param("status").is_empty()>"Any status"</option>
                        <option value="open" prop:selected=move || param("status") == "open">"Open (not closed)"</option>
                        {CaseStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() prop:selected=move || param("status") == s.as_str()>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-level">"Level"</label>
                    <select id="f-level" on:change:target=move |ev| set_level("level", ev.target().value())>
                        <option value="" prop:selected=move || param("level").is_empty()>"Any level"</option>
                        {Level::ALL.into_iter().map(|l| view! {
                            <option value=l.as_str() prop:selected=move || param("level") == l.as_str()>{format!("{} – {}", l.as_str(), l.priority())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-kind">"Request"</label>
                    <select id="f-kind" on:change:target=move |ev| set_kind("kind", ev.target().value())>
                        <option value="" prop:selected=move || param("kind").is_empty()>"Any request"</option>
                        {RequestKind::ALL.into_iter().filter(|k| k.is_support_case()).map(|k| view! {
                            <option value=k.as_str() prop:selected=move || param("kind") == k.as_str()>{k.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field-grow">
                    <label for="f-q">"Search number or text"</label>
                    <div class="inline">
                        <input id="f-q" type="search" bind:value=search placeholder="CS-000123 or words"/>
                        <button type="submit" class="button">"Search"</button>
                    </div>
                </div>
            </form>
            {move || match list.get() {
                None => view! { <p class="loading" role="status">"Loading cases…"</p> }.into_any(),
                Some(Err(e)) => {
                    let msg = auth.handle(&e);
                    view! { <ErrorNote message=msg retry=Callback::new(move |_| list.refetch())/> }.into_any()
                }
                Some(Ok(l)) if l.items.is_empty() => view! {
                    <div class="empty card">
                        <p>{if api_query.get_untracked().is_empty() { "Your institution has no cases yet." } else { "No cases match these filters." }}</p>
                        <p><A href="/cases">"Clear all filters"</A>" or "<A href="/new">"open a new request"</A>"."</p>
                    </div>
                }.into_any(),
                Some(Ok(l)) => {
                    let pages = l.total.div_ceil(u64::from(l.page_size.max(1)));
                    let (page, total) = (l.page, l.total);
                    view! {
                        <p class="result-count" role="status">{format!("{total} case{}", if total == 1 { "" } else { "s" })}</p>
                        <table class="cases">
                            <caption class="visually-hidden">"Cases, sortable by column"</caption>
                            <thead><tr>
                                {header("number", "Number")}
                                {header("subject", "Subject")}
                                {header("status", "Status")}
                                {header("level", "Level")}
                                {header("opened_at", "Opened")}
                                {header("updated_at", "Updated")}
                                {header("initial_response_due", "Initial response")}
                            </tr></thead>
                            <tbody>
                                {l.items.into_iter().map(|c| {
                                    let href = format!("/cases/{}", c.number);
                                    view! {
                                        <tr>
                                            <td data-label="Number"><A href=href.clone() attr:class="case-number">{c.number.clone()}</A></td>
                                            <td data-label="Subject" class="subject"><A href=href>{c.subject.clone()}</A></td>
                                            <td data-label="Status"><StatusBadge status=c.status/></td>
                                            <td data-label="Level"><LevelBadge level=c.level/></td>
                                            <td data-label="Opened"><Time t=c.opened_at/></td>
                                            <td data-label="Updated"><Time t=c.updated_at/></td>
                                            <td data-label="Initial response"><DueBadge due=c.initial_response_due first_response=c.first_response_at closed=!c.status.is_open()/></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <nav class="pager" aria-label="Pages">
                            {(page > 1).then(|| view! { <a href=move || page_link(-1) rel="prev">"← Previous"</a> })}
                            <span>{format!("Page {page} of {}", pages.max(1))}</span>
                            {(u64::from(page) < pages).then(|| view! { <a href=move || page_link(1) rel="next">"Next →"</a> })}
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
                    <h2 id="overview-title" class="visually-hidden">"Overview"</h2>
                    <div class="overview-counts">
                        <ul class="chips" aria-label="Cases by status">
                            {o.by_status.iter().map(|(s, n)| view! {
                                <li><a href=link("status", s.as_str())>{s.label()}" "<strong>{*n}</strong></a></li>
                            }).collect_view()}
                        </ul>
                        <ul class="chips" aria-label="Open cases by level">
                            {o.open_by_level.iter().map(|(l, n)| view! {
                                <li><a href=link("level", l.as_str()) class=format!("chip-level-{}", l.as_str())>{format!("Level {} open ", l.as_str())}<strong>{*n}</strong></a></li>
                            }).collect_view()}
                        </ul>
                    </div>
                    <figure class="chart">
                        <figcaption>"Cases opened and closed per week"
                            <span class="legend"><span class="key key-opened"></span>"opened"<span class="key key-closed"></span>"closed"</span>
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
                            <caption>"Cases opened and closed per week"</caption>
                            <thead><tr><th scope="col">"Week of"</th><th scope="col">"Opened"</th><th scope="col">"Closed"</th></tr></thead>
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
