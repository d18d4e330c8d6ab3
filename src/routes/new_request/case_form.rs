//! The support-case form: what support needs for this kind and level, checked by core's rules as
//! the customer types, sent once under the draft's Idempotency-Key.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use portal_core::model::{FieldError, SlaPreview};
use portal_core::secrets::{SecretKind, SecretState};
use portal_core::validate::{self, Context, FREQUENCIES};
use portal_core::{enhancement, Level, RequestKind};

use super::form::{text, RequestForm};
use super::knowledge::Suggestions;
use super::similar::SimilarCases;
use crate::api;
use crate::auth::Auth;
use crate::components::attachments::{uploading, AttachmentPicker};
use crate::components::form::{focus, Errors, TextInput};
use crate::components::ErrorNote;
use crate::draft;
use crate::format;
use crate::i18n::lang;
use crate::load::load;

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

/// The form for a support case of `kind` at `level`; `answered` is set when a knowledge article
/// answered the question instead; `sent` runs once the case exists.
#[component]
pub fn CaseForm(
    form: RequestForm,
    kind: Signal<RequestKind>,
    level: Signal<Level>,
    answered: RwSignal<Option<String>>,
    sent: Callback<()>,
) -> impl IntoView {
    let auth = Auth::get();
    let config = crate::use_config();
    let (kind, level) = (move || kind.get(), move || level.get());
    let has_connect_layer = move || {
        auth.me.with(|m| {
            m.as_ref()
                .and_then(|m| m.institution.as_ref())
                .is_some_and(|i| i.has_connect_layer)
        })
    };
    let limits =
        Signal::derive(move || config.ok().map(|c| c.attachment_limits).unwrap_or_default());
    // The institution's support access profile: defect cases can use it instead of typing.
    let profile = load(api::access_profile);
    let holds = move |kind: SecretKind| {
        profile.ok().is_some_and(|p| {
            p.secrets
                .iter()
                .any(|s| s.kind == kind && s.state == SecretState::Provided)
        })
    };
    let usable = move || holds(SecretKind::AppCredentials);
    let using_profile =
        move || kind() == RequestKind::Defect && form.draft.with(|d| d.uses_profile(usable()));
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors = Errors::new(move || {
        let context = Context {
            has_connect_layer: has_connect_layer(),
            limits: limits.get(),
            profile_credentials: usable(),
            profile_connect_layer: holds(SecretKind::ConnectLayer),
        };
        let mut e = form
            .to_case(context.has_connect_layer, usable())
            .map(|c| validate::new_case(&c, context, lang()))
            .unwrap_or_default();
        for s in server_errors.get() {
            if !e.iter().any(|x| x.field == s.field) {
                e.push(s);
            }
        }
        e
    });
    let hint = Memo::new(move |_| {
        form.draft
            .with(|d| enhancement::detect(&d.subject, &d.description))
    });
    let (area, frequency) = (text!(form, product_area), text!(form, frequency));
    // What the suggestions search for; a memo, so typing elsewhere does not search again.
    let query = Signal::from(Memo::new(move |_| {
        form.draft
            .with(|d| format!("{} {}", d.subject, d.description))
    }));
    let viewed = Callback::new(move |id: String| {
        form.draft.update(|d| {
            if !d.articles_viewed.contains(&id) {
                d.articles_viewed.push(id);
            }
        })
    });
    let busy = RwSignal::new(false);
    let submit_error = RwSignal::new(None::<String>);
    // The case this draft already made (sent from another tab): linked, never sent twice.
    let already = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return; // a second click while sending does nothing (and the key would dedupe anyway)
        }
        server_errors.set(Vec::new());
        let first = errors.submit();
        let pending = form.files.with_untracked(|f| uploading(f));
        if pending > 0 {
            submit_error.set(Some(tf!(
                en: "Wait until the attachments have finished uploading ({pending} still on the way), then send.",
                fr: "Attendez la fin de l’envoi des pièces jointes (encore {pending} en cours), puis envoyez.")));
            focus("f-files");
            return;
        }
        if let Some(field) = first {
            focus(field_id(&field));
            return;
        }
        let Some(case) = form.to_case(has_connect_layer(), usable()) else {
            return;
        };
        busy.set(true);
        submit_error.set(None);
        already.set(None);
        let key = form.draft.with_untracked(|d| d.idempotency_key.clone());
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_case(&case, &key).await {
                Ok(detail) => {
                    sent.run(());
                    navigate(
                        &format!("/cases/{}?created=1", detail.summary.number),
                        Default::default(),
                    );
                }
                Err(e) if e.already_sent().is_some() => already.set(e.already_sent()),
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
    let saved_at = move || form.saved_at.get();
    view! {
        <form class="card form" on:submit=submit novalidate>
            <h2>{t!(en: "Tell support what they need", fr: "Donnez au support ce dont il a besoin")}</h2>
            {move || (errors.shown.get() && !errors.all.with(Vec::is_empty)).then(|| view! {
                <div class="note note-error" role="alert" id="error-summary">
                    <p><strong>{t!(en: "Please fix these before sending:", fr: "Veuillez corriger ceci avant l’envoi :")}</strong></p>
                    <ul>{errors.all.get().into_iter().map(|e| view! { <li><a href=format!("#{}", field_id(&e.field))>{e.message}</a></li> }).collect_view()}</ul>
                </div>
            })}
                    {move || hint.get().map(|h| view! {
                        <div class="note note-attention" id="enhancement-hint">
                            <p>{ let phrase = h.phrase; tf!(
                                en: "This reads like a request for new functionality (\u{201c}{phrase}\u{201d}). Integrations and new functionality are not covered by support; they go to the Ideas Exchange.",
                                fr: "Ceci ressemble à une demande de nouvelle fonctionnalité (« {phrase} »). Les intégrations et les nouvelles fonctionnalités ne sont pas couvertes par le support ; elles vont sur l’Ideas Exchange.") }</p>
                            <p><button type="button" class="button button-small" on:click=move |_| {
                                form.draft.update(|d| {
                                    if d.idea_title.is_empty() { d.idea_title = d.subject.clone(); }
                                    if d.idea_description.is_empty() { d.idea_description = d.description.clone(); }
                                    d.kind = Some(RequestKind::IntegrationRequest);
                                });
                            }>{t!(en: "Send it to the Ideas Exchange instead", fr: "L’envoyer plutôt sur l’Ideas Exchange")}</button>
                            {t!(en: " You can still send it as a support case.", fr: " Vous pouvez tout de même l’envoyer comme dossier de support.")}</p>
                        </div>
                    })}
                    <TextInput id="f-subject" required=true label=t!(en: "Subject", fr: "Objet") hint={ let max = validate::SUBJECT_MAX; tf!(en: "One line, up to {max} characters.", fr: "Une ligne, {max} caractères au plus.") } value=text!(form, subject) error=errors.for_field("subject")/>
                    <TextInput multiline=true id="f-description" required=true label=t!(en: "Description", fr: "Description") hint=t!(en: "What happens, since when, and who is affected.", fr: "Ce qui se passe, depuis quand, et qui est concerné.") value=text!(form, description) error=errors.for_field("description")/>
                    <SimilarCases query=query/>
                    <Suggestions query=query viewed=viewed answered=answered/>
                    <div class="grid-2">
                        <div class="field">
                            <label for="f-area">{t!(en: "Product area", fr: "Domaine du produit")}</label>
                            <select id="f-area" on:change:target=move |ev| area.set.set(ev.target().value())>
                                <option value="" selected=move || area.value.with(String::is_empty)>{t!(en: "Choose…", fr: "Choisir…")}</option>
                                {move || config.ok().map(|c| c.product_areas.into_iter().map(|a| {
                                    let value = a.value.clone();
                                    view! { <option value=a.value selected=move || area.value.with(|v| *v == value)>{a.label}</option> }
                                }).collect_view())}
                            </select>
                        </div>
                    </div>
                    <Show when=move || kind() == RequestKind::Defect>
                        <fieldset class="group">
                            <legend>{t!(en: "Scenario", fr: "Scénario")}</legend>
                            <TextInput multiline=true id="f-steps" required=true label=t!(en: "Steps to reproduce", fr: "Étapes pour reproduire") hint=t!(en: "One step per line.", fr: "Une étape par ligne.") value=text!(form, steps) error=errors.for_field("scenario.steps")/>
                            <div class="grid-2">
                                <TextInput multiline=true id="f-expected" label=t!(en: "Expected result", fr: "Résultat attendu") hint="" value=text!(form, expected) error=errors.for_field("scenario.expected")/>
                                <TextInput multiline=true id="f-actual" label=t!(en: "Actual result", fr: "Résultat obtenu") hint="" value=text!(form, actual) error=errors.for_field("scenario.actual")/>
                            </div>
                            <div class="field">
                                <label for="f-frequency">{t!(en: "How often does it happen?", fr: "À quelle fréquence cela se produit-il ?")}</label>
                                <select id="f-frequency" on:change:target=move |ev| frequency.set.set(ev.target().value())>
                                    <option value="" selected=move || frequency.value.with(String::is_empty)>{t!(en: "Choose…", fr: "Choisir…")}</option>
                                    {FREQUENCIES.iter().map(|v| view! { <option value=*v selected=move || frequency.value.with(|f| f == v)>{validate::frequency_label(v, lang())}</option> }).collect_view()}
                                </select>
                            </div>
                        </fieldset>
                    </Show>
                    <Show when=move || kind() == RequestKind::Defect && usable()>
                        <div class="field">
                            <label class="choice-pill">
                                <input type="checkbox" id="use-profile" prop:checked=move || form.draft.with(|d| d.uses_profile(true))
                                    on:change:target=move |ev| { let on = ev.target().checked(); form.draft.update(|d| d.use_access_profile = Some(on)) }/>
                                {t!(en: "Use our support access profile (app credentials and Connect Layer access kept for support)", fr: "Utiliser notre profil d’accès pour le support (identifiants et accès au Connect Layer conservés pour le support)")}
                            </label>
                            <p class="hint">{t!(en: "Untick it to give other credentials for this case.", fr: "Décochez-la pour donner d’autres identifiants pour ce dossier.")}</p>
                        </div>
                    </Show>
                    <Show when=move || !using_profile() && (validate::needs_credentials(kind(), level()) || form.secrets.with(|c| !c.username.is_empty()))>
                        <fieldset class="group">
                            <legend>{t!(en: "Working app credentials", fr: "Identifiants de l’application qui fonctionnent")}
                                {move || validate::needs_credentials(kind(), level()).then(|| view! { " "<span class="required">{t!(en: "(required)", fr: "(obligatoire)")}</span> })}</legend>
                            <p class="hint">{t!(
                                en: "An app account support can sign in with to reproduce the problem. Sent once, kept for support only: never shown again and never saved in your draft.",
                                fr: "Un compte de l’application avec lequel le support peut se connecter pour reproduire le problème. Envoyé une fois, conservé pour le support uniquement : jamais réaffiché, jamais enregistré dans votre brouillon.")}</p>
                            <div class="grid-2">
                                <TextInput id="f-cred-user" label=t!(en: "App user name", fr: "Nom d’utilisateur de l’application") hint="" value=form.secret(|c| &c.username, |c| &mut c.username) error=errors.for_field("credentials.username") autocomplete="off"/>
                                <TextInput id="f-cred-pass" label=t!(en: "App password", fr: "Mot de passe de l’application") hint="" value=form.secret(|c| &c.password, |c| &mut c.password) error=errors.for_field("credentials.password") kind="password" autocomplete="new-password"/>
                            </div>
                        </fieldset>
                    </Show>
                    <Show when=move || has_connect_layer() && kind() == RequestKind::Defect && !(using_profile() && holds(SecretKind::ConnectLayer))>
                        <TextInput multiline=true id="f-connect" required=true label=t!(en: "Remote access to your local Connect Layer", fr: "Accès à distance à votre Connect Layer local")
                            hint=t!(en: "How support reaches it: VPN or jump host, address, and who grants access.", fr: "Comment le support y accède : VPN ou serveur de rebond, adresse, et qui accorde l’accès.") value=text!(form, connect_layer_access) error=errors.for_field("connect_layer_access")/>
                    </Show>
            <AttachmentPicker id="f-files" items=form.files limits=limits/>
            <Colleagues form=form/>
            {move || submit_error.get().map(|m| view! { <ErrorNote message=m/> })}
            {move || already.get().map(|n| view! {
                <div class="note note-attention" role="alert" id="already-sent">
                    <p>{ let n = n.clone(); tf!(
                        en: "This request was already sent, from another tab or window: it is case {n}. Open it to follow it, or add what changed there as an update.",
                        fr: "Cette demande a déjà été envoyée, depuis un autre onglet ou une autre fenêtre : c’est le dossier {n}. Ouvrez-le pour le suivre, ou ajoutez-y ce qui a changé comme message.") }</p>
                    <p class="actions-row">
                        <a class="button button-primary" href=format!("/cases/{n}")>{ let n = n.clone(); tf!(en: "Open {n}", fr: "Ouvrir {n}") }</a>
                        <button type="button" class="button" id="send-as-new" on:click=move |_| {
                            form.draft.update(|d| d.idempotency_key = draft::new_idempotency_key());
                            already.set(None);
                        }>{t!(en: "It is a different problem: open a new case", fr: "C’est un autre problème : ouvrir un nouveau dossier")}</button>
                    </p>
                </div>
            })}
            <div class="actions-row">
                <button type="submit" class="button button-primary" disabled=move || busy.get() || already.with(Option::is_some) id="submit-case">
                    {move || if busy.get() {
                        t!(en: "Sending…", fr: "Envoi…")
                    } else if submit_error.with(Option::is_some) {
                        t!(en: "Try again", fr: "Réessayer")
                    } else {
                        t!(en: "Open support case", fr: "Ouvrir le dossier de support")
                    }}
                </button>
                <span class="saved" aria-live="polite">{move || saved_at().map(|t| { let at = format::time(t); tf!(en: "Draft saved {at}", fr: "Brouillon enregistré à {at}") })}</span>
            </div>
        </form>
    }
}

