//! The portal's pages and the part of the WebAssembly each one loads on demand.
//!
//! The portal's code is split: a main module (the shell, router, API client, shared components)
//! and one part per page, fetched when the page is first shown. The portal names each part in
//! its `#[wasm_split(…)]` attributes (`src/pages.rs`); the build (`cargo xtask dist`) checks that
//! its parts are exactly [`PARTS`], and the API tells the browser which part a deep link needs
//! ([`part_for`]) so it downloads in parallel with the main module.

/// Every page part, by the name the portal gives it. The pages most people open first (home,
/// sign-in, the support overview, knowledge articles) are in the main module; the
/// large or rarely used ones are parts. Few parts on purpose: code two parts share becomes a file
/// of its own, and every file is a request.
pub const PARTS: [&str; 6] = [
    "page_cases",
    "page_case",
    "page_new",
    "page_admin",
    "page_sent",
    "page_account",
];

/// The part a page at `path` (a URL path, without query) needs; `None` for pages in the main
/// module and unknown paths.
pub fn part_for(path: &str) -> Option<&'static str> {
    let trimmed = path.trim_end_matches('/');
    let mut segments = trimmed.split('/').skip(1);
    let first = segments.next().unwrap_or("");
    let second = segments.next();
    if segments.next().is_some() {
        return None;
    }
    let part = match (first, second) {
        ("cases", None) => "page_cases",
        ("sent", None) => "page_sent",
        ("account" | "people" | "join" | "forgot-password" | "reset-password", None) => {
            "page_account"
        }
        ("cases", Some(n)) if !n.is_empty() => "page_case",
        ("new", None) => "page_new",
        ("announcements" | "access-profile", None) => "page_admin",
        _ => return None,
    };
    Some(part)
}

/// The API requests a page makes first, by who is signed in: index.html's early-requests script
/// starts them while the app itself still downloads, and the portal adopts an answer already in
/// flight for exactly the same URL instead of asking again (`src/api.rs`). The API writes them
/// into the page it serves (`<meta name="early-requests">`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FirstRequests {
    /// The languages the portal speaks (the script picks the one the portal will: a choice kept
    /// on the device, else the browser's first spoken one, else the first of these).
    pub langs: Vec<&'static str>,
    /// Asked on every page, whoever reads it.
    pub anyone: Vec<String>,
    /// Asked once `GET /me` says an institution's member is signed in.
    pub customer: Vec<String>,
    /// Asked once `GET /me` says a support agent is signed in.
    pub agent: Vec<String>,
}

/// The API's base path, as the portal calls it.
pub const API_BASE: &str = "/api/v1";

