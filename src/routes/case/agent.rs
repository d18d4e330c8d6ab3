//! Support's side of a case page: assignment, status, level with a reason, the access the
//! customer gave (revealed on request, which the customer sees), asking for access, a proposed
//! solution, and internal notes.
//!
//! What an agent types lives in [`AgentDrafts`], above the view that updates re-render, so a poll
//! that brings news never loses it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::model::CaseDetail;
use portal_core::secrets::{Revealed, SecretKind, SecretState};
use portal_core::{validate, CaseStatus, Level};

use super::timeline::secrets_in_words;
use crate::api::{self, ApiResult};
use crate::auth::Auth;
use crate::components::attachments::{uploaded, uploading, AttachmentPicker, FileItem};
use crate::components::{CopyButton, ErrorNote};
use crate::i18n::lang;
use crate::load::{load, Load};

/// What an agent is typing on a case.
#[derive(Clone, Copy)]
pub struct AgentDrafts {
    note: RwSignal<String>,
    solution: RwSignal<String>,
    solution_files: RwSignal<Vec<FileItem>>,
    reason: RwSignal<String>,
    level: RwSignal<String>,
    status: RwSignal<String>,
    assignee: RwSignal<String>,
    ask_creds: RwSignal<bool>,
    ask_connect: RwSignal<bool>,
    ask_message: RwSignal<String>,
    revealed: RwSignal<Option<Revealed>>,
}

impl AgentDrafts {
    /// Nothing typed yet.
    pub fn new() -> AgentDrafts {
        AgentDrafts {
            note: RwSignal::new(String::new()),
            solution: RwSignal::new(String::new()),
            solution_files: RwSignal::new(Vec::new()),
            reason: RwSignal::new(String::new()),
            level: RwSignal::new(String::new()),
            status: RwSignal::new(String::new()),
            assignee: RwSignal::new(String::new()),
            ask_creds: RwSignal::new(false),
            ask_connect: RwSignal::new(false),
            ask_message: RwSignal::new(String::new()),
            revealed: RwSignal::new(None),
        }
    }
}

impl Default for AgentDrafts {
    fn default() -> Self {
        Self::new()
    }
}

/// One section's sending state: busy, and the last error.
#[derive(Clone, Copy)]
struct Sending {
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    /// Taken while the component is built: an answer arrives outside any owner, where no
    /// context can be looked up.
    auth: Auth,
}

impl Sending {
    fn new() -> Sending {
        Sending {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            auth: Auth::get(),
        }
    }

    /// Starts sending unless already busy; answers whether it started.
    fn start(&self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        self.busy.set(true);
        self.error.set(None);
        true
    }

    /// Shows the case as it is now, or the error; answers whether it worked.
    fn finish(&self, detail: Load<CaseDetail>, result: ApiResult<CaseDetail>) -> bool {
        self.busy.set(false);
        match result {
            Ok(d) => {
                detail.value.set(Some(Ok(d)));
                true
            }
            Err(e) => {
                self.error.set(Some(self.auth.handle(&e)));
                false
            }
        }
    }

    fn view(&self) -> impl IntoView {
        let error = self.error;
        move || error.get().map(|m| view! { <ErrorNote message=m/> })
    }
}

/// The agent's tools for case `d`.
#[component]
pub fn AgentPanel(d: CaseDetail, detail: Load<CaseDetail>, drafts: AgentDrafts) -> impl IntoView {
    let open = d.summary.status.is_open();
    let number = StoredValue::new(d.summary.number.clone());
    let config = crate::use_config();
    let limits =
        Signal::derive(move || config.ok().map(|c| c.attachment_limits).unwrap_or_default());
    view! {
        <section class="agent-panel" aria-labelledby="agent-title">
            <h2 id="agent-title" class="visually-hidden">{t!(en: "Support's tools", fr: "Outils du support")}</h2>
            <super::people::DeliveryFailures d=d.clone()/>
            <Assignment d=d.clone() detail=detail drafts=drafts/>
            <Access d=d.clone() detail=detail drafts=drafts/>
            {open.then(|| view! {
                <StatusAndLevel d=d.clone() detail=detail drafts=drafts/>
                <Solution number=number detail=detail drafts=drafts limits=limits/>
            })}
            <Note number=number detail=detail drafts=drafts/>
            {(!d.articles_viewed.is_empty()).then(|| view! {
                <div class="card">
                    <h3>{t!(en: "Knowledge articles the customer read first", fr: "Articles de connaissances lus par le client avant l’envoi")}</h3>
                    <ul>{d.articles_viewed.iter().map(|a| view! {
                        <li><a href=format!("/knowledge/{}", a.id) lang="en">{a.title.clone()}</a></li>
                    }).collect_view()}</ul>
                </div>
            })}
        </section>
    }
}

