//! Open cases that look like the request being written ("several colleagues report the same
//! outage"): the words worth comparing, and how many a case must share to be offered.

/// At most this many words of the text are compared.
pub const KEYWORDS_MAX: usize = 6;
/// Shorter words say too little.
const MIN_CHARS: usize = 4;
/// At most this many similar cases are offered.
pub const OFFERED_MAX: usize = 3;

/// Words too common in support requests to tell cases apart.
const STOP: [&str; 24] = [
    "with", "that", "this", "from", "have", "when", "does", "there", "what", "after", "since",
    "into", "they", "their", "them", "been", "only", "also", "some", "every", "campusm", "users",
    "user", "students",
];

/// The words of `text` worth comparing: lowercase, at least four letters or digits, not one of
/// the common ones, each once, in order, at most [`KEYWORDS_MAX`].
pub fn keywords(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= MIN_CHARS && !STOP.contains(&w.as_str()))
    {
        if !out.contains(&w) {
            out.push(w);
        }
        if out.len() == KEYWORDS_MAX {
            break;
        }
    }
    out
}

/// How many of `keywords` words a case must contain to be offered: two (one when there is only
/// one word).
pub fn needed(keywords: usize) -> usize {
    keywords.min(2)
}

/// Whether the text says enough to look for similar cases (two words worth comparing).
pub fn worth_asking(text: &str) -> bool {
    keywords(text).len() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_the_telling_words() {
        assert_eq!(
            keywords("The room booking module fails to load for every user"),
            ["room", "booking", "module", "fails", "load"]
        );
        assert!(!worth_asking("App down"));
        assert!(worth_asking("Timetable empty"));
        assert_eq!(needed(1), 1);
        assert_eq!(needed(5), 2);
    }

    proptest! {
        #[test]
        fn never_more_than_the_maximum_and_each_once(text in "\\PC{0,300}") {
            let k = keywords(&text);
            prop_assert!(k.len() <= KEYWORDS_MAX);
            let mut sorted = k.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), k.len());
        }
    }
}
