//! Notifications: every event that should tell someone writes its e-mails into the outbox in the
//! same transaction as the event itself ([`Notifier::record`]); the delivery worker
//! (`crate::mailer`) sends them. Who is told is `portal_core::notify`; what the message says is
//! here, in each recipient's language: the subject starts with the case number, then the change in
//! one sentence, the new text when there is one, the response due when it applies, and the link to
//! the case. Never app credentials, access details or internal notes.

use chrono::{DateTime, Utc};
use portal_core::model::EntryKind;
use portal_core::notify::{self, CaseEvent};
use portal_core::{tr, trf, CaseStatus, Lang, Level};

use crate::db::cases::{Brief, Event};
use crate::db::followers::Person;
use crate::db::outbox::Mail;
use crate::db::sql::Connection;
use crate::db::{self, Account};
use crate::error::ApiResult;

/// What the notifications need to know about the deployment.
#[derive(Debug, Clone)]
pub struct Notifier {
    /// Where the portal is, for links (`https://support.example.edu`).
    pub public_url: String,
    /// The 24/7 line's addresses (from the deployment's escalation contacts).
    pub escalation: Vec<String>,
    /// The business calendars, for times in the case's region.
    pub clocks: std::sync::Arc<Vec<portal_core::clock::RegionClock>>,
}

/// The case event an entry of the timeline stands for, given the status before it (`None`: it
/// tells nobody — internal notes, secrets viewed or erased).
pub fn event_of(e: &Event, before: CaseStatus) -> Option<CaseEvent> {
    Some(match (e.kind, e.status) {
        (EntryKind::Comment | EntryKind::SolutionRejected, _) => CaseEvent::Comment,
        (EntryKind::Solution, _) => CaseEvent::SolutionProposed,
        (EntryKind::AccessRequest, _) => CaseEvent::AwaitingCustomer,
        (EntryKind::LevelChange, _) => CaseEvent::LevelChanged,
        (EntryKind::SecretsUpdated, _) => CaseEvent::AccessGiven,
        (EntryKind::Assignment, _) => CaseEvent::Assigned,
        (EntryKind::Status, Some(CaseStatus::Closed))
        | (EntryKind::SolutionAccepted, _)
        | (EntryKind::MovedToIdeas, _) => CaseEvent::Closed,
        (EntryKind::Status, Some(_)) if before == CaseStatus::Closed => CaseEvent::Reopened,
        (EntryKind::Status, Some(CaseStatus::AwaitingCustomer)) => CaseEvent::AwaitingCustomer,
        (EntryKind::Status, Some(_)) => CaseEvent::StatusChanged,
        (EntryKind::Status, None)
        | (EntryKind::Note, _)
        | (EntryKind::Corrected, _)
        | (EntryKind::SecretsViewed, _)
        | (EntryKind::SecretsErased, _) => return None,
    })
}

/// Escapes text for HTML (every piece of user text in the HTML alternative goes through this).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A random hex string (Message-ID parts).
fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    let _ = getrandom::fill(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A change to an account's security that its owner is told about by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityChange {
    /// Changed while signed in.
    PasswordChanged,
    /// Reset with an e-mailed link.
    PasswordReset,
    /// Two-step sign-in turned off.
    TwoFactorOff,
}

/// What a message says, before it is addressed.
struct Said {
    /// The change, short (subject).
    short: String,
    /// The change in one sentence.
    sentence: String,
    /// The new text, when there is one.
    text: Option<String>,
}

impl Notifier {
    fn host(&self) -> &str {
        let rest = self
            .public_url
            .split_once("://")
            .map_or(self.public_url.as_str(), |(_, r)| r);
        rest.split(['/', ':']).next().unwrap_or("portal")
    }

    fn link(&self, number: &str) -> String {
        format!("{}/cases/{number}", self.public_url.trim_end_matches('/'))
    }

    /// A new Message-ID, stable for the message's life in the outbox.
    fn message_id(&self, number: &str) -> String {
        format!(
            "<{}.{}@{}>",
            number.to_ascii_lowercase(),
            random_hex(8),
            self.host()
        )
    }

    /// A time in the case's support region, with its zone.
    fn when(&self, t: DateTime<Utc>, region: &str) -> String {
        match self.clocks.iter().find(|c| c.region.id == region) {
            Some(c) => format!(
                "{} ({})",
                t.with_timezone(&c.tz()).format("%Y-%m-%d %H:%M"),
                c.region.time_zone
            ),
            None => format!("{} (UTC)", t.format("%Y-%m-%d %H:%M")),
        }
    }