#[component]
fn Assignment(d: CaseDetail, detail: Load<CaseDetail>, drafts: AgentDrafts) -> impl IntoView {
    let auth = Auth::get();
    let me = auth.email().unwrap_or_default();
    let mine = d.assignee_email.as_deref() == Some(me.as_str());
    let number = d.summary.number.clone();
    let agents = load(api::agents);
    let sending = Sending::new();
    let assign = move |to: Option<String>| {
        if !sending.start() {
            return;
        }
        let n = number.clone();
        spawn_local(async move {
            let r = api::assign(&n, to).await;
            sending.finish(detail, r);
        });
    };
    let (to_me, to_other, unassign) = (assign.clone(), assign.clone(), assign);
    let current = d.summary.assignee.clone();
    view! {
        <div class="card">
            <h3>{t!(en: "Assignment", fr: "Attribution")}</h3>
            <p>{match &current {
                Some(name) => { let name = name.clone(); tf!(en: "Assigned to {name}.", fr: "Attribué à {name}.") }
                None => t!(en: "Nobody has this case yet.", fr: "Personne n’a encore ce dossier.").into(),
            }}</p>
            <div class="actions-row">
                {(!mine).then(|| view! {
                    <button type="button" class="button button-primary" id="assign-me" disabled=move || sending.busy.get()
                        on:click=move |_| to_me(Some(me.clone()))>{t!(en: "Assign to me", fr: "M’attribuer le dossier")}</button>
                })}
                {current.is_some().then(|| view! {
                    <button type="button" class="button" disabled=move || sending.busy.get() on:click=move |_| unassign(None)>{t!(en: "Unassign", fr: "Retirer l’attribution")}</button>
                })}
            </div>
            <div class="field inline-field">
                <label for="assign-to">{t!(en: "Assign to another agent", fr: "Attribuer à un autre agent")}</label>
                <div class="inline">
                    <select id="assign-to" on:change:target=move |ev| drafts.assignee.set(ev.target().value())>
                        <option value="">{t!(en: "Choose…", fr: "Choisir…")}</option>
                        {move || agents.ok().map(|list| list.into_iter().map(|a| {
                            let email = a.email.clone();
                            view! { <option value=a.email selected=move || drafts.assignee.with(|v| *v == email)>{a.name}</option> }
                        }).collect_view())}
                    </select>
                    <button type="button" class="button" disabled=move || sending.busy.get()
                        on:click=move |_| {
                            let to = drafts.assignee.get_untracked();
                            if !to.is_empty() { to_other(Some(to)) }
                        }>{t!(en: "Assign", fr: "Attribuer")}</button>
                </div>
            </div>
            {sending.view()}
        </div>
    }
}

