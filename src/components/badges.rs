//! Status, level and response-due badges, and times.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use portal_core::due;
use portal_core::{CaseStatus, Level};

use crate::format;
use crate::i18n::lang;

/// A case status as a badge, in the words of whoever reads it ("awaiting your reply" is for
/// customers; support reads "awaiting the customer").
#[component]
pub fn StatusBadge(
    status: CaseStatus,
    #[prop(default = portal_core::Role::Customer)] role: portal_core::Role,
) -> impl IntoView {
    view! { <span class=format!("badge status-{}", status.as_str()) title=status.meaning(lang())>{status.label_for(role, lang())}</span> }
}

/// A response level as a badge, with its priority for screen readers and on hover.
#[component]
pub fn LevelBadge(level: Level) -> impl IntoView {
    view! {
        <span class=format!("badge level level-{}", level.as_str().to_ascii_lowercase()) title=level.priority(lang())>
            <span class="visually-hidden">{t!(en: "Level ", fr: "Niveau ")}</span>{level.as_str()}
        </span>
    }
}

/// A time: the portal's one format. Near now in words ("2 h ago", kept current), else date and
/// time in the user's zone; the full instant with weekday and zone in the tooltip, and
/// machine-readable in `datetime`.
#[component]
pub fn Time(t: DateTime<Utc>) -> impl IntoView {
    let now = format::now();
    let text = move || format::relative(t, now.get()).unwrap_or_else(|| format::local(t));
    view! { <time datetime=format::iso(t) title=format::local_long(t)>{text}</time> }
}

/// The initial-response state (met, due in …, breached), counting down with the clock.
#[component]
pub fn DueBadge(
    due: DateTime<Utc>,
    first_response: Option<DateTime<Utc>>,
    #[prop(optional)] closed: bool,
) -> impl IntoView {
    let now = format::now();
    move || {
        let state = due::state(due, first_response, now.get());
        // A closed case without a response has no countdown any more.
        let (class, text) = match (closed, state) {
            (true, due::DueState::DueIn(_) | due::DueState::Overdue(_)) => (
                "closed",
                t!(en: "Closed before a response", fr: "Clôturé avant une réponse").to_string(),
            ),
            _ => (state.class(), state.text(lang())),
        };
        view! { <span class=format!("due due-{class}")>{text}</span> }
    }
}
