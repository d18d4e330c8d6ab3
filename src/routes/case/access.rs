//! The customer's side of the access support needs: when support asks for app credentials or
//! Connect Layer access, a prompt with the secure fields; otherwise, on an open case, a way to give
//! or replace them. Values are write-only: never shown again, never stored in the browser.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::model::CaseDetail;
use portal_core::secrets::{NewSecrets, SecretState};

use super::timeline::secrets_in_words;
use crate::api;
use crate::auth::Auth;
use crate::components::secrets::{SecretsDraft, SecretsForm};
use crate::load::Load;

/// The access section of an open case, for its institution's people.
#[component]
pub fn AccessSection(
    d: CaseDetail,
    detail: Load<CaseDetail>,
    draft: SecretsDraft,
) -> impl IntoView {
    let auth = Auth::get();
    let connect_layer = auth.me.with_untracked(|m| {
        m.as_ref()
            .and_then(|m| m.institution.as_ref())
            .is_some_and(|i| i.has_connect_layer)
    });
    let number = d.summary.number.clone();
    let requested = d.access_requested.clone();
    let erased: Vec<_> = d
        .secrets
        .iter()
        .filter(|s| s.state == SecretState::Erased)
        .map(|s| s.kind)
        .collect();
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let sent = RwSignal::new(false);
    let submit = Callback::new(move |new: NewSecrets| {
        busy.set(true);
        error.set(None);
        let n = number.clone();
        spawn_local(async move {
            match api::update_secrets(&n, &new).await {
                Ok(d) => {
                    draft.clear();
                    sent.set(true);
                    detail.value.set(Some(Ok(d)));
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    });
    let form = move |requested: Vec<_>| {
        view! {
            <SecretsForm prefix="access" draft=draft connect_layer=connect_layer requested=requested
                button=t!(en: "Give to support", fr: "Donner au support") submit=submit busy=busy error=error/>
        }
    };
    if !requested.is_empty() {
        let what = secrets_in_words(&requested);
        view! {
            <section class="card access-prompt" id="access-prompt" aria-labelledby="access-prompt-title">
                <h2 id="access-prompt-title">{tf!(en: "Support asks for {what}", fr: "Le support demande {what}")}</h2>
                <p>{t!(en: "Give them here, not in an update: they are sealed, only support can read them, and the case goes back to support.",
                    fr: "Donnez-les ici, pas dans un message : ils sont scellés, seul le support peut les lire, et le dossier retourne au support.")}</p>
                {form(requested)}
            </section>
        }
        .into_any()
    } else {
        view! {
            {(!erased.is_empty()).then(|| { let what = secrets_in_words(&erased); view! {
                <p class="note note-attention">{tf!(
                    en: "{what} of this case were erased after it closed. Give them again below if support needs them.",
                    fr: "{what} de ce dossier ont été effacés après sa clôture. Donnez-les à nouveau ci-dessous si le support en a besoin.")}</p>
            }})}
            {move || sent.get().then(|| view! {
                <p class="note note-success" role="status">{t!(en: "Kept for support, sealed.", fr: "Conservés pour le support, scellés.")}</p>
            })}
            <details class="card access-details">
                <summary>{t!(en: "Give or replace app credentials or Connect Layer access", fr: "Donner ou remplacer les identifiants ou l’accès au Connect Layer")}</summary>
                {form(Vec::new())}
            </details>
        }
        .into_any()
    }
}
