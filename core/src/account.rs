//! Accounts an institution runs itself: what each person of an institution may see and do
//! (membership), invitations, password resets and the password rules (NIST SP 800-63B: length, no
//! composition rules; the API adds the check against common and breached passwords).

use serde::{Deserialize, Serialize};

use crate::model::FieldError;
use crate::text::{self, Shape};
use crate::{tr, trf, Lang, Role};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
/// How long a password-reset link works.
pub const RESET_MINUTES: i64 = 60;
/// The shortest password accepted, in characters.
pub const PASSWORD_MIN: usize = 12;
/// The longest password accepted, in characters (a pass phrase fits; hashing stays quick).
pub const PASSWORD_MAX: usize = 256;
/// The longest name, in characters.
pub const NAME_MAX: usize = 100;
/// The longest e-mail address (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;

/// Digits of a two-step sign-in code (RFC 6238 TOTP, 30-second steps).
pub const TOTP_DIGITS: usize = 6;
/// Recovery codes given when two-step sign-in is turned on (each works once).
pub const RECOVERY_CODES: usize = 10;
/// Characters of a recovery code (without the hyphen shown in the middle).
pub const RECOVERY_CODE_LEN: usize = 10;

/// A code as typed: spaces and hyphens dropped, letters in lower case.
pub fn normalize_code(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The problem with a two-step code as typed, if any: 6 digits from the authenticator app, or a
/// 10-character recovery code.
pub fn second_factor_code(value: &str, lang: Lang) -> Option<String> {
    let v = normalize_code(value);
    let totp = v.len() == TOTP_DIGITS && v.chars().all(|c| c.is_ascii_digit());
    let recovery = v.len() == RECOVERY_CODE_LEN && v.chars().all(|c| c.is_ascii_alphanumeric());
    if v.is_empty() {
        Some(
            tr!(lang,
            en: "Enter the 6-digit code your authenticator app shows now, or one of your recovery codes.",
            fr: "Saisissez le code à 6 chiffres affiché maintenant par votre application d’authentification, ou l’un de vos codes de secours.")
            .into(),
        )
    } else if totp || recovery {
        None
    } else {
        Some(
            tr!(lang,
            en: "A code has 6 digits (from your authenticator app) or 10 letters and digits (a recovery code). Check what you typed.",
            fr: "Un code a 6 chiffres (de votre application d’authentification) ou 10 lettres et chiffres (un code de secours). Vérifiez votre saisie.")
            .into(),
        )
    }
}

/// What a person of an institution may see and do there. Support agents are another kind of
/// account ([`Role::Agent`]) and have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// Sees the institution's cases and manages its people (invites, roles, deactivation).
    Admin,
    /// Sees and works on every case of the institution.
    #[default]
    Member,
    /// Sees only the cases they opened or follow.
    Basic,
}

impl Membership {
    /// Every membership, most powerful first.
    pub const ALL: [Membership; 3] = [Membership::Admin, Membership::Member, Membership::Basic];

    /// The stored and API value.
    pub fn as_str(self) -> &'static str {
        match self {
            Membership::Admin => "admin",
            Membership::Member => "member",
            Membership::Basic => "basic",
        }
    }

    /// Parses a stored or API value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Its name, for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Membership::Admin => tr!(lang, en: "Administrator", fr: "Administrateur"),
            Membership::Member => tr!(lang, en: "Member", fr: "Membre"),
            Membership::Basic => tr!(lang, en: "Basic", fr: "Restreint"),
        }
    }

    /// What it allows, in one sentence.
    pub fn explain(self, lang: Lang) -> &'static str {
        match self {
            Membership::Admin => tr!(lang,
                en: "Sees every case of the institution and manages its people.",
                fr: "Voit tous les dossiers de l’établissement et gère ses membres."),
            Membership::Member => tr!(lang,
                en: "Sees and works on every case of the institution.",
                fr: "Voit tous les dossiers de l’établissement et y travaille."),
            Membership::Basic => tr!(lang,
                en: "Sees only the cases they opened or follow.",
                fr: "Ne voit que les dossiers qu’il a ouverts ou qu’il suit."),
        }
    }

    /// Whether the person sees every case of their institution (else only their own and the ones
    /// they follow).
    pub fn sees_institution(self) -> bool {
        self != Membership::Basic
    }
}

/// Whether someone manages people: an institution's administrators (their institution's), and
/// support agents (any institution's, to make its first administrator).
pub fn manages_people(role: Role, membership: Option<Membership>) -> bool {
    role == Role::Agent || membership == Some(Membership::Admin)
}

