//! `/people` (an institution's administrators; support agents for any institution): who can use
//! the portal for the institution, what each sees, invitations, deactivation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::account::{self, Membership, PersonChange};
use portal_core::model::{Invitation, NewInvitation, People, Person};

use crate::api;
use crate::auth::Auth;
use crate::components::badges::Time;
use crate::components::form::{Errors, Field, TextInput};
use crate::components::ErrorNote;
use crate::i18n::lang;
use crate::load::load;

/// The page.
#[component]
pub fn PeoplePage() -> impl IntoView {
    super::set_title(t!(en: "People", fr: "Membres"));
    let auth = Auth::get();
    let agent = auth.is_agent();
    let manages = auth.me.with_untracked(|m| {
        m.as_ref()
            .is_some_and(|m| account::manages_people(m.user.role, m.membership))
    });
    // Agents choose the institution; administrators see their own.
    let institution = RwSignal::new(None::<i64>);
    // What the last action did: outside the lists, which are built again after each change.
    let notice = RwSignal::new(None::<String>);
    let people = load(move || api::people(institution.get_untracked()));
    let institutions = load(move || async move {
        if agent {
            api::institutions().await
        } else {
            Ok(Vec::new())
        }
    });
    if agent {
        // Nothing to list until an institution is chosen.
        people.value.set(None);
    }
    let choose = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev).parse::<i64>().ok();
        institution.set(v);
        if v.is_some() {
            people.refetch();
        } else {
            people.value.set(None);
        }
    };
    let heading = move || {
        people
            .ok()
            .map(|p: People| {
                let v = &p.institution.name;
                tf!(en: "People of {v}", fr: "Membres de {v}")
            })
            .unwrap_or_else(|| t!(en: "People", fr: "Membres").into())
    };
    view! {
        <section class="page narrow-page">
            <h1>{heading}</h1>
            {(!manages).then(|| view! {
                <p class="note note-info">{account::manage_refusal(lang())}</p>
            })}
            <p class="lead">{t!(
                en: "Invite colleagues, choose what each of them sees, and deactivate who left. Deactivated people are signed out at once and can no longer sign in; the cases they opened stay with the institution.",
                fr: "Invitez des collègues, choisissez ce que chacun voit, et désactivez ceux qui sont partis. Les personnes désactivées sont déconnectées aussitôt et ne peuvent plus se connecter ; les dossiers qu’elles ont ouverts restent à l’établissement.")}</p>
            {agent.then(|| view! {
                <div class="field card">
                    <label for="people-institution">{t!(en: "Institution", fr: "Établissement")}</label>
                    <select id="people-institution" on:change=choose>
                        <option value="">{t!(en: "Choose an institution", fr: "Choisissez un établissement")}</option>
                        {move || institutions.ok().unwrap_or_default().into_iter().map(|i| view! {
                            <option value=i.id.to_string()>{i.name}</option>
                        }).collect_view()}
                    </select>
                </div>
            })}
            {move || match people.get() {
                None if agent && institution.get().is_none() => ().into_any(),
                None => view! { <p class="loading" role="status">{t!(en: "Loading…", fr: "Chargement…")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote message=auth.handle(&e) retry=Callback::new(move |_| people.refetch())/> }.into_any(),
                Some(Ok(p)) => view! {
                    <Invite institution=institution.get_untracked() agent=agent notice=notice on_sent=Callback::new(move |_| people.refetch())/>
                    {move || notice.get().map(|m| view! { <p class="note note-success" role="status" id="people-notice">{m}</p> })}
                    <Pending items=p.invitations institution=institution.get_untracked() notice=notice on_change=Callback::new(move |_| people.refetch())/>
                    <Everyone items=p.people on_change=Callback::new(move |_| people.refetch())/>
                }.into_any(),
            }}
        </section>
    }
}

#[derive(Clone, Default)]
struct InviteDraft {
    email: String,
}

