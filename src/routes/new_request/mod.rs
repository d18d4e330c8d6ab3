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
use crate::components::escalation::EscalationPanel;
use crate::components::ErrorNote;
use crate::draft::{self, Draft};
use crate::format;
use crate::i18n::lang;
use crate::load::load;
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
    super::set_title(t!(en: "New request", fr: "Nouvelle demande"));
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
    // Secrets: never in the draft, only in memory — kept across a language switch or a visit to
    // another page, forgotten on sign-out and once sent.
    let (user, pass) = draft::take_secrets();
    let cred_user = RwSignal::new(user);
    let cred_pass = RwSignal::new(pass);
    on_cleanup(move || {
        if let (Some(u), Some(p)) = (cred_user.try_get_untracked(), cred_pass.try_get_untracked()) {
            draft::keep_secrets(u, p);
        }
    });

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
    let level = Memo::new(move |_| ImpactAnswers::from_partial(&answers.get()));
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
                    lang(),
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
            submit_error.set(Some(tf!(
                en: "Wait until the attachments have finished uploading ({pending} still on the way), then send.",
                fr: "Attendez la fin de l’envoi des pièces jointes (encore {pending} en cours), puis envoyez.")));
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
                    cred_user.set(String::new());
                    cred_pass.set(String::new());
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
                            prop:checked=move || kind.get() == Some(k) on:change=move |_| kind.set(Some(k))/>
                        <span class="choice-title">{k.label(lang())}</span>
                        <span class="choice-text">{k.explanation(lang())}</span>
                    </label>
                }).collect_view()}
            </fieldset>

            {move || kind.get().map(|k| match k.route() {
                Route::IdeasExchange => view! { <IdeasPanel title=idea_title description=idea_description config=config done=done/> }.into_any(),
                Route::AccountManager => view! { <ConsultationPanel what=consultation_what start=consultation_start done=done/> }.into_any(),
                Route::SupportCase => view! {
                    <div class="card">
                        <h2>{t!(en: "How bad is it?", fr: "Quelle est la gravité ?")}</h2>
                        <LevelWizard answers=answers/>
                        {move || level.get().filter(|l| l.is_down()).map(|_| view! { <EscalationPanel config=config/> })}
                        {move || preview.ok().flatten().map(|p| view! { <DuePreview p=p/> })}
                    </div>
                }.into_any(),
            })}

            <Show when=move || kind.get().is_some_and(|k| k.is_support_case()) && level.get().is_some()>
                <form class="card form" on:submit=submit.clone() novalidate>
                    <h2>{t!(en: "Tell support what they need", fr: "Donnez au support ce dont il a besoin")}</h2>
                    {move || (show_errors.get() && !errors.with(Vec::is_empty)).then(|| view! {
                        <div class="note note-error" role="alert" id="error-summary">
                            <p><strong>{t!(en: "Please fix these before sending:", fr: "Veuillez corriger ceci avant l’envoi :")}</strong></p>
                            <ul>{errors.get().into_iter().map(|e| view! { <li><a href=format!("#{}", field_id(&e.field))>{e.message}</a></li> }).collect_view()}</ul>
                        </div>
                    })}
                    {move || hint.get().map(|h| view! {
                        <div class="note note-attention" id="enhancement-hint">
                            <p>{ let phrase = h.phrase; tf!(
                                en: "This reads like a request for new functionality (\u{201c}{phrase}\u{201d}). Integrations and new functionality are not covered by support; they go to the Ideas Exchange.",
                                fr: "Ceci ressemble à une demande de nouvelle fonctionnalité (« {phrase} »). Les intégrations et les nouvelles fonctionnalités ne sont pas couvertes par le support ; elles vont sur l’Ideas Exchange.") }</p>
                            <p><button type="button" class="button button-small" on:click=move |_| {
                                if idea_title.get_untracked().is_empty() { idea_title.set(subject.get_untracked()); }
                                if idea_description.get_untracked().is_empty() { idea_description.set(description.get_untracked()); }
                                kind.set(Some(RequestKind::IntegrationRequest));
                            }>{t!(en: "Send it to the Ideas Exchange instead", fr: "L’envoyer plutôt sur l’Ideas Exchange")}</button>
                            {t!(en: " You can still send it as a support case.", fr: " Vous pouvez tout de même l’envoyer comme dossier de support.")}</p>
                        </div>
                    })}
                    <TextInput id="f-subject" label=t!(en: "Subject", fr: "Objet") hint={ let max = validate::SUBJECT_MAX; tf!(en: "One line, up to {max} characters.", fr: "Une ligne, {max} caractères au plus.") } value=subject error=Signal::derive(error_for("subject"))/>
                    <TextInput multiline=true id="f-description" label=t!(en: "Description", fr: "Description") hint=t!(en: "What happens, since when, and who is affected.", fr: "Ce qui se passe, depuis quand, et qui est concerné.") value=description error=Signal::derive(error_for("description"))/>
                    <Suggestions query=Signal::derive(move || format!("{} {}", subject.get(), description.get())) viewed=articles_viewed answered=answered/>
                    <div class="grid-2">
                        <div class="field">
                            <label for="f-area">{t!(en: "Product area", fr: "Domaine du produit")}</label>
                            <select id="f-area" on:change:target=move |ev| product_area.set(ev.target().value())>
                                <option value="" selected=move || product_area.get().is_empty()>{t!(en: "Choose…", fr: "Choisir…")}</option>
                                {move || config.ok().map(|c| c.product_areas.into_iter().map(|a| {
                                    let value = a.value.clone();
                                    view! { <option value=a.value selected=move || product_area.get() == value>{a.label}</option> }
                                }).collect_view())}
                            </select>
                        </div>
                        <fieldset class="field">
                            <legend>{t!(en: "Environment", fr: "Environnement")}</legend>
                            <div class="choices-inline">
                                <label class="choice-pill"><input type="radio" name="env" value="production" prop:checked=move || environment.get() == Environment::Production on:change=move |_| environment.set(Environment::Production)/>{t!(en: "Production", fr: "Production")}</label>
                                <label class="choice-pill"><input type="radio" name="env" value="sandbox" prop:checked=move || environment.get() == Environment::Sandbox on:change=move |_| environment.set(Environment::Sandbox)/>{t!(en: "Sandbox", fr: "Sandbox")}</label>
                            </div>
                        </fieldset>
                    </div>
                    <Show when=move || kind.get() == Some(RequestKind::Defect)>
                        <fieldset class="group">
                            <legend>{t!(en: "Scenario", fr: "Scénario")}</legend>
                            <TextInput multiline=true id="f-steps" label=t!(en: "Steps to reproduce", fr: "Étapes pour reproduire") hint=t!(en: "One step per line.", fr: "Une étape par ligne.") value=steps error=Signal::derive(error_for("scenario.steps"))/>
                            <div class="grid-2">
                                <TextInput multiline=true id="f-expected" label=t!(en: "Expected result", fr: "Résultat attendu") hint="" value=expected error=Signal::derive(error_for("scenario.expected"))/>
                                <TextInput multiline=true id="f-actual" label=t!(en: "Actual result", fr: "Résultat obtenu") hint="" value=actual error=Signal::derive(error_for("scenario.actual"))/>
                            </div>
                            <div class="field">
                                <label for="f-frequency">{t!(en: "How often does it happen?", fr: "À quelle fréquence cela se produit-il ?")}</label>
                                <select id="f-frequency" on:change:target=move |ev| frequency.set(ev.target().value())>
                                    <option value="" selected=move || frequency.get().is_empty()>{t!(en: "Choose…", fr: "Choisir…")}</option>
                                    {FREQUENCIES.iter().map(|v| view! { <option value=*v selected=move || frequency.get() == *v>{validate::frequency_label(v, lang())}</option> }).collect_view()}
                                </select>
                            </div>
                        </fieldset>
                    </Show>
                    <Show when=move || kind.get().zip(level.get()).is_some_and(|(k, l)| validate::needs_credentials(k, l) || !cred_user.get().is_empty())>
                        <fieldset class="group">
                            <legend>{t!(en: "Working app credentials", fr: "Identifiants de l’application qui fonctionnent")}</legend>
                            <p class="hint">{t!(
                                en: "An app account support can sign in with to reproduce the problem. Sent once, kept for support only: never shown again and never saved in your draft.",
                                fr: "Un compte de l’application avec lequel le support peut se connecter pour reproduire le problème. Envoyé une fois, conservé pour le support uniquement : jamais réaffiché, jamais enregistré dans votre brouillon.")}</p>
                            <div class="grid-2">
                                <TextInput id="f-cred-user" label=t!(en: "App user name", fr: "Nom d’utilisateur de l’application") hint="" value=cred_user error=Signal::derive(error_for("credentials.username")) autocomplete="off"/>
                                <TextInput id="f-cred-pass" label=t!(en: "App password", fr: "Mot de passe de l’application") hint="" value=cred_pass error=Signal::derive(error_for("credentials.password")) kind="password" autocomplete="new-password"/>
                            </div>
                        </fieldset>
                    </Show>
                    <Show when=move || has_connect_layer() && kind.get() == Some(RequestKind::Defect)>
                        <TextInput multiline=true id="f-connect" label=t!(en: "Remote access to your local Connect Layer", fr: "Accès à distance à votre Connect Layer local")
                            hint=t!(en: "How support reaches it: VPN or jump host, address, and who grants access.", fr: "Comment le support y accède : VPN ou serveur de rebond, adresse, et qui accorde l’accès.") value=connect error=Signal::derive(error_for("connect_layer_access"))/>
                    </Show>
                    <AttachmentPicker id="f-files" items=files limits=Signal::derive(move || config.ok().map(|c| c.attachment_limits).unwrap_or_default())/>
                    {move || submit_error.get().map(|m| view! { <ErrorNote message=m/> })}
                    <div class="actions-row">
                        <button type="submit" class="button button-primary" disabled=move || busy.get() id="submit-case">
                            {move || if busy.get() {
                                t!(en: "Sending…", fr: "Envoi…")
                            } else if submit_error.with(Option::is_some) {
                                t!(en: "Try again", fr: "Réessayer")
                            } else {
                                t!(en: "Open support case", fr: "Ouvrir le dossier de support")
                            }}
                        </button>
                        <span class="saved" aria-live="polite">{move || saved_at.get().map(|t| { let at = format::time(t); tf!(en: "Draft saved {at}", fr: "Brouillon enregistré à {at}") })}</span>
                    </div>
                </form>
            </Show>
            </div>
        </section>
    }
}

#[component]
fn DuePreview(p: SlaPreview) -> impl IntoView {
    view! {
        <p class="due-preview">
            { let due = format::local_long(p.initial_response_due); tf!(
                en: "If you open it now, the initial response is due by {due}",
                fr: "Si vous l’ouvrez maintenant, la première réponse est attendue au plus tard le {due}") }
            {(p.level >= Level::III).then(|| { let there = format::in_zone(p.initial_response_due, &p.time_zone); tf!(
                en: " ({there} in your support region).",
                fr: " ({there} dans votre région de support).") })}
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
