//! One entry of a case's history, in words for whoever reads it.

use leptos::prelude::*;
use portal_core::model::{EntryKind, TimelineEntry};
use portal_core::secrets::SecretKind;
use portal_core::Role;

use crate::components::attachments::FileList;
use crate::components::badges::Time;
use crate::i18n::lang;

/// The secrets named in a sentence: "the app credentials and the Connect Layer access".
pub fn secrets_in_words(kinds: &[SecretKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.name(lang())).collect();
    names.join(t!(en: " and ", fr: " et "))
}

/// What happened, after the author's name ("proposed a solution").
fn what(e: &TimelineEntry, viewer: Role) -> String {
    let level = |l: Option<portal_core::Level>| l.map(|l| l.as_str()).unwrap_or("?");
    match (e.kind, e.status) {
        (EntryKind::Solution, _) => {
            t!(en: "proposed a solution", fr: "a proposé une solution").into()
        }
        (EntryKind::Comment, Some(s)) => {
            let status = s.label_for(viewer, lang());
            tf!(en: "commented · status: {status}", fr: "a commenté · statut : {status}")
        }
        (EntryKind::Comment, None) => t!(en: "commented", fr: "a commenté").into(),
        (EntryKind::Status, Some(s)) => {
            let status = s.label_for(viewer, lang());
            tf!(en: "set the status to {status}", fr: "a changé le statut en « {status} »")
        }
        (EntryKind::Status, None) => t!(en: "changed the status", fr: "a changé le statut").into(),
        (EntryKind::MovedToIdeas, _) => {
            let r = &e.body;
            tf!(en: "moved the case to the Ideas Exchange as {r} · the case is closed", fr: "a déplacé le dossier vers l’Ideas Exchange sous {r} · le dossier est clôturé")
        }
        (EntryKind::Corrected, _) => {
            t!(en: "corrected the details", fr: "a corrigé les informations").into()
        }
        (EntryKind::SolutionRejected, _) => t!(
            en: "said the solution did not solve it · back to support",
            fr: "a indiqué que la solution ne résout pas le problème · retour au support")
        .into(),
        (EntryKind::SolutionAccepted, _) => t!(
            en: "accepted the solution · the case is closed",
            fr: "a accepté la solution · le dossier est clôturé")
        .into(),
        (EntryKind::Note, _) => {
            t!(en: "wrote an internal note", fr: "a écrit une note interne").into()
        }
        (EntryKind::Assignment, _) if e.body.is_empty() => {
            t!(en: "unassigned the case", fr: "a retiré l’attribution du dossier").into()
        }
        (EntryKind::Assignment, _) => {
            let who = &e.body;
            tf!(en: "assigned the case to {who}", fr: "a attribué le dossier à {who}")
        }
        (EntryKind::LevelChange, _) => {
            let (from, to) = (level(e.from_level), level(e.level));
            tf!(en: "changed the level from {from} to {to}", fr: "a changé le niveau de {from} à {to}")
        }
        (EntryKind::AccessRequest, _) => {
            let what = secrets_in_words(&e.secrets);
            tf!(en: "asked for {what}", fr: "a demandé {what}")
        }
        (EntryKind::SecretsUpdated, _) => {
            let what = secrets_in_words(&e.secrets);
            tf!(en: "gave {what} (kept for support only)", fr: "a donné {what} (conservés pour le support uniquement)")
        }
        (EntryKind::SecretsViewed, _) => {
            let what = secrets_in_words(&e.secrets);
            tf!(en: "viewed {what}", fr: "a consulté {what}")
        }
        (EntryKind::SecretsErased, _) => {
            let (what, days) = (secrets_in_words(&e.secrets), &e.body);
            tf!(en: "erased {what}, {days} days after the case closed", fr: "a effacé {what}, {days} jours après la clôture du dossier")
        }
    }
}

/// One entry; `new` marks what arrived since the page was opened.
#[component]
pub fn Entry(e: TimelineEntry, new: bool, number: String, viewer: Role) -> impl IntoView {
    let who = if e.author_role == Role::Agent {
        "support"
    } else {
        "customer"
    };
    let text = what(&e, viewer);
    // Texts the entry carries: a comment, a solution, a note, a reason, a message.
    let body = match e.kind {
        EntryKind::Comment
        | EntryKind::Solution
        | EntryKind::Note
        | EntryKind::AccessRequest
        | EntryKind::SolutionRejected => Some(e.body.clone()),
        EntryKind::LevelChange => Some({
            let why = &e.body;
            tf!(en: "Why: {why}", fr: "Pourquoi : {why}")
        }),
        _ => None,
    }
    .filter(|b| !b.trim().is_empty());
    view! {
        <li class=format!("entry entry-{who} entry-{}", e.kind.as_str())>
            <p class="entry-head">
                {new.then(|| view! { <span class="badge badge-new">{t!(en: "New", fr: "Nouveau")}</span>" " })}
                {(e.kind == EntryKind::Note).then(|| view! { <span class="badge badge-internal">{t!(en: "Internal", fr: "Interne")}</span>" " })}
                <strong>{e.author.clone()}</strong>" "{text}" · "<Time t=e.at/>
            </p>
            {body.map(|b| view! { <p class="prose">{b}</p> })}
            {(!e.changes.is_empty()).then(|| view! { <super::correct::Changes changes=e.changes.clone()/> })}
            <FileList number=number files=e.attachments.clone()/>
        </li>
    }
}
