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
                    <span>"campusM Support"</span>
                </A>
                <Show when=move || auth.me.with(Option::is_some)>
                    <nav aria-label="Main">
                        <ul>
                            <li><A href="/" exact=true>"Home"</A></li>
                            <li><A href="/cases">"Cases"</A></li>
                            <li><A href="/new" attr:class="nav-primary">"New request"</A></li>
                        </ul>
                    </nav>
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

/// The site footer: where else to get help.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Down system? Follow the "
                <a href="https://knowledge.exlibrisgroup.com/Cross_Product/Knowledge_Articles/Escalation_Policy" rel="noopener" target="_blank">"24/7 escalation policy"</a>
                " in parallel to opening a Level I or II case."
            </p>
            <p>
                <a href="https://knowledge.exlibrisgroup.com/campusM" rel="noopener" target="_blank">"Knowledge Center"</a>
                " · "
                <a href="https://ideas.exlibrisgroup.com/forums/308176-campusm" rel="noopener" target="_blank">"Ideas Exchange"</a>
            </p>
        </footer>
    }
}
