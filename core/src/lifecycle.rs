//! Case statuses, and who may move a case from where to where.
//!
//! ```text
//!            agent                      agent
//!   new ───────────► in_progress ◄────────────► awaiting_customer
//!    │                  │   ▲   ▲                     │
//!    │ agent            │   │   └──── with_rnd      │ customer reply → in_progress
//!    ▼                  ▼   │   (agent: support     │
//!  solution_proposed ───────┘    works with R&D)      │
//!    │ customer accepts / anyone closes               │
//!    ▼                                                ▼
//!  closed ──── reopen (customer or agent) ────► in_progress
//! ```
//!
//! Agents set any open status directly (never back to `new`); customers act through
//! [`CaseAction`]s. A customer's reply to a case awaiting them, or to a proposed solution, hands it
//! back to support (`in_progress`); a reply to a case with R&D leaves it there.

use serde::{Deserialize, Serialize};

use crate::{tr, Lang};

/// Who acts on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Institution staff (IT or library) who open and follow cases.
    Customer,
    /// Ex Libris support staff.
    Agent,
}

/// Where a case is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Opened, not yet picked up by support.
    New,
    /// Support is working on it.
    InProgress,
    /// Support needs an answer from the customer.
    AwaitingCustomer,
    /// Support proposed a solution; the customer can accept it or reply.
    SolutionProposed,
    /// Support works on it with the campusM developers (R&D), as the policy says support does
    /// when needed.
    WithRnd,
    /// Done. Either side can reopen it.
    Closed,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 2] = [Role::Customer, Role::Agent];

    /// The stored and API value.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Agent => "agent",
        }
    }

    /// Parses a stored or API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Something a user does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    /// Add a comment (an answer when the case awaits the customer).
    Comment,
    /// Close the case.
    Close,
    /// Reopen a closed case.
    Reopen,
    /// Accept a proposed solution (closes the case).
    Accept,
    /// Propose a solution (agents).
    ProposeSolution,
}

impl CaseAction {
    /// Every action.
    pub const ALL: [CaseAction; 5] = [
        CaseAction::Comment,
        CaseAction::Close,
        CaseAction::Reopen,
        CaseAction::Accept,
        CaseAction::ProposeSolution,
    ];

    /// The API value (also the last path segment of the plain transitions: `close`, `reopen`, `accept`).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::Comment => "comment",
            CaseAction::Close => "close",
            CaseAction::Reopen => "reopen",
            CaseAction::Accept => "accept",
            CaseAction::ProposeSolution => "propose_solution",
        }
    }

    /// Parses an API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the action is a plain status transition (no text): close, reopen, accept.
    pub fn is_transition(self) -> bool {
        matches!(
            self,
            CaseAction::Close | CaseAction::Reopen | CaseAction::Accept
        )
    }
}

