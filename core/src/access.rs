//! Who may do what: the role gates, written once and checked by the API on every request (the
//! portal uses the same functions to decide which controls to show).

use crate::{tr, Lang, Role};

/// Something only some roles may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Open a support case (customers: a case belongs to an institution).
    OpenCase,
    /// Hand a request to the Ideas Exchange or the account manager (customers).
    SendHandOff,
    /// Propose a solution (support).
    ProposeSolution,
    /// Set a case's status directly (support).
    SetStatus,
    /// Post and withdraw service announcements (support).
    ManageAnnouncements,
    /// See the cases of every institution (support).
    SeeEveryInstitution,
    /// Assign cases to agents (support).
    AssignCases,
    /// Change a case's response level with a reason (support).
    ChangeLevel,
    /// Write internal notes (support).
    WriteNotes,
    /// Reveal a case's secrets, recorded on its timeline (support).
    RevealSecrets,
    /// Ask the customer for secrets (support).
    RequestAccess,
    /// Give or replace the secrets of a case (its institution's people).
    UpdateSecrets,
    /// Keep the institution's support access profile (its people).
    ManageAccessProfile,
    /// Raise the level of a case of their institution, alerting the 24/7 line for Level I/II
    /// (customers; support changes levels directly).
    Escalate,
    /// Add colleagues of their institution to a case (customers).
    AddColleagues,
}

impl Permission {
    /// Whether `role` has this permission.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Permission::OpenCase
            | Permission::SendHandOff
            | Permission::UpdateSecrets
            | Permission::ManageAccessProfile
            | Permission::Escalate
            | Permission::AddColleagues => role == Role::Customer,
            Permission::ProposeSolution
            | Permission::SetStatus
            | Permission::ManageAnnouncements
            | Permission::SeeEveryInstitution
            | Permission::AssignCases
            | Permission::ChangeLevel
            | Permission::WriteNotes
            | Permission::RevealSecrets
            | Permission::RequestAccess => role == Role::Agent,
        }
    }

    /// Why a role without the permission is refused, for people.
    pub fn refusal(self, lang: Lang) -> &'static str {
        match self {
            Permission::OpenCase => tr!(lang,
                en: "Support agents do not open cases in the portal; customers do.",
                fr: "Les agents du support n’ouvrent pas de dossiers dans le portail ; les clients le font."),
            Permission::SendHandOff => tr!(lang,
                en: "Only customers of an institution send these requests.",
                fr: "Seuls les clients d’un établissement envoient ces demandes."),
            Permission::ProposeSolution => tr!(lang,
                en: "Only support agents propose solutions.",
                fr: "Seuls les agents du support proposent des solutions."),
            Permission::SetStatus => tr!(lang,
                en: "Only support agents change a case's status directly.",
                fr: "Seuls les agents du support changent directement le statut d’un dossier."),
            Permission::ManageAnnouncements => tr!(lang,
                en: "Only support agents post and withdraw announcements.",
                fr: "Seuls les agents du support publient et retirent des annonces."),
            Permission::SeeEveryInstitution => tr!(lang,
                en: "Only support agents see every institution's cases.",
                fr: "Seuls les agents du support voient les dossiers de tous les établissements."),
            Permission::AssignCases => tr!(lang,
                en: "Only support agents assign cases.",
                fr: "Seuls les agents du support attribuent les dossiers."),
            Permission::ChangeLevel => tr!(lang,
                en: "Only support agents change a case's level directly; customers raise it through escalation.",
                fr: "Seuls les agents du support changent directement le niveau d’un dossier ; les clients le relèvent par l’escalade."),
            Permission::WriteNotes => tr!(lang,
                en: "Only support agents write internal notes.",
                fr: "Seuls les agents du support écrivent des notes internes."),
            Permission::RevealSecrets => tr!(lang,
                en: "Only support agents reveal app credentials and access details.",
                fr: "Seuls les agents du support affichent les identifiants et les accès."),
            Permission::RequestAccess => tr!(lang,
                en: "Only support agents ask for credentials and access.",
                fr: "Seuls les agents du support demandent des identifiants et des accès."),
            Permission::UpdateSecrets => tr!(lang,
                en: "Only the institution's people give the credentials and access details of its cases.",
                fr: "Seules les personnes de l’établissement donnent les identifiants et accès de ses dossiers."),
            Permission::ManageAccessProfile => tr!(lang,
                en: "Only the institution's people keep its support access profile.",
                fr: "Seules les personnes de l’établissement tiennent son profil d’accès pour le support."),
            Permission::Escalate => tr!(lang,
                en: "Customers escalate their cases; support changes the level directly.",
                fr: "Les clients escaladent leurs dossiers ; le support change directement le niveau."),
            Permission::AddColleagues => tr!(lang,
                en: "Only the institution's people add colleagues to its cases.",
                fr: "Seules les personnes de l’établissement ajoutent des collègues à ses dossiers."),
        }
    }
}

/// `Ok` when `role` may, else the refusal in `lang`.
pub fn check(role: Role, permission: Permission, lang: Lang) -> Result<(), &'static str> {
    if permission.allows(role) {
        Ok(())
    } else {
        Err(permission.refusal(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_and_agents_have_separate_powers() {
        assert!(check(Role::Customer, Permission::OpenCase, Lang::En).is_ok());
        assert!(check(Role::Agent, Permission::OpenCase, Lang::En).is_err());
        for p in [
            Permission::ProposeSolution,
            Permission::SetStatus,
            Permission::ManageAnnouncements,
            Permission::SeeEveryInstitution,
            Permission::AssignCases,
            Permission::ChangeLevel,
            Permission::WriteNotes,
            Permission::RevealSecrets,
            Permission::RequestAccess,
        ] {
            assert!(p.allows(Role::Agent) && !p.allows(Role::Customer));
            assert_ne!(p.refusal(Lang::En), p.refusal(Lang::Fr));
        }
    }
}