    fn said(&self, event: CaseEvent, e: &Event, actor: &str, b: &Brief, lang: Lang) -> Said {
        let n = &b.number;
        let level = |l: Level| l.as_str();
        let body = (!e.body.trim().is_empty()).then(|| e.body.to_string());
        match event {
            CaseEvent::Comment => Said {
                short: tr!(lang, en: "New update", fr: "Nouveau message").into(),
                sentence: trf!(lang, en: "{actor} added an update to case {n}.", fr: "{actor} a ajouté un message au dossier {n}."),
                text: body,
            },
            CaseEvent::AwaitingCustomer => Said {
                short: tr!(lang, en: "Support needs your answer", fr: "Le support attend votre réponse").into(),
                sentence: trf!(lang, en: "Support needs an answer from you on case {n}.", fr: "Le support attend une réponse de votre part sur le dossier {n}."),
                text: body,
            },
            CaseEvent::SolutionProposed => Said {
                short: tr!(lang, en: "Solution proposed", fr: "Solution proposée").into(),
                sentence: trf!(lang, en: "{actor} proposed a solution on case {n}: accept it, or reply if it does not solve the problem.", fr: "{actor} a proposé une solution sur le dossier {n} : acceptez-la, ou répondez si elle ne résout pas le problème."),
                text: body,
            },
            CaseEvent::StatusChanged => {
                let status = b.status.label(lang);
                Said {
                    short: status.to_string(),
                    sentence: trf!(lang, en: "Case {n} is now: {status}.", fr: "Le dossier {n} est maintenant : {status}."),
                    text: None,
                }
            }
            CaseEvent::LevelChanged => {
                let (from, to) = e
                    .level
                    .map_or(("?", level(b.level)), |(f, t)| (level(f), level(t)));
                Said {
                    short: trf!(lang, en: "Level {from} → {to}", fr: "Niveau {from} → {to}"),
                    sentence: trf!(lang, en: "{actor} changed the level of case {n} from {from} to {to}.", fr: "{actor} a changé le niveau du dossier {n} de {from} à {to}."),
                    text: body,
                }
            }
            CaseEvent::Closed if e.kind == EntryKind::MovedToIdeas => {
                let r = e.body;
                Said {
                    short: tr!(lang, en: "Moved to the Ideas Exchange", fr: "Déplacé vers l’Ideas Exchange").into(),
                    sentence: trf!(lang, en: "{actor} moved case {n} to the Ideas Exchange as {r}: it reads like new functionality, which the product team reviews there. The case is closed.", fr: "{actor} a déplacé le dossier {n} vers l’Ideas Exchange sous {r} : il ressemble à une nouvelle fonctionnalité, que l’équipe produit y examine. Le dossier est clôturé."),
                    text: None,
                }
            }
            CaseEvent::Closed if e.kind == EntryKind::SolutionAccepted => Said {
                short: tr!(lang, en: "Solution accepted", fr: "Solution acceptée").into(),
                sentence: trf!(lang, en: "{actor} accepted the proposed solution, which closed case {n}.", fr: "{actor} a accepté la solution proposée, ce qui a clôturé le dossier {n}."),
                text: None,
            },
            CaseEvent::Closed => Said {
                short: tr!(lang, en: "Closed", fr: "Clôturé").into(),
                sentence: trf!(lang, en: "{actor} closed case {n}.", fr: "{actor} a clôturé le dossier {n}."),
                text: None,
            },
            CaseEvent::Reopened => Said {
                short: tr!(lang, en: "Reopened", fr: "Rouvert").into(),
                sentence: trf!(lang, en: "{actor} reopened case {n}.", fr: "{actor} a rouvert le dossier {n}."),
                text: None,
            },
            CaseEvent::AccessGiven => Said {
                short: tr!(lang, en: "Access given", fr: "Accès donné").into(),
                sentence: trf!(lang, en: "{actor} gave the access support asked for on case {n} (sealed; reveal it on the case).", fr: "{actor} a donné l’accès demandé par le support sur le dossier {n} (scellé ; affichez-le sur le dossier)."),
                text: None,
            },
            CaseEvent::Assigned if e.body.is_empty() => Said {
                short: tr!(lang, en: "Unassigned", fr: "Attribution retirée").into(),
                sentence: trf!(lang, en: "Nobody at support has case {n} now.", fr: "Personne au support n’a plus le dossier {n}."),
                text: None,
            },
            CaseEvent::Assigned => {
                let who = e.body;
                Said {
                    short: trf!(lang, en: "Assigned to {who}", fr: "Attribué à {who}"),
                    sentence: trf!(lang, en: "{who} at support has case {n} now.", fr: "{who} a maintenant le dossier {n} au support."),
                    text: None,
                }
            }
            CaseEvent::Added => Said {
                short: tr!(lang, en: "You follow this case", fr: "Vous suivez ce dossier").into(),
                sentence: trf!(lang, en: "{actor} added you to case {n}: you will hear about it as it changes.", fr: "{actor} vous a ajouté au dossier {n} : vous serez informé de ses changements."),
                text: None,
            },
        }
    }