impl CaseStatus {
    /// All statuses in lifecycle order.
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::New,
        CaseStatus::InProgress,
        CaseStatus::AwaitingCustomer,
        CaseStatus::WithRnd,
        CaseStatus::SolutionProposed,
        CaseStatus::Closed,
    ];

    /// The statuses support sets on an open case by hand (a solution and closing have their own
    /// actions).
    pub const AGENT_SETS: [CaseStatus; 3] = [
        CaseStatus::InProgress,
        CaseStatus::AwaitingCustomer,
        CaseStatus::WithRnd,
    ];

    /// The API value.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::AwaitingCustomer => "awaiting_customer",
            CaseStatus::SolutionProposed => "solution_proposed",
            CaseStatus::WithRnd => "with_rnd",
            CaseStatus::Closed => "closed",
        }
    }

    /// Parses an API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The label shown to people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseStatus::New => tr!(lang, en: "New", fr: "Nouveau"),
            CaseStatus::InProgress => tr!(lang, en: "In progress", fr: "En cours"),
            CaseStatus::AwaitingCustomer => {
                tr!(lang, en: "Awaiting your reply", fr: "En attente de votre réponse")
            }
            CaseStatus::SolutionProposed => {
                tr!(lang, en: "Solution proposed", fr: "Solution proposée")
            }
            CaseStatus::WithRnd => tr!(lang, en: "With R&D", fr: "Transmis à la R&D"),
            CaseStatus::Closed => tr!(lang, en: "Closed", fr: "Clôturé"),
        }
    }

    /// The label support reads in its queue (`AwaitingCustomer` is "awaiting *your* reply" only
    /// to customers).
    pub fn label_for(self, role: Role, lang: Lang) -> &'static str {
        match (self, role) {
            (CaseStatus::AwaitingCustomer, Role::Agent) => {
                tr!(lang, en: "Awaiting the customer", fr: "En attente du client")
            }
            _ => self.label(lang),
        }
    }

    /// What the status means for the customer, in a sentence.
    pub fn meaning(self, lang: Lang) -> &'static str {
        match self {
            CaseStatus::New => {
                tr!(lang, en: "Support has not picked it up yet.", fr: "Le support ne l’a pas encore pris en charge.")
            }
            CaseStatus::InProgress => {
                tr!(lang, en: "Support is working on it.", fr: "Le support y travaille.")
            }
            CaseStatus::AwaitingCustomer => {
                tr!(lang, en: "Support needs an answer from you.", fr: "Le support attend une réponse de votre part.")
            }
            CaseStatus::SolutionProposed => {
                tr!(lang, en: "Support proposed a solution: accept it or reply.", fr: "Le support a proposé une solution : acceptez-la ou répondez.")
            }
            CaseStatus::WithRnd => {
                tr!(lang, en: "Support is working on it with the campusM developers (R&D).", fr: "Le support y travaille avec les développeurs de campusM (R&D).")
            }
            CaseStatus::Closed => {
                tr!(lang, en: "Done. You can reopen it.", fr: "Terminé. Vous pouvez le rouvrir.")
            }
        }
    }

    /// Whether the case is still open.
    pub fn is_open(self) -> bool {
        self != CaseStatus::Closed
    }

    /// Whether `role` may set the status directly from `self` to `to`.
    /// Customers never set statuses directly; they act through [`CaseAction`]s.
    pub fn can_move(self, role: Role, to: CaseStatus) -> bool {
        use CaseStatus::*;
        match role {
            Role::Customer => false,
            Role::Agent => match (self, to) {
                (a, b) if a == b => false,
                (Closed, InProgress) => true,
                (Closed, _) => false,
                (_, New) => false,
                _ => true,
            },
        }
    }

    /// The status after `role` does `action`, or `None` when the action is not allowed here.
    pub fn after(self, role: Role, action: CaseAction) -> Option<CaseStatus> {
        use CaseStatus::*;
        match (action, role, self) {
            (CaseAction::Comment, _, Closed) => None,
            // A customer's answer hands the case back to support.
            (CaseAction::Comment, Role::Customer, AwaitingCustomer | SolutionProposed) => {
                Some(InProgress)
            }
            (CaseAction::Comment, _, s) => Some(s),
            (CaseAction::Close, _, s) if s.is_open() => Some(Closed),
            (CaseAction::Close, _, _) => None,
            (CaseAction::Reopen, _, Closed) => Some(InProgress),
            (CaseAction::Reopen, _, _) => None,
            (CaseAction::Accept, Role::Customer, SolutionProposed) => Some(Closed),
            (CaseAction::Accept, _, _) => None,
            (CaseAction::ProposeSolution, Role::Agent, s) if s.is_open() => Some(SolutionProposed),
            (CaseAction::ProposeSolution, _, _) => None,
        }
    }

    /// The actions `role` may take on a case in this status.
    pub fn actions(self, role: Role) -> Vec<CaseAction> {
        [
            CaseAction::Comment,
            CaseAction::Accept,
            CaseAction::ProposeSolution,
            CaseAction::Close,
            CaseAction::Reopen,
        ]
        .into_iter()
        .filter(|a| self.after(role, *a).is_some())
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn customers_act_only_through_actions() {
        for from in CaseStatus::ALL {
            for to in CaseStatus::ALL {
                assert!(!from.can_move(Role::Customer, to));
            }
        }
        assert_eq!(
            AwaitingCustomer.after(Role::Customer, CaseAction::Comment),
            Some(InProgress)
        );
        assert_eq!(New.after(Role::Customer, CaseAction::Comment), Some(New));
        assert_eq!(
            SolutionProposed.after(Role::Customer, CaseAction::Accept),
            Some(Closed)
        );
        assert_eq!(InProgress.after(Role::Customer, CaseAction::Accept), None);
        assert_eq!(Closed.after(Role::Customer, CaseAction::Comment), None);
        assert_eq!(
            Closed.after(Role::Customer, CaseAction::Reopen),
            Some(InProgress)
        );
        assert_eq!(New.after(Role::Customer, CaseAction::Reopen), None);
        assert_eq!(
            InProgress.after(Role::Customer, CaseAction::ProposeSolution),
            None
        );
    }

    #[test]
    fn agents_move_open_cases_and_reopen_closed_ones() {
        assert!(New.can_move(Role::Agent, InProgress));
        assert!(InProgress.can_move(Role::Agent, AwaitingCustomer));
        assert!(!InProgress.can_move(Role::Agent, New));
        assert!(!Closed.can_move(Role::Agent, AwaitingCustomer));
        assert!(Closed.can_move(Role::Agent, InProgress));
        assert!(!InProgress.can_move(Role::Agent, InProgress));
        for s in CaseStatus::AGENT_SETS {
            assert!(New.can_move(Role::Agent, s) && s.is_open());
        }
        assert!(WithRnd.can_move(Role::Agent, AwaitingCustomer));
        // A customer's reply leaves a case with R&D there.
        assert_eq!(
            WithRnd.after(Role::Customer, CaseAction::Comment),
            Some(WithRnd)
        );
        assert_eq!(
            AwaitingCustomer.label_for(Role::Agent, Lang::En),
            "Awaiting the customer"
        );
        assert_eq!(
            InProgress.after(Role::Agent, CaseAction::ProposeSolution),
            Some(SolutionProposed)
        );
        assert_eq!(
            InProgress.after(Role::Agent, CaseAction::Comment),
            Some(InProgress)
        );
    }

    #[test]
    fn actions_list_matches_after() {
        assert_eq!(Closed.actions(Role::Customer), vec![CaseAction::Reopen]);
        assert_eq!(
            SolutionProposed.actions(Role::Customer),
            vec![CaseAction::Comment, CaseAction::Accept, CaseAction::Close]
        );
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap_or_default(),
                format!("\"{}\"", r.as_str())
            );
        }
        for a in CaseAction::ALL {
            assert_eq!(CaseAction::parse(a.as_str()), Some(a));
            assert_eq!(
                serde_json::to_string(&a).unwrap_or_default(),
                format!("\"{}\"", a.as_str())
            );
        }
        assert!(CaseAction::Close.is_transition() && !CaseAction::Comment.is_transition());
    }
}
