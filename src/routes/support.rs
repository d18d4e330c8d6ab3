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
    super::set_title("Support overview");
    let config = crate::use_config();
    view! {
        <section class="page">
            <h1>"campusM support overview"</h1>
            {move || match config.get() {
                None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=e.message() retry=Callback::new(move |_| config.refetch())/> }.into_any(),
                Some(Ok(c)) => view! {
                    <h2 id="levels">"Response levels"</h2>
                    <p>"Every case gets a case number, used in all communication about it, and a response level:"</p>
                    <table class="levels">
                        <caption class="visually-hidden">"Response levels and initial response targets"</caption>
                        <thead><tr><th scope="col">"Level"</th><th scope="col">"Priority"</th><th scope="col">"When"</th><th scope="col">"Initial response"</th></tr></thead>
                        <tbody>
                            {c.levels.iter().map(|l| view! {
                                <tr>
                                    <th scope="row" data-label="Level">{l.level.as_str()}</th>
                                    <td data-label="Priority">{l.priority.clone()}</td>
                                    <td data-label="When">{l.definition.clone()}</td>
                                    <td data-label="Initial response">{l.target.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p>"Business days are 09:00–17:00 in your institution's support region, Monday to Friday, without its public holidays."</p>

                    <h2 id="routes">"What support covers, and where else to go"</h2>
                    <ul class="short-list">
                        {c.kinds.iter().map(|k| {
                            let dest = match k.route {
                                Route::SupportCase => "Support case",
                                Route::IdeasExchange => "Ideas Exchange",
                                Route::AccountManager => "Account manager",
                            };
                            view! { <li><strong>{k.label.clone()}</strong>" → "{dest}<p class="hint">{k.explanation.clone()}</p></li> }
                        }).collect_view()}
                    </ul>

                    <p><A href="/knowledge">"Search the knowledge articles"</A>" first: many questions are answered there."</p>

                    <h2 id="needs">"What support needs from you"</h2>
                    <ul>{c.support_needs.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>

                    <h2 id="urgent">"Down systems: 24/7"</h2>
                    <div class="note note-urgent">
                        <p>"For a down system or component, support is available around the clock, every day of the year. Follow the escalation policy in parallel to opening a Level I or II case."</p>
                        <ul>{c.escalation_contacts.iter().map(|p| view! {
                            <li>{p.name.clone()}": "{p.phone.clone().map(|ph| view! { <a href=format!("tel:{}", ph.replace(' ', ""))>{ph.clone()}</a>" · " })}
                                <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a></li>
                        }).collect_view()}</ul>
                        <p><a href=c.escalation_policy_url.clone() target="_blank" rel="noopener">"The escalation policy"</a></p>
                    </div>

                    <h2 id="community">"Community"</h2>
                    <ul>{c.community.iter().map(|l| view! { <li><a href=l.url.clone() target="_blank" rel="noopener">{l.name.clone()}</a></li> }).collect_view()}</ul>
                    <p><a href=c.knowledge_center_url.clone() target="_blank" rel="noopener">"The Knowledge Center"</a>": documentation, training and knowledge articles."</p>
                }.into_any(),
            }}
        </section>
    }
}
