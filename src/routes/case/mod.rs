//! `/cases/{number}`: one case — its facts, response-due state, timeline, and what the user may do
//! now (the actions come from the API, which takes them from the core lifecycle).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use portal_core::model::CaseDetail;
use portal_core::secrets::{SecretKind, SecretState};
use portal_core::{validate, CaseAction, Role};

use crate::api;
use crate::auth::Auth;
use crate::components::attachments::{uploaded, uploading, AttachmentPicker, FileItem, FileList};
use crate::components::badges::{DueBadge, LevelBadge, StatusBadge, Time};
use crate::components::escalation::EscalationPanel;
use crate::components::secrets::SecretsDraft;
use crate::components::{CopyButton, ErrorNote, Later};
use crate::draft;
use crate::i18n::lang;
use crate::load::{load, Load};

mod access;
pub mod agent;
mod correct;
mod people;
mod rating;
mod timeline;
mod to_idea;

use access::AccessSection;
use agent::{AgentPanel, SecretLine};
use timeline::Entry;

/// How often an open case asks the API whether it changed.
pub const POLL_SECONDS: u64 = 10;

/// The page.
#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let auth = Auth::get();
    let config = crate::use_config();
    let number = Memo::new(move |_| params.with(|p| p.get("number").unwrap_or_default()));
    let detail = load(move || {
        let n = number.get();
        async move { api::case(&n).await }
    });
    // The update being written lives here, above the view that polling re-renders, and in storage.
    let email = auth.email().unwrap_or_default();
    let comment = RwSignal::new(draft::load_comment(&email, &number.get_untracked()));
    let comment_files = RwSignal::new(Vec::<FileItem>::new());
    // What support types in its tools, and what a customer types into the secure fields: above
    // the view that updates re-render (in memory only).
    let agent_drafts = agent::AgentDrafts::new();
    let secrets_draft = SecretsDraft::new();
    let people_drafts = people::PeopleDrafts::new();
    // Opening a case marks its news seen: the header's count follows.
    Effect::new(move |_| {
        if matches!(detail.get(), Some(Ok(_))) {
            if let Some(n) = crate::news::News::get() {
                n.refresh();
            }
        }
    });
    // One Idempotency-Key per update written: a retry of the same update never posts it twice.
    let comment_key = StoredValue::new(draft::new_idempotency_key());
    // "This did not solve it": the update being written answers the proposed solution.
    let rejecting = RwSignal::new(false);
    let correction_draft = correct::CorrectionDraft::new();
    let move_draft = to_idea::MoveDraft::new();
    Effect::new(move |_| {
        let text = comment.get();
        draft::save_comment(&email, &number.get_untracked(), &text);
    });
    // Freshness: poll while the page is visible; the API answers 304 when nothing changed.
    let etag = StoredValue::new(None::<String>);
    let updated = RwSignal::new(false);
    let seen_until = RwSignal::new(None::<DateTime<Utc>>);
    Effect::new(move |_| {
        if let Some(Ok(d)) = detail.get() {
            if seen_until.get_untracked().is_none() {
                seen_until.set(Some(d.summary.updated_at));
            }
        }
    });
    let poll = move || {
        if document().hidden() {
            return;
        }
        let n = number.get_untracked();
        spawn_local(async move {
            if let Ok(Some((d, tag))) = api::case_if_changed(&n, etag.get_value().as_deref()).await
            {
                etag.set_value(tag);
                let changed = detail
                    .value
                    .with_untracked(|v| !matches!(v, Some(Ok(cur)) if *cur == d));
                if changed && d.summary.number == number.get_untracked() {
                    detail.value.set(Some(Ok(d)));
                    updated.set(true);
                }
            }
        });
    };
    if let Ok(handle) = set_interval_with_handle(poll, std::time::Duration::from_secs(POLL_SECONDS))
    {
        on_cleanup(move || handle.clear());
    }
    let created = move || query.with(|q| q.get("created").is_some());

    view! {
        <section class="page">
            <p class="crumbs"><A href="/cases">{if auth.role() == Role::Agent { t!(en: "← Queue", fr: "← File d’attente") } else { t!(en: "← Cases", fr: "← Dossiers") }}</A></p>
            // The case waits for the configuration too (product area labels, escalation contacts),
            // so nothing moves when it lands; the app asks for it at start-up.
            {move || match detail.get().filter(|r| r.is_err() || config.get().is_some()) {
                None => {
                    super::set_title(&number.get_untracked());
                    view! { <p class="loading" role="status">{t!(en: "Loading case…", fr: "Chargement du dossier…")}</p> }.into_any()
                }
                Some(Err(e)) => {
                    let msg = auth.handle(&e);
                    view! {
                        <h1>{number.get_untracked()}</h1>
                        <ErrorNote message=msg retry=Callback::new(move |_| detail.refetch())/>
                    }.into_any()
                }
                Some(Ok(d)) => {
                    super::set_title(&format!("{} {}", d.summary.number, d.summary.subject));
                    view! {
                        {move || updated.get().then(|| view! {
                            <p class="note note-info" role="status" id="updated">{t!(en: "Updated just now: there is news on this case.", fr: "Mis à jour à l’instant : il y a du nouveau sur ce dossier.")}</p>
                        })}
                        <CaseView d=d detail=detail created=created() seen_until=seen_until.get_untracked() comment=comment files=comment_files comment_key=comment_key rejecting=rejecting correction_draft=correction_draft move_draft=move_draft agent_drafts=agent_drafts secrets_draft=secrets_draft people_drafts=people_drafts/>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn CaseView(
    d: CaseDetail,
    detail: Load<CaseDetail>,
    created: bool,
    seen_until: Option<DateTime<Utc>>,
    comment: RwSignal<String>,
    files: RwSignal<Vec<FileItem>>,
    comment_key: StoredValue<String>,
    rejecting: RwSignal<bool>,
    correction_draft: correct::CorrectionDraft,
    move_draft: to_idea::MoveDraft,
    agent_drafts: agent::AgentDrafts,
    secrets_draft: SecretsDraft,
    people_drafts: people::PeopleDrafts,
) -> impl IntoView {
    let auth = Auth::get();
    let role = auth
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.user.role))
        .unwrap_or(Role::Customer);
    let s = d.summary.clone();
    let config = crate::use_config();
    let number = s.number.clone();
    let can_comment = d.actions.contains(&CaseAction::Comment);
    let actions: Vec<CaseAction> = d
        .actions
        .iter()
        .copied()
        .filter(|a| a.is_transition())
        .collect();
    let scenario = d.scenario.clone();
    let (access_detail, agent_detail) = (d.clone(), d.clone());
    let (people_detail, escalate_detail) = (d.clone(), d.clone());
    let rating_detail = d.clone();
    let correct_detail = d.clone();
    let (move_detail, moved) = (d.clone(), d.moved_to.clone());
    let may_move = portal_core::enhancement::may_move_to_ideas(s.kind, s.level, s.status);
    view! {
        <div class:case-with-tools=role == Role::Agent>
        <div class="case-main">
        {created.then(|| view! {
            <div class="note note-success" role="status">
                <p><strong>{ let n = &s.number; tf!(en: "Case {n} is open.", fr: "Le dossier {n} est ouvert.") }</strong>
                {t!(en: " Use this number in all communication about it. Support responds by the time shown below; you will see their answers here.",
                    fr: " Utilisez ce numéro dans tous vos échanges à son sujet. Le support répond avant l’heure indiquée ci-dessous ; vous verrez ses réponses ici.")}</p>
            </div>
        })}
        <div class="case-head">
            <p class="case-number-line"><span class="case-number">{s.number.clone()}</span><CopyButton text=s.number.clone() label={ let n = &s.number; tf!(en: "Copy case number {n}", fr: "Copier le numéro de dossier {n}") }/></p>
            <h1>{s.subject.clone()}</h1>
            <p class="meta"><StatusBadge status=s.status role=role/><LevelBadge level=s.level/>
                <DueBadge due=s.initial_response_due first_response=s.first_response_at closed=!s.status.is_open()/></p>
        </div>
        // The 24/7 line is for customers; support is the one it reaches.
        {(s.level.is_down() && s.status.is_open() && role == Role::Customer).then(|| view! { <EscalationPanel config=config number=s.number.clone()/> })}
        {people::escalated_at(&d).filter(|_| s.status.is_open()).map(|at| view! {
            <p class="note note-urgent" id="escalated">{t!(en: "The level was raised: the 24/7 line was alerted by e-mail at ", fr: "Le niveau a été relevé : la ligne 24 h/24 a été alertée par e-mail à ")}<Time t=at/>"."</p>
        })}
        {(role == Role::Customer && !d.access_requested.is_empty()).then(|| { let what = timeline::secrets_in_words(&d.access_requested); view! {
            <p class="note note-attention"><a href="#access-prompt">{tf!(en: "Support asks for {what}: give it below.", fr: "Le support demande {what} : donnez-le ci-dessous.")}</a></p>
        }})}
        <dl class="facts">
            <div><dt>{t!(en: "Opened", fr: "Ouvert")}</dt><dd><Time t=s.opened_at/>{t!(en: " by ", fr: " par ")}{s.opened_by.clone()}</dd></div>
            <div><dt>{t!(en: "Initial response due", fr: "Première réponse attendue")}</dt><dd><Time t=s.initial_response_due/></dd></div>
            <div><dt>{t!(en: "Level", fr: "Niveau")}</dt><dd>{ let (id, p, target) = (s.level.as_str(), s.level.priority(lang()), s.level.target_text(lang())); tf!(en: "{id} – {p}: {target}", fr: "{id} – {p} : {target}") }</dd></div>
            <div><dt>{t!(en: "Request", fr: "Demande")}</dt><dd>{s.kind.label(lang())}</dd></div>
            {(!d.product_area.is_empty()).then(|| {
                // Stored as the configuration's value; shown with its label in this language.
                let area = d.product_area.clone();
                let label = move || config.ok().and_then(|c| c.product_areas.into_iter().find(|a| a.value == area).map(|a| a.label)).unwrap_or_else(|| area.clone());
                view! { <div><dt>{t!(en: "Product area", fr: "Domaine du produit")}</dt><dd>{label}</dd></div> }
            })}
            <div><dt>{t!(en: "Environment", fr: "Environnement")}</dt><dd>{match d.environment { portal_core::model::Environment::Production => t!(en: "Production", fr: "Production"), portal_core::model::Environment::Sandbox => t!(en: "Sandbox", fr: "Sandbox") }}</dd></div>
            {(!d.frequency.is_empty()).then(|| view! {
                <div><dt>{t!(en: "How often", fr: "Fréquence")}</dt><dd>{validate::frequency_label(&d.frequency, lang())}</dd></div>
            })}
            <div><dt>{t!(en: "Assigned to", fr: "Attribué à")}</dt><dd>{s.assignee.clone().unwrap_or_else(|| t!(en: "Nobody yet", fr: "Personne pour l’instant").into())}</dd></div>
            <div><dt>{t!(en: "Access for support", fr: "Accès pour le support")}</dt><dd><ul class="plain">
                {d.secrets.iter().filter(|x| x.state != SecretState::Missing || x.kind == SecretKind::AppCredentials).map(|x| view! {
                    <li><SecretLine s=x.clone()/></li>
                }).collect_view()}
            </ul></dd></div>
        </dl>
        <h2>{t!(en: "Description", fr: "Description")}</h2>
        <p class="prose">{d.description.clone()}</p>
        <FileList number=number.clone() files=d.attachments.clone()/>
        {(!scenario.is_empty()).then(|| view! {
            <h2>{t!(en: "Scenario", fr: "Scénario")}</h2>
            <dl class="facts">
                <div><dt>{t!(en: "Steps", fr: "Étapes")}</dt><dd class="prose">{scenario.steps.clone()}</dd></div>
                <div><dt>{t!(en: "Expected", fr: "Résultat attendu")}</dt><dd class="prose">{scenario.expected.clone()}</dd></div>
                <div><dt>{t!(en: "Actual", fr: "Résultat obtenu")}</dt><dd class="prose">{scenario.actual.clone()}</dd></div>
            </dl>
        })}
        {correct_detail.can_correct.then(|| view! { <correct::CorrectDetails d=correct_detail detail=detail draft=correction_draft/> })}
        {may_move.then(|| view! { <to_idea::MoveToIdeas d=move_detail detail=detail draft=move_draft/> })}
        {moved.map(|r| view! { <to_idea::MovedNote reference=r title=s.subject.clone() text=d.description.clone()/> })}
        <h2>{t!(en: "History", fr: "Historique")}</h2>
        {if d.timeline.is_empty() {
            view! { <p class="empty">{t!(en: "No updates yet. Support will respond here.", fr: "Aucun message pour l’instant. Le support répondra ici.")}</p> }.into_any()
        } else {
            view! { <ol class="timeline">{d.timeline.into_iter().map(|e| { let new = seen_until.is_some_and(|t| e.at > t); view! { <Entry e=e new=new number=number.clone() viewer=role/> } }).collect_view()}</ol> }.into_any()
        }}
        <Actions number=number.clone() actions=actions detail=detail rejecting=rejecting/>
        <rating::RatingCard d=rating_detail detail=detail role=role/>
        // The forms below the history come a task later (two shorter tasks on a slow phone).
        <Later>
        {(role == Role::Customer && s.status.is_open()).then(|| view! { <AccessSection d=access_detail detail=detail draft=secrets_draft/> })}
        {(role == Role::Customer && s.status.is_open() && people::can_escalate(&escalate_detail)).then(|| view! { <people::Escalate d=escalate_detail detail=detail drafts=people_drafts/> })}
        <people::People d=people_detail detail=detail drafts=people_drafts role=role/>
        {can_comment.then(|| view! { <CommentForm number=number.clone() detail=detail body=comment files=files key=comment_key awaiting=s.status == portal_core::CaseStatus::AwaitingCustomer role=role rejecting=rejecting proposed=s.status == portal_core::CaseStatus::SolutionProposed/> })}
        </Later>
        </div>
        <Later>{(role == Role::Agent).then(|| view! { <AgentPanel d=agent_detail detail=detail drafts=agent_drafts/> })}</Later>
        </div>
    }
}

/// Close, accept and reopen. Closing (plain or by accepting the solution) asks first: a step the
/// keyboard and a thumb can take, with focus on the choice and Escape to step back.
#[component]
fn Actions(
    number: String,
    actions: Vec<CaseAction>,
    detail: Load<CaseDetail>,
    rejecting: RwSignal<bool>,
) -> impl IntoView {
    let may_reject = actions.contains(&CaseAction::Accept);
    let auth = Auth::get();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(None::<CaseAction>);
    let run = move |number: String, action: CaseAction| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::case_action(&number, action.as_str()).await {
                Ok(d) => {
                    confirming.set(None);
                    detail.value.set(Some(Ok(d)));
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let step_back = move |a: CaseAction| {
        confirming.set(None);
        let id = format!("action-{}", a.as_str());
        request_animation_frame(move || crate::components::form::focus(&id));
    };
    let ask = move |a: CaseAction| {
        error.set(None);
        confirming.set(Some(a));
        request_animation_frame(|| crate::components::form::focus("confirm-yes"));
    };
    let n = number.clone();
    let confirm = move || {
        confirming.get().map(|a| {
            let n = n.clone();
            let (question, yes, no) = match a {
                CaseAction::Accept => (
                    tf!(en: "Accept the solution and close {n}? Support will see that it solved the problem. If the problem comes back, you can reopen the case.",
                        fr: "Accepter la solution et clôturer {n} ? Le support verra qu’elle a résolu le problème. Si le problème revient, vous pourrez rouvrir le dossier."),
                    t!(en: "Yes, accept and close", fr: "Oui, accepter et clôturer"),
                    t!(en: "Not yet", fr: "Pas encore"),
                ),
                _ => (
                    tf!(en: "Close {n}? Support stops working on it. If the problem comes back, you can reopen the case.",
                        fr: "Clôturer {n} ? Le support cesse de le traiter. Si le problème revient, vous pourrez rouvrir le dossier."),
                    t!(en: "Yes, close the case", fr: "Oui, clôturer le dossier"),
                    t!(en: "Keep it open", fr: "Le garder ouvert"),
                ),
            };
            let on_key = move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    step_back(a);
                }
            };
            view! {
                <div class="confirm" role="group" aria-labelledby="confirm-question" on:keydown=on_key>
                    <p id="confirm-question">{question}</p>
                    <div class="actions-row">
                        <button type="button" id="confirm-yes" class="button button-primary" disabled=move || busy.get() on:click=move |_| run(n.clone(), a)>{yes}</button>
                        <button type="button" id="confirm-no" class="button" on:click=move |_| step_back(a)>{no}</button>
                    </div>
                </div>
            }
        })
    };
    (!actions.is_empty()).then(|| view! {
        <div class="actions-row" hidden=move || confirming.get().is_some()>
            {actions.into_iter().map(|a| {
                let (label, class) = match a {
                    CaseAction::Accept => (t!(en: "Accept solution and close", fr: "Accepter la solution et clôturer"), "button button-primary"),
                    CaseAction::Close => (t!(en: "Close case", fr: "Clôturer le dossier"), "button"),
                    _ => (t!(en: "Reopen case", fr: "Rouvrir le dossier"), "button"),
                };
                let n = number.clone();
                let id = format!("action-{}", a.as_str());
                let click = move |_| if a == CaseAction::Reopen { run(n.clone(), a) } else { ask(a) };
                view! { <button type="button" id=id class=class disabled=move || busy.get() on:click=click>{label}</button> }
            }).collect_view()}
            {may_reject.then(|| view! {
                <button type="button" id="action-reject" class="button" on:click=move |_| {
                    rejecting.set(true);
                    request_animation_frame(|| crate::components::form::focus("comment"));
                }>{t!(en: "This did not solve it", fr: "Cela n’a pas résolu le problème")}</button>
            })}
        </div>
        {confirm}
        {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
    })
}

#[component]
fn CommentForm(
    number: String,
    detail: Load<CaseDetail>,
    body: RwSignal<String>,
    files: RwSignal<Vec<FileItem>>,
    key: StoredValue<String>,
    awaiting: bool,
    role: Role,
    rejecting: RwSignal<bool>,
    proposed: bool,
) -> impl IntoView {
    let config = crate::use_config();
    let rejects = move || proposed && rejecting.get();
    let auth = Auth::get();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if let Some(m) = validate::comment(&body.get_untracked(), lang()) {
            error.set(Some(m));
            crate::components::form::focus("comment");
            return;
        }
        let pending = files.with_untracked(|f| uploading(f));
        if pending > 0 {
            error.set(Some(tf!(
                en: "Wait until the attachments have finished uploading ({pending} still on the way), then send.",
                fr: "Attendez la fin de l’envoi des pièces jointes (encore {pending} en cours), puis envoyez.")));
            return;
        }
        busy.set(true);
        error.set(None);
        let (n, text) = (number.clone(), body.get_untracked());
        let ids = files
            .with_untracked(|f| uploaded(f))
            .into_iter()
            .map(|a| a.id)
            .collect();
        let k = key.get_value();
        let reject = rejects();
        spawn_local(async move {
            match api::comment(&n, &text, ids, &k, reject).await {
                Ok(d) => {
                    rejecting.set(false);
                    body.set(String::new());
                    files.set(Vec::new());
                    key.set_value(draft::new_idempotency_key());
                    detail.value.set(Some(Ok(d)));
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card form" on:submit=submit novalidate>
            <h2>{move || match (role, awaiting, rejects()) {
                (Role::Agent, _, _) => t!(en: "Reply to the customer", fr: "Répondre au client"),
                (_, _, true) => t!(en: "Why did the solution not solve it?", fr: "Pourquoi la solution ne résout-elle pas le problème ?"),
                (_, true, _) => t!(en: "Answer support", fr: "Répondre au support"),
                _ => t!(en: "Add an update", fr: "Ajouter un message"),
            }}</h2>
            {move || rejects().then(|| view! { <p class="note note-attention" id="rejecting">{t!(
                en: "Say what still happens. Sending it hands the case back to support with your reason.",
                fr: "Dites ce qui se passe encore. L’envoyer rend le dossier au support avec votre raison.")}</p> })}
            {(awaiting && role == Role::Customer).then(|| view! { <p class="note note-attention">{t!(
                en: "Support is waiting for your answer. Sending it hands the case back to them.",
                fr: "Le support attend votre réponse. L’envoyer lui rend la main sur le dossier.")}</p> })}
            <div class="field">
                <label for="comment">{t!(en: "Your update", fr: "Votre message")}</label>
                <textarea id="comment" rows="5" bind:value=body aria-invalid=move || error.with(|e| e.is_some().to_string())
                    aria-describedby=move || error.with(|e| e.as_ref().map(|_| "comment-error"))></textarea>
                {move || error.get().map(|m| view! { <p class="field-error" id="comment-error" role="alert">{m}</p> })}
            </div>
            <AttachmentPicker id="comment-files" items=files limits=Signal::derive(move || config.ok().map(|c| c.attachment_limits).unwrap_or_default())/>
            <button type="submit" class="button button-primary" disabled=move || busy.get()>
                {move || if busy.get() { t!(en: "Sending…", fr: "Envoi…") } else { t!(en: "Send update", fr: "Envoyer le message") }}
            </button>
        </form>
    }
}
