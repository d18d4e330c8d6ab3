//! The two routes that are not support cases: ideas go to the Ideas Exchange, redesigns to the
//! account manager. Both are recorded through the API so the institution sees what it sent where.

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::kind::{before_lead_time, earliest_recommended_start, UX_LEAD_TIME_WEEKS};
use portal_core::model::{Config, Contact, HandOff, NewConsultation, NewRouting};
use portal_core::validate;

use leptos_router::components::A;

use crate::api;
use crate::auth::Auth;
use crate::components::form::{focus, Errors, Field, TextInput};
use crate::components::ErrorNote;
use crate::format::calendar_date;
use crate::i18n::lang;
use crate::load::Load;

/// The Ideas Exchange hand-off: the idea is written here, recorded, and opened prefilled.
#[component]
pub fn IdeasPanel(
    title: Field,
    description: Field,
    config: Load<Config>,
    done: Callback<()>,
) -> impl IntoView {
    let auth = Auth::get();
    let errors = Errors::new(move || {
        validate::routing(
            &NewRouting {
                title: title.value.get(),
                description: description.value.get(),
            },
            lang(),
        )
    });
    let recorded = RwSignal::new(None::<HandOff>);
    // One key per idea: a double click records it once; the next idea gets a new key.
    let key = StoredValue::new(crate::draft::new_idempotency_key());
    let failure = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let link = move || {
        config.ok().map(|c| {
            format!(
                "{}?title={}&description={}",
                c.ideas_exchange_url,
                api::encode(&title.value.get()),
                api::encode(&description.value.get())
            )
        })
    };
    let on_open = move |ev: leptos::ev::MouseEvent| {
        if let Some(first) = errors.submit() {
            ev.prevent_default();
            focus(if first == "title" {
                "f-idea-title"
            } else {
                "f-idea-description"
            });
            return;
        }
        // The link opens the Ideas Exchange; the hand-off is recorded alongside.
        let body = NewRouting {
            title: title.get_untracked(),
            description: description.get_untracked(),
        };
        let k = key.get_value();
        spawn_local(async move {
            match api::create_routing(&body, &k).await {
                Ok(h) => {
                    key.set_value(crate::draft::new_idempotency_key());
                    recorded.set(Some(h));
                    done.run(());
                }
                Err(e) => failure.set(Some(auth.handle(&e))),
            }
        });
    };
    let copy = move |_| {
        let text = format!(
            "{}\n\n{}",
            title.get_untracked(),
            description.get_untracked()
        );
        let _ = window().navigator().clipboard().write_text(&text);
        copied.set(true);
    };
    view! {
        <div class="card routed" id="route-ideas">
            <h2>{t!(en: "This goes to the Ideas Exchange", fr: "Ceci va sur l’Ideas Exchange")}</h2>
            <p>{t!(en: "New product integrations and enhancements of existing integrations are additional functionality, which support does not cover. The campusM product team reviews the Ideas Exchange regularly and considers ideas for the product.",
                   fr: "Les nouvelles intégrations de produits et les améliorations d’intégrations existantes sont des fonctionnalités supplémentaires, que le support ne couvre pas. L’équipe produit campusM examine régulièrement l’Ideas Exchange et y étudie les idées pour le produit.")}</p>
            <TextInput id="f-idea-title" label=t!(en: "Idea title", fr: "Titre de l’idée") hint="" value=title error=errors.for_field("title")/>
            <TextInput multiline=true id="f-idea-description" label=t!(en: "The idea", fr: "L’idée")
                hint=t!(en: "Tip: write it as a user story — as a …, I want …, so that ….", fr: "Conseil : rédigez-la comme un récit utilisateur — en tant que …, je veux …, afin de ….") value=description error=errors.for_field("description")/>
            <div class="actions-row">
                {move || link().map(|href| view! {
                    <a class="button button-primary" id="open-ideas" href=href target="_blank" rel="noopener" on:click=on_open>{t!(en: "Open the Ideas Exchange with this idea", fr: "Ouvrir l’Ideas Exchange avec cette idée")}</a>
                })}
                <button type="button" class="button" on:click=copy>{move || if copied.get() { t!(en: "Copied", fr: "Copié") } else { t!(en: "Copy the idea text", fr: "Copier le texte de l’idée") }}</button>
            </div>
            {move || recorded.get().map(|h| view! {
                <div class="note note-success" role="status"><p>{ let r = h.reference; tf!(en: "Recorded as {r} so your institution can see what it sent where: ", fr: "Enregistré sous {r}, pour que votre établissement sache ce qu’il a envoyé et où : ") }
                    <A href="/sent">{t!(en: "Sent elsewhere", fr: "Envoyé ailleurs")}</A>"."</p></div>
            })}
            {move || failure.get().map(|m| view! { <ErrorNote message=m/> })}
        </div>
    }
}

