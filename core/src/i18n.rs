//! The languages the portal speaks (English and French) and the macros that keep every message in
//! both.
//!
//! A message is written once, where it is used, in every language at the same time:
//! `tr!(lang, en: "Closed", fr: "Clôturé")` is a `&'static str`, and `trf!` the same with
//! `format!` arguments (`trf!(lang, en: "{n} files", fr: "{n} fichiers")`). The macros demand an
//! arm for each language, so a message missing a translation — or naming a value that is not
//! there — does not compile. There is no catalogue to look things up in at run
//! time, so nothing can be missing at run time either, and the wasm carries no lookup code.
//!
//! Adding a language: add it to [`Lang`] and to both macros; the compiler then lists every
//! message still to translate.

use serde::{Deserialize, Serialize};

/// A language of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, in the order the switch offers them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The BCP 47 code, for `lang` attributes and `Content-Language`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// The locale dates are written in when the browser's own locale is of another language.
    pub fn default_locale(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Fr => "fr-FR",
        }
    }

    /// The language of a tag such as `fr`, `fr-CA` or `EN-us`; `None` for other languages.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| primary.eq_ignore_ascii_case(l.code()))
    }

    /// The best language for an `Accept-Language` header (RFC 9110 §12.5.4): the highest
    /// weighted tag the portal speaks, the earlier one on a tie; English when none matches.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(Lang, u16)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1000, parse_weight);
            if weight == 0 {
                continue;
            }
            if let Some(lang) = Lang::from_tag(tag) {
                if best.is_none_or(|(_, w)| weight > w) {
                    best = Some((lang, weight));
                }
            }
        }
        best.map_or(Lang::En, |(l, _)| l)
    }

    /// The other language: what the one-click switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }
}

/// A quality value ("0.8", "1", "0.125") in thousandths; malformed values count as 0.
fn parse_weight(q: &str) -> u16 {
    let q = q.trim();
    match q.split_once('.') {
        None => match q {
            "1" => 1000,
            _ => 0,
        },
        Some((int, frac)) => {
            if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return 0;
            }
            let frac_value: u16 = format!("{frac:0<3}").parse().unwrap_or(0);
            match int {
                "0" => frac_value,
                "1" if frac_value == 0 => 1000,
                _ => 0,
            }
        }
    }
}

/// A message in the language `$lang`: `tr!(lang, en: "…", fr: "…")`, a `&'static str`.
/// Every language must be given.
#[macro_export]
macro_rules! tr {
    ($lang:expr, en: $en:literal, fr: $fr:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => $en,
            $crate::i18n::Lang::Fr => $fr,
        }
    };
}

/// A formatted message in the language `$lang`: `trf!(lang, en: "{n} files", fr: "{n} fichiers")`,
/// a `String`; the names in braces are captured like `format!` does. Every language must be given.
#[macro_export]
macro_rules! trf {
    ($lang:expr, en: $en:literal, fr: $fr:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en),
            $crate::i18n::Lang::Fr => format!($fr),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_headers_choose_a_language() {
        assert_eq!(Lang::from_tag("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(Lang::negotiate("fr"), Lang::Fr);
        assert_eq!(Lang::negotiate("de-DE, fr;q=0.8, en;q=0.7"), Lang::Fr);
        assert_eq!(Lang::negotiate("fr;q=0.5, en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("fr;q=0, en-GB"), Lang::En);
        assert_eq!(Lang::negotiate("en, fr"), Lang::En);
        assert_eq!(Lang::negotiate("*"), Lang::En);
        assert_eq!(Lang::negotiate("fr;q=bogus, en;q=0.1"), Lang::En);
        assert_eq!(Lang::negotiate("fr;q=0.001"), Lang::Fr);
    }

    #[test]
    fn messages_come_in_every_language_with_their_values() {
        let n = 3;
        for lang in Lang::ALL {
            let s = trf!(lang, en: "{n} files", fr: "{n} fichiers");
            assert!(s.starts_with('3'), "{s}");
            assert_ne!(tr!(lang, en: "Closed", fr: "Clôturé"), "");
        }
        assert_eq!(tr!(Lang::Fr, en: "Closed", fr: "Clôturé"), "Clôturé");
    }
}