    /// The message for one recipient.
    fn compose(
        &self,
        event: &str,
        said: Said,
        b: &Brief,
        case_id: i64,
        to: &str,
        lang: Lang,
    ) -> Mail {
        let n = &b.number;
        let subject = format!("[{n}] {}: {}", said.short, b.subject);
        let link = self.link(n);
        let waiting = b.status.is_open() && b.first_response_at.is_none();
        let due = waiting.then(|| {
            let (when, level) = (self.when(b.due, &b.region), b.level.as_str());
            trf!(lang, en: "Support's response is due by {when} (Level {level}).", fr: "La réponse du support est attendue au plus tard le {when} (niveau {level}).")
        });
        let open = trf!(lang, en: "Open the case: {link}", fr: "Ouvrir le dossier : {link}");
        let why = tr!(lang,
            en: "You receive this because you opened, follow or handle this case. Choose what you receive on your account page in the portal.",
            fr: "Vous recevez ce message parce que vous avez ouvert, suivez ou traitez ce dossier. Choisissez ce que vous recevez sur la page de votre compte dans le portail.");
        let mut text = format!("{}\n\n", said.sentence);
        let mut html = format!(
            "<!doctype html><html lang=\"{}\"><body style=\"font-family: system-ui, sans-serif; line-height: 1.5\"><p>{}</p>",
            lang.code(),
            escape(&said.sentence)
        );
        if let Some(t) = &said.text {
            text.push_str(&t.lines().map(|l| format!("> {l}\n")).collect::<String>());
            text.push('\n');
            html.push_str(&format!(
                "<blockquote style=\"white-space: pre-wrap; border-left: 4px solid #c9cfd8; margin: 0; padding-left: 1em\">{}</blockquote>",
                escape(t)
            ));
        }
        if let Some(d) = &due {
            text.push_str(&format!("{d}\n\n"));
            html.push_str(&format!("<p>{}</p>", escape(d)));
        }
        text.push_str(&format!("{open}\n\n-- \n{why}\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p><hr><p style=\"color: #4a5363; font-size: 0.9em\">{}</p></body></html>",
            escape(&link),
            escape(&trf!(lang, en: "Open case {n}", fr: "Ouvrir le dossier {n}")),
            escape(why)
        ));
        Mail {
            recipient: to.to_string(),
            case_id: Some(case_id),
            event: event.to_string(),
            subject,
            text,
            html,
            message_id: self.message_id(n),
        }
    }

