//! "News since your last visit": how many of the person's cases changed since they last opened
//! them, asked every 20 seconds while the page is visible and at once when it becomes visible again (the API answers 304 when nothing
//! changed), and a version that lists and home reload on when it moves.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::auth::Auth;

/// How often the news are asked for.
pub const POLL_SECONDS: u64 = 20;

/// The news, shared through context.
#[derive(Clone, Copy)]
pub struct News {
    /// The cases with news (their numbers), once known.
    pub cases: RwSignal<Vec<String>>,
    /// Moves whenever the news change: what lists reload on.
    pub version: RwSignal<u32>,
    etag: StoredValue<Option<String>>,
    /// No answer yet since start or sign-in.
    awaiting_first: StoredValue<bool>,
    /// The first answer since the portal started is in (or failed, or 1.5 s passed): until then
    /// the header keeps its links unseen, so the count arriving never moves them.
    pub known: RwSignal<bool>,
}

impl News {
    /// Starts asking (from the app's root).
    pub fn provide() -> News {
        let news = News {
            cases: RwSignal::new(Vec::new()),
            version: RwSignal::new(0),
            etag: StoredValue::new(None),
            awaiting_first: StoredValue::new(true),
            known: RwSignal::new(false),
        };
        provide_context(news);
        set_timeout(
            move || news.known.set(true),
            std::time::Duration::from_millis(1500),
        );
        let auth = Auth::get();
        // On sign-in (and at start when signed in), and every POLL_SECONDS while visible.
        Effect::new(move |_| {
            if auth.me.with(Option::is_some) {
                news.etag.set_value(None);
                news.awaiting_first.set_value(true);
                news.refresh();
            } else {
                news.cases.set(Vec::new());
            }
        });
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if !document().hidden() && auth.me.with_untracked(Option::is_some) {
                    news.refresh();
                }
            },
            std::time::Duration::from_secs(POLL_SECONDS),
        ) {
            on_cleanup(move || handle.clear());
        }
        // Back to the tab: ask at once rather than at the next tick.
        let handle = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !document().hidden() && auth.me.with_untracked(Option::is_some) {
                news.refresh();
            }
        });
        on_cleanup(move || handle.remove());
        news
    }

    /// The context.
    pub fn get() -> Option<News> {
        use_context::<News>()
    }

    /// Asks now (after the person did something, or opened a case).
    pub fn refresh(&self) {
        let news = *self;
        spawn_local(async move {
            let answer = api::news_if_changed(news.etag.get_value().as_deref()).await;
            if !news.known.get_untracked() {
                news.known.set(true);
            }
            if let Ok(Some((n, tag))) = answer {
                news.etag.set_value(tag);
                // The first answer after sign-in or start is what the lists just loaded: no
                // reload for it; later changes reload them.
                let first = news.awaiting_first.get_value();
                news.awaiting_first.set_value(false);
                if news.cases.with_untracked(|c| *c != n.cases) {
                    news.cases.set(n.cases);
                    if !first {
                        news.version.update(|v| *v = v.wrapping_add(1));
                    }
                }
            }
        });
    }
}