/// Why someone may not manage people, for people.
pub fn manage_refusal(lang: Lang) -> &'static str {
    tr!(lang,
        en: "Only your institution's administrators manage its people. Ask one of them.",
        fr: "Seuls les administrateurs de votre établissement gèrent ses membres. Demandez à l’un d’eux.")
}

/// A change to one person of an institution (`PATCH /api/v1/people/{id}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonChange {
    /// Their new membership.
    #[serde(default)]
    pub membership: Option<Membership>,
    /// `false` deactivates (their sessions end at once; their cases stay), `true` reactivates.
    #[serde(default)]
    pub active: Option<bool>,
}

/// The person a change is about, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// Their membership now.
    pub membership: Membership,
    /// Whether they can sign in now.
    pub active: bool,
    /// Whether they are the person asking.
    pub is_self: bool,
    /// How many active administrators the institution has now (them included).
    pub active_admins: usize,
}

/// Why `change` to `target` is refused, if it is: nobody deactivates themselves, and the last
/// active administrator is neither deactivated nor demoted (the institution would be left with
/// nobody to manage it).
pub fn change_refusal(target: Target, change: PersonChange, lang: Lang) -> Option<&'static str> {
    if change.membership.is_none() && change.active.is_none() {
        return Some(tr!(lang,
            en: "Say what to change: a membership, or whether the account is active.",
            fr: "Indiquez ce qu’il faut changer : un rôle, ou si le compte est actif."));
    }
    let deactivates = change.active == Some(false) && target.active;
    if deactivates && target.is_self {
        return Some(tr!(lang,
            en: "You cannot deactivate your own account. Ask another administrator.",
            fr: "Vous ne pouvez pas désactiver votre propre compte. Demandez à un autre administrateur."));
    }
    let demotes = change.membership.is_some_and(|m| m != Membership::Admin);
    let last_admin =
        target.membership == Membership::Admin && target.active && target.active_admins <= 1;
    if last_admin && (deactivates || demotes) {
        return Some(tr!(lang,
            en: "This is the institution's last administrator. Make someone else an administrator first.",
            fr: "C’est le dernier administrateur de l’établissement. Nommez d’abord quelqu’un d’autre administrateur."));
    }
    None
}

/// The problem with an e-mail address, if any (its shape: one `@`, a domain with a dot, no
/// spaces).
pub fn email(value: &str, lang: Lang) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return Some(
            tr!(lang, en: "Enter an e-mail address.", fr: "Saisissez une adresse e-mail.").into(),
        );
    }
    let n = v.chars().count();
    if n > EMAIL_MAX {
        return Some(trf!(lang,
            en: "That e-mail address is {n} characters long; an address has at most {EMAIL_MAX}.",
            fr: "Cette adresse e-mail fait {n} caractères ; une adresse en compte au plus {EMAIL_MAX}."));
    }
    let shaped = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    (!shaped).then(|| {
        trf!(lang,
            en: "“{v}” is not an e-mail address. Write it as name@university.edu.",
            fr: "« {v} » n’est pas une adresse e-mail. Écrivez-la sous la forme nom@universite.fr.")
    })
}

/// The problem with a person's name, if any.
pub fn name(value: &str, lang: Lang) -> Option<String> {
    if let Some(m) = text::check(
        tr!(lang, en: "Your name", fr: "Votre nom"),
        value,
        Shape::Line,
        lang,
    ) {
        return Some(m);
    }
    if !text::has_visible(value) {
        return Some(
            tr!(lang,
            en: "Enter your name as colleagues and support should see it.",
            fr: "Saisissez votre nom tel que vos collègues et le support doivent le voir.")
            .into(),
        );
    }
    let n = value.trim().chars().count();
    (n > NAME_MAX).then(|| {
        trf!(lang,
            en: "Your name is {n} characters long; keep it to {NAME_MAX}.",
            fr: "Votre nom fait {n} caractères ; limitez-le à {NAME_MAX}.")
    })
}

/// The problem with a new password's length, if any. No composition rules (NIST SP 800-63B):
/// length is what makes a password hard to guess; the API also refuses common and breached ones.
pub fn password(value: &str, lang: Lang) -> Option<String> {
    let n = value.chars().count();
    if n < PASSWORD_MIN {
        Some(trf!(lang,
            en: "Use at least {PASSWORD_MIN} characters (this has {n}). A few unrelated words make a long password that is easy to remember.",
            fr: "Utilisez au moins {PASSWORD_MIN} caractères (celui-ci en a {n}). Quelques mots sans rapport font un mot de passe long et facile à retenir."))
    } else if n > PASSWORD_MAX {
        Some(trf!(lang,
            en: "Use at most {PASSWORD_MAX} characters (this has {n}).",
            fr: "Utilisez au plus {PASSWORD_MAX} caractères (celui-ci en a {n})."))
    } else {
        None
    }
}

