//! Who is told when something happens on a case, and what each person chose to hear about.
//!
//! The rule: the case's opener and its followers (colleagues added to it, people who follow it),
//! and the support agent it is assigned to, minus the person who made the change; each keeps what
//! their preference lets through and nobody hears about a case they muted. Internal notes tell
//! nobody. An escalation also tells the 24/7 line (the API adds it: it is not a person here).

use serde::{Deserialize, Serialize};

use crate::{tr, Lang, Role};

/// What someone wants to hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Preference {
    /// Every change on the cases they follow.
    #[default]
    All,
    /// Only when support needs them: an answer asked for, a solution to accept.
    NeedsMe,
    /// Nothing by e-mail.
    None,
}

impl Preference {
    /// Every preference.
    pub const ALL: [Preference; 3] = [Preference::All, Preference::NeedsMe, Preference::None];

    /// The stored and API value.
    pub fn as_str(self) -> &'static str {
        match self {
            Preference::All => "all",
            Preference::NeedsMe => "needs_me",
            Preference::None => "none",
        }
    }

    /// Parses a stored or API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The choice in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Preference::All => {
                tr!(lang, en: "Every change on my cases", fr: "Chaque changement sur mes dossiers")
            }
            Preference::NeedsMe => {
                tr!(lang, en: "Only when support needs me", fr: "Seulement quand le support a besoin de moi")
            }
            Preference::None => tr!(lang, en: "No e-mail", fr: "Aucun e-mail"),
        }
    }
}

/// Something on a case that people may be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseEvent {
    /// Someone commented (support replied, or the customer answered).
    Comment,
    /// The case now awaits the customer (support asked a question or for access).
    AwaitingCustomer,
    /// Support proposed a solution.
    SolutionProposed,
    /// Another status (in progress, with R&D).
    StatusChanged,
    /// The level changed (support, or an escalation by the customer).
    LevelChanged,
    /// Closed (or a solution accepted).
    Closed,
    /// Reopened.
    Reopened,
    /// The customer gave app credentials or Connect Layer access.
    AccessGiven,
    /// Assigned to an agent.
    Assigned,
    /// Someone was added to the case (told only to them).
    Added,
}

impl CaseEvent {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseEvent::Comment => "comment",
            CaseEvent::AwaitingCustomer => "awaiting_customer",
            CaseEvent::SolutionProposed => "solution_proposed",
            CaseEvent::StatusChanged => "status_changed",
            CaseEvent::LevelChanged => "level_changed",
            CaseEvent::Closed => "closed",
            CaseEvent::Reopened => "reopened",
            CaseEvent::AccessGiven => "access_given",
            CaseEvent::Assigned => "assigned",
            CaseEvent::Added => "added",
        }
    }

    /// Whether it asks something of the customer (what "only when support needs me" lets through).
    pub fn needs_customer(self) -> bool {
        matches!(
            self,
            CaseEvent::AwaitingCustomer | CaseEvent::SolutionProposed
        )
    }
}

/// A person who may be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Their user id.
    pub id: i64,
    /// Customer or agent.
    pub role: Role,
    /// What they want to hear about.
    pub preference: Preference,
    /// They muted this case.
    pub muted: bool,
}

/// Whether `who` is told about `event` made by `actor` (a user id). Support hears about what
/// customers do on the cases assigned to them or that they follow; customers about what support
/// and colleagues do.
pub fn is_told(who: &Candidate, event: CaseEvent, actor: i64) -> bool {
    if who.id == actor || who.muted {
        return false;
    }
    match who.preference {
        Preference::None => false,
        Preference::NeedsMe => who.role == Role::Customer && event.needs_customer(),
        Preference::All => true,
    }
}

/// The people to tell, from everyone connected with the case (opener, followers, assignee; each
/// once, in order).
pub fn recipients(candidates: &[Candidate], event: CaseEvent, actor: i64) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for c in candidates {
        if !out.contains(&c.id) && is_told(c, event, actor) {
            out.push(c.id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, role: Role, preference: Preference) -> Candidate {
        Candidate {
            id,
            role,
            preference,
            muted: false,
        }
    }

    #[test]
    fn everyone_but_the_actor_as_they_chose() {
        let opener = person(1, Role::Customer, Preference::All);
        let colleague = person(2, Role::Customer, Preference::NeedsMe);
        let quiet = person(3, Role::Customer, Preference::None);
        let agent = person(9, Role::Agent, Preference::All);
        let all = [
            opener.clone(),
            colleague.clone(),
            quiet,
            agent.clone(),
            opener.clone(),
        ];
        // Support replies: the opener hears; the colleague only wants what needs them.
        assert_eq!(recipients(&all, CaseEvent::Comment, 9), [1]);
        // Support asks for an answer: both customers.
        assert_eq!(recipients(&all, CaseEvent::AwaitingCustomer, 9), [1, 2]);
        // The customer answers: support hears, the customer does not hear about themselves.
        assert_eq!(recipients(&all, CaseEvent::Comment, 1), [9]);
        // A muted case tells nobody who muted it.
        let muted = Candidate {
            muted: true,
            ..opener
        };
        assert!(recipients(&[muted], CaseEvent::SolutionProposed, 9).is_empty());
        // "Only when support needs me" is a customer's choice; an agent with it hears nothing.
        let picky_agent = person(8, Role::Agent, Preference::NeedsMe);
        assert!(!is_told(&picky_agent, CaseEvent::AwaitingCustomer, 1));
        for p in Preference::ALL {
            assert_eq!(Preference::parse(p.as_str()), Some(p));
        }
    }
}