/// Colleagues of the institution to keep informed about the case (they follow it from the start).
#[component]
fn Colleagues(form: RequestForm) -> impl IntoView {
    let colleagues = load(api::colleagues);
    let me = Auth::get().email().unwrap_or_default();
    move || {
        let others: Vec<_> = colleagues
            .ok()
            .unwrap_or_default()
            .into_iter()
            .filter(|u| u.email != me)
            .collect();
        (!others.is_empty()).then(|| view! {
            <fieldset class="group">
                <legend>{t!(en: "Keep colleagues informed (optional)", fr: "Tenir des collègues informés (facultatif)")}</legend>
                <p class="hint">{t!(en: "They hear about the case by e-mail as it changes, as you do.", fr: "Ils sont informés du dossier par e-mail quand il change, comme vous.")}</p>
                <div class="choices-inline">
                    {others.into_iter().map(|u| {
                        let (e1, e2) = (u.email.clone(), u.email.clone());
                        view! {
                            <label class="choice-pill"><input type="checkbox"
                                prop:checked=move || form.draft.with(|d| d.followers.contains(&e1))
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    let e = e2.clone();
                                    form.draft.update(|d| {
                                        d.followers.retain(|x| *x != e);
                                        if on { d.followers.push(e); }
                                    });
                                }/>{u.name}</label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        })
    }
}

/// When the initial response would be due if the case were opened now.
#[component]
pub fn DuePreview(p: SlaPreview) -> impl IntoView {
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