/// The account-manager route: a consultation request with the 6-week lead time.
#[component]
pub fn ConsultationPanel(what: Field, start: Field, done: Callback<()>) -> impl IntoView {
    let auth = Auth::get();
    let manager: Option<Contact> = auth.me.with_untracked(|m| {
        m.as_ref()
            .and_then(|m| m.institution.as_ref())
            .map(|i| i.account_manager.clone())
    });
    let today = Utc::now().date_naive();
    let earliest = earliest_recommended_start(today);
    let desired = Memo::new(move |_| start.value.with(|s| portal_core::instant::parse_date(s)));
    let errors = Errors::new(move || {
        validate::consultation(
            &NewConsultation {
                what: what.value.get(),
                desired_start: desired.get(),
            },
            today,
            lang(),
        )
    });
    let sent = RwSignal::new(None::<HandOff>);
    let key = StoredValue::new(crate::draft::new_idempotency_key());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(first) = errors.submit() {
            focus(if first == "what" { "f-what" } else { "f-start" });
            return;
        }
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = NewConsultation {
            what: what.get_untracked(),
            desired_start: desired.get_untracked(),
        };
        let k = key.get_value();
        spawn_local(async move {
            match api::create_consultation(&body, &k).await {
                Ok(h) => {
                    key.set_value(crate::draft::new_idempotency_key());
                    sent.set(Some(h));
                    done.run(());
                }
                Err(e) => failure.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let start_error = errors.for_field("desired_start");
    view! {
        <form class="card routed form" id="route-am" on:submit=submit novalidate>
            <h2>{t!(en: "This goes to your account manager", fr: "Ceci va à votre responsable de compte")}</h2>
            <p>{t!(en: "A user-experience redesign that needs extensive functionality changes is a project, not a support case. Your account manager and the campusM Success Manager agree scope, cost and dates with you.",
                   fr: "Une refonte de l’expérience utilisateur qui demande des changements importants de fonctionnalités est un projet, pas un dossier de support. Votre responsable de compte et le Success Manager campusM conviennent avec vous du périmètre, du coût et des dates.")}</p>
            {manager.map(|a| view! {
                <p>{t!(en: "Your account manager: ", fr: "Votre responsable de compte : ")}<strong>{a.name.clone()}</strong>" · "<a href=format!("mailto:{}", a.email)>{a.email.clone()}</a></p>
            })}
            <TextInput multiline=true id="f-what" label=t!(en: "What should change?", fr: "Que faudrait-il changer ?")
                hint=t!(en: "The screens or journeys, and what your users should be able to do.", fr: "Les écrans ou parcours, et ce que vos utilisateurs devraient pouvoir faire.") value=what error=errors.for_field("what")/>
            <div class="field" class:invalid=move || start_error.with(Option::is_some)>
                <label for="f-start">{t!(en: "Desired project start", fr: "Début souhaité du projet")}</label>
                <p class="hint" id="f-start-hint">{ let first = calendar_date(&earliest.to_string()); tf!(
                    en: "Recommended lead time: {UX_LEAD_TIME_WEEKS} weeks, so the earliest recommended start is {first}.",
                    fr: "Délai recommandé : {UX_LEAD_TIME_WEEKS} semaines ; le début recommandé le plus proche est donc le {first}.") }</p>
                <input id="f-start" type="date" min=today.to_string() prop:value=start.value on:input:target=move |ev| start.set.set(ev.target().value()) aria-describedby="f-start-hint f-start-note"
                    aria-invalid=move || start_error.with(|e| e.is_some().to_string())/>
                <div id="f-start-note" aria-live="polite">
                    {move || start_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                    {move || desired.get().filter(|d| before_lead_time(*d, today)).map(|_| view! {
                        <p class="note note-attention">{t!(
                            en: "That is earlier than the recommended 6 weeks' lead time. You can still ask; your account manager will tell you what is possible.",
                            fr: "C’est plus tôt que le délai recommandé de 6 semaines. Vous pouvez tout de même demander ; votre responsable de compte vous dira ce qui est possible.")}</p>
                    })}
                </div>
            </div>
            <button type="submit" class="button button-primary" disabled=move || busy.get() id="send-consultation">
                {move || if busy.get() { t!(en: "Sending…", fr: "Envoi…") } else { t!(en: "Send to my account manager", fr: "Envoyer à mon responsable de compte") }}
            </button>
            {move || sent.get().map(|h| view! {
                <div class="note note-success" role="status">
                    <p>{ let r = &h.reference; tf!(
                        en: "Sent as {r}. Your account manager will contact you to agree scope, cost and dates.",
                        fr: "Envoyé sous {r}. Votre responsable de compte vous contactera pour convenir du périmètre, du coût et des dates.") }
                        " "<A href="/sent">{t!(en: "Follow it on Sent elsewhere", fr: "Suivez-le dans Envoyé ailleurs")}</A>"."</p>
                    {h.before_lead_time.then(|| {
                        let first = h.earliest_recommended_start.map(|d| calendar_date(&d.to_string())).unwrap_or_default();
                        view! { <p>{tf!(
                            en: "You asked for a start before {first}; expect them to discuss the timing.",
                            fr: "Vous avez demandé un début avant le {first} ; attendez-vous à ce que le calendrier soit discuté.")}</p> }
                    })}
                </div>
            })}
            {move || failure.get().map(|m| view! { <ErrorNote message=m/> })}
        </form>
    }
}

/// Shown once a knowledge article answered the question: no case was needed.
#[component]
pub fn Answered() -> impl IntoView {
    view! {
        <div class="note note-success" role="status" id="answered">
            <p><strong>{t!(en: "Glad that answered it.", fr: "Ravis que cela y ait répondu.")}</strong>
                {t!(en: " No case was opened, and your draft is cleared. Thank you for telling us: it helps us improve the articles.",
                    fr: " Aucun dossier n’a été ouvert, et votre brouillon est effacé. Merci de nous l’avoir dit : cela nous aide à améliorer les articles.")}</p>
            <p><a href="/">{t!(en: "Back to home", fr: "Retour à l’accueil")}</a></p>
        </div>
    }
}
