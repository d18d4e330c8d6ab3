//! Knowledge suggestions while the customer describes the problem: matching articles, readable in
//! place; "This answered my question" ends the request without a case (and is counted).

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::model::Article;

use crate::api;
use crate::load::load;

/// How long typing must pause before searching.
const DEBOUNCE_MS: u64 = 400;

/// `query`, once typing pauses ([`DEBOUNCE_MS`]): what to search for.
pub(super) fn debounced(query: Signal<String>) -> RwSignal<String> {
    let settled = RwSignal::new(query.get_untracked());
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let q = query.get();
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                if settled.get_untracked() != q {
                    settled.set(q);
                }
            },
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
        pending.set_value(handle.ok());
    });
    settled
}

/// Suggestions for the text in `query`; `viewed` is told the id of each article opened;
/// `answered` is set when an article answered the question.
#[component]
pub fn Suggestions(
    query: Signal<String>,
    viewed: Callback<String>,
    answered: RwSignal<Option<String>>,
) -> impl IntoView {
    let settled = debounced(query);
    let found = load(move || {
        let q = settled.get();
        async move {
            if q.trim().chars().count() < 4 {
                Ok(portal_core::model::ArticleList { items: Vec::new() })
            } else {
                api::articles(&q).await
            }
        }
    });
    move || {
        let items = found.ok().map(|l| l.items).unwrap_or_default();
        (!items.is_empty()).then(|| {
            view! {
                <aside class="suggestions" aria-labelledby="kb-title">
                    <h3 id="kb-title">{t!(en: "These articles may answer it", fr: "Ces articles y répondent peut-être")}</h3>
                    <ul>{items.into_iter().map(|a| view! { <Suggestion a=a viewed=viewed answered=answered/> }).collect_view()}</ul>
                </aside>
            }
        })
    }
}

#[component]
fn Suggestion(
    a: Article,
    viewed: Callback<String>,
    answered: RwSignal<Option<String>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let body = RwSignal::new(None::<Result<Article, String>>);
    let id = a.id.clone();
    let toggle = {
        let id = id.clone();
        move |_| {
            open.update(|o| *o = !*o);
            if open.get_untracked() && body.get_untracked().is_none() {
                viewed.run(id.clone());
                let id = id.clone();
                spawn_local(async move {
                    body.set(Some(api::article(&id).await.map_err(|e| e.message())))
                });
            }
        }
    };
    let error = RwSignal::new(None::<String>);
    let helpful = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(async move {
                match api::article_helpful(&id).await {
                    Ok(_) => answered.set(Some(id)),
                    Err(e) => error.set(Some(e.message())),
                }
            });
        }
    };
    let panel = format!("kb-{}", a.id);
    view! {
        <li class="suggestion">
            // The knowledge center writes its articles in English.
            <button type="button" class="link-button" lang="en" aria-expanded=move || open.get().to_string() aria-controls=panel.clone() on:click=toggle>
                {a.title.clone()}
            </button>
            <p class="hint" lang="en">{a.summary.clone()}</p>
            <div id=panel hidden=move || !open.get()>
                {move || match body.get() {
                    None => view! { <p class="loading">{t!(en: "Opening the article…", fr: "Ouverture de l’article…")}</p> }.into_any(),
                    Some(Err(m)) => view! { <p class="field-error">{m}</p> }.into_any(),
                    Some(Ok(full)) => view! {
                        <div class="article">
                            <div lang="en">{full.body.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}</div>
                            <p><a href=full.url.clone() target="_blank" rel="noopener">{t!(en: "Full article in the Knowledge Center", fr: "Article complet dans le Knowledge Center")}</a></p>
                        </div>
                    }.into_any(),
                }}
                <p><button type="button" class="button button-small" on:click=helpful.clone()>{t!(en: "This answered my question", fr: "Cet article a répondu à ma question")}</button></p>
                {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </div>
        </li>
    }
}