/// The first requests of the page at `path` with `query` (its query string, without `?`): the
/// session, the configuration and the announcements on every page; for someone signed in, the
/// header's news count, and home's lists on `/`, the case list's first page on `/cases` and the
/// case on `/cases/{number}`. The URLs are exactly the ones the portal asks
/// for (same rules: [`CaseQuery::for_list_page`], [`CaseQuery::to_query_string`]).
pub fn first_requests(path: &str, query: &str) -> FirstRequests {
    use crate::i18n::Lang;
    use crate::query::CaseQuery;
    let mut r = FirstRequests {
        langs: Lang::ALL.iter().map(|l| l.code()).collect(),
        anyone: ["/me", "/config", "/announcements"]
            .iter()
            .map(|p| format!("{API_BASE}{p}"))
            .collect(),
        customer: Vec::new(),
        agent: Vec::new(),
    };
    let trimmed = path.trim_end_matches('/');
    let segments: Vec<&str> = trimmed.split('/').skip(1).collect();
    // Whoever is signed in: the header's count of cases with news.
    let news = format!("{API_BASE}/news");
    r.customer.push(news.clone());
    r.agent.push(news);
    let cases_url = |q: &CaseQuery| format!("{API_BASE}/cases?{}", q.to_query_string());
    match segments.as_slice() {
        [] | [""] => {
            r.customer
                .extend(CaseQuery::customer_home().iter().map(cases_url));
            r.agent
                .extend(CaseQuery::agent_home().iter().map(cases_url));
        }
        ["cases"] => {
            let Some(pairs) = CaseQuery::decode_pairs(query) else {
                return r;
            };
            let pairs = || pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            for (agent, list) in [(false, &mut r.customer), (true, &mut r.agent)] {
                let (q, errors) = CaseQuery::for_list_page(pairs(), agent, Lang::default());
                // A query with mistakes is shown with them first: nothing to guess ahead.
                if errors.is_empty() {
                    list.push(cases_url(&q));
                }
            }
        }
        // Case numbers are plain (`CS-000042`): anything else is left to the portal.
        ["cases", number]
            if !number.is_empty()
                && number
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            let url = format!("{API_BASE}/cases/{number}");
            r.customer.push(url.clone());
            r.agent.push(url);
        }
        _ => {}
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_its_part() {
        let pages = [
            ("/cases", Some("page_cases")),
            ("/cases/", Some("page_cases")),
            ("/sent", Some("page_sent")),
            ("/cases/CS-000042", Some("page_case")),
            ("/new", Some("page_new")),
            ("/announcements", Some("page_admin")),
            ("/access-profile", Some("page_admin")),
            ("/", None),
            ("/sign-in", None),
            ("/support", None),
            ("/knowledge/connect-layer-access", None),
            ("/account", Some("page_account")),
            ("/people", Some("page_account")),
            ("/join", Some("page_account")),
            ("/forgot-password", Some("page_account")),
            ("/reset-password", Some("page_account")),
        ];
        for (path, part) in pages {
            assert_eq!(part_for(path), part, "{path}");
        }
        let used: std::collections::BTreeSet<_> = pages.iter().filter_map(|(_, p)| *p).collect();
        assert_eq!(used, PARTS.into_iter().collect(), "every part is reachable");
    }

    #[test]
    fn every_page_asks_for_the_session_the_configuration_and_the_announcements() {
        for path in [
            "/",
            "/support",
            "/new",
            "/cases",
            "/cases/CS-000001",
            "/nowhere",
        ] {
            let r = first_requests(path, "");
            assert_eq!(
                r.anyone,
                ["/api/v1/me", "/api/v1/config", "/api/v1/announcements"],
                "{path}"
            );
            assert_eq!(r.langs, ["en", "fr"]);
        }
        let r = first_requests("/support", "");
        assert_eq!(r.customer, ["/api/v1/news"]);
        assert_eq!(r.agent, r.customer);
    }

    #[test]
    fn home_asks_for_its_lists() {
        use crate::query::CaseQuery;
        let r = first_requests("/", "");
        assert_eq!(r.customer.len(), 1 + CaseQuery::customer_home().len());
        assert_eq!(r.agent.len(), 1 + CaseQuery::agent_home().len());
        assert_eq!(r.customer[0], "/api/v1/news");
        assert_eq!(
            r.customer[1],
            "/api/v1/cases?status=open&sort=level&page_size=5"
        );
        assert!(
            r.agent[1..]
                .iter()
                .all(|u| u.starts_with("/api/v1/cases?status=open")),
            "{:?}",
            r.agent
        );
    }

    #[test]
    fn a_case_list_asks_for_the_list_the_portal_will() {
        use crate::query::CaseQuery;
        // Signed in, the header's news come first; the page's own requests follow.
        let own = |v: &[String]| -> Vec<String> {
            assert_eq!(v.first().map(String::as_str), Some("/api/v1/news"));
            v[1..].to_vec()
        };
        let r = first_requests("/cases", "");
        let list = |q: CaseQuery| vec![format!("/api/v1/cases?{}", q.to_query_string())];
        assert_eq!(own(&r.customer), list(CaseQuery::default()));
        assert_eq!(own(&r.agent), list(CaseQuery::queue()));
        // A filter in the URL counts for agents too; unknown keys are not filters.
        let r = first_requests("/cases/", "status=closed&page=2&utm=x");
        assert_eq!(own(&r.customer), ["/api/v1/cases?status=closed&page=2"]);
        assert_eq!(r.agent, r.customer);
        let r = first_requests("/cases", "utm=x");
        assert_eq!(own(&r.agent), list(CaseQuery::queue()));
        // A mistake in the URL: the page shows it first, nothing of it is asked ahead.
        let r = first_requests("/cases", "level=VII");
        assert!(own(&r.customer).is_empty() && own(&r.agent).is_empty());
        assert!(own(&first_requests("/cases", "q=%FF").customer).is_empty());
    }

    #[test]
    fn a_case_page_asks_for_its_case() {
        let r = first_requests("/cases/CS-000042", "");
        assert_eq!(r.customer, ["/api/v1/news", "/api/v1/cases/CS-000042"]);
        assert_eq!(r.agent, r.customer);
        for odd in ["/cases/CS%20000042", "/cases/a\"b", "/cases/CS-1/edit"] {
            let r = first_requests(odd, "");
            assert_eq!(r.customer, ["/api/v1/news"], "{odd}");
        }
    }

    #[test]
    fn unknown_paths_need_no_part() {
        for path in ["/nowhere", "/cases/CS-1/edit", "/new/x", "/announcements/x"] {
            assert_eq!(part_for(path), None, "{path}");
        }
    }
}
