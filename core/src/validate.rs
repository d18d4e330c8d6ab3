//! Field-by-field validation of a new support case, with messages written for the customer.
//!
//! The portal runs this as the customer types; the API runs it again on submit and answers
//! 422 with the same messages, so both always agree.

use crate::model::{FieldError, NewCase};
use crate::{Level, RequestKind};

/// Longest subject, in characters.
pub const SUBJECT_MAX: usize = 200;
/// Longest description and scenario fields, in characters.
pub const TEXT_MAX: usize = 20_000;
/// Longest single-line field (credentials, product area), in characters.
pub const LINE_MAX: usize = 500;
/// Most attachments on one case.
pub const ATTACHMENTS_MAX: usize = 10;
/// Longest comment, in characters.
pub const COMMENT_MAX: usize = 20_000;
/// The frequency values the form offers.
pub const FREQUENCIES: [(&str, &str); 3] = [
    ("every_time", "Every time"),
    ("intermittent", "Intermittently"),
    ("once", "It happened once"),
];

/// What validation needs to know about who is submitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Context {
    /// The institution runs a local Connect Layer.
    pub has_connect_layer: bool,
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

fn check_len(errors: &mut Vec<FieldError>, field: &str, label: &str, value: &str, max: usize) {
    let n = chars(value);
    if n > max {
        errors.push(FieldError::new(
            field,
            format!("{label} is {n} characters long; the limit is {max}. Shorten it, or attach the rest as a file."),
        ));
    }
}

/// Validates the subject on its own (used while typing).
pub fn subject(value: &str) -> Option<String> {
    if value.trim().is_empty() {
        Some("Enter a subject: one line that says what is wrong or what you need.".into())
    } else if chars(value) > SUBJECT_MAX {
        Some(format!(
            "The subject is {} characters long; keep it to {SUBJECT_MAX} and put details in the description.",
            chars(value)
        ))
    } else {
        None
    }
}

/// Validates a whole new case. An empty result means it can be submitted.
pub fn new_case(case: &NewCase, ctx: Context) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !case.kind.is_support_case() {
        errors.push(FieldError::new(
            "kind",
            "Integration and redesign requests are not support cases: use the Ideas Exchange or contact your account manager.",
        ));
    }
    if let Some(m) = subject(&case.subject) {
        errors.push(FieldError::new("subject", m));
    }
    if case.description.trim().is_empty() {
        errors.push(FieldError::new(
            "description",
            "Describe what is happening: what you see, since when, and who is affected.",
        ));
    }
    check_len(
        &mut errors,
        "description",
        "The description",
        &case.description,
        TEXT_MAX,
    );
    check_len(
        &mut errors,
        "product_area",
        "The product area",
        &case.product_area,
        LINE_MAX,
    );
    if needs_scenario(case.kind) && case.scenario.steps.trim().is_empty() {
        errors.push(FieldError::new(
            "scenario.steps",
            "List the steps that reproduce the problem, so support can see it for themselves.",
        ));
    }
    check_len(
        &mut errors,
        "scenario.steps",
        "The steps",
        &case.scenario.steps,
        TEXT_MAX,
    );
    check_len(
        &mut errors,
        "scenario.expected",
        "The expected result",
        &case.scenario.expected,
        TEXT_MAX,
    );
    check_len(
        &mut errors,
        "scenario.actual",
        "The actual result",
        &case.scenario.actual,
        TEXT_MAX,
    );
    if !case.frequency.is_empty() && !FREQUENCIES.iter().any(|(v, _)| *v == case.frequency) {
        errors.push(FieldError::new(
            "frequency",
            "Choose how often it happens from the list.",
        ));
    }
    let creds = case.credentials.as_ref();
    if needs_credentials(case.kind, case.level) {
        match creds {
            Some(c) if c.is_complete() => {}
            Some(c) if c.username.trim().is_empty() && !c.password.is_empty() => errors.push(
                FieldError::new("credentials.username", "Enter the app user name that goes with the password."),
            ),
            Some(c) if !c.username.trim().is_empty() => errors.push(FieldError::new(
                "credentials.password",
                "Enter the password of the app account, so support can sign in and reproduce the problem.",
            )),
            _ => errors.push(FieldError::new(
                "credentials.username",
                "Give working app credentials (user name and password) so support can reproduce the problem.",
            )),
        }
    }
    if let Some(c) = creds {
        check_len(
            &mut errors,
            "credentials.username",
            "The user name",
            &c.username,
            LINE_MAX,
        );
        check_len(
            &mut errors,
            "credentials.password",
            "The password",
            &c.password,
            LINE_MAX,
        );
    }
    if needs_connect_layer_access(case.kind, ctx) && case.connect_layer_access.trim().is_empty() {
        errors.push(FieldError::new(
            "connect_layer_access",
            "Describe how support can reach your local Connect Layer remotely (VPN, host, account).",
        ));
    }
    check_len(
        &mut errors,
        "connect_layer_access",
        "The remote access details",
        &case.connect_layer_access,
        TEXT_MAX,
    );
    if case.attachments.len() > ATTACHMENTS_MAX {
        errors.push(FieldError::new(
            "attachments",
            format!(
                "Attach at most {ATTACHMENTS_MAX} files; remove {}.",
                case.attachments.len() - ATTACHMENTS_MAX
            ),
        ));
    }
    errors
}

