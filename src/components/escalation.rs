//! The 24/7 route for a down system: the escalation contacts and policy from the deployment's
//! configuration. The support policy says to follow it in parallel to the case, so it stands next
//! to a Level I or II request while it is written and on the case's page while it is open.

use leptos::prelude::*;
use portal_core::model::Config;

use crate::load::Load;

/// Call-now panel for a production-down request: who to call and the escalation policy.
///
/// Without `number` it speaks to someone opening a case; with it, to someone whose Level I or II
/// case `number` is open, who should quote that number on the phone.
#[component]
pub fn EscalationPanel(
    config: Load<Config>,
    #[prop(optional, into)] number: Option<String>,
) -> impl IntoView {
    let (lead, then) = match &number {
        None => (
            t!(en: "Down system: call 24/7 support now.", fr: "Système indisponible : appelez dès maintenant le support 24 h/24, 7 j/7.").to_string(),
            t!(en: " Follow the escalation policy in parallel to opening this case.", fr: " Suivez la procédure d’escalade en parallèle de l’ouverture de ce dossier.").to_string(),
        ),
        Some(n) => (
            t!(en: "Still down? Call 24/7 support now.", fr: "Toujours indisponible ? Appelez dès maintenant le support 24 h/24, 7 j/7.").to_string(),
            tf!(en: " Follow the escalation policy in parallel to this case and quote its number, {n}.", fr: " Suivez la procédure d’escalade en parallèle de ce dossier et citez son numéro, {n}."),
        ),
    };
    view! {
        <div class="note note-urgent" id="escalation">
            <p><strong>{lead}</strong>{then}</p>
            {move || config.ok().map(|c| view! {
                <ul>{c.escalation_contacts.into_iter().map(|p| view! {
                    <li>{p.name.clone()}{t!(en: ": ", fr: " : ")}
                        {p.phone.clone().map(|ph| view! { <a href=format!("tel:{}", ph.replace(' ', ""))>{ph.clone()}</a>" · " })}
                        <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a></li>
                }).collect_view()}</ul>
                <p><a href=c.escalation_policy_url target="_blank" rel="noopener">{t!(en: "Read the escalation policy", fr: "Lire la procédure d’escalade")}</a></p>
            })}
        </div>
    }
}
