//! Field-by-field validation of a new support case, with messages written for the customer.
//!
//! The portal runs this as the customer types; the API runs it again on submit and answers
//! 422 with the same messages, so both always agree.

use crate::attachment::Limits;
use crate::model::{FieldError, NewCase};
use crate::text::{self, has_visible, Shape};
use crate::{tr, trf, Lang, Level, RequestKind};

/// Longest subject, in characters.
pub const SUBJECT_MAX: usize = 200;
/// Longest description and scenario fields, in characters.
pub const TEXT_MAX: usize = 20_000;
/// Longest single-line field (credentials, product area), in characters.
pub const LINE_MAX: usize = 500;
/// The most attachments a deployment may allow on one case or one update (its configured
/// [`Limits::max_files`] is at most this).
pub const ATTACHMENTS_MAX: usize = 10;
/// Longest comment, in characters.
pub const COMMENT_MAX: usize = 20_000;
/// Most colleagues added when a case is opened.
pub const FOLLOWERS_MAX: usize = 20;
/// The frequency values the form offers.
pub const FREQUENCIES: [&str; 3] = ["every_time", "intermittent", "once"];

/// How a frequency value reads in the form.
pub fn frequency_label(value: &str, lang: Lang) -> &'static str {
    match value {
        "every_time" => tr!(lang, en: "Every time", fr: "À chaque fois"),
        "intermittent" => tr!(lang, en: "Intermittently", fr: "Par intermittence"),
        "once" => tr!(lang, en: "It happened once", fr: "C’est arrivé une fois"),
        _ => "",
    }
}

/// What validation needs to know about who is submitting, and the deployment's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Context {
    /// The institution runs a local Connect Layer.
    pub has_connect_layer: bool,
    /// The deployment's attachment limits (the same for a new case and for an update).
    pub limits: Limits,
    /// The institution's support access profile holds app credentials.
    pub profile_credentials: bool,
    /// The institution's support access profile holds Connect Layer access.
    pub profile_connect_layer: bool,
}

/// Whether the case needs working app credentials: defect reports at levels I–III.
pub fn needs_credentials(kind: RequestKind, level: Level) -> bool {
    kind == RequestKind::Defect && level != Level::IV
}

/// Whether the case needs a scenario (steps to reproduce): defect reports.
pub fn needs_scenario(kind: RequestKind) -> bool {
    kind == RequestKind::Defect
}

