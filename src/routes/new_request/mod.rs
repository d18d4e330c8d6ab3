//! `/new`: "What do you need?" → the right place.
//!
//! Questions and defects become support cases (level wizard, then the case form). Integration
//! requests go to the Ideas Exchange and redesigns to the account manager, as the policy says.
//! Everything typed is kept in a per-user draft (never the credentials); the submission carries the
//! draft's Idempotency-Key, so double clicks, retries and reloads make exactly one case.

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use portal_core::model::{Credentials, Environment, FieldError, NewCase, Scenario, SlaPreview};
use portal_core::validate::{self, Context, FREQUENCIES};
use portal_core::{enhancement, ImpactAnswers, Level, RequestKind, Route};

use crate::api;
use crate::auth::Auth;
use crate::components::attachments::{uploaded, uploading, AttachmentPicker, FileItem};
use crate::components::wizard::LevelWizard;

mod knowledge;
mod routed;
use crate::components::ErrorNote;
use crate::draft::{self, Draft};
use crate::format;
use crate::load::{load, Load};
use knowledge::Suggestions;
use routed::{Answered, ConsultationPanel, IdeasPanel};

/// The element id of the input for an API field path, for focusing and linking errors.
pub fn field_id(field: &str) -> &'static str {
    match field {
        "kind" => "kind-question",
        "subject" => "f-subject",
        "description" => "f-description",
        "product_area" => "f-area",
        "scenario.steps" => "f-steps",
        "scenario.expected" => "f-expected",
        "scenario.actual" => "f-actual",
        "frequency" => "f-frequency",
        "credentials.username" => "f-cred-user",
        "credentials.password" => "f-cred-pass",
        "connect_layer_access" => "f-connect",
        "attachments" => "f-files",
        _ => "f-subject",
    }
}

