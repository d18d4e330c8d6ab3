//! The knowledge articles shipped with the reference API (`api/data/articles.json`) and their
//! search. Words of the query are matched against title (weight 3), summary (2) and body (1), as
//! people write them: word forms share a stem ("notifications", "notified"), a support term finds
//! its synonyms ("login" finds the SSO sign-in article), and a typo of a longer word still matches
//! by trigrams ("timetabel"). An empty query lists every article, by topic, to browse.

use portal_core::model::Article;

/// The shipped articles.
pub fn builtin() -> Vec<Article> {
    serde_json::from_str(include_str!("../data/articles.json")).unwrap_or_default()
}

/// Words that say nothing about the topic.
const STOP: [&str; 24] = [
    "the", "a", "an", "and", "or", "is", "are", "to", "of", "in", "on", "for", "it", "we", "our",
    "my", "how", "do", "i", "with", "not", "no", "after", "since",
];

/// Words customers use for the same thing as the articles (stems, see [`stem`]): a query word in a
/// group also looks for the others.
const SYNONYMS: [&[&str]; 8] = [
    &[
        "login",
        "logon",
        "log",
        "signin",
        "sign",
        "sso",
        "saml",
        "authent",
        "idp",
        "shibboleth",
    ],
    &["password", "credenti", "certific"],
    &["push", "notif", "alert", "messag"],
    &["twice", "duplic", "double", "repeat"],
    &["down", "outag", "unavail", "offline", "crash"],
    &["timetabl", "schedul", "calendar", "class", "lectur"],
    &["vpn", "remot", "jump", "access"],
    &["permiss", "role", "right", "admin"],
];

/// A word reduced to a shared stem: the common English endings go (plurals, -ing, -ed, -ion),
/// enough to make "notifications" and "notified" meet; never below three letters.
fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    for suffix in [
        "ations", "ation", "ings", "ing", "ions", "ion", "ied", "ies", "ed", "es", "s", "e", "y",
    ] {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.chars().count() >= 3 && !(suffix == "s" && base.ends_with('s')) {
                return base.to_string();
            }
        }
    }
    w
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect()
}

/// The word's letter trigrams, padded so that short words have some.
fn trigrams(word: &str) -> Vec<[char; 3]> {
    let c: Vec<char> = format!(" {word} ").chars().collect();
    let mut t: Vec<[char; 3]> = c.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// Trigram similarity (shared over all, as PostgreSQL's `pg_trgm` computes it).
fn similarity(a: &str, b: &str) -> f32 {
    let (x, y) = (trigrams(a), trigrams(b));
    let shared = x.iter().filter(|t| y.contains(t)).count();
    let all = x.len() + y.len() - shared;
    if all == 0 {
        0.0
    } else {
        shared as f32 / all as f32
    }
}

/// Whether a stemmed query word is in the text's stemmed words: the same stem, one a prefix of
/// the other (compound forms), or a close spelling of a longer word.
fn matches(haystack: &[String], word: &str) -> bool {
    haystack.iter().any(|h| {
        h == word
            || (h.starts_with(word) && word.chars().count() >= 3)
            || (word.starts_with(h.as_str()) && h.chars().count() >= 4)
            || (word.chars().count() >= 5 && h.chars().count() >= 5 && similarity(h, word) >= 0.45)
    })
}

/// The words a query word stands for: itself and its synonyms.
fn alternatives(word: &str) -> Vec<&str> {
    let group = SYNONYMS.iter().find(|g| {
        g.iter()
            .any(|s| word.starts_with(s) || (word.chars().count() >= 4 && s.starts_with(word)))
    });
    let mut all = vec![word];
    if let Some(g) = group {
        all.extend(g.iter().copied());
    }
    all
}

/// The best matches for `query`, at most `limit`, best first (bodies left out). An empty query
/// lists every article by topic, then title.
pub fn search(articles: &[Article], query: &str, limit: usize) -> Vec<Article> {
    let without_body = |a: &Article| Article {
        body: String::new(),
        ..a.clone()
    };
    if query.trim().is_empty() {
        let mut all: Vec<Article> = articles.iter().map(without_body).collect();
        all.sort_by(|a, b| a.topic.cmp(&b.topic).then_with(|| a.title.cmp(&b.title)));
        return all;
    }
    let q = words(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u32, &Article)> = articles
        .iter()
        .map(|a| {
            let (t, s, b) = (words(&a.title), words(&a.summary), words(&a.body));
            // Each query word counts once, by its best place among its alternatives.
            let score = q
                .iter()
                .map(|w| {
                    alternatives(w)
                        .into_iter()
                        .map(|w| {
                            3 * u32::from(matches(&t, w))
                                + 2 * u32::from(matches(&s, w))
                                + u32::from(matches(&b, w))
                        })
                        .max()
                        .unwrap_or(0)
                })
                .sum();
            (score, a)
        })
        .filter(|(score, _)| *score >= 3)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, a)| without_body(a))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(query: &str) -> Option<String> {
        search(&builtin(), query, 3).first().map(|a| a.id.clone())
    }

    #[test]
    fn finds_the_relevant_article_first() {
        let all = builtin();
        assert_eq!(all.len(), 10);
        assert!(
            all.iter().all(|a| !a.topic.is_empty()),
            "every article has a topic"
        );
        let hits = search(&all, "Timetable shows no events since the new term", 3);
        assert_eq!(hits.first().map(|a| a.id.as_str()), Some("KA-0101"));
        assert!(hits.iter().all(|a| a.body.is_empty()));
        assert_eq!(
            first("students get every push notification twice").as_deref(),
            Some("KA-0102")
        );
        assert!(search(&all, "the and of", 3).is_empty());
        assert!(search(&all, "xylophone quartz", 3).is_empty());
    }

    #[test]
    fn finds_what_people_call_it_by_other_words() {
        // The SSO article says "sign in"; people say "login".
        assert_eq!(first("login").as_deref(), Some("KA-0103"));
        assert_eq!(first("log in fails").as_deref(), Some("KA-0103"));
        assert_eq!(first("users cannot login").as_deref(), Some("KA-0103"));
        // Word forms and typos.
        assert_eq!(first("notified twice").as_deref(), Some("KA-0102"));
        assert_eq!(first("timetabel empty").as_deref(), Some("KA-0101"));
        assert_eq!(first("scheduled notifications").as_deref(), Some("KA-0107"));
        assert_eq!(first("app is down").as_deref(), Some("KA-0108"));
    }

    #[test]
    fn an_empty_query_lists_every_article_by_topic() {
        let all = search(&builtin(), "  ", 3);
        assert_eq!(
            all.len(),
            10,
            "browsing is not limited to the suggestions' count"
        );
        assert!(all.windows(2).all(|w| w[0].topic <= w[1].topic));
        assert!(all.iter().all(|a| a.body.is_empty()));
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("notifications"), stem("notification"));
        assert_eq!(stem("scheduled"), stem("scheduling"));
        assert_eq!(stem("access"), "access");
        assert!(similarity("timetabel", "timetable") > 0.45);
        assert!(similarity("library", "timetable") < 0.2);
    }
}