#[component]
fn StatusAndLevel(d: CaseDetail, detail: Load<CaseDetail>, drafts: AgentDrafts) -> impl IntoView {
    let number = d.summary.number.clone();
    let (current_status, current_level) = (d.summary.status, d.summary.level);
    let status_sending = Sending::new();
    let level_sending = Sending::new();
    let n1 = number.clone();
    let set_status = move |_| {
        let Some(s) = CaseStatus::parse(&drafts.status.get_untracked()) else {
            status_sending.error.set(Some(
                t!(en: "Choose a status.", fr: "Choisissez un statut.").into(),
            ));
            return;
        };
        if !status_sending.start() {
            return;
        }
        let n = n1.clone();
        spawn_local(async move {
            let r = api::set_status(&n, s).await;
            if status_sending.finish(detail, r) {
                drafts.status.set(String::new());
            }
        });
    };
    let change_level = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(level) = Level::parse(&drafts.level.get_untracked()) else {
            level_sending.error.set(Some(
                t!(en: "Choose the new level.", fr: "Choisissez le nouveau niveau.").into(),
            ));
            return;
        };
        let change = portal_core::model::LevelChange {
            level,
            reason: drafts.reason.get_untracked(),
        };
        if let Some(e) = validate::level_change(&change, current_level, lang()).first() {
            level_sending.error.set(Some(e.message.clone()));
            return;
        }
        if !level_sending.start() {
            return;
        }
        let n = number.clone();
        spawn_local(async move {
            let r = api::change_level(&n, change.level, &change.reason).await;
            if level_sending.finish(detail, r) {
                drafts.reason.set(String::new());
                drafts.level.set(String::new());
            }
        });
    };
    view! {
        <div class="card">
            <h3>{t!(en: "Status", fr: "Statut")}</h3>
            <div class="field">
                <label for="set-status">{t!(en: "Move the case to", fr: "Passer le dossier à")}</label>
                <div class="inline">
                    <select id="set-status" on:change:target=move |ev| drafts.status.set(ev.target().value())>
                        <option value="">{t!(en: "Choose…", fr: "Choisir…")}</option>
                        {CaseStatus::AGENT_SETS.into_iter().filter(|s| *s != current_status).map(|s| view! {
                            <option value=s.as_str() selected=move || drafts.status.with(|v| v == s.as_str())>{s.label_for(portal_core::Role::Agent, lang())}</option>
                        }).collect_view()}
                    </select>
                    <button type="button" class="button" id="set-status-button" disabled=move || status_sending.busy.get() on:click=set_status>{t!(en: "Set status", fr: "Changer le statut")}</button>
                </div>
            </div>
            {status_sending.view()}
        </div>
        <form class="card form" on:submit=change_level novalidate>
            <h3>{t!(en: "Response level", fr: "Niveau de réponse")}</h3>
            <p class="hint">{t!(
                en: "Until support first responds, the response due follows the new level from now. The customer sees the change and your reason.",
                fr: "Tant que le support n’a pas répondu une première fois, l’échéance suit le nouveau niveau à partir de maintenant. Le client voit le changement et votre raison.")}</p>
            <div class="field">
                <label for="new-level">{t!(en: "New level", fr: "Nouveau niveau")}</label>
                <select id="new-level" on:change:target=move |ev| drafts.level.set(ev.target().value())>
                    <option value="">{t!(en: "Choose…", fr: "Choisir…")}</option>
                    {Level::ALL.into_iter().filter(|l| *l != current_level).map(|l| view! {
                        <option value=l.as_str() selected=move || drafts.level.with(|v| v == l.as_str())>{format!("{} – {}", l.as_str(), l.priority(lang()))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="level-reason">{t!(en: "Why (the customer reads it)", fr: "Pourquoi (le client le lit)")}</label>
                <textarea id="level-reason" rows="2" bind:value=drafts.reason></textarea>
            </div>
            {level_sending.view()}
            <div><button type="submit" class="button" disabled=move || level_sending.busy.get()>{t!(en: "Change level", fr: "Changer le niveau")}</button></div>
        </form>
    }
}

#[component]
fn Access(d: CaseDetail, detail: Load<CaseDetail>, drafts: AgentDrafts) -> impl IntoView {
    let number = d.summary.number.clone();
    let open = d.summary.status.is_open();
    let kept = d.secrets.iter().any(|s| s.state == SecretState::Provided);
    let reveal_sending = Sending::new();
    let n1 = number.clone();
    let reveal = move |_| {
        if !reveal_sending.start() {
            return;
        }
        let n = n1.clone();
        spawn_local(async move {
            match api::reveal(&n).await {
                Ok(r) => {
                    drafts.revealed.set(Some(r));
                    // The case now shows that support viewed them.
                    let fresh = api::case(&n).await;
                    reveal_sending.finish(detail, fresh);
                }
                Err(e) => {
                    reveal_sending.busy.set(false);
                    reveal_sending
                        .error
                        .set(Some(reveal_sending.auth.handle(&e)));
                }
            }
        });
    };
    let ask_sending = Sending::new();
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut kinds = Vec::new();
        if drafts.ask_creds.get_untracked() {
            kinds.push(SecretKind::AppCredentials);
        }
        if drafts.ask_connect.get_untracked() {
            kinds.push(SecretKind::ConnectLayer);
        }
        if kinds.is_empty() {
            ask_sending.error.set(Some(t!(
                en: "Choose what you need: the app credentials, the Connect Layer access, or both.",
                fr: "Choisissez ce dont vous avez besoin : les identifiants de l’application, l’accès au Connect Layer, ou les deux.").into()));
            return;
        }
        if !ask_sending.start() {
            return;
        }
        let (n, message) = (number.clone(), drafts.ask_message.get_untracked());
        spawn_local(async move {
            let r = api::request_access(&n, kinds, &message).await;
            if ask_sending.finish(detail, r) {
                drafts.ask_message.set(String::new());
                drafts.ask_creds.set(false);
                drafts.ask_connect.set(false);
            }
        });
    };
    view! {
        <div class="card" id="access">
            <h3>{t!(en: "Access the customer gave", fr: "Accès donnés par le client")}</h3>
            <ul class="plain">{d.secrets.iter().map(|s| view! { <li><SecretLine s=s.clone()/></li> }).collect_view()}</ul>
            {kept.then(|| view! {
                <p class="hint">{t!(en: "Revealing is recorded on the case: the customer sees that you viewed them.", fr: "L’affichage est consigné sur le dossier : le client voit que vous les avez consultés.")}</p>
                <div class="actions-row">
                    <button type="button" class="button" id="reveal" disabled=move || reveal_sending.busy.get() on:click=reveal>{t!(en: "Reveal", fr: "Afficher")}</button>
                </div>
            })}
            {reveal_sending.view()}
            {move || drafts.revealed.get().map(|r| view! { <RevealedView r=r/> })}
            {open.then(|| view! {
                <form class="form" on:submit=ask novalidate>
                    <fieldset>
                        <legend>{t!(en: "Ask the customer for", fr: "Demander au client")}</legend>
                        <div class="choices-inline">
                            <label class="choice-pill"><input type="checkbox" id="ask-creds" prop:checked=drafts.ask_creds on:change:target=move |ev| drafts.ask_creds.set(ev.target().checked())/>{t!(en: "App credentials", fr: "Identifiants de l’application")}</label>
                            <label class="choice-pill"><input type="checkbox" id="ask-connect" prop:checked=drafts.ask_connect on:change:target=move |ev| drafts.ask_connect.set(ev.target().checked())/>{t!(en: "Connect Layer access", fr: "Accès au Connect Layer")}</label>
                        </div>
                    </fieldset>
                    <div class="field">
                        <label for="ask-message">{t!(en: "Message to the customer", fr: "Message au client")}</label>
                        <textarea id="ask-message" rows="2" bind:value=drafts.ask_message></textarea>
                    </div>
                    {ask_sending.view()}
                    <p class="hint">{t!(en: "The case then awaits the customer, whose page opens the secure fields.", fr: "Le dossier attend alors le client, dont la page ouvre les champs sécurisés.")}</p>
                    <div><button type="submit" class="button" id="ask-access" disabled=move || ask_sending.busy.get()>{t!(en: "Ask the customer", fr: "Demander au client")}</button></div>
                </form>
            })}
        </div>
    }
}

/// Where one secret stands, in words.
#[component]
pub fn SecretLine(s: portal_core::secrets::SecretStatus) -> impl IntoView {
    let what = secrets_in_words(&[s.kind]);
    let what = {
        let mut c = what.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let state = match s.state {
        SecretState::Provided => {
            t!(en: "given, kept sealed for support", fr: "donnés, conservés scellés pour le support")
        }
        SecretState::Erased => {
            t!(en: "erased after the case closed", fr: "effacés après la clôture du dossier")
        }
        SecretState::Missing => t!(en: "not given", fr: "non donnés"),
    };
    view! { <span>{what}{t!(en: ": ", fr: " : ")}{state}</span> }
}

#[component]
fn RevealedView(r: Revealed) -> impl IntoView {
    view! {
        <dl class="facts revealed" id="revealed">
            {r.app_credentials.map(|c| view! {
                <div><dt>{t!(en: "App user name", fr: "Nom d’utilisateur de l’application")}</dt><dd><code>{c.username.clone()}</code>" "<CopyButton text=c.username.clone() label=t!(en: "Copy the user name", fr: "Copier le nom d’utilisateur")/></dd></div>
                <div><dt>{t!(en: "App password", fr: "Mot de passe de l’application")}</dt><dd><code>{c.password.clone()}</code>" "<CopyButton text=c.password.clone() label=t!(en: "Copy the password", fr: "Copier le mot de passe")/></dd></div>
            })}
            {r.connect_layer_access.map(|a| view! {
                <div><dt>{t!(en: "Connect Layer access", fr: "Accès au Connect Layer")}</dt><dd class="prose">{a}</dd></div>
            })}
        </dl>
    }
}

#[component]
fn Solution(
    number: StoredValue<String>,
    detail: Load<CaseDetail>,
    drafts: AgentDrafts,
    limits: Signal<portal_core::attachment::Limits>,
) -> impl IntoView {
    let sending = Sending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(m) = validate::comment(&drafts.solution.get_untracked(), lang()) {
            sending.error.set(Some(m));
            return;
        }
        let pending = drafts.solution_files.with_untracked(|f| uploading(f));
        if pending > 0 {
            sending.error.set(Some(tf!(
                en: "Wait until the attachments have finished uploading ({pending} still on the way), then send.",
                fr: "Attendez la fin de l’envoi des pièces jointes (encore {pending} en cours), puis envoyez.")));
            return;
        }
        if !sending.start() {
            return;
        }
        let (n, text) = (number.get_value(), drafts.solution.get_untracked());
        let ids = drafts
            .solution_files
            .with_untracked(|f| uploaded(f))
            .into_iter()
            .map(|a| a.id)
            .collect();
        spawn_local(async move {
            let r = api::propose_solution(&n, &text, ids).await;
            if sending.finish(detail, r) {
                drafts.solution.set(String::new());
                drafts.solution_files.set(Vec::new());
            }
        });
    };
    view! {
        <form class="card form" on:submit=submit novalidate>
            <h3>{t!(en: "Propose a solution", fr: "Proposer une solution")}</h3>
            <div class="field">
                <label for="solution">{t!(en: "The solution (the customer can accept it or reply)", fr: "La solution (le client peut l’accepter ou répondre)")}</label>
                <textarea id="solution" rows="4" bind:value=drafts.solution></textarea>
            </div>
            <AttachmentPicker id="solution-files" items=drafts.solution_files limits=limits/>
            {sending.view()}
            <div><button type="submit" class="button button-primary" id="propose" disabled=move || sending.busy.get()>{t!(en: "Propose solution", fr: "Proposer la solution")}</button></div>
        </form>
    }
}

#[component]
fn Note(
    number: StoredValue<String>,
    detail: Load<CaseDetail>,
    drafts: AgentDrafts,
) -> impl IntoView {
    let sending = Sending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(m) = validate::comment(&drafts.note.get_untracked(), lang()) {
            sending.error.set(Some(m));
            return;
        }
        if !sending.start() {
            return;
        }
        let (n, text) = (number.get_value(), drafts.note.get_untracked());
        spawn_local(async move {
            let r = api::note(&n, &text).await;
            if sending.finish(detail, r) {
                drafts.note.set(String::new());
            }
        });
    };
    view! {
        <form class="card form note-form" on:submit=submit novalidate>
            <h3>{t!(en: "Internal note", fr: "Note interne")}</h3>
            <div class="field">
                <label for="note">{t!(en: "For support only: customers never see it", fr: "Pour le support uniquement : les clients ne la voient jamais")}</label>
                <textarea id="note" rows="3" bind:value=drafts.note></textarea>
            </div>
            {sending.view()}
            <div><button type="submit" class="button" id="add-note" disabled=move || sending.busy.get()>{t!(en: "Add internal note", fr: "Ajouter la note interne")}</button></div>
        </form>
    }
}