pub(crate) fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// The page.
#[component]
pub fn NewRequestPage() -> impl IntoView {
    super::set_title("New request");
    let auth = Auth::get();
    let email = auth.email().unwrap_or_default();
    let saved = draft::load(&email).unwrap_or_default();
    let restored = saved.has_content();
    let d = saved.clone();

    let kind = RwSignal::new(d.kind);
    let answers = RwSignal::new(d.answers);
    let product_area = RwSignal::new(d.product_area);
    let environment = RwSignal::new(d.environment);
    let subject = RwSignal::new(d.subject);
    let description = RwSignal::new(d.description);
    let steps = RwSignal::new(d.steps);
    let expected = RwSignal::new(d.expected);
    let actual = RwSignal::new(d.actual);
    let frequency = RwSignal::new(d.frequency);
    let connect = RwSignal::new(d.connect_layer_access);
    let idem_key = RwSignal::new(if d.idempotency_key.is_empty() {
        draft::new_idempotency_key()
    } else {
        d.idempotency_key
    });
    // Secrets: never in the draft.
    let cred_user = RwSignal::new(String::new());
    let cred_pass = RwSignal::new(String::new());

    let files = RwSignal::new(
        d.attachments
            .into_iter()
            .zip(1..)
            .map(|(a, key)| FileItem::done(key, a))
            .collect::<Vec<_>>(),
    );
    let articles_viewed = RwSignal::new(d.articles_viewed);
    let idea_title = RwSignal::new(d.idea_title);
    let idea_description = RwSignal::new(d.idea_description);
    let consultation_what = RwSignal::new(d.consultation_what);
    let consultation_start = RwSignal::new(d.consultation_start);
    let answered = RwSignal::new(None::<String>);
    let saved_at = RwSignal::new(saved.saved_at);
    let submitted = RwSignal::new(false);
    let email_for_save = email.clone();
    Effect::new(move |_| {
        let draft = Draft {
            kind: kind.get(),
            answers: answers.get(),
            product_area: product_area.get(),
            environment: environment.get(),
            subject: subject.get(),
            description: description.get(),
            steps: steps.get(),
            expected: expected.get(),
            actual: actual.get(),
            frequency: frequency.get(),
            connect_layer_access: connect.get(),
            attachments: files.with(|f| uploaded(f)),
            articles_viewed: articles_viewed.get(),
            idea_title: idea_title.get(),
            idea_description: idea_description.get(),
            consultation_what: consultation_what.get(),
            consultation_start: consultation_start.get(),
            idempotency_key: idem_key.get(),
            saved_at: Some(Utc::now()),
        };
        if !submitted.get_untracked() && (draft.has_content() || draft.kind.is_some()) {
            draft::save(&email_for_save, &draft);
            saved_at.set(draft.saved_at);
        }
    });

    // A request that reached its destination (or was answered by an article) leaves no draft.
    let email_for_done = email.clone();
    let done = Callback::new(move |_: ()| {
        submitted.set(true);
        draft::clear_request(&email_for_done);
    });
    Effect::new(move |_| {
        if answered.with(Option::is_some) {
            done.run(());
        }
    });
    let has_connect_layer = move || {
        auth.me.with(|m| {
            m.as_ref()
                .and_then(|m| m.institution.as_ref())
                .is_some_and(|i| i.has_connect_layer)
        })
    };
    let level = Memo::new(move |_| ImpactAnswers::from_partial(&answers.get()).map(|(l, _)| l));
    let case = move || -> Option<NewCase> {
        let k = kind.get()?;
        let l = level.get()?;
        let creds =
            (!cred_user.get().is_empty() || !cred_pass.get().is_empty()).then(|| Credentials {
                username: cred_user.get(),
                password: cred_pass.get(),
            });
        Some(NewCase {
            kind: k,
            level: l,
            product_area: product_area.get(),
            environment: environment.get(),
            subject: subject.get(),
            description: description.get(),
            scenario: Scenario {
                steps: steps.get(),
                expected: expected.get(),
                actual: actual.get(),
            },
            frequency: frequency.get(),
            credentials: creds,
            connect_layer_access: if has_connect_layer() {
                connect.get()
            } else {
                String::new()
            },
            attachments: files
                .with(|f| uploaded(f))
                .into_iter()
                .map(|a| a.id)
                .collect(),
            articles_viewed: articles_viewed.get(),
        })
    };
    let show_errors = RwSignal::new(false);
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors = Memo::new(move |_| {
        let mut e = case()
            .map(|c| {
                validate::new_case(
                    &c,
                    Context {
                        has_connect_layer: has_connect_layer(),
                    },
                )
            })
            .unwrap_or_default();
        for s in server_errors.get() {
            if !e.iter().any(|x| x.field == s.field) {
                e.push(s);
            }
        }
        e
    });
    let error_for = move |field: &'static str| {
        move || {
            if !show_errors.get() {
                return None;
            }
            errors.with(|e| {
                e.iter()
                    .find(|x| x.field == field)
                    .map(|x| x.message.clone())
            })
        }
    };
    let hint = Memo::new(move |_| enhancement::detect(&subject.get(), &description.get()));

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

    let busy = RwSignal::new(false);
    let submit_error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let email_for_submit = email.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return; // a second click while sending does nothing (and the key would dedupe anyway)
        }
        server_errors.set(Vec::new());
        show_errors.set(true);
        let pending = files.with_untracked(|f| uploading(f));
        if pending > 0 {
            submit_error.set(Some(format!(
                "Wait until the attachments have finished uploading ({pending} still on the way), then send."
            )));
            focus("f-files");
            return;
        }
        let Some(c) = case() else { return };
        if let Some(first) = errors.get_untracked().first() {
            focus(field_id(&first.field));
            return;
        }
        busy.set(true);
        submit_error.set(None);
        let key = idem_key.get_untracked();
        let navigate = navigate.clone();
        let email = email_for_submit.clone();
        spawn_local(async move {
            match api::create_case(&c, &key).await {
                Ok(detail) => {
                    submitted.set(true);
                    draft::clear_request(&email);
                    navigate(
                        &format!("/cases/{}?created=1", detail.summary.number),
                        Default::default(),
                    );
                }
                Err(e) => {
                    let fields = e.field_errors();
                    if let Some(first) = fields.first() {
                        focus(field_id(&first.field));
                        server_errors.set(fields);
                    }
                    submit_error.set(Some(auth.handle(&e)));
                }
            }
            busy.set(false);
        });
    };
    let start_over = move |_| {
        for s in [
            idea_title,
            idea_description,
            consultation_what,
            consultation_start,
        ] {
            s.set(String::new());
        }
        articles_viewed.set(Vec::new());
        files.set(Vec::new());
        for s in [
            product_area,
            subject,
            description,
            steps,
            expected,
            actual,
            frequency,
            connect,
            cred_user,
            cred_pass,
        ] {
            s.set(String::new());
        }
        answers.set([None; 3]);
        kind.set(None);
        show_errors.set(false);
        idem_key.set(draft::new_idempotency_key());
        draft::clear_request(&auth.email().unwrap_or_default());
    };

    view! {
        <section class="page">
            <h1>"New request"</h1>
            {move || answered.get().map(|_| view! { <Answered/> })}
            <div hidden=move || answered.with(Option::is_some)>
            {restored.then(|| view! {
                <div class="note note-info" role="status">
                    <p>"We restored the request you were writing. "
                    <button type="button" class="button button-small" on:click=start_over>"Start over"</button></p>
                </div>
            })}
            <fieldset class="kinds">
                <legend><h2>"What do you need?"</h2></legend>
                {RequestKind::ALL.into_iter().map(|k| view! {
                    <label class="choice-card" class:selected=move || kind.get() == Some(k)>
                        <input type="radio" name="kind" id=format!("kind-{}", k.as_str().replace('_', "-")) value=k.as_str()
                            prop:checked=move || kind.get() == Some(k) on:change=move |_| kind.set(Some(k))/>
                        <span class="choice-title">{k.label()}</span>
                        <span class="choice-text">{k.explanation()}</span>
                    </label>
                }).collect_view()}
            </fieldset>

            {move || kind.get().map(|k| match k.route() {
                Route::IdeasExchange => view! { <IdeasPanel title=idea_title description=idea_description config=config done=done/> }.into_any(),
                Route::AccountManager => view! { <ConsultationPanel what=consultation_what start=consultation_start done=done/> }.into_any(),
                Route::SupportCase => view! {
                    <div class="card">
                        <h2>"How bad is it?"</h2>
                        <LevelWizard answers=answers/>
                        {move || level.get().filter(|l| l.is_down()).map(|_| view! { <EscalationPanel config=config/> })}
                        {move || preview.ok().flatten().map(|p| view! { <DuePreview p=p/> })}
                    </div>
                }.into_any(),
            })}

            <Show when=move || kind.get().is_some_and(|k| k.is_support_case()) && level.get().is_some()>
                <form class="card form" on:submit=submit.clone() novalidate>
                    <h2>"Tell support what they need"</h2>
                    {move || (show_errors.get() && !errors.with(Vec::is_empty)).then(|| view! {
                        <div class="note note-error" role="alert" id="error-summary">
                            <p><strong>"Please fix these before sending:"</strong></p>
                            <ul>{errors.get().into_iter().map(|e| view! { <li><a href=format!("#{}", field_id(&e.field))>{e.message}</a></li> }).collect_view()}</ul>
                        </div>
                    })}
                    {move || hint.get().map(|h| view! {
                        <div class="note note-attention" id="enhancement-hint">
                            <p>{format!("This reads like a request for new functionality (\u{201c}{}\u{201d}). Integrations and new functionality are not covered by support; they go to the Ideas Exchange.", h.phrase)}</p>
                            <p><button type="button" class="button button-small" on:click=move |_| {
                                if idea_title.get_untracked().is_empty() { idea_title.set(subject.get_untracked()); }
                                if idea_description.get_untracked().is_empty() { idea_description.set(description.get_untracked()); }
                                kind.set(Some(RequestKind::IntegrationRequest));
                            }>"Send it to the Ideas Exchange instead"</button>
                            " You can still send it as a support case."</p>
                        </div>
                    })}
                    <TextInput id="f-subject" label="Subject" hint=format!("One line, up to {} characters.", validate::SUBJECT_MAX) value=subject error=Signal::derive(error_for("subject"))/>
                    <TextInput multiline=true id="f-description" label="Description" hint="What happens, since when, and who is affected." value=description error=Signal::derive(error_for("description"))/>
                    <Suggestions query=Signal::derive(move || format!("{} {}", subject.get(), description.get())) viewed=articles_viewed answered=answered/>
                    <div class="grid-2">
                        <div class="field">
                            <label for="f-area">"Product area"</label>
                            <select id="f-area" on:change:target=move |ev| product_area.set(ev.target().value())>
                                <option value="" selected=move || product_area.get().is_empty()>"Choose…"</option>
                                {move || config.ok().map(|c| c.product_areas.into_iter().map(|a| {
                                    let a2 = a.clone();
                                    view! { <option value=a.clone() selected=move || product_area.get() == a2>{a.clone()}</option> }
                                }).collect_view())}
                            </select>
                        </div>
                        <fieldset class="field">
                            <legend>"Environment"</legend>
                            <div class="choices-inline">
                                <label class="choice-pill"><input type="radio" name="env" value="production" prop:checked=move || environment.get() == Environment::Production on:change=move |_| environment.set(Environment::Production)/>"Production"</label>
                                <label class="choice-pill"><input type="radio" name="env" value="sandbox" prop:checked=move || environment.get() == Environment::Sandbox on:change=move |_| environment.set(Environment::Sandbox)/>"Sandbox"</label>
                            </div>
                        </fieldset>
                    </div>
                    <Show when=move || kind.get() == Some(RequestKind::Defect)>
                        <fieldset class="group">
                            <legend>"Scenario"</legend>
                            <TextInput multiline=true id="f-steps" label="Steps to reproduce" hint="One step per line." value=steps error=Signal::derive(error_for("scenario.steps"))/>
                            <div class="grid-2">
                                <TextInput multiline=true id="f-expected" label="Expected result" hint="" value=expected error=Signal::derive(error_for("scenario.expected"))/>
                                <TextInput multiline=true id="f-actual" label="Actual result" hint="" value=actual error=Signal::derive(error_for("scenario.actual"))/>
                            </div>
                            <div class="field">
                                <label for="f-frequency">"How often does it happen?"</label>
                                <select id="f-frequency" on:change:target=move |ev| frequency.set(ev.target().value())>
                                    <option value="" selected=move || frequency.get().is_empty()>"Choose…"</option>
                                    {FREQUENCIES.iter().map(|(v, l)| view! { <option value=*v selected=move || frequency.get() == *v>{*l}</option> }).collect_view()}
                                </select>
                            </div>
                        </fieldset>
                    </Show>
                    <Show when=move || kind.get().zip(level.get()).is_some_and(|(k, l)| validate::needs_credentials(k, l) || !cred_user.get().is_empty())>
                        <fieldset class="group">
                            <legend>"Working app credentials"</legend>
                            <p class="hint">"An app account support can sign in with to reproduce the problem. Sent once, kept for support only: never shown again and never saved in your draft."</p>
                            <div class="grid-2">
                                <TextInput id="f-cred-user" label="App user name" hint="" value=cred_user error=Signal::derive(error_for("credentials.username")) autocomplete="off"/>
                                <TextInput id="f-cred-pass" label="App password" hint="" value=cred_pass error=Signal::derive(error_for("credentials.password")) kind="password" autocomplete="new-password"/>
                            </div>
                        </fieldset>
                    </Show>
                    <Show when=move || has_connect_layer() && kind.get() == Some(RequestKind::Defect)>
                        <TextInput multiline=true id="f-connect" label="Remote access to your local Connect Layer" hint="How support reaches it: VPN or jump host, address, and who grants access." value=connect error=Signal::derive(error_for("connect_layer_access"))/>
                    </Show>
                    <AttachmentPicker id="f-files" items=files limits=Signal::derive(move || config.ok().map(|c| c.attachment_limits).unwrap_or_default())/>
                    {move || submit_error.get().map(|m| view! { <ErrorNote message=m/> })}
                    <div class="actions-row">
                        <button type="submit" class="button button-primary" disabled=move || busy.get() id="submit-case">
                            {move || if busy.get() { "Sending…" } else if submit_error.with(Option::is_some) { "Try again" } else { "Open support case" }}
                        </button>
                        <span class="saved" aria-live="polite">{move || saved_at.get().map(|t| format!("Draft saved {}", format::time(t)))}</span>
                    </div>
                </form>
            </Show>
            </div>
        </section>
    }
}