/// The invitation form.
#[component]
fn Invite(
    institution: Option<i64>,
    agent: bool,
    notice: RwSignal<Option<String>>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let auth = Auth::get();
    let draft = RwSignal::new(InviteDraft::default());
    let membership = RwSignal::new(if agent {
        Membership::Admin
    } else {
        Membership::Member
    });
    let errors = Errors::new(move || {
        draft.with(|d| {
            account::email(&d.email, lang())
                .map(|m| vec![portal_core::model::FieldError::new("email", m)])
                .unwrap_or_default()
        })
    });
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        notice.set(None);
        if let Some(field) = errors.submit() {
            crate::components::form::focus(&format!("invite-{field}"));
            return;
        }
        let body = NewInvitation {
            email: draft.with_untracked(|d| d.email.trim().to_string()),
            membership: membership.get_untracked(),
            institution_id: institution,
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::invite(&body).await {
                Ok(inv) => {
                    notice.set(Some({ let v = &inv.email; tf!(en: "Invitation sent to {v}. The link works once, for 7 days.", fr: "Invitation envoyée à {v}. Le lien fonctionne une fois, pendant 7 jours.") }));
                    draft.set(InviteDraft::default());
                    errors.reset();
                    on_sent.run(());
                }
                Err(e) => {
                    let fields = e.field_errors();
                    error.set(Some(
                        fields
                            .first()
                            .map(|f| f.message.clone())
                            .unwrap_or_else(|| auth.handle(&e)),
                    ));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card form" id="invite-form" on:submit=submit novalidate>
            <h2>{t!(en: "Invite a colleague", fr: "Inviter un collègue")}</h2>
            <TextInput id="invite-email" label=t!(en: "Their e-mail address", fr: "Son adresse e-mail")
                hint=t!(en: "They receive a link to set their name and password.", fr: "Cette personne reçoit un lien pour choisir son nom et son mot de passe.")
                value=Field::of(draft, |d| &d.email, |d| &mut d.email) error=errors.for_field("email")
                kind="email" autocomplete="off" required=true/>
            <fieldset>
                <legend>{t!(en: "What they see", fr: "Ce que cette personne voit")}</legend>
                <div class="kinds">
                    {Membership::ALL.into_iter().map(|m| view! {
                        <label class="choice-card" class:selected=move || membership.get() == m>
                            <input type="radio" name="invite-membership" value=m.as_str()
                                prop:checked=move || membership.get() == m
                                on:change=move |_| membership.set(m)/>
                            <span class="choice-title">{m.label(lang())}</span>
                            <span class="choice-text">{m.explain(lang())}</span>
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
            <div><button type="submit" class="button button-primary" id="send-invitation" disabled=move || busy.get()>
                {t!(en: "Send the invitation", fr: "Envoyer l’invitation")}</button></div>
        </form>
    }
}

/// Pending invitations, each with "Send again" and "Withdraw".
#[component]
fn Pending(
    items: Vec<Invitation>,
    institution: Option<i64>,
    notice: RwSignal<Option<String>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let auth = Auth::get();
    let error = RwSignal::new(None::<String>);
    let done = notice;
    let n = items.len();
    let act = move |id: i64, email: String, withdraw: bool| {
        error.set(None);
        done.set(None);
        spawn_local(async move {
            let r = if withdraw {
                api::withdraw_invitation(id, institution).await
            } else {
                api::resend_invitation(id, institution).await.map(|_| ())
            };
            match r {
                Ok(()) => {
                    done.set(Some(if withdraw {
                        { let v = &email; tf!(en: "The invitation to {v} was withdrawn: its link no longer works.", fr: "L’invitation à {v} a été retirée : son lien ne fonctionne plus.") }
                    } else {
                        { let v = &email; tf!(en: "Sent again to {v}, with a new link valid for 7 days.", fr: "Envoyée de nouveau à {v}, avec un nouveau lien valable 7 jours.") }
                    }));
                    on_change.run(());
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="pending-heading">
            <h2 id="pending-heading">{{ let v = &n; tf!(en: "Invitations waiting ({v})", fr: "Invitations en attente ({v})") }}</h2>
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
            {(n == 0).then(|| view! { <p class="hint">{t!(en: "None: everyone invited has joined.", fr: "Aucune : toutes les personnes invitées ont rejoint le portail.")}</p> })}
            <ul class="plain people">
                {items.into_iter().map(|i| {
                    let (id, email) = (i.id, i.email.clone());
                    let email2 = email.clone();
                    view! {
                        <li class="person invitation">
                            <div class="person-main">
                                <strong>{i.email.clone()}</strong>
                                <span class="hint">{i.membership.label(lang())}" · "{{ let v = &i.invited_by; tf!(en: "invited by {v}", fr: "invitée par {v}") }}" · "
                                    {t!(en: "link valid until ", fr: "lien valable jusqu’au ")}<Time t=i.expires_at/></span>
                            </div>
                            <div class="person-actions">
                                <button type="button" class="button" on:click=move |_| act(id, email.clone(), false)
                                    aria-label={ let v = &i.email; tf!(en: "Send again to {v}", fr: "Renvoyer à {v}") }>{t!(en: "Send again", fr: "Renvoyer")}</button>
                                <button type="button" class="button" on:click=move |_| act(id, email2.clone(), true)
                                    aria-label={ let v = &i.email; tf!(en: "Withdraw the invitation to {v}", fr: "Retirer l’invitation à {v}") }>{t!(en: "Withdraw", fr: "Retirer")}</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Everyone of the institution: membership, state, last sign-in, deactivate or reactivate.
#[component]
fn Everyone(items: Vec<Person>, on_change: Callback<()>) -> impl IntoView {
    let n = items.iter().filter(|p| p.active).count();
    view! {
        <section class="card" aria-labelledby="people-heading">
            <h2 id="people-heading">{{ let v = &n; tf!(en: "People ({v} active)", fr: "Membres ({v} actifs)") }}</h2>
            <ul class="plain people" id="people-list">
                {items.into_iter().map(|p| view! { <PersonRow p=p on_change=on_change/> }).collect_view()}
            </ul>
        </section>
    }
}

/// One person, with their controls.
#[component]
fn PersonRow(p: Person, on_change: Callback<()>) -> impl IntoView {
    let auth = Auth::get();
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let id = p.id;
    let change = move |c: PersonChange| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::change_person(id, &c).await {
                Ok(_) => on_change.run(()),
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            confirming.set(false);
            busy.set(false);
        });
    };
    let select_id = format!("membership-{id}");
    let name = p.name.clone();
    let you = p.you;
    let active = p.active;
    let current = p.membership;
    view! {
        <li class="person" class:inactive=!active data-email=p.email.clone()>
            <div class="person-main">
                <strong>{p.name.clone()}{you.then(|| t!(en: " (you)", fr: " (vous)"))}</strong>
                <span class="hint">{p.email.clone()}</span>
                <span class="hint">
                    {if active { t!(en: "Active", fr: "Actif") } else { t!(en: "Deactivated", fr: "Désactivé") }}" · "
                    {match p.last_sign_in_at {
                        Some(t) => view! { {t!(en: "last signed in ", fr: "dernière connexion ")}<Time t=t/> }.into_any(),
                        None => t!(en: "never signed in", fr: "jamais connecté").into_any(),
                    }}
                </span>
            </div>
            <div class="person-actions">
                <label class="visually-hidden" for=select_id.clone()>{{ let v = &name; tf!(en: "What {v} sees", fr: "Ce que voit {v}") }}</label>
                <select id=select_id disabled=move || busy.get() || !active on:change=move |ev| {
                    if let Some(m) = Membership::parse(&event_target_value(&ev)) {
                        change(PersonChange { membership: Some(m), active: None });
                    }
                }>
                    {Membership::ALL.into_iter().map(|m| view! {
                        <option value=m.as_str() selected=m == current>{m.label(lang())}</option>
                    }).collect_view()}
                </select>
                {(!you).then(|| if active {
                    view! {
                        <button type="button" class="button" disabled=move || busy.get()
                            on:click=move |_| confirming.set(true)
                            aria-label={ let v = &name; tf!(en: "Deactivate {v}", fr: "Désactiver {v}") }>{t!(en: "Deactivate", fr: "Désactiver")}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" disabled=move || busy.get()
                            on:click=move |_| change(PersonChange { membership: None, active: Some(true) })
                            aria-label={ let v = &name; tf!(en: "Reactivate {v}", fr: "Réactiver {v}") }>{t!(en: "Reactivate", fr: "Réactiver")}</button>
                    }.into_any()
                })}
            </div>
            {move || confirming.get().then(|| view! {
                <div class="confirm" role="group" aria-label=t!(en: "Confirm", fr: "Confirmer")>
                    <p>{{ let v = &p.name; tf!(en: "Deactivate {v}? They are signed out at once and cannot sign in again until reactivated. Their cases stay.", fr: "Désactiver {v} ? Cette personne est déconnectée aussitôt et ne peut plus se connecter avant d’être réactivée. Ses dossiers restent.") }}</p>
                    <button type="button" class="button button-primary confirm-deactivate" on:click=move |_| change(PersonChange { membership: None, active: Some(false) })>{t!(en: "Deactivate", fr: "Désactiver")}</button>
                    " "
                    <button type="button" class="button" on:click=move |_| confirming.set(false)>{t!(en: "Cancel", fr: "Annuler")}</button>
                </div>
            })}
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
        </li>
    }
}