/// Whether the case needs remote access to the local Connect Layer: defect reports from an
/// institution that has one (support reproduces defects through it).
pub fn needs_connect_layer_access(kind: RequestKind, ctx: Context) -> bool {
    kind == RequestKind::Defect && ctx.has_connect_layer
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Adds an error when `value` is longer than `max`; `label` names the field in `lang`, as the
/// start of a sentence ("The description", "La description").
fn check_len(
    errors: &mut Vec<FieldError>,
    lang: Lang,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) {
    let n = chars(value);
    if n > max {
        errors.push(FieldError::new(
            field,
            trf!(lang,
                en: "{label} is {n} characters long; the limit is {max}. Shorten it, or attach the rest as a file.",
                fr: "{label} fait {n} caractères ; la limite est de {max}. Raccourcissez le texte, ou joignez le reste dans un fichier."),
        ));
    }
}

/// Adds an error when `value` holds a character people cannot see or that reorders the text
/// ([`text::check`]), or else when it is longer than `max`.
fn check_text(
    errors: &mut Vec<FieldError>,
    lang: Lang,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
    shape: Shape,
) {
    match text::check(label, value, shape, lang) {
        Some(m) => errors.push(FieldError::new(field, m)),
        None => check_len(errors, lang, field, label, value, max),
    }
}

/// One required text: what [`text::check`] refuses, else `empty` when nothing visible is in it,
/// else `too_long(n)` past `max` characters.
fn required(
    label: &str,
    value: &str,
    shape: Shape,
    max: usize,
    lang: Lang,
    empty: &str,
    too_long: impl FnOnce(usize) -> String,
) -> Option<String> {
    let n = chars(value);
    if let Some(m) = text::check(label, value, shape, lang) {
        Some(m)
    } else if !has_visible(value) {
        Some(empty.into())
    } else if n > max {
        Some(too_long(n))
    } else {
        None
    }
}

/// Validates the subject on its own (used while typing).
pub fn subject(value: &str, lang: Lang) -> Option<String> {
    required(
        tr!(lang, en: "The subject", fr: "L’objet"),
        value,
        Shape::Line,
        SUBJECT_MAX,
        lang,
        tr!(lang,
            en: "Enter a subject: one line that says what is wrong or what you need.",
            fr: "Saisissez un objet : une ligne qui dit ce qui ne va pas ou ce dont vous avez besoin."),
        |n| {
            trf!(lang,
            en: "The subject is {n} characters long; keep it to {SUBJECT_MAX} and put details in the description.",
            fr: "L’objet fait {n} caractères ; limitez-le à {SUBJECT_MAX} et mettez les détails dans la description.")
        },
    )
}

/// Validates a whole new case. An empty result means it can be submitted.
pub fn new_case(case: &NewCase, ctx: Context, lang: Lang) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !case.kind.is_support_case() {
        errors.push(FieldError::new(
            "kind",
            tr!(lang,
                en: "Integration and redesign requests are not support cases: use the Ideas Exchange or contact your account manager.",
                fr: "Les demandes d’intégration et de refonte ne sont pas des dossiers de support : utilisez l’Ideas Exchange ou contactez votre responsable de compte."),
        ));
    }
    if let Some(m) = crate::level::refused(case.kind, case.environment, case.level, lang) {
        errors.push(FieldError::new("level", m));
    }
    if let Some(m) = subject(&case.subject, lang) {
        errors.push(FieldError::new("subject", m));
    }
    if !has_visible(&case.description) {
        errors.push(FieldError::new(
            "description",
            tr!(lang,
                en: "Describe what is happening: what you see, since when, and who is affected.",
                fr: "Décrivez ce qui se passe : ce que vous voyez, depuis quand, et qui est concerné."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "description",
        tr!(lang, en: "The description", fr: "La description"),
        &case.description,
        TEXT_MAX,
        Shape::Lines,
    );
    check_text(
        &mut errors,
        lang,
        "product_area",
        tr!(lang, en: "The product area", fr: "Le domaine du produit"),
        &case.product_area,
        LINE_MAX,
        Shape::Line,
    );
    if needs_scenario(case.kind) && !has_visible(&case.scenario.steps) {
        errors.push(FieldError::new(
            "scenario.steps",
            tr!(lang,
                en: "List the steps that reproduce the problem, so support can see it for themselves.",
                fr: "Indiquez les étapes qui reproduisent le problème, pour que le support le constate par lui-même."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "scenario.steps",
        tr!(lang, en: "The steps", fr: "La liste des étapes"),
        &case.scenario.steps,
        TEXT_MAX,
        Shape::Lines,
    );
    check_text(
        &mut errors,
        lang,
        "scenario.expected",
        tr!(lang, en: "The expected result", fr: "Le résultat attendu"),
        &case.scenario.expected,
        TEXT_MAX,
        Shape::Lines,
    );
    check_text(
        &mut errors,
        lang,
        "scenario.actual",
        tr!(lang, en: "The actual result", fr: "Le résultat obtenu"),
        &case.scenario.actual,
        TEXT_MAX,
        Shape::Lines,
    );
    if !case.frequency.is_empty() && !FREQUENCIES.contains(&case.frequency.as_str()) {
        errors.push(FieldError::new(
            "frequency",
            tr!(lang,
                en: "Choose how often it happens from the list.",
                fr: "Choisissez dans la liste à quelle fréquence cela se produit."),
        ));
    }
    let creds = case.credentials.as_ref();
    let from_profile = |has: bool| case.use_access_profile && has;
    if case.use_access_profile && !ctx.profile_credentials && !ctx.profile_connect_layer {
        errors.push(FieldError::new(
            "use_access_profile",
            tr!(lang,
                en: "Your institution has no support access profile yet: give the details here, or keep a profile first.",
                fr: "Votre établissement n’a pas encore de profil d’accès pour le support : donnez les informations ici, ou créez d’abord un profil."),
        ));
    }
    if needs_credentials(case.kind, case.level)
        && !(from_profile(ctx.profile_credentials)
            && creds.is_none_or(|c| c.username.is_empty() && c.password.is_empty()))
    {
        match creds {
            Some(c) if c.is_complete() => {}
            Some(c) if !has_visible(&c.username) && !c.password.is_empty() => errors.push(
                FieldError::new("credentials.username", tr!(lang,
                    en: "Enter the app user name that goes with the password.",
                    fr: "Saisissez le nom d’utilisateur de l’application qui va avec le mot de passe.")),
            ),
            Some(c) if has_visible(&c.username) => errors.push(FieldError::new(
                "credentials.password",
                tr!(lang,
                    en: "Enter the password of the app account, so support can sign in and reproduce the problem.",
                    fr: "Saisissez le mot de passe du compte de l’application, pour que le support puisse se connecter et reproduire le problème."),
            )),
            _ => errors.push(FieldError::new(
                "credentials.username",
                tr!(lang,
                    en: "Give working app credentials (user name and password) so support can reproduce the problem.",
                    fr: "Donnez des identifiants de l’application qui fonctionnent (nom d’utilisateur et mot de passe) pour que le support puisse reproduire le problème."),
            )),
        }
    }
    if let Some(c) = creds {
        check_text(
            &mut errors,
            lang,
            "credentials.username",
            tr!(lang, en: "The user name", fr: "Le nom d’utilisateur"),
            &c.username,
            LINE_MAX,
            Shape::Line,
        );
        check_len(
            &mut errors,
            lang,
            "credentials.password",
            tr!(lang, en: "The password", fr: "Le mot de passe"),
            &c.password,
            LINE_MAX,
        );
    }
    if needs_connect_layer_access(case.kind, ctx)
        && !has_visible(&case.connect_layer_access)
        && !from_profile(ctx.profile_connect_layer)
    {
        errors.push(FieldError::new(
            "connect_layer_access",
            tr!(lang,
                en: "Describe how support can reach your local Connect Layer remotely (VPN, host, account).",
                fr: "Décrivez comment le support peut accéder à distance à votre Connect Layer local (VPN, hôte, compte)."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "connect_layer_access",
        tr!(lang, en: "The remote access details", fr: "La description de l’accès à distance"),
        &case.connect_layer_access,
        TEXT_MAX,
        Shape::Lines,
    );
    if let Some(m) = attachment_count(case.attachments.len(), ctx.limits, lang) {
        errors.push(FieldError::new("attachments", m));
    }
    if case.followers.len() > FOLLOWERS_MAX {
        errors.push(FieldError::new(
            "followers",
            trf!(lang,
                en: "Add at most {FOLLOWERS_MAX} colleagues when opening a case.",
                fr: "Ajoutez au plus {FOLLOWERS_MAX} collègues à l’ouverture d’un dossier."),
        ));
    }
    errors
}

/// Validates an Ideas Exchange hand-off.
pub fn routing(r: &crate::model::NewRouting, lang: Lang) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !has_visible(&r.title) {
        errors.push(FieldError::new(
            "title",
            tr!(lang, en: "Give your idea a short title.", fr: "Donnez un titre court à votre idée."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "title",
        tr!(lang, en: "The title", fr: "Le titre"),
        &r.title,
        SUBJECT_MAX,
        Shape::Line,
    );
    if !has_visible(&r.description) {
        errors.push(FieldError::new(
            "description",
            tr!(lang,
                en: "Describe the idea, ideally as a user story: as a …, I want …, so that ….",
                fr: "Décrivez l’idée, de préférence comme un récit utilisateur : en tant que …, je veux …, afin de …."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "description",
        tr!(lang, en: "The description", fr: "La description"),
        &r.description,
        TEXT_MAX,
        Shape::Lines,
    );
    errors
}

/// Validates an account-manager consultation request made on `today` (the desired start may not
/// be in the past; whether it leaves the recommended lead time is [`crate::kind::before_lead_time`],
/// a warning, not an error).
pub fn consultation(
    c: &crate::model::NewConsultation,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !has_visible(&c.what) {
        errors.push(FieldError::new(
            "what",
            tr!(lang,
                en: "Describe what should change in the app's user experience.",
                fr: "Décrivez ce qui devrait changer dans l’expérience utilisateur de l’application."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "what",
        tr!(lang, en: "The description", fr: "La description"),
        &c.what,
        TEXT_MAX,
        Shape::Lines,
    );
    match c.desired_start {
        None => errors.push(FieldError::new(
            "desired_start",
            tr!(lang,
                en: "Choose the date you would like the project to start.",
                fr: "Choisissez la date à laquelle vous souhaitez que le projet commence."),
        )),
        Some(d) if d < today => errors.push(FieldError::new(
            "desired_start",
            tr!(lang,
                en: "The desired start is in the past; choose a future date.",
                fr: "Le début souhaité est dans le passé ; choisissez une date à venir."),
        )),
        Some(_) => {}
    }
    errors
}

/// Checks how many files go with one case or one update against the deployment's limit.
pub fn attachment_count(n: usize, limits: Limits, lang: Lang) -> Option<String> {
    let max = limits.max_files;
    (n > max).then(|| {
        let extra = n - max;
        trf!(lang,
            en: "Attach at most {max} files; remove {extra}.",
            fr: "Joignez au plus {max} fichiers ; retirez-en {extra}.")
    })
}

/// Longest reason for a level change, and message of an access request.
pub const REASON_MAX: usize = 2000;

/// Validates a level change by support: a new level and a reason the customer reads.
pub fn level_change(
    change: &crate::model::LevelChange,
    current: Level,
    lang: Lang,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if change.level == current {
        let l = current.as_str();
        errors.push(FieldError::new(
            "level",
            trf!(lang, en: "The case is already at Level {l}: choose another level.", fr: "Le dossier est déjà au niveau {l} : choisissez un autre niveau."),
        ));
    }
    if !has_visible(&change.reason) {
        errors.push(FieldError::new(
            "reason",
            tr!(lang,
                en: "Say why the level changes: the customer reads it on the case.",
                fr: "Dites pourquoi le niveau change : le client le lit sur le dossier."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "reason",
        tr!(lang, en: "The reason", fr: "La raison"),
        &change.reason,
        REASON_MAX,
        Shape::Lines,
    );
    errors
}

/// Validates a customer's escalation of a case of `kind` about `environment`: a higher level than
/// the case has (I is the highest) that such a request can have ([`crate::level::refused`]),
/// and a reason.
pub fn escalation(
    e: &crate::model::Escalation,
    current: Level,
    kind: RequestKind,
    environment: crate::model::Environment,
    lang: Lang,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(m) = crate::level::refused(kind, environment, e.level, lang) {
        errors.push(FieldError::new("level", m));
    } else if e.level >= current {
        let l = current.as_str();
        errors.push(FieldError::new(
            "level",
            trf!(lang,
                en: "Choose a more urgent level than the case's Level {l}.",
                fr: "Choisissez un niveau plus urgent que le niveau {l} du dossier."),
        ));
    }
    if !has_visible(&e.reason) {
        errors.push(FieldError::new(
            "reason",
            tr!(lang,
                en: "Say what makes it more urgent now: support reads it first.",
                fr: "Dites ce qui le rend plus urgent maintenant : le support le lit en premier."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "reason",
        tr!(lang, en: "The reason", fr: "La raison"),
        &e.reason,
        REASON_MAX,
        Shape::Lines,
    );
    errors
}

/// Validates support's request for secrets; the Connect Layer access only from an institution
/// that has one.
pub fn access_request(
    r: &crate::model::AccessRequest,
    has_connect_layer: bool,
    lang: Lang,
) -> Vec<FieldError> {
    use crate::secrets::SecretKind;
    let mut errors = Vec::new();
    if r.secrets.is_empty() {
        errors.push(FieldError::new(
            "secrets",
            tr!(lang,
                en: "Choose what you need: the app credentials, the Connect Layer access, or both.",
                fr: "Choisissez ce dont vous avez besoin : les identifiants de l’application, l’accès au Connect Layer, ou les deux."),
        ));
    }
    if r.secrets.contains(&SecretKind::ConnectLayer) && !has_connect_layer {
        errors.push(FieldError::new(
            "secrets",
            tr!(lang,
                en: "This institution has no local Connect Layer to give access to.",
                fr: "Cet établissement n’a pas de Connect Layer local auquel donner accès."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "message",
        tr!(lang, en: "The message", fr: "Le message"),
        &r.message,
        REASON_MAX,
        Shape::Lines,
    );
    errors
}

/// Validates a comment.
pub fn comment(body: &str, lang: Lang) -> Option<String> {
    required(
        tr!(lang, en: "The update", fr: "Le message"),
        body,
        Shape::Lines,
        COMMENT_MAX,
        lang,
        tr!(lang, en: "Write your update before sending it.", fr: "Écrivez votre message avant de l’envoyer."),
        |n| {
            trf!(lang,
            en: "The update is {n} characters long; the limit is {COMMENT_MAX}.",
            fr: "Le message fait {n} caractères ; la limite est de {COMMENT_MAX}.")
        },
    )
}

/// The link to an idea on the Ideas Exchange: one `https://` address with a host, nothing else;
/// `None` when it is fine.
pub fn idea_link(url: &str, lang: Lang) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return Some(
            tr!(lang,
            en: "Paste the idea's address from the Ideas Exchange (it starts with https://).",
            fr: "Collez l’adresse de l’idée sur l’Ideas Exchange (elle commence par https://).")
            .into(),
        );
    }
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    let fine = url.len() <= 2000
        && host.is_some_and(|h| h.contains('.') && !h.starts_with('.') && !h.ends_with('.'))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'));
    (!fine).then(|| {
        tr!(lang,
            en: "This is not a web address: paste the idea's address as the browser shows it, starting with https://.",
            fr: "Ce n’est pas une adresse web : collez l’adresse de l’idée telle que le navigateur l’affiche, en commençant par https://.").into()
    })
}

/// Validates a correction of an open case of `kind` at `level`: the environment must allow the
/// level (a sandbox is never Level I/II: lower the level first), the texts the usual rules, and a
/// defect keeps its steps.
pub fn correction(
    c: &crate::model::CaseCorrection,
    kind: RequestKind,
    level: Level,
    lang: Lang,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(env) = c.environment {
        if crate::level::refused(kind, env, level, lang).is_some() {
            let l = level.as_str();
            errors.push(FieldError::new(
                "environment",
                trf!(lang,
                    en: "This case is Level {l}, which is for production that is down; a sandbox problem is Level III at most. Ask support to lower the level first, or open a new case for the sandbox.",
                    fr: "Ce dossier est de niveau {l}, réservé à une production indisponible ; un problème en sandbox est au plus de niveau III. Demandez d’abord au support de baisser le niveau, ou ouvrez un nouveau dossier pour la sandbox."),
            ));
        }
    }
    if let Some(area) = &c.product_area {
        check_text(
            &mut errors,
            lang,
            "product_area",
            tr!(lang, en: "The product area", fr: "Le domaine du produit"),
            area,
            LINE_MAX,
            Shape::Line,
        );
    }
    if let Some(s) = &c.scenario {
        if needs_scenario(kind) && !has_visible(&s.steps) {
            errors.push(FieldError::new(
                "scenario.steps",
                tr!(lang,
                    en: "List the steps that reproduce the problem, so support can see it for themselves.",
                    fr: "Indiquez les étapes qui reproduisent le problème, pour que le support le constate par lui-même."),
            ));
        }
        for (field, label, value) in [
            (
                "scenario.steps",
                tr!(lang, en: "The steps", fr: "La liste des étapes"),
                &s.steps,
            ),
            (
                "scenario.expected",
                tr!(lang, en: "The expected result", fr: "Le résultat attendu"),
                &s.expected,
            ),
            (
                "scenario.actual",
                tr!(lang, en: "The actual result", fr: "Le résultat obtenu"),
                &s.actual,
            ),
        ] {
            check_text(
                &mut errors,
                lang,
                field,
                label,
                value,
                TEXT_MAX,
                Shape::Lines,
            );
        }
    }
    errors
}

/// The longest comment on a rating.
pub const RATING_COMMENT_MAX: usize = 2000;

/// Checks a rating of support's answer: a score from 1 to 5 and an optional comment.
pub fn rating(score: u8, comment: &str, lang: Lang) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !(1..=5).contains(&score) {
        errors.push(FieldError::new(
            "score",
            tr!(lang,
                en: "Choose from 1 (poor) to 5 (excellent).",
                fr: "Choisissez de 1 (insuffisant) à 5 (excellent)."),
        ));
    }
    check_text(
        &mut errors,
        lang,
        "comment",
        tr!(lang, en: "The comment", fr: "Le commentaire"),
        comment,
        RATING_COMMENT_MAX,
        Shape::Lines,
    );
    errors
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_correction_keeps_the_level_rule_and_the_steps() {
        use crate::model::{CaseCorrection, Environment, Scenario};
        use crate::{Lang, Level, RequestKind};
        let to_sandbox = CaseCorrection {
            environment: Some(Environment::Sandbox),
            ..CaseCorrection::default()
        };
        let fields =
            |e: Vec<crate::model::FieldError>| e.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(
            fields(super::correction(
                &to_sandbox,
                RequestKind::Defect,
                Level::II,
                Lang::En
            )),
            ["environment"]
        );
        assert!(
            super::correction(&to_sandbox, RequestKind::Defect, Level::III, Lang::En).is_empty()
        );
        let no_steps = CaseCorrection {
            scenario: Some(Scenario {
                steps: " ".into(),
                ..Scenario::default()
            }),
            ..CaseCorrection::default()
        };
        assert_eq!(
            fields(super::correction(
                &no_steps,
                RequestKind::Defect,
                Level::III,
                Lang::En
            )),
            ["scenario.steps"]
        );
        assert!(
            super::correction(&no_steps, RequestKind::Question, Level::IV, Lang::En).is_empty()
        );
    }

    #[test]
    fn an_idea_link_is_one_https_address() {
        use super::idea_link;
        use crate::Lang;
        assert_eq!(
            idea_link(
                "https://ideas.exlibrisgroup.com/forums/1-campusm/suggestions/42",
                Lang::En
            ),
            None
        );
        for bad in [
            "",
            "  ",
            "http://ideas.example.com/1",
            "javascript:alert(1)",
            "https://",
            "https://localhost/x",
            "https://a.example.com/x y",
            "https://a.example.com/\"<x>",
        ] {
            assert!(idea_link(bad, Lang::En).is_some(), "{bad:?}");
        }
    }
    use super::*;
    use crate::model::Credentials;

    fn fields(e: &[FieldError]) -> Vec<&str> {
        e.iter().map(|e| e.field.as_str()).collect()
    }

    fn question() -> NewCase {
        let mut c = NewCase::blank(RequestKind::Question, Level::IV);
        c.subject = "How do I add a campus map layer?".into();
        c.description = "We want to show parking on the map.".into();
        c
    }

    #[test]
    fn a_minimal_question_is_valid() {
        assert!(new_case(
            &question(),
            Context {
                has_connect_layer: true,
                ..Context::default()
            },
            Lang::En
        )
        .is_empty());
    }

    #[test]
    fn subject_and_description_are_required() {
        let mut c = question();
        c.subject = "  ".into();
        c.description = String::new();
        assert_eq!(
            fields(&new_case(&c, Context::default(), Lang::En)),
            ["subject", "description"]
        );
    }

    #[test]
    fn subject_is_at_most_200_characters() {
        let mut c = question();
        c.subject = "é".repeat(200);
        assert!(new_case(&c, Context::default(), Lang::En).is_empty());
        c.subject.push('x');
        let e = new_case(&c, Context::default(), Lang::En);
        assert_eq!(fields(&e), ["subject"]);
        assert!(e[0].message.contains("201"));
    }

    #[test]
    fn defects_need_scenario_credentials_and_connect_layer_access() {
        let mut c = question();
        c.kind = RequestKind::Defect;
        c.level = Level::II;
        let e = new_case(
            &c,
            Context {
                has_connect_layer: true,
                ..Context::default()
            },
            Lang::En,
        );
        assert_eq!(
            fields(&e),
            [
                "scenario.steps",
                "credentials.username",
                "connect_layer_access"
            ]
        );
        // Without a Connect Layer, no remote access is needed.
        let e = new_case(
            &c,
            Context {
                has_connect_layer: false,
                ..Context::default()
            },
            Lang::En,
        );
        assert_eq!(fields(&e), ["scenario.steps", "credentials.username"]);
        c.scenario.steps = "1. Open the app\n2. Tap Timetable".into();
        c.credentials = Some(Credentials {
            username: "test.student".into(),
            password: String::new(),
        });
        assert_eq!(
            fields(&new_case(&c, Context::default(), Lang::En)),
            ["credentials.password"]
        );
        c.credentials = Some(Credentials {
            username: "test.student".into(),
            password: "pw".into(),
        });
        assert!(new_case(&c, Context::default(), Lang::En).is_empty());
    }

    #[test]
    fn level_iv_defects_need_no_credentials() {
        assert!(needs_credentials(RequestKind::Defect, Level::III));
        assert!(!needs_credentials(RequestKind::Defect, Level::IV));
        assert!(!needs_credentials(RequestKind::Question, Level::I));
    }

    #[test]
    fn routed_kinds_are_not_cases() {
        let mut c = question();
        c.kind = RequestKind::IntegrationRequest;
        assert_eq!(
            fields(&new_case(&c, Context::default(), Lang::En)),
            ["kind"]
        );
    }

    #[test]
    fn attachments_frequency_and_comments_are_checked() {
        let mut c = question();
        c.attachments = (0..11).map(|i| i.to_string()).collect();
        c.frequency = "weekly".into();
        assert_eq!(
            fields(&new_case(&c, Context::default(), Lang::En)),
            ["frequency", "attachments"]
        );
        assert!(comment(" ", Lang::En).is_some());
        assert!(comment("Thanks, that fixed it", Lang::En).is_none());
        assert!(comment(&"a".repeat(COMMENT_MAX + 1), Lang::En).is_some());
    }

    #[test]
    fn routings_and_consultations_need_their_fields() {
        use crate::model::{NewConsultation, NewRouting};
        assert_eq!(
            fields(&routing(&NewRouting::default(), Lang::En)),
            ["title", "description"]
        );
        assert!(routing(
            &NewRouting {
                title: "Canvas".into(),
                description: "As a student…".into()
            },
            Lang::En
        )
        .is_empty());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        assert_eq!(
            fields(&consultation(&NewConsultation::default(), today, Lang::En)),
            ["what", "desired_start"]
        );
        let yesterday = NewConsultation {
            what: "A new home screen".into(),
            desired_start: today.pred_opt(),
        };
        assert_eq!(
            fields(&consultation(&yesterday, today, Lang::En)),
            ["desired_start"]
        );
        let soon = NewConsultation {
            desired_start: Some(today),
            ..yesterday
        };
        assert!(consultation(&soon, today, Lang::En).is_empty());
    }

    #[test]
    fn the_access_profile_stands_in_for_what_it_holds() {
        let mut c = question();
        c.kind = RequestKind::Defect;
        c.level = Level::I;
        c.scenario.steps = "Open the app".into();
        let ctx = Context {
            has_connect_layer: true,
            ..Context::default()
        };
        assert_eq!(
            fields(&new_case(&c, ctx, Lang::En)),
            ["credentials.username", "connect_layer_access"]
        );
        c.use_access_profile = true;
        let with_profile = Context {
            profile_credentials: true,
            profile_connect_layer: true,
            ..ctx
        };
        assert!(new_case(&c, with_profile, Lang::En).is_empty());
        // Asked for a profile that holds nothing.
        assert_eq!(
            fields(&new_case(&c, ctx, Lang::En)),
            [
                "use_access_profile",
                "credentials.username",
                "connect_layer_access"
            ]
        );
    }

    #[test]
    fn the_configured_file_count_applies_to_cases_and_updates() {
        let limits = Limits {
            max_files: 3,
            ..Limits::default()
        };
        let mut c = question();
        c.attachments = vec!["up_1".into(); 4];
        let ctx = Context {
            limits,
            ..Context::default()
        };
        assert_eq!(fields(&new_case(&c, ctx, Lang::En)), ["attachments"]);
        assert!(attachment_count(3, limits, Lang::En).is_none());
        assert_eq!(
            attachment_count(4, limits, Lang::En).as_deref(),
            Some("Attach at most 3 files; remove 1.")
        );
    }

    #[test]
    fn text_that_hides_or_reorders_itself_is_refused_in_every_field() {
        let mut c = question();
        c.subject = "Report\u{202E}fdp.exe".into();
        c.description = "\u{200B}\u{200B}".into();
        c.product_area = "maps\u{0}".into();
        let e = new_case(&c, Context::default(), Lang::En);
        assert_eq!(fields(&e), ["subject", "description", "product_area"]);
        assert!(
            e[0].message.contains("reverses the order"),
            "{}",
            e[0].message
        );
        assert!(
            e[2].message.contains("control character"),
            "{}",
            e[2].message
        );
        // Line breaks belong in a description, not in a subject.
        let mut c = question();
        c.description = "Step 1\nStep 2\tdone".into();
        assert!(new_case(&c, Context::default(), Lang::En).is_empty());
        assert!(subject("Two\nlines", Lang::En).is_some());
        assert!(subject("\u{200B}", Lang::Fr).is_some());
        assert!(comment("\u{2066}hidden\u{2069}", Lang::En).is_some());
        assert!(comment("\u{FEFF}", Lang::En).is_some());
    }

    #[test]
    fn the_level_fits_the_request() {
        let mut c = question();
        c.level = Level::I;
        let e = new_case(&c, Context::default(), Lang::En);
        assert_eq!(fields(&e), ["level"]);
        assert!(e[0].message.contains("Level IV"), "{}", e[0].message);
        let escalate = |level, kind, env| {
            let e = crate::model::Escalation {
                level,
                reason: "The whole campus is affected.".into(),
            };
            fields(&escalation(&e, Level::IV, kind, env, Lang::En)).join(",")
        };
        use crate::model::Environment::{Production, Sandbox};
        assert_eq!(
            escalate(Level::I, RequestKind::Question, Production),
            "level"
        );
        assert_eq!(escalate(Level::II, RequestKind::Defect, Sandbox), "level");
        assert_eq!(escalate(Level::III, RequestKind::Defect, Sandbox), "");
        assert_eq!(escalate(Level::I, RequestKind::Defect, Production), "");
    }

    #[test]
    fn messages_follow_the_language() {
        let mut c = question();
        c.subject = String::new();
        c.description = "x".repeat(TEXT_MAX + 1);
        let en = new_case(&c, Context::default(), Lang::En);
        let fr = new_case(&c, Context::default(), Lang::Fr);
        assert_eq!(fields(&en), fields(&fr));
        assert!(en[0].message.starts_with("Enter a subject"));
        assert!(fr[0].message.starts_with("Saisissez un objet"));
        assert!(
            fr[1].message.contains("20001 caractères"),
            "{}",
            fr[1].message
        );
        assert_eq!(frequency_label("once", Lang::Fr), "C’est arrivé une fois");
    }

    #[test]
    fn credentials_never_show_in_debug_output() {
        let c = Credentials {
            username: "u".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