#[component]
fn EscalationPanel(config: Load<portal_core::model::Config>) -> impl IntoView {
    view! {
        <div class="note note-urgent" id="escalation">
            <p><strong>"Down system: call 24/7 support now."</strong>" Follow the escalation policy in parallel to opening this case."</p>
            {move || config.ok().map(|c| view! {
                <ul>{c.escalation_contacts.into_iter().map(|p| view! {
                    <li>{p.name.clone()}": "
                        {p.phone.clone().map(|ph| view! { <a href=format!("tel:{}", ph.replace(' ', ""))>{ph.clone()}</a>" · " })}
                        <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a></li>
                }).collect_view()}</ul>
                <p><a href=c.escalation_policy_url target="_blank" rel="noopener">"Read the escalation policy"</a></p>
            })}
        </div>
    }
}

#[component]
fn DuePreview(p: SlaPreview) -> impl IntoView {
    view! {
        <p class="due-preview">
            {format!("If you open it now, the initial response is due by {}", format::local_long(p.initial_response_due))}
            {(p.level >= Level::III).then(|| format!(" ({} in your support region).", format::in_zone(p.initial_response_due, &p.time_zone)))}
        </p>
    }
}

/// A labelled input (one line, or several with `multiline`) with hint and error, wired for screen
/// readers: the hint and the error are its description, and it says when it is invalid.
#[component]
pub fn TextInput(
    id: &'static str,
    label: &'static str,
    #[prop(into)] hint: String,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] multiline: bool,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "on")] autocomplete: &'static str,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let has_hint = !hint.is_empty();
    let described = {
        let (h, e) = (hint_id.clone(), err_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(h.clone());
            }
            if error.with(Option::is_some) {
                ids.push(e.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.with(|e| e.is_some().to_string());
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {has_hint.then(|| view! { <p class="hint" id=hint_id.clone()>{hint.clone()}</p> })}
            {if multiline {
                view! { <textarea id=id rows="4" bind:value=value aria-invalid=invalid aria-describedby=described></textarea> }.into_any()
            } else {
                view! { <input id=id type=kind bind:value=value autocomplete=autocomplete aria-invalid=invalid aria-describedby=described/> }.into_any()
            }}
            {move || error.get().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}
