//! `/access-profile` (customers): the institution's support access profile — working test-app
//! credentials and Connect Layer remote access kept once, sealed, for support. New defect cases
//! use it unless the customer gives other details, so a System Down case needs only what
//! happened and the steps.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::secrets::NewSecrets;

use crate::api;
use crate::auth::Auth;
use crate::components::secrets::{SecretsDraft, SecretsForm};
use crate::components::ErrorNote;
use crate::load::load;
use crate::routes::case::agent::SecretLine;

/// The page.
#[component]
pub fn AccessProfilePage() -> impl IntoView {
    super::set_title(t!(en: "Support access profile", fr: "Profil d’accès pour le support"));
    let auth = Auth::get();
    let connect_layer = auth.me.with_untracked(|m| {
        m.as_ref()
            .and_then(|m| m.institution.as_ref())
            .is_some_and(|i| i.has_connect_layer)
    });
    let profile = load(api::access_profile);
    let draft = SecretsDraft::new();
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let saved = RwSignal::new(false);
    let submit = Callback::new(move |new: NewSecrets| {
        busy.set(true);
        error.set(None);
        saved.set(false);
        spawn_local(async move {
            match api::update_access_profile(&new).await {
                Ok(p) => {
                    draft.clear();
                    saved.set(true);
                    profile.value.set(Some(Ok(p)));
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    });
    view! {
        <section class="page narrow-page">
            <h1>{t!(en: "Support access profile", fr: "Profil d’accès pour le support")}</h1>
            <p class="lead">{t!(
                en: "Give support a working test account of your app, and remote access to your local Connect Layer, once. New defect cases use them (you can give other details on a case), so in an emergency you only describe what happened.",
                fr: "Donnez une fois au support un compte de test de votre application qui fonctionne, et l’accès à distance à votre Connect Layer local. Les nouveaux dossiers d’anomalie les utilisent (vous pouvez donner d’autres informations sur un dossier) : en urgence, vous décrivez seulement ce qui s’est passé.")}</p>
            {move || match profile.get() {
                None => view! { <p class="loading" role="status">{t!(en: "Loading…", fr: "Chargement…")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=auth.handle(&e) retry=Callback::new(move |_| profile.refetch())/> }.into_any(),
                Some(Ok(p)) => view! {
                    <ul class="plain" id="profile-state">{p.secrets.into_iter()
                        .filter(|s| connect_layer || s.kind == portal_core::secrets::SecretKind::AppCredentials)
                        .map(|s| view! { <li><SecretLine s=s/></li> }).collect_view()}</ul>
                }.into_any(),
            }}
            {move || saved.get().then(|| view! { <p class="note note-success" role="status">{t!(en: "Kept for support, sealed.", fr: "Conservés pour le support, scellés.")}</p> })}
            <div class="card">
                <SecretsForm prefix="profile" draft=draft connect_layer=connect_layer
                    button=t!(en: "Keep for support", fr: "Conserver pour le support") submit=submit busy=busy error=error/>
            </div>
        </section>
    }
}
