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
            <TwoFactor/>
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

/// Two-step sign-in: turn it on (QR code, secret to type, a code to confirm, recovery codes
/// shown once), or off (customers: password and a code).
#[component]
fn TwoFactor() -> impl IntoView {
    use crate::components::CopyButton;
    let auth = Auth::get();
    let on = Memo::new(move |_| auth.me.with(|m| m.as_ref().is_some_and(|m| m.two_factor)));
    let agent = auth.role() == Role::Agent;
    let setup = RwSignal::new(None::<portal_core::model::TwoFactorSetup>);
    let codes = RwSignal::new(None::<Vec<String>>);
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let show = move |e: api::ApiError| {
        let fields = e.field_errors();
        error.set(Some(if fields.is_empty() {
            auth.handle(&e)
        } else {
            fields
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join(" ")
        }));
    };
    let start = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::start_two_factor().await {
                Ok(s) => {
                    setup.set(Some(s));
                    request_animation_frame(|| crate::components::form::focus("two-factor-code"));
                }
                Err(e) => show(e),
            }
            busy.set(false);
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if let Some(m) = portal_core::account::second_factor_code(&typed, lang()) {
            error.set(Some(m));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::confirm_two_factor(&typed).await {
                Ok(r) => {
                    codes.set(Some(r.codes));
                    setup.set(None);
                    code.set(String::new());
                    auth.me.update(|m| {
                        if let Some(m) = m {
                            m.two_factor = true;
                        }
                    });
                }
                Err(e) => show(e),
            }
            busy.set(false);
        });
    };
    let turn_off = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = portal_core::model::TwoFactorOff {
            password: password.get_untracked(),
            code: code.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::stop_two_factor(&body).await {
                Ok(()) => {
                    password.set(String::new());
                    code.set(String::new());
                    codes.set(None);
                    auth.me.update(|m| {
                        if let Some(m) = m {
                            m.two_factor = false;
                        }
                    });
                }
                Err(e) => show(e),
            }
            busy.set(false);
        });
    };
    let grouped = |s: &str| {
        s.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    view! {
        <section class="card" aria-labelledby="two-factor-heading" id="two-factor">
            <h2 id="two-factor-heading">{t!(en: "Two-step sign-in", fr: "Connexion en deux étapes")}</h2>
            <p>{move || if on.get() {
                t!(en: "On: signing in asks for your password and a code from your authenticator app.",
                   fr: "Activée : la connexion demande votre mot de passe et un code de votre application d’authentification.")
            } else if agent {
                t!(en: "Off. Support reveals customers' secrets only with two-step sign-in: turn it on with an authenticator app (for example Microsoft Authenticator, Google Authenticator or 1Password).",
                   fr: "Désactivée. Le support n’affiche les secrets des clients qu’avec la connexion en deux étapes : activez-la avec une application d’authentification (par exemple Microsoft Authenticator, Google Authenticator ou 1Password).")
            } else {
                t!(en: "Off. With it on, a stolen password alone does not open your account: signing in also asks for a code from an authenticator app on your phone.",
                   fr: "Désactivée. Activée, un mot de passe volé ne suffit plus à ouvrir votre compte : la connexion demande aussi un code d’une application d’authentification sur votre téléphone.")
            }}</p>
            {move || error.get().map(|m| view! { <ErrorNote message=m/> })}
            {move || codes.get().map(|list| {
                let all = list.join("\n");
                view! {
                    <div class="note note-success" role="status">
                        <p><strong>{t!(en: "Two-step sign-in is on. Keep these recovery codes somewhere safe:", fr: "La connexion en deux étapes est activée. Gardez ces codes de secours en lieu sûr :")}</strong></p>
                        <p>{t!(en: "each works once in place of a code if you lose your phone, and they are shown only now.", fr: "chacun remplace une fois un code si vous perdez votre téléphone, et ils ne sont affichés que maintenant.")}</p>
                        <ul class="recovery-codes" id="recovery-codes">{list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                        <CopyButton text=all label=t!(en: "Copy the codes", fr: "Copier les codes")/>
                    </div>
                }
            })}
            {move || match (on.get(), setup.get()) {
                (false, None) => view! {
                    <button type="button" class="button button-primary" id="two-factor-start" disabled=move || busy.get() on:click=start>
                        {t!(en: "Turn on two-step sign-in", fr: "Activer la connexion en deux étapes")}</button>
                }.into_any(),
                (false, Some(s)) => {
                    let size = s.qr_size.to_string();
                    view! {
                        <form class="form" on:submit=confirm novalidate>
                            <ol class="steps">
                                <li>{t!(en: "Scan this QR code with your authenticator app.", fr: "Scannez ce code QR avec votre application d’authentification.")}
                                    <svg class="qr" role="img" viewBox=format!("0 0 {size} {size}") width="200" height="200"
                                        aria-label=t!(en: "QR code for your authenticator app", fr: "Code QR pour votre application d’authentification")>
                                        <rect width=size.clone() height=size.clone() fill="#fff"/>
                                        <path d=s.qr_path.clone() fill="#000"/>
                                    </svg>
                                    <p class="hint">{t!(en: "Cannot scan? Type this key in the app instead:", fr: "Impossible de scanner ? Saisissez plutôt cette clé dans l’application :")}
                                        " "<code id="totp-secret" class="secret-key">{grouped(&s.secret)}</code></p>
                                </li>
                                <li>
                                    <label for="two-factor-code">{t!(en: "Type the 6-digit code the app shows", fr: "Saisissez le code à 6 chiffres affiché par l’application")}</label>
                                    <input id="two-factor-code" type="text" inputmode="numeric" autocomplete="one-time-code" bind:value=code/>
                                </li>
                            </ol>
                            <div><button type="submit" class="button button-primary" id="two-factor-confirm" disabled=move || busy.get()>
                                {t!(en: "Confirm and turn on", fr: "Confirmer et activer")}</button></div>
                        </form>
                    }.into_any()
                }
                (true, _) if agent => ().into_any(),
                (true, _) => view! {
                    <details class="turn-off">
                        <summary>{t!(en: "Turn two-step sign-in off", fr: "Désactiver la connexion en deux étapes")}</summary>
                        <form class="form" on:submit=turn_off novalidate>
                            <div class="field">
                                <label for="two-factor-password">{t!(en: "Your password", fr: "Votre mot de passe")}</label>
                                <input id="two-factor-password" type="password" autocomplete="current-password" bind:value=password/>
                            </div>
                            <div class="field">
                                <label for="two-factor-off-code">{t!(en: "A code from the app, or a recovery code", fr: "Un code de l’application, ou un code de secours")}</label>
                                <input id="two-factor-off-code" type="text" inputmode="numeric" autocomplete="one-time-code" bind:value=code/>
                            </div>
                            <div><button type="submit" class="button" id="two-factor-off" disabled=move || busy.get()>{t!(en: "Turn off", fr: "Désactiver")}</button></div>
                        </form>
                    </details>
                }.into_any(),
            }}
        </section>
    }
}
