//! The knowledge articles shipped with the reference API (`api/data/articles.json`) and their
//! search: words of the query matched against title (weight 3), summary (2) and body (1).

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

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

fn matches(haystack: &[String], word: &str) -> bool {
    // A prefix match catches plurals and verb forms ("notification" ~ "notifications").
    haystack.iter().any(|h| {
        h.starts_with(word) || (word.len() > 4 && word.starts_with(h.as_str()) && h.len() > 3)
    })
}

/// The best matches for `query`, at most `limit`, best first (bodies left out).
pub fn search(articles: &[Article], query: &str, limit: usize) -> Vec<Article> {
    let q = words(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u32, &Article)> = articles
        .iter()
        .map(|a| {
            let (t, s, b) = (words(&a.title), words(&a.summary), words(&a.body));
            let score = q
                .iter()
                .map(|w| {
                    3 * u32::from(matches(&t, w))
                        + 2 * u32::from(matches(&s, w))
                        + u32::from(matches(&b, w))
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
        .map(|(_, a)| Article {
            body: String::new(),
            ..a.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_relevant_article_first() {
        let all = builtin();
        assert_eq!(all.len(), 10);
        let hits = search(&all, "Timetable shows no events since the new term", 3);
        assert_eq!(hits.first().map(|a| a.id.as_str()), Some("KA-0101"));
        assert!(hits.iter().all(|a| a.body.is_empty()));
        let hits = search(&all, "students get every push notification twice", 3);
        assert_eq!(hits.first().map(|a| a.id.as_str()), Some("KA-0102"));
        assert!(search(&all, "the and of", 3).is_empty());
        assert!(search(&all, "xylophone quartz", 3).is_empty());
    }
}
