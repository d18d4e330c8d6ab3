//! What people may type: text that shows what it says.
//!
//! Refused everywhere: control characters (a NUL, an escape, a backspace…) except new lines and
//! tabs in long text, and the bidirectional embedding, override and isolate characters, which
//! make a list show "txt.exe" as "exe.txt". Required fields need at least one visible character:
//! a subject of zero-width spaces is empty. Used by [`crate::validate`] on both sides.

use crate::i18n::Lang;
use crate::trf;

/// Whether a text is one line (a subject, a name) or may span lines (a description).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One line: no new lines, no tabs.
    Line,
    /// Long text: new lines and tabs are allowed.
    Lines,
}

/// The bidirectional formatting characters that reorder what follows them: LRE, RLE, PDF, LRO,
/// RLO (U+202A–U+202E) and LRI, RLI, FSI, PDI (U+2066–U+2069). The marks (LRM, RLM, ALM) stay
/// allowed: they only nudge neutral characters, as right-to-left writing needs.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that draw nothing: zero-width spaces and joiners, word joiner and invisible
/// operators, byte-order mark, soft hyphen, variation selectors, Hangul fillers, tags and the
/// bidirectional formatting characters.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether `value` has something a person can see.
pub fn has_visible(value: &str) -> bool {
    value
        .chars()
        .any(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(c))
}

/// The first character `value` may not hold in a field of `shape`, if any.
pub fn forbidden(value: &str, shape: Shape) -> Option<char> {
    value.chars().find(|&c| {
        is_bidi_control(c)
            || (c.is_control() && !(shape == Shape::Lines && matches!(c, '\n' | '\r' | '\t')))
    })
}

/// The message for a forbidden character in the field called `label` ("The subject").
pub fn forbidden_message(label: &str, c: char, lang: Lang) -> String {
    let code = format!("U+{:04X}", c as u32);
    if is_bidi_control(c) {
        trf!(lang,
            en: "{label} contains an invisible character that reverses the order of the text ({code}): remove it, or type the text again rather than pasting it.",
            fr: "{label} contient un caractère invisible qui inverse l’ordre du texte ({code}) : supprimez-le, ou retapez le texte plutôt que de le coller.")
    } else if c == '\n' || c == '\r' || c == '\t' {
        trf!(lang,
            en: "{label} must fit on one line: remove the line breaks and tabs.",
            fr: "{label} doit tenir sur une ligne : supprimez les retours à la ligne et les tabulations.")
    } else {
        trf!(lang,
            en: "{label} contains a control character ({code}) that cannot be shown: remove it, or type the text again rather than pasting it.",
            fr: "{label} contient un caractère de contrôle ({code}) qui ne peut pas s’afficher : supprimez-le, ou retapez le texte plutôt que de le coller.")
    }
}

/// The problem with `value` as a field called `label`, if any: a forbidden character.
pub fn check(label: &str, value: &str, shape: Shape, lang: Lang) -> Option<String> {
    forbidden(value, shape).map(|c| forbidden_message(label, c, lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn what_a_list_would_show_reversed_is_refused() {
        let m = check(
            "The subject",
            "invoice\u{202E}txt.exe",
            Shape::Line,
            Lang::En,
        );
        assert!(m.as_deref().is_some_and(|m| m.contains("U+202E")), "{m:?}");
        assert!(check("The subject", "a\u{2067}b", Shape::Line, Lang::Fr).is_some());
        // Right-to-left writing itself, and its marks, are fine.
        assert_eq!(forbidden("مرحبا \u{200F}campusM", Shape::Line), None);
    }

    #[test]
    fn control_characters_only_new_lines_and_tabs_in_long_text() {
        assert_eq!(forbidden("a\u{0}b", Shape::Lines), Some('\u{0}'));
        assert_eq!(forbidden("a\u{1B}[31mb", Shape::Lines), Some('\u{1B}'));
        assert_eq!(forbidden("line 1\r\nline 2\tend", Shape::Lines), None);
        assert_eq!(forbidden("line 1\nline 2", Shape::Line), Some('\n'));
        let m = check("The subject", "a\tb", Shape::Line, Lang::En).unwrap_or_default();
        assert!(m.contains("one line"), "{m}");
    }

    #[test]
    fn something_visible_is_needed() {
        assert!(!has_visible(""));
        assert!(!has_visible(" \u{200B}\u{200B}\u{FEFF}\u{2060} \u{3000}"));
        assert!(has_visible("\u{200B}x"));
        assert!(has_visible("é"));
        assert!(has_visible("日本"));
    }

    proptest! {
        #[test]
        fn letters_numbers_punctuation_and_spaces_pass(
            s in "[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\\p{Zs}]{0,40}"
        ) {
            prop_assert_eq!(forbidden(&s, Shape::Line), None);
            let visible = s.chars().any(|c| !c.is_whitespace() && !is_invisible(c));
            prop_assert_eq!(has_visible(&s), visible);
        }

        #[test]
        fn a_bidi_control_anywhere_is_refused(
            before in "\\PC{0,20}",
            c in prop::sample::select(vec!['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']),
            after in "\\PC{0,20}",
            lines in any::<bool>(),
        ) {
            let shape = if lines { Shape::Lines } else { Shape::Line };
            let s = format!("{before}{c}{after}");
            prop_assert!(forbidden(&s, shape).is_some());
            prop_assert!(check("The subject", &s, shape, Lang::En).is_some());
        }

        #[test]
        fn a_control_character_is_refused_except_line_breaks_in_long_text(
            before in "\\PC{0,20}",
            c in "\\p{Cc}",
            after in "\\PC{0,20}",
        ) {
            let s = format!("{before}{c}{after}");
            prop_assert!(forbidden(&s, Shape::Line).is_some());
            let breaks = matches!(c.as_str(), "\n" | "\r" | "\t");
            prop_assert_eq!(forbidden(&s, Shape::Lines).is_some(), !breaks);
        }

        #[test]
        fn invisible_and_space_characters_alone_are_empty(
            s in "[\\p{Zs}\\u{200B}-\\u{200D}\\u{2060}\\u{FEFF}\\u{00AD}\\u{FE0F}]{0,20}"
        ) {
            prop_assert!(!has_visible(&s));
        }
    }
}