    /// Records `e` on case `case_id` (the status before it: `before`) and writes the e-mails it
    /// causes into the outbox, in the caller's transaction. Answers the event's id.
    pub fn record(
        &self,
        conn: &Connection,
        case_id: i64,
        actor: &Account,
        e: &Event,
        before: CaseStatus,
        now: DateTime<Utc>,
    ) -> ApiResult<i64> {
        let id = db::cases::record(conn, case_id, actor, e, now)?;
        if let Some(event) = event_of(e, before) {
            let people = db::followers::connected(conn, case_id)?;
            let candidates: Vec<_> = people.iter().map(|p| p.candidate.clone()).collect();
            let told = notify::recipients(&candidates, event, actor.id);
            let brief = db::cases::brief(conn, case_id)?;
            for p in people.iter().filter(|p| told.contains(&p.candidate.id)) {
                self.send(conn, event, e, &actor.user.name, &brief, case_id, p, now)?;
            }
        }
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    fn send(
        &self,
        conn: &Connection,
        event: CaseEvent,
        e: &Event,
        actor: &str,
        brief: &Brief,
        case_id: i64,
        to: &Person,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let said = self.said(event, e, actor, brief, to.lang);
        let mail = self.compose(event.as_str(), said, brief, case_id, &to.email, to.lang);
        db::outbox::enqueue(conn, &mail, now)?;
        Ok(())
    }

    /// Tells `who` that `by` added them to case `case_id` (unless they want no e-mail).
    pub fn added(
        &self,
        conn: &Connection,
        case_id: i64,
        who: i64,
        by: &Account,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let Some(p) = db::followers::person(conn, who)? else {
            return Ok(());
        };
        if notify::is_told(&p.candidate, CaseEvent::Added, by.id) {
            let brief = db::cases::brief(conn, case_id)?;
            let e = Event::new(EntryKind::Comment, "");
            self.send(
                conn,
                CaseEvent::Added,
                &e,
                &by.user.name,
                &brief,
                case_id,
                &p,
                now,
            )?;
        }
        Ok(())
    }

    /// Sends a user-experience consultation request to the institution's account manager (through
    /// the outbox, in the caller's transaction), with the 6-week lead-time warning when the desired
    /// start is earlier; the reply goes to the person who asked.
    #[allow(clippy::too_many_arguments)]
    pub fn consultation(
        &self,
        conn: &Connection,
        by: &Account,
        reference: &str,
        what: &str,
        desired: chrono::NaiveDate,
        early: bool,
        earliest: chrono::NaiveDate,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let Some(inst) = &by.institution else {
            return Ok(());
        };
        let (who, email, name) = (&by.user.name, &by.user.email, &inst.name);
        let lang = Lang::En;
        let subject = trf!(lang,
            en: "[{reference}] User-experience consultation: {name}",
            fr: "[{reference}] Consultation sur l’expérience utilisateur : {name}");
        let sentence = trf!(lang,
            en: "{who} ({email}, {name}) asks for a consultation on a user-experience redesign, to start on {desired}.",
            fr: "{who} ({email}, {name}) demande une consultation pour une refonte de l’expérience utilisateur, à commencer le {desired}.");
        let warning = early.then(|| trf!(lang,
            en: "The desired start leaves less than the recommended 6 weeks' lead time (earliest recommended start: {earliest}).",
            fr: "Le début souhaité laisse moins que les 6 semaines de délai recommandées (début recommandé au plus tôt : {earliest})."));
        let after = tr!(lang,
            en: "Reply to this message to reach them; mark it acknowledged in the portal's Sent elsewhere list so they see it arrived.",
            fr: "Répondez à ce message pour les joindre ; marquez-le comme reçu dans la liste « Envoyé ailleurs » du portail pour qu’ils voient qu’il est arrivé.");
        let link = format!("{}/sent", self.public_url.trim_end_matches('/'));
        let mut text = format!("{sentence}\n\n");
        text.push_str(&what.lines().map(|l| format!("> {l}\n")).collect::<String>());
        text.push('\n');
        let mut html = format!(
            "<!doctype html><html lang=\"{}\"><body style=\"font-family: system-ui, sans-serif; line-height: 1.5\"><p>{}</p><blockquote style=\"white-space: pre-wrap; border-left: 4px solid #c9cfd8; margin: 0; padding-left: 1em\">{}</blockquote>",
            lang.code(),
            escape(&sentence),
            escape(what)
        );
        if let Some(w) = &warning {
            text.push_str(&format!("{w}\n\n"));
            html.push_str(&format!("<p><strong>{}</strong></p>", escape(w)));
        }
        text.push_str(&format!("{after}\n{link}\n"));
        html.push_str(&format!(
            "<p>{}</p><p><a href=\"{}\">{}</a></p></body></html>",
            escape(after),
            escape(&link),
            escape(&link)
        ));
        let mail = db::outbox::Mail {
            recipient: inst.account_manager.email.clone(),
            case_id: None,
            event: "consultation".into(),
            subject,
            text,
            html,
            message_id: self.message_id(reference),
        };
        db::outbox::enqueue(conn, &mail, now)?;
        Ok(())
    }

    /// An e-mail that carries one link (an invitation, a password reset), in `lang`, written to
    /// the outbox in the caller's transaction.
    #[allow(clippy::too_many_arguments)]
    fn link_mail(
        &self,
        conn: &Connection,
        event: &str,
        to: &str,
        lang: Lang,
        subject: String,
        sentence: String,
        (label, link): (String, String),
        after: String,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let text = format!("{sentence}\n\n{label}:\n{link}\n\n-- \n{after}\n");
        let html = format!(
            "<!doctype html><html lang=\"{}\"><body style=\"font-family: system-ui, sans-serif; line-height: 1.5\"><p>{}</p>\
             <p><a href=\"{}\">{}</a></p><hr><p style=\"color: #4a5363; font-size: 0.9em\">{}</p></body></html>",
            lang.code(),
            escape(&sentence),
            escape(&link),
            escape(&label),
            escape(&after)
        );
        let mail = db::outbox::Mail {
            recipient: to.to_string(),
            case_id: None,
            event: event.into(),
            subject,
            text,
            html,
            message_id: self.message_id(event),
        };
        db::outbox::enqueue(conn, &mail, now)?;
        Ok(())
    }

    /// Tells a person that their account's security changed (their password, or two-step
    /// sign-in turned off), so a change they did not make does not go unnoticed.
    pub fn security_notice(
        &self,
        conn: &Connection,
        user: i64,
        to: &str,
        change: SecurityChange,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let lang = db::accounts::preferences(conn, user)?.lang;
        let when = format!("{} UTC", now.format("%Y-%m-%d %H:%M"));
        let (subject, sentence) = match change {
            SecurityChange::PasswordChanged => (
                tr!(lang, en: "Your campusM Support Portal password was changed", fr: "Le mot de passe de votre compte du portail de support campusM a été changé"),
                trf!(lang, en: "The password of your campusM Support Portal account was changed on {when}.", fr: "Le mot de passe de votre compte du portail de support campusM a été changé le {when}."),
            ),
            SecurityChange::PasswordReset => (
                tr!(lang, en: "Your campusM Support Portal password was reset", fr: "Le mot de passe de votre compte du portail de support campusM a été réinitialisé"),
                trf!(lang, en: "The password of your campusM Support Portal account was reset with an e-mailed link on {when}; every other session was signed out.", fr: "Le mot de passe de votre compte du portail de support campusM a été réinitialisé par un lien envoyé par e-mail le {when} ; toutes les autres sessions ont été fermées."),
            ),
            SecurityChange::TwoFactorOff => (
                tr!(lang, en: "Two-step sign-in was turned off on your campusM Support Portal account", fr: "La connexion en deux étapes a été désactivée sur votre compte du portail de support campusM"),
                trf!(lang, en: "Two-step sign-in was turned off on your campusM Support Portal account on {when}.", fr: "La connexion en deux étapes a été désactivée sur votre compte du portail de support campusM le {when}."),
            ),
        };
        self.link_mail(
            conn,
            "security",
            to,
            lang,
            subject.into(),
            sentence,
            (
                tr!(lang, en: "Review your account", fr: "Vérifier votre compte").into(),
                format!("{}/account", self.public_url.trim_end_matches('/')),
            ),
            tr!(lang,
                en: "If this was you, there is nothing to do. If it was not, use “Forgot your password?” on the sign-in page at once, and tell your institution's administrator.",
                fr: "Si c’était vous, il n’y a rien à faire. Sinon, utilisez aussitôt « Mot de passe oublié ? » sur la page de connexion, et prévenez l’administrateur de votre établissement.").into(),
            now,
        )
    }

    /// Invites `to` to `institution` on behalf of `by` (in `by`'s language), with the
    /// single-use `token` (valid until `expires`).
    #[allow(clippy::too_many_arguments)]
    pub fn invitation(
        &self,
        conn: &Connection,
        to: &str,
        (by, lang): (&str, Lang),
        institution: &str,
        membership: portal_core::account::Membership,
        token: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let until = format!("{} UTC", expires.format("%Y-%m-%d %H:%M"));
        let role = membership.label(lang);
        let link = format!("{}/join#{token}", self.public_url.trim_end_matches('/'));
        self.link_mail(
            conn,
            "invitation",
            to,
            lang,
            trf!(lang,
                en: "{by} invites you to the campusM Support Portal ({institution})",
                fr: "{by} vous invite sur le portail de support campusM ({institution})"),
            trf!(lang,
                en: "{by} invites you to the campusM Support Portal of {institution}, as {role}. There you open and follow support cases for your institution's campusM app.",
                fr: "{by} vous invite sur le portail de support campusM de {institution}, en tant que {role}. Vous y ouvrez et suivez les dossiers de support de l’application campusM de votre établissement."),
            (tr!(lang, en: "Set your name and password", fr: "Choisir votre nom et votre mot de passe").into(), link),
            trf!(lang,
                en: "The link works once, until {until}. If you did not expect this, ignore it: no account is made without it.",
                fr: "Le lien fonctionne une fois, jusqu’au {until}. Si vous ne l’attendiez pas, ignorez-le : aucun compte n’est créé sans lui."),
            now,
        )
    }

    /// Sends `to` a password-reset link with the single-use `token` (valid until `expires`).
    pub fn password_reset(
        &self,
        conn: &Connection,
        to: &str,
        lang: Lang,
        token: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let until = format!("{} UTC", expires.format("%Y-%m-%d %H:%M"));
        let link = format!(
            "{}/reset-password#{token}",
            self.public_url.trim_end_matches('/')
        );
        self.link_mail(
            conn,
            "password_reset",
            to,
            lang,
            tr!(lang, en: "Reset your campusM Support Portal password", fr: "Réinitialisez votre mot de passe du portail de support campusM").into(),
            tr!(lang,
                en: "Someone, hopefully you, asked to reset the password of your campusM Support Portal account.",
                fr: "Quelqu’un, sans doute vous, a demandé à réinitialiser le mot de passe de votre compte du portail de support campusM.").into(),
            (tr!(lang, en: "Choose a new password", fr: "Choisir un nouveau mot de passe").into(), link),
            trf!(lang,
                en: "The link works once, until {until}; choosing a new password signs you out everywhere else. If you did not ask, ignore this message: your password stays as it is.",
                fr: "Le lien fonctionne une fois, jusqu’au {until} ; choisir un nouveau mot de passe vous déconnecte partout ailleurs. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas."),
            now,
        )
    }

    /// Alerts the 24/7 line that a customer raised case `case_id` to a production-down level, in
    /// parallel to the case (the escalation policy, built in).
    pub fn escalated(
        &self,
        conn: &Connection,
        case_id: i64,
        by: &Account,
        reason: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let b = db::cases::brief(conn, case_id)?;
        let lang = Lang::En;
        let (n, level, who, inst) = (&b.number, b.level.as_str(), &by.user.name, &b.institution);
        let said = Said {
            short: trf!(lang, en: "ESCALATION Level {level}", fr: "ESCALADE niveau {level}"),
            sentence: trf!(lang,
                en: "{who} ({inst}) escalated case {n} to Level {level} and asks the 24/7 line to act now.",
                fr: "{who} ({inst}) a escaladé le dossier {n} au niveau {level} et demande à la ligne 24 h/24 d’agir maintenant."),
            text: Some(reason.to_string()),
        };
        let mut sent = Vec::new();
        for to in &self.escalation {
            let key = to.to_lowercase();
            if sent.contains(&key) {
                continue;
            }
            let said = Said {
                short: said.short.clone(),
                sentence: said.sentence.clone(),
                text: said.text.clone(),
            };
            let mail = self.compose("escalation", said, &b, case_id, to, lang);
            db::outbox::enqueue(conn, &mail, now)?;
            sent.push(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_never_reaches_html_as_markup() {
        assert_eq!(
            escape("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn each_timeline_entry_tells_what_it_should() {
        let e = |kind, status| Event {
            status,
            ..Event::new(kind, "x")
        };
        use CaseStatus::*;
        assert_eq!(event_of(&e(EntryKind::Note, None), InProgress), None);
        assert_eq!(
            event_of(&e(EntryKind::SecretsViewed, None), InProgress),
            None
        );
        assert_eq!(
            event_of(&e(EntryKind::Status, Some(InProgress)), Closed),
            Some(CaseEvent::Reopened)
        );
        assert_eq!(
            event_of(&e(EntryKind::Status, Some(Closed)), SolutionProposed),
            Some(CaseEvent::Closed)
        );
        assert_eq!(
            event_of(
                &e(EntryKind::SolutionAccepted, Some(Closed)),
                SolutionProposed
            ),
            Some(CaseEvent::Closed)
        );
        assert_eq!(
            event_of(
                &e(EntryKind::AccessRequest, Some(AwaitingCustomer)),
                InProgress
            ),
            Some(CaseEvent::AwaitingCustomer)
        );
    }
}
