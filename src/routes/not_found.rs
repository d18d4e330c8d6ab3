//! Any path the portal does not know.

use leptos::prelude::*;
use leptos_router::components::A;

/// "Page not found", with the way back.
#[component]
pub fn NotFound() -> impl IntoView {
    super::set_title("Page not found");
    view! {
        <section class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. It may have been mistyped, or the link is out of date."</p>
            <p><A href="/cases">"Go to your cases"</A>" or "<A href="/new">"open a new request"</A>"."</p>
        </section>
    }
}