/// Validates setting a name and password (accepting an invitation).
pub fn new_account(name_value: &str, password_value: &str, lang: Lang) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(m) = name(name_value, lang) {
        errors.push(FieldError::new("name", m));
    }
    if let Some(m) = password(password_value, lang) {
        errors.push(FieldError::new("password", m));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn admin(active_admins: usize) -> Target {
        Target {
            membership: Membership::Admin,
            active: true,
            is_self: false,
            active_admins,
        }
    }

    #[test]
    fn the_last_administrator_stays() {
        let deactivate = PersonChange {
            active: Some(false),
            ..Default::default()
        };
        let demote = PersonChange {
            membership: Some(Membership::Member),
            ..Default::default()
        };
        assert!(change_refusal(admin(1), deactivate, Lang::En).is_some());
        assert!(change_refusal(admin(1), demote, Lang::Fr).is_some());
        assert_eq!(change_refusal(admin(2), deactivate, Lang::En), None);
        assert_eq!(change_refusal(admin(2), demote, Lang::En), None);
        // Keeping the last administrator an administrator is fine.
        let keep = PersonChange {
            membership: Some(Membership::Admin),
            active: Some(true),
        };
        assert_eq!(change_refusal(admin(1), keep, Lang::En), None);
        // A member is never "the last administrator".
        let member = Target {
            membership: Membership::Member,
            ..admin(1)
        };
        assert_eq!(change_refusal(member, deactivate, Lang::En), None);
        // Nobody deactivates themselves, even with other administrators.
        let me = Target {
            is_self: true,
            ..admin(3)
        };
        assert!(change_refusal(me, deactivate, Lang::En).is_some());
        assert!(change_refusal(admin(2), PersonChange::default(), Lang::En).is_some());
    }

    #[test]
    fn who_manages_people() {
        assert!(manages_people(Role::Agent, None));
        assert!(manages_people(Role::Customer, Some(Membership::Admin)));
        assert!(!manages_people(Role::Customer, Some(Membership::Member)));
        assert!(!manages_people(Role::Customer, Some(Membership::Basic)));
        assert!(!Membership::Basic.sees_institution());
        assert!(Membership::Member.sees_institution());
        for m in Membership::ALL {
            assert_eq!(Membership::parse(m.as_str()), Some(m));
            assert_ne!(m.label(Lang::En), m.label(Lang::Fr));
        }
    }

    #[test]
    fn addresses() {
        assert_eq!(email("ada@uni.example", Lang::En), None);
        assert_eq!(email("  ada@uni.example ", Lang::En), None);
        for bad in [
            "",
            "ada",
            "ada@",
            "@uni.example",
            "ada@uni",
            "a b@uni.example",
            "a@b@c.d",
            "ada@uni.example.",
        ] {
            assert!(email(bad, Lang::En).is_some(), "{bad}");
        }
        assert!(email(&format!("{}@uni.example", "a".repeat(250)), Lang::En).is_some());
    }

    #[test]
    fn names() {
        assert_eq!(name("Ada Lovelace", Lang::En), None);
        assert!(name("   ", Lang::En).is_some());
        assert!(name("Ada\nLovelace", Lang::En).is_some());
        assert!(name(&"a".repeat(NAME_MAX + 1), Lang::Fr).is_some());
    }

    #[test]
    fn second_factor_codes() {
        assert_eq!(second_factor_code("123 456", Lang::En), None);
        assert_eq!(second_factor_code("abcde-12345", Lang::En), None);
        assert_eq!(normalize_code(" ABCDE-12345 "), "abcde12345");
        assert!(second_factor_code("", Lang::En).is_some());
        assert!(second_factor_code("12345", Lang::Fr).is_some());
        assert!(second_factor_code("12345a", Lang::En).is_some());
    }

    proptest! {
        /// Length decides, in characters (not bytes), and nothing about composition does.
        #[test]
        fn passwords_by_length_only(n in 0usize..300, c in prop::char::range('a', 'é')) {
            let pw: String = std::iter::repeat_n(c, n).collect();
            let ok = (PASSWORD_MIN..=PASSWORD_MAX).contains(&n);
            prop_assert_eq!(password(&pw, Lang::En).is_none(), ok);
        }
    }
}
