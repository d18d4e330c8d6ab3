//! Header with navigation and account, and the footer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::auth::Auth;
use crate::{api, draft};

/// The site header: product, navigation, who is signed in, sign out.
#[component]
pub fn Header() -> impl IntoView {
    let auth = Auth::get();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // A shared computer must not keep this user's unsent drafts.
            if let Some(email) = auth.email() {
                draft::clear_user(&email);
            }
            let _ = api::sign_out().await;
            auth.me.set(None);
            navigate("/sign-in", Default::default());
        });
    };
    view! {
        <header class="site-header">
            <div class="bar">
                <A href="/" attr:class="brand">
                    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" width="28" height="28"><rect width="32" height="32" rx="7"/><path d="M9 21V11h3l4 6 4-6h3v10h-3v-5l-4 6-4-6v5z"/></svg>
                    <span><span class="wide-only">"campusM "</span>"Support"</span>
                </A>
                <nav aria-label="Main">
                    <ul>
                        <Show when=move || auth.me.with(Option::is_some)>
                            <li><A href="/" exact=true>"Home"</A></li>
                            <li><A href="/cases">"Cases"</A></li>
                            <li><A href="/new">"New"<span class="wide-only">" request"</span></A></li>
                        </Show>
                        <li><A href="/support">"Support"</A></li>
                    </ul>
                </nav>
                <Show when=move || auth.me.with(Option::is_some)>
                    <div class="account">
                        <span class="who">
                            {move || auth.me.with(|m| m.as_ref().map(|m| {
                                let inst = m.institution.as_ref().map(|i| i.name.clone()).unwrap_or_else(|| "Ex Libris support".into());
                                format!("{} · {}", m.user.name, inst)
                            }))}
                        </span>
                        <button type="button" class="button button-quiet" on:click=sign_out.clone()>"Sign out"</button>
                    </div>
                </Show>
            </div>
        </header>
    }
}

/// The site footer: where else to get help (links from the deployment's configuration).
#[component]
pub fn Footer() -> impl IntoView {
    let config = crate::use_config();
    view! {
        <footer class="site-footer">
            <p>
                "Down system? Follow the 24/7 escalation policy in parallel to opening a Level I or II case. "
                <A href="/support">"Support overview"</A>" · "
                <A href="/knowledge">"Knowledge articles"</A>
            </p>
            {move || config.ok().map(|c| view! {
                <ul class="footer-links">
                    <li><a href=c.escalation_policy_url.clone() rel="noopener" target="_blank">"Escalation policy"</a></li>
                    <li><a href=c.knowledge_center_url.clone() rel="noopener" target="_blank">"Knowledge Center"</a></li>
                    <li><a href=c.ideas_exchange_url.clone() rel="noopener" target="_blank">"Ideas Exchange"</a></li>
                    {c.community.into_iter().map(|l| view! { <li><a href=l.url rel="noopener" target="_blank">{l.name}</a></li> }).collect_view()}
                </ul>
            })}
        </footer>
    }
}

/// "Offline — last updated …": shown while the portal reads the service worker's offline copy.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let since = crate::api::offline_since();
    move || {
        since.get().map(|d| {
            let t = js_sys::Date::parse(&d);
            let when = if t.is_nan() {
                "earlier".to_string()
            } else {
                chrono::DateTime::from_timestamp_millis(t as i64)
                    .map(crate::format::local)
                    .unwrap_or_else(|| "earlier".into())
            };
            view! {
                <div class="offline-banner" role="status">
                    <p><strong>"Offline"</strong>{format!(" — showing what was last updated {when}. Sending updates needs a connection; the portal checks again by itself.")}</p>
                </div>
            }
        })
    }
}