/// Validates an Ideas Exchange hand-off.
pub fn routing(r: &crate::model::NewRouting) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if r.title.trim().is_empty() {
        errors.push(FieldError::new("title", "Give your idea a short title."));
    }
    check_len(&mut errors, "title", "The title", &r.title, SUBJECT_MAX);
    if r.description.trim().is_empty() {
        errors.push(FieldError::new(
            "description",
            "Describe the idea, ideally as a user story: as a …, I want …, so that ….",
        ));
    }
    check_len(
        &mut errors,
        "description",
        "The description",
        &r.description,
        TEXT_MAX,
    );
    errors
}

/// Validates an account-manager consultation request.
pub fn consultation(c: &crate::model::NewConsultation) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if c.what.trim().is_empty() {
        errors.push(FieldError::new(
            "what",
            "Describe what should change in the app's user experience.",
        ));
    }
    check_len(&mut errors, "what", "The description", &c.what, TEXT_MAX);
    if c.desired_start.is_none() {
        errors.push(FieldError::new(
            "desired_start",
            "Choose the date you would like the project to start.",
        ));
    }
    errors
}

/// Validates a comment.
pub fn comment(body: &str) -> Option<String> {
    if body.trim().is_empty() {
        Some("Write your update before sending it.".into())
    } else if chars(body) > COMMENT_MAX {
        Some(format!(
            "The update is {} characters long; the limit is {COMMENT_MAX}.",
            chars(body)
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
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
                has_connect_layer: true
            }
        )
        .is_empty());
    }

    #[test]
    fn subject_and_description_are_required() {
        let mut c = question();
        c.subject = "  ".into();
        c.description = String::new();
        assert_eq!(
            fields(&new_case(&c, Context::default())),
            ["subject", "description"]
        );
    }

    #[test]
    fn subject_is_at_most_200_characters() {
        let mut c = question();
        c.subject = "é".repeat(200);
        assert!(new_case(&c, Context::default()).is_empty());
        c.subject.push('x');
        let e = new_case(&c, Context::default());
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
            },
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
            },
        );
        assert_eq!(fields(&e), ["scenario.steps", "credentials.username"]);
        c.scenario.steps = "1. Open the app\n2. Tap Timetable".into();
        c.credentials = Some(Credentials {
            username: "test.student".into(),
            password: String::new(),
        });
        assert_eq!(
            fields(&new_case(&c, Context::default())),
            ["credentials.password"]
        );
        c.credentials = Some(Credentials {
            username: "test.student".into(),
            password: "pw".into(),
        });
        assert!(new_case(&c, Context::default()).is_empty());
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
        assert_eq!(fields(&new_case(&c, Context::default())), ["kind"]);
    }

    #[test]
    fn attachments_frequency_and_comments_are_checked() {
        let mut c = question();
        c.attachments = (0..11).map(|i| i.to_string()).collect();
        c.frequency = "weekly".into();
        assert_eq!(
            fields(&new_case(&c, Context::default())),
            ["frequency", "attachments"]
        );
        assert!(comment(" ").is_some());
        assert!(comment("Thanks, that fixed it").is_none());
        assert!(comment(&"a".repeat(COMMENT_MAX + 1)).is_some());
    }

    #[test]
    fn routings_and_consultations_need_their_fields() {
        use crate::model::{NewConsultation, NewRouting};
        assert_eq!(
            fields(&routing(&NewRouting::default())),
            ["title", "description"]
        );
        assert!(routing(&NewRouting {
            title: "Canvas".into(),
            description: "As a student…".into()
        })
        .is_empty());
        assert_eq!(
            fields(&consultation(&NewConsultation::default())),
            ["what", "desired_start"]
        );
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
