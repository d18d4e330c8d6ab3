//! `/account`: who is signed in, what they want to hear about by e-mail and in which language,
//! and where they are signed in (with "sign out everywhere else").

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::model::Preferences;
use portal_core::notify::Preference;
use portal_core::{Lang, Role};

use crate::api;
use crate::auth::Auth;
use crate::components::badges::Time;
use crate::components::ErrorNote;
use crate::i18n::lang;
use crate::load::load;

/// The page.
#[component]
pub fn AccountPage() -> impl IntoView {
    super::set_title(t!(en: "Your account", fr: "Votre compte"));
    let auth = Auth::get();
    let prefs = load(api::preferences);
    let chosen = RwSignal::new(None::<Preferences>);
    Effect::new(move |_| {
        if let Some(p) = prefs.ok() {
            if chosen.get_untracked().is_none() {
                chosen.set(Some(p));
            }
        }
    });
    let (busy, error, saved) = (
        RwSignal::new(false),
        RwSignal::new(None::<String>),
        RwSignal::new(false),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = chosen.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        saved.set(false);
        spawn_local(async move {
            match api::update_preferences(&p).await {
                Ok(_) => saved.set(true),
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    let who = move || {
        auth.me.with(|m| {
            m.as_ref().map(|m| {
                let inst = m
                    .institution
                    .as_ref()
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| t!(en: "Ex Libris support", fr: "Support Ex Libris").into());
                format!("{} · {} · {}", m.user.name, m.user.email, inst)
            })
        })
    };
    let customer = auth.role() == Role::Customer;
    let (manages, sees_institution) = auth.me.with_untracked(|m| {
        m.as_ref().map_or((false, false), |m| {
            (
                portal_core::account::manages_people(m.user.role, m.membership),
                m.membership
                    .is_none_or(portal_core::account::Membership::sees_institution),
            )
        })
    });
    view! {
        <section class="page narrow-page">
            <h1>{t!(en: "Your account", fr: "Votre compte")}</h1>
            <p class="lead">{who}</p>
            <form class="card form" on:submit=save novalidate>
                <fieldset>
                    <legend>{t!(en: "E-mails about your cases", fr: "E-mails sur vos dossiers")}</legend>
                    <p class="hint">{t!(en: "About the cases you opened or follow: when support replies, asks you something, proposes a solution, or the case changes.",
                        fr: "Sur les dossiers que vous avez ouverts ou suivez : quand le support répond, vous demande quelque chose, propose une solution, ou que le dossier change.")}</p>
                    <div class="choices">
                        {Preference::ALL.into_iter().map(|p| view! {
                            <label class="choice-pill"><input type="radio" name="notify" value=p.as_str()
                                prop:checked=move || chosen.with(|c| c.is_some_and(|c| c.notify == p))
                                on:change=move |_| chosen.update(|c| if let Some(c) = c { c.notify = p })/>{p.label(lang())}</label>
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="field">
                    <label for="mail-lang">{t!(en: "Language of the e-mails", fr: "Langue des e-mails")}</label>
                    <select id="mail-lang" on:change:target=move |ev| {
                        let l = Lang::from_tag(&ev.target().value()).unwrap_or_default();
                        chosen.update(|c| if let Some(c) = c { c.lang = l });
                    }>
                        {Lang::ALL.into_iter().map(|l| view! {
                            <option value=l.code() selected=move || chosen.with(|c| c.is_some_and(|c| c.lang == l))>{l.name()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
                {move || saved.get().then(|| view! { <p class="note note-success" role="status">{t!(en: "Saved.", fr: "Enregistré.")}</p> })}
                <div><button type="submit" class="button button-primary" id="save-preferences" disabled=move || busy.get() || chosen.with(Option::is_none)>{t!(en: "Save", fr: "Enregistrer")}</button></div>
            </form>
            <ChangePassword/>
            <Sessions/>
            {manages.then(|| view! {
                <p><a href="/people" id="people-link">{if customer {
                    t!(en: "Your institution's people: invite colleagues, roles, deactivation", fr: "Les membres de votre établissement : invitations, rôles, désactivation")
                } else {
                    t!(en: "Institutions' people: make an institution's first administrator", fr: "Les membres des établissements : nommer le premier administrateur d’un établissement")
                }}</a></p>
            })}
            {(customer && sees_institution).then(|| view! {
                <p><a href="/access-profile">{t!(en: "Your institution's support access profile", fr: "Le profil d’accès pour le support de votre établissement")}</a></p>
            })}
        </section>
    }
}

/// A browser's name in a few words, from how it names itself ("Firefox on Windows").
fn browser_name(agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(needle, _)| agent.contains(needle))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| agent.contains(needle))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => tf!(en: "{b} on {s}", fr: "{b} sous {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => t!(en: "An unknown browser", fr: "Un navigateur inconnu").into(),
    }
}

/// Where the person is signed in, and "sign out everywhere else".
#[component]
fn Sessions() -> impl IntoView {
    let auth = Auth::get();
    let list = load(api::my_sessions);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let others = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::sign_out_others().await {
                Ok(l) => {
                    list.value.set(Some(Ok(l)));
                    done.set(true);
                }
                Err(e) => error.set(Some(auth.handle(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t!(en: "Where you are signed in", fr: "Où vous êtes connecté")}</h2>
            {move || list.ok().map(|l| {
                let (idle, days, n) = (l.idle_hours, l.lifetime_days, l.items.len());
                view! {
                    <p class="hint">{tf!(
                        en: "A session ends after {idle} hours without use, and {days} days after signing in at the latest. Signed in somewhere you do not recognise? Sign out everywhere else.",
                        fr: "Une session se termine après {idle} heures sans utilisation, et au plus tard {days} jours après la connexion. Connecté quelque part que vous ne reconnaissez pas ? Déconnectez-vous partout ailleurs.")}</p>
                    <ul class="plain sessions">
                        {l.items.into_iter().map(|s| view! {
                            <li>
                                <strong>{browser_name(&s.user_agent)}</strong>
                                {s.current.then(|| view! { " "<span class="badge status-new">{t!(en: "This browser", fr: "Ce navigateur")}</span> })}
                                <span class="hint">" · "{t!(en: "signed in ", fr: "connecté ")}<Time t=s.created_at/>" · "{t!(en: "last used ", fr: "dernière utilisation ")}<Time t=s.last_seen_at/></span>
                            </li>
                        }).collect_view()}
                    </ul>
                    <div class="actions-row">
                        <button type="button" class="button" id="sign-out-others" disabled=move || busy.get() || n < 2 on:click=others>
                            {t!(en: "Sign out everywhere else", fr: "Se déconnecter partout ailleurs")}
                        </button>
                    </div>
                }
            })}
            {move || done.get().then(|| view! { <p class="note note-success" role="status">{t!(en: "Signed out everywhere else: only this browser is still signed in.", fr: "Déconnecté partout ailleurs : seul ce navigateur reste connecté.")}</p> })}
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
        </section>
    }
}

#[derive(Clone, Default)]
struct PasswordDraft {
    current: String,
    password: String,
}

/// Changes the password (the current one first), optionally signing out everywhere else.
#[component]
fn ChangePassword() -> impl IntoView {
    use crate::components::form::{Errors, Field, TextInput};
    use crate::routes::password::NewPasswordField;
    let auth = Auth::get();
    let draft = RwSignal::new(PasswordDraft::default());
    let others = RwSignal::new(true);
    let errors = Errors::new(move || {
        draft.with(|d| {
            let mut e = Vec::new();
            if d.current.is_empty() {
                e.push(portal_core::model::FieldError::new(
                    "current",
                    t!(en: "Enter your current password.", fr: "Saisissez votre mot de passe actuel."),
                ));
            }
            if let Some(m) = portal_core::account::password(&d.password, lang()) {
                e.push(portal_core::model::FieldError::new("password", m));
            }
            e
        })
    });
    let server = RwSignal::new(Vec::<portal_core::model::FieldError>::new());
    let field_error = move |f: &'static str| {
        let local = errors.for_field(f);
        Signal::derive(move || {
            local.get().or_else(|| {
                server.with(|s| s.iter().find(|e| e.field == f).map(|e| e.message.clone()))
            })
        })
    };
    let (busy, error, done) = (
        RwSignal::new(false),
        RwSignal::new(None::<String>),
        RwSignal::new(false),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        server.set(Vec::new());
        done.set(false);
        if let Some(f) = errors.submit() {
            crate::components::form::focus(&format!("change-{f}"));
            return;
        }
        let body = draft.with_untracked(|d| portal_core::model::PasswordChange {
            current: d.current.clone(),
            password: d.password.clone(),
            sign_out_others: others.get_untracked(),
        });
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::change_password(&body).await {
                Ok(()) => {
                    draft.set(PasswordDraft::default());
                    errors.reset();
                    done.set(true);
                }
                Err(e) => {
                    let fields = e.field_errors();
                    match fields.first() {
                        Some(f) => {
                            crate::components::form::focus(&format!("change-{}", f.field));
                            server.set(fields);
                        }
                        None => error.set(Some(auth.handle(&e))),
                    }
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card form" id="password-form" on:submit=submit novalidate>
            <h2>{t!(en: "Change your password", fr: "Changer votre mot de passe")}</h2>
            <TextInput id="change-current" label=t!(en: "Current password", fr: "Mot de passe actuel") hint=""
                value=Field::of(draft, |d| &d.current, |d| &mut d.current) error=field_error("current")
                kind="password" autocomplete="current-password" required=true/>
            <NewPasswordField id="change-password" value=Field::of(draft, |d| &d.password, |d| &mut d.password) error=field_error("password")/>
            <label class="choice-pill"><input type="checkbox" id="change-sign-out" prop:checked=move || others.get()
                on:change:target=move |ev| others.set(ev.target().checked())/>
                {t!(en: "Also sign out everywhere else", fr: "Me déconnecter aussi partout ailleurs")}</label>
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
            {move || done.get().then(|| view! { <p class="note note-success" role="status" id="password-changed">{t!(en: "Your password is changed.", fr: "Votre mot de passe est changé.")}</p> })}
            <div><button type="submit" class="button button-primary" id="change-submit" disabled=move || busy.get()>{t!(en: "Change the password", fr: "Changer le mot de passe")}</button></div>
        </form>
    }
}
