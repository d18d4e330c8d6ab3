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
    fn unknown_paths_need_no_part() {
        for path in ["/nowhere", "/cases/CS-1/edit", "/new/x", "/announcements/x"] {
            assert_eq!(part_for(path), None, "{path}");
        }
    }
}
