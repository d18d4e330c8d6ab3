//! `/support` (public): the campusM support overview — response levels, what support covers and
//! where other requests go, what support needs from you, 24/7 help and the community. Everything
//! comes from `GET /api/v1/config`, so a deployment changes it without a rebuild.

use leptos::prelude::*;
use leptos_router::components::A;
use portal_core::Route;

use crate::components::ErrorNote;

/// The page.
#[component]
pub fn SupportPage() -> impl IntoView {
    super::set_title(t!(en: "Support overview", fr: "Présentation du support"));
    let config = crate::use_config();
    view! {
        <section class="page">
            <h1>{t!(en: "campusM support overview", fr: "Présentation du support campusM")}</h1>
            {move || match config.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Loading…", fr: "Chargement…")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=e.message() retry=Callback::new(move |_| config.refetch())/> }.into_any(),
                Some(Ok(c)) => view! {
                    <h2 id="levels">{t!(en: "Response levels", fr: "Niveaux de réponse")}</h2>
                    <p>{t!(en: "Every case gets a case number, used in all communication about it, and a response level:",
                           fr: "Chaque dossier reçoit un numéro, utilisé dans tous les échanges à son sujet, et un niveau de réponse :")}</p>
                    <table class="levels">
                        <caption class="visually-hidden">{t!(en: "Response levels and initial response targets", fr: "Niveaux de réponse et délais de première réponse")}</caption>
                        <thead><tr>
                            <th scope="col">{t!(en: "Level", fr: "Niveau")}</th>
                            <th scope="col">{t!(en: "Priority", fr: "Priorité")}</th>
                            <th scope="col">{t!(en: "When", fr: "Quand")}</th>
                            <th scope="col">{t!(en: "Initial response", fr: "Première réponse")}</th>
                        </tr></thead>
                        <tbody>
                            {c.levels.iter().map(|l| view! {
                                <tr>
                                    <th scope="row" data-label=t!(en: "Level", fr: "Niveau")>{l.level.as_str()}</th>
                                    <td data-label=t!(en: "Priority", fr: "Priorité")>{l.priority.clone()}</td>
                                    <td data-label=t!(en: "When", fr: "Quand")>{l.definition.clone()}</td>
                                    <td data-label=t!(en: "Initial response", fr: "Première réponse")>{l.target.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p>{t!(en: "Business days are 09:00–17:00 in your institution's support region, Monday to Friday, without its public holidays.",
                           fr: "Les jours ouvrés vont de 9 h à 17 h dans la région de support de votre établissement, du lundi au vendredi, hors jours fériés de cette région.")}</p>

                    <h2 id="routes">{t!(en: "What support covers, and where else to go", fr: "Ce que couvre le support, et où s’adresser sinon")}</h2>
                    <ul class="short-list">
                        {c.kinds.iter().map(|k| {
                            let dest = match k.route {
                                Route::SupportCase => t!(en: "Support case", fr: "Dossier de support"),
                                Route::IdeasExchange => t!(en: "Ideas Exchange", fr: "Ideas Exchange"),
                                Route::AccountManager => t!(en: "Account manager", fr: "Responsable de compte"),
                            };
                            view! { <li><strong>{k.label.clone()}</strong>" → "{dest}<p class="hint">{k.explanation.clone()}</p></li> }
                        }).collect_view()}
                    </ul>

                    <p><A href="/knowledge">{t!(en: "Search the knowledge articles", fr: "Cherchez dans les articles de connaissances")}</A>
                        {t!(en: " first: many questions are answered there.", fr: " d’abord : beaucoup de questions y trouvent leur réponse.")}</p>

                    <h2 id="needs">{t!(en: "What support needs from you", fr: "Ce dont le support a besoin de votre part")}</h2>
                    <ul>{c.support_needs.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>

                    <h2 id="urgent">{t!(en: "Down systems: 24/7", fr: "Systèmes indisponibles : 24 h/24, 7 j/7")}</h2>
                    <div class="note note-urgent">
                        <p>{t!(en: "For a down system or component, support is available around the clock, every day of the year. Follow the escalation policy in parallel to opening a Level I or II case.",
                               fr: "Pour un système ou un composant indisponible, le support est joignable jour et nuit, tous les jours de l’année. Suivez la procédure d’escalade en parallèle de l’ouverture d’un dossier de niveau I ou II.")}</p>
                        <ul>{c.escalation_contacts.iter().map(|p| view! {
                            <li>{p.name.clone()}{t!(en: ": ", fr: " : ")}{p.phone.clone().map(|ph| view! { <a href=format!("tel:{}", ph.replace(' ', ""))>{ph.clone()}</a>" · " })}
                                <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a></li>
                        }).collect_view()}</ul>
                        <ul class="links">
                            <li><a href=c.escalation_policy_url.clone() target="_blank" rel="noopener">{t!(en: "The escalation policy", fr: "La procédure d’escalade")}</a></li>
                            <li><a href=c.support_247_url.clone() target="_blank" rel="noopener">{t!(en: "24/7 support", fr: "Le support 24 h/24, 7 j/7")}</a></li>
                            <li><a href=c.support_portal_guide_url.clone() target="_blank" rel="noopener">{t!(en: "The Support Portal User Guide", fr: "Le guide d’utilisation du portail de support")}</a></li>
                        </ul>
                    </div>

                    <h2 id="community">{t!(en: "Community", fr: "Communauté")}</h2>
                    <ul>{c.community.iter().map(|l| view! { <li><a href=l.url.clone() target="_blank" rel="noopener">{l.name.clone()}</a></li> }).collect_view()}</ul>
                    <p><a href=c.knowledge_center_url.clone() target="_blank" rel="noopener">{t!(en: "The Knowledge Center", fr: "Le Knowledge Center")}</a>
                        {t!(en: ": documentation, training and knowledge articles.", fr: " : documentation, formation et articles de connaissances.")}</p>
                }.into_any(),
            }}
        </section>
    }
}
