//! `/knowledge?q=` and `/knowledge/{id}` (public): search the knowledge articles and read one, so
//! a customer can often answer the question without a case. Article text is rendered as text
//! (paragraphs), never as HTML; links out open with `rel=noopener`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api;
use crate::components::ErrorNote;
use crate::load::load;

/// The search page.
#[component]
pub fn KnowledgePage() -> impl IntoView {
    super::set_title("Knowledge");
    let query = use_query_map();
    let navigate = use_navigate();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let text = RwSignal::new(q.get_untracked());
    Effect::new(move |_| text.set(q.get()));
    let found = load(move || {
        let q = q.get();
        async move {
            if q.trim().is_empty() {
                Ok(portal_core::model::ArticleList { items: Vec::new() })
            } else {
                api::articles(&q).await
            }
        }
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
            <h1>"Knowledge articles"</h1>
            <p class="lead">"Many questions are answered here, and many issues come from changes on the university side that you can fix without a case."</p>
            <form class="card form" role="search" on:submit=search>
                <div class="field">
                    <label for="kq">"Search the articles"</label>
                    <div class="inline">
                        <input id="kq" type="search" bind:value=text placeholder="e.g. timetable empty"/>
                        <button type="submit" class="button button-primary">"Search"</button>
                    </div>
                </div>
            </form>
            {move || match found.get() {
                None => view! { <p class="loading" role="status">"Searching…"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=e.message() retry=Callback::new(move |_| found.refetch())/> }.into_any(),
                Some(Ok(_)) if q.get().trim().is_empty() => view! { <p class="hint">"Type a few words about the problem or question."</p> }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! {
                    <div class="empty card" role="status">
                        <p>{format!("No article matches \u{201c}{}\u{201d}. Try other words, search the full Knowledge Center, or ", q.get())}<A href="/new">"open a request"</A>"."</p>
                    </div>
                }.into_any(),
                Some(Ok(l)) => view! {
                    <p class="result-count" role="status">{format!("{} article{}", l.items.len(), if l.items.len() == 1 { "" } else { "s" })}</p>
                    <ul class="articles">
                        {l.items.into_iter().map(|a| view! {
                            <li class="card"><h2><A href=format!("/knowledge/{}", a.id)>{a.title}</A></h2><p class="hint">{a.summary}</p></li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {move || config.ok().map(|c| view! {
                <p><a href=c.knowledge_center_url target="_blank" rel="noopener">"Search the full Knowledge Center"</a></p>
            })}
        </section>
    }
}

/// One article.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let article = load(move || {
        let id = id.get();
        async move { api::article(&id).await }
    });
    view! {
        <section class="page">
            <p><A href="/knowledge">"← Knowledge articles"</A></p>
            {move || match article.get() {
                None => view! { <p class="loading" role="status">"Opening the article…"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=e.message()/> }.into_any(),
                Some(Ok(a)) => {
                    super::set_title(&a.title);
                    view! {
                        <article class="article">
                            <p class="case-number">{a.id.clone()}</p>
                            <h1>{a.title.clone()}</h1>
                            <p class="lead">{a.summary.clone()}</p>
                            {a.body.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
                            <p><a href=a.url.clone() target="_blank" rel="noopener">"Full article in the Knowledge Center"</a></p>
                            <p class="hint">"Not answered? "<A href="/new">"Open a request"</A>"."</p>
                        </article>
                    }.into_any()
                }
            }}
        </section>
    }
}
