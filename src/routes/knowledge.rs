//! `/knowledge?q=` and `/knowledge/{id}?q=` (public): search the knowledge articles (or browse
//! them by topic when there is no query) and read one, so a customer can often answer the
//! question without a case; the way back keeps the search. Article text is rendered as text
//! (paragraphs), never as HTML; links out open with `rel=noopener`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use portal_core::model::Article;

use crate::api;
use crate::components::ErrorNote;
use crate::load::load;

/// The search page.
#[component]
pub fn KnowledgePage() -> impl IntoView {
    super::set_title(t!(en: "Knowledge", fr: "Connaissances"));
    let query = use_query_map();
    let navigate = use_navigate();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let text = RwSignal::new(q.get_untracked());
    Effect::new(move |_| text.set(q.get()));
    // An empty query lists every article (by topic) to browse.
    let found = load(move || {
        let q = q.get();
        async move { api::articles(q.trim()).await }
    });
    let config = crate::use_config();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = text.get_untracked().trim().to_string();
        navigate(
            &if t.is_empty() {
                "/knowledge".to_string()
            } else {
                format!("/knowledge?q={}", api::encode(&t))
            },
            Default::default(),
        );
    };
    view! {
        <section class="page">
            <h1>{t!(en: "Knowledge articles", fr: "Articles de connaissances")}</h1>
            <p class="lead">{t!(en: "Many questions are answered here, and many issues come from changes on the university side that you can fix without a case.",
                                fr: "Beaucoup de questions trouvent ici leur réponse, et beaucoup de problèmes viennent de changements du côté de l’université, que vous pouvez régler sans dossier.")}</p>
            <form class="card form" role="search" on:submit=search>
                <div class="field">
                    <label for="kq">{t!(en: "Search the articles", fr: "Chercher dans les articles")}</label>
                    <div class="inline">
                        <input id="kq" type="search" bind:value=text placeholder=t!(en: "e.g. timetable empty", fr: "p. ex. timetable empty (articles en anglais)")/>
                        <button type="submit" class="button button-primary">{t!(en: "Search", fr: "Chercher")}</button>
                    </div>
                </div>
            </form>
            {move || match found.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Searching…", fr: "Recherche…")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=e.message() retry=Callback::new(move |_| found.refetch())/> }.into_any(),
                Some(Ok(l)) if q.get().trim().is_empty() => view! { <Topics items=l.items/> }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! {
                    <div class="empty card" role="status">
                        <p>{ let q = q.get(); tf!(
                            en: "No article matches \u{201c}{q}\u{201d}. Try other words, search the full Knowledge Center, or ",
                            fr: "Aucun article ne correspond à « {q} ». Essayez d’autres mots, cherchez dans tout le Knowledge Center, ou ") }
                            <A href="/new">{t!(en: "open a request", fr: "ouvrez une demande")}</A>"."</p>
                    </div>
                }.into_any(),
                Some(Ok(l)) => view! {
                    <p class="result-count" role="status">{ let n = l.items.len(); if n == 1 { t!(en: "1 article", fr: "1 article").to_string() } else { tf!(en: "{n} articles", fr: "{n} articles") } }</p>
                    <ul class="articles">
                        {l.items.into_iter().map(|a| view! { <ArticleItem a=a q=q.get()/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            // Below the results, so it comes with them: never pushed down by their arrival.
            {move || config.ok().filter(|_| found.value.with(Option::is_some)).map(|c| view! {
                <p><a href=c.knowledge_center_url target="_blank" rel="noopener">{t!(en: "Search the full Knowledge Center", fr: "Chercher dans tout le Knowledge Center")}</a></p>
            })}
        </section>
    }
}

/// Every article under its topic, to browse when nothing is searched yet.
#[component]
fn Topics(items: Vec<Article>) -> impl IntoView {
    let mut topics: Vec<(String, Vec<Article>)> = Vec::new();
    for a in items {
        match topics.iter_mut().find(|(t, _)| *t == a.topic) {
            Some((_, list)) => list.push(a),
            None => topics.push((a.topic.clone(), vec![a])),
        }
    }
    view! {
        <p class="hint">{t!(en: "Type a few words about the problem or question, or browse the articles by topic.",
                             fr: "Tapez quelques mots sur le problème ou la question, ou parcourez les articles par thème.")}</p>
        {topics.into_iter().map(|(topic, list)| view! {
            <section class="topic" lang="en">
                <h2>{topic}</h2>
                <ul class="articles">{list.into_iter().map(|a| view! { <ArticleItem a=a q=String::new() under_topic=true/> }).collect_view()}</ul>
            </section>
        }).collect_view()}
    }
}

/// An article in a list (its title an `h3` under a topic, else an `h2`); its link carries the
/// search so the way back keeps it.
#[component]
fn ArticleItem(a: Article, q: String, #[prop(optional)] under_topic: bool) -> impl IntoView {
    let href = if q.trim().is_empty() {
        format!("/knowledge/{}", a.id)
    } else {
        format!("/knowledge/{}?q={}", a.id, api::encode(q.trim()))
    };
    let link = view! { <A href=href>{a.title}</A> };
    view! {
        <li class="card" lang="en">
            {if under_topic { view! { <h3>{link}</h3> }.into_any() } else { view! { <h2>{link}</h2> }.into_any() }}
            <p class="hint">{a.summary}</p>
        </li>
    }
}

/// One article.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let back = move || {
        let q = query.with(|m| m.get("q").unwrap_or_default());
        if q.trim().is_empty() {
            "/knowledge".to_string()
        } else {
            format!("/knowledge?q={}", api::encode(q.trim()))
        }
    };
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let article = load(move || {
        let id = id.get();
        async move { api::article(&id).await }
    });
    view! {
        <section class="page">
            <p><A href=back>{move || if query.with(|m| m.get("q").is_some_and(|q| !q.trim().is_empty())) {
                t!(en: "← Back to the search results", fr: "← Retour aux résultats de la recherche")
            } else {
                t!(en: "← Knowledge articles", fr: "← Articles de connaissances")
            }}</A></p>
            {move || match article.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Opening the article…", fr: "Ouverture de l’article…")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=e.message()/> }.into_any(),
                Some(Ok(a)) => {
                    super::set_title(&a.title);
                    view! {
                        // The knowledge center writes its articles in English.
                        <article class="article" lang="en">
                            <p class="case-number">{a.id.clone()}</p>
                            <h1>{a.title.clone()}</h1>
                            <p class="lead">{a.summary.clone()}</p>
                            {a.body.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
                            <p lang=crate::i18n::lang().code()><a href=a.url.clone() target="_blank" rel="noopener">{t!(en: "Full article in the Knowledge Center", fr: "Article complet dans le Knowledge Center")}</a></p>
                            <p class="hint" lang=crate::i18n::lang().code()>{t!(en: "Not answered? ", fr: "Pas de réponse ? ")}<A href="/new">{t!(en: "Open a request", fr: "Ouvrez une demande")}</A>"."</p>
                        </article>
                    }.into_any()
                }
            }}
        </section>
    }
}
