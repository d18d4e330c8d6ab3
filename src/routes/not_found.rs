//! Any path the portal does not know.

use leptos::prelude::*;
use leptos_router::components::A;

/// "Page not found", with the way back.
#[component]
pub fn NotFound() -> impl IntoView {
    let title = t!(en: "Page not found", fr: "Page introuvable");
    super::set_title(title);
    view! {
        <section class="page narrow">
            <h1>{title}</h1>
            <p>{t!(en: "There is nothing at this address. It may have been mistyped, or the link is out of date.",
                   fr: "Il n’y a rien à cette adresse. Elle a peut-être été mal saisie, ou le lien n’est plus à jour.")}</p>
            <p><A href="/cases">{t!(en: "Go to your cases", fr: "Aller à vos dossiers")}</A>{t!(en: " or ", fr: " ou ")}<A href="/new">{t!(en: "open a new request", fr: "ouvrir une nouvelle demande")}</A>"."</p>
        </section>
    }
}
