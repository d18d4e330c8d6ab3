//! `/new`: "What do you need?" → the right place.
//!
//! Questions and defects become support cases (level wizard, then the case form). Integration
//! requests go to the Ideas Exchange and redesigns to the account manager, as the policy says.
//! Everything typed is kept in a per-user draft (never the credentials); the submission carries the
//! draft's Idempotency-Key, so double clicks, retries and reloads make exactly one case.
//!
//! | file | what |
//! |---|---|
//! | `form.rs` | the form's state as one model (draft, files, credentials) |
//! | `case_form.rs` | the support-case form and the response-due preview |
//! | `routed.rs` | the Ideas Exchange and account-manager panels |
//! | `knowledge.rs` | knowledge suggestions while the customer types |

use leptos::prelude::*;
use portal_core::model::Credentials;
use portal_core::{Level, RequestKind, Route};

use crate::api;
use crate::auth::Auth;
use crate::components::escalation::EscalationPanel;
use crate::components::wizard::LevelWizard;
use crate::draft;
use crate::i18n::lang;
use crate::load::load;

mod case_form;
pub mod form;
mod knowledge;
mod routed;
mod similar;

pub use case_form::field_id;
use case_form::{CaseForm, DuePreview};
use form::{text, RequestForm};
use routed::{Answered, ConsultationPanel, IdeasPanel};

/// The page.
#[component]
pub fn NewRequestPage() -> impl IntoView {
    super::set_title(t!(en: "New request", fr: "Nouvelle demande"));
    let auth = Auth::get();
    if auth.role() == portal_core::Role::Agent {
        return view! {
            <section class="page">
                <h1>{t!(en: "New request", fr: "Nouvelle demande")}</h1>
                <p class="note note-info">{portal_core::access::Permission::OpenCase.refusal(lang())}" "
                    <a href="/cases">{t!(en: "Open the queue", fr: "Ouvrir la file d’attente")}</a></p>
            </section>
        }
        .into_any();
    }
    let email = auth.email().unwrap_or_default();
    let saved = draft::load(&email).unwrap_or_default();
    let restored = saved.has_content();
    // Credentials: never in the draft, only in memory — kept across a language switch or a visit
    // to another page, forgotten on sign-out and once sent.
    let (username, password) = draft::take_secrets();
    let form = RequestForm::from_draft(saved, Credentials { username, password });
    on_cleanup(move || {
        if let Some(c) = form.secrets.try_get_untracked() {
            draft::keep_secrets(c.username, c.password);
        }
    });
    let answered = RwSignal::new(None::<String>);
    let submitted = RwSignal::new(false);
    let email_for_save = email.clone();
    Effect::new(move |_| {
        let d = form.to_draft();
        if !submitted.get_untracked() && (d.has_content() || d.kind.is_some()) {
            draft::save(&email_for_save, &d);
            form.saved_at.set(d.saved_at);
        }
    });
    // A request that reached its destination (or was answered by an article) leaves no draft.
    let done = Callback::new(move |_: ()| {
        submitted.set(true);
        form.secrets.set(Credentials::default());
        draft::clear_request(&email);
    });
    Effect::new(move |_| {
        if answered.with(Option::is_some) {
            done.run(());
        }
    });
    let kind = Memo::new(move |_| form.draft.with(|d| d.kind));
    let level = Memo::new(move |_| form.draft.with(draft::Draft::level));
    let case_kind = Memo::new(move |_| kind.get().filter(|k| k.is_support_case()));
    let config = crate::use_config();
    let preview = load(move || {
        let l = level.get();
        let region = auth.me.with(|m| {
            m.as_ref()
                .and_then(|m| m.institution.as_ref())
                .map(|i| i.region.clone())
        });
        async move {
            match (l, region) {
                (Some(l), Some(r)) => api::sla_preview(l, &r).await.map(Some),
                _ => Ok(None),
            }
        }
    });
    let start_over = move |_| {
        form.clear();
        draft::clear_request(&auth.email().unwrap_or_default());
    };
    let answers = Memo::new(move |_| form.draft.with(|d| d.answers));
    let environment = Memo::new(move |_| form.draft.with(|d| d.environment));
    let choose = Callback::new(move |env| form.draft.update(|d| d.environment = env));
    let answer = Callback::new(move |(i, yes): (usize, bool)| {
        form.draft.update(|d| {
            if let Some(a) = d.answers.get_mut(i) {
                *a = Some(yes);
            }
        })
    });

    view! {
        <section class="page">
            <h1>{t!(en: "New request", fr: "Nouvelle demande")}</h1>
            {move || answered.get().map(|_| view! { <Answered/> })}
            <div hidden=move || answered.with(Option::is_some)>
            {restored.then(|| view! {
                <div class="note note-info" role="status">
                    <p>{t!(en: "We restored the request you were writing. ", fr: "Nous avons restauré la demande que vous rédigiez. ")}
                    <button type="button" class="button button-small" on:click=start_over>{t!(en: "Start over", fr: "Recommencer")}</button></p>
                </div>
            })}
            <fieldset class="kinds">
                <legend><h2>{t!(en: "What do you need?", fr: "De quoi avez-vous besoin ?")}</h2></legend>
                {RequestKind::ALL.into_iter().map(|k| view! {
                    <label class="choice-card" class:selected=move || kind.get() == Some(k)>
                        <input type="radio" name="kind" id=format!("kind-{}", k.as_str().replace('_', "-")) value=k.as_str()
                            prop:checked=move || kind.get() == Some(k) on:change=move |_| form.draft.update(|d| d.kind = Some(k))/>
                        <span class="choice-title">{k.label(lang())}</span>
                        <span class="choice-text">{k.explanation(lang())}</span>
                    </label>
                }).collect_view()}
            </fieldset>

            {move || kind.get().map(|k| match k.route() {
                Route::IdeasExchange => view! { <IdeasPanel title=text!(form, idea_title) description=text!(form, idea_description) config=config done=done/> }.into_any(),
                Route::AccountManager => view! { <ConsultationPanel what=text!(form, consultation_what) start=text!(form, consultation_start) done=done/> }.into_any(),
                Route::SupportCase => view! {
                    <div class="card">
                        <h2>{t!(en: "How bad is it?", fr: "Quelle est la gravité ?")}</h2>
                        <LevelWizard kind=Signal::derive(move || case_kind.get().unwrap_or(RequestKind::Question)) environment=environment choose=choose answers=answers answer=answer/>
                        {move || level.get().filter(|l| l.is_down()).map(|_| view! { <EscalationPanel config=config/> })}
                        {move || preview.ok().flatten().map(|p| view! { <DuePreview p=p/> })}
                    </div>
                }.into_any(),
            })}
            <Show when=move || case_kind.get().is_some() && level.get().is_some()>
                <CaseForm form=form
                    kind=Signal::derive(move || case_kind.get().unwrap_or(RequestKind::Question))
                    level=Signal::derive(move || level.get().unwrap_or(Level::IV))
                    answered=answered sent=done/>
            </Show>
            </div>
        </section>
    }
    .into_any()
}
