//! The case-list query: which cases, in what order, which page. One typed [`CaseQuery`] with one
//! parser ([`CaseQuery::parse`]) and one serialiser ([`CaseQuery::to_query_string`]), used by the
//! portal for its URL state and its links, and by the API for `GET /api/v1/cases`, so the keys,
//! their values and the defaults are written once.
//!
//! Every key is optional; an empty value means the default. A value that is not understood is a
//! [`QueryError`] with a message for people, in the language asked for.

use crate::due::DueFilter;
use crate::{tr, trf, CaseStatus, Lang, Level, RequestKind};

/// Rows per page unless asked otherwise.
pub const PAGE_SIZE_DEFAULT: u32 = 25;
/// Most rows per page.
pub const PAGE_SIZE_MAX: u32 = 100;
/// Highest page number (a bound, so a page number never overflows an offset).
pub const PAGE_MAX: u32 = 100_000;
/// Longest search text, in characters.
pub const SEARCH_MAX: usize = 200;

/// Whose cases: the institution's (the default) or the ones the user opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every case of the user's institution (for agents: every case).
    #[default]
    Institution,
    /// The cases the user opened.
    Mine,
}

impl Scope {
    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Institution => "institution",
            Scope::Mine => "mine",
        }
    }
}

/// Whose cases, by assignment (support's queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Nobody's yet.
    Unassigned,
    /// Assigned to the person asking.
    Mine,
}

impl AssigneeFilter {
    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            AssigneeFilter::Unassigned => "unassigned",
            AssigneeFilter::Mine => "mine",
        }
    }
}

/// Which statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every status but closed.
    Open,
    /// One status.
    Is(CaseStatus),
}

impl StatusFilter {
    /// The URL value (`open` or a status).
    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::Is(s) => s.as_str(),
        }
    }

    /// Whether a case in `status` is in the set.
    pub fn matches(self, status: CaseStatus) -> bool {
        match self {
            StatusFilter::Open => status.is_open(),
            StatusFilter::Is(s) => s == status,
        }
    }
}

/// A column cases can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Case number (= the order cases were opened in).
    Number,
    /// Subject, ignoring case.
    Subject,
    /// Status.
    Status,
    /// Level.
    Level,
    /// Request kind.
    Kind,
    /// When it was opened.
    OpenedAt,
    /// Last change.
    UpdatedAt,
    /// When the initial response is due.
    InitialResponseDue,
}

impl SortKey {
    /// Every key.
    pub const ALL: [SortKey; 8] = [
        SortKey::Number,
        SortKey::Subject,
        SortKey::Status,
        SortKey::Level,
        SortKey::Kind,
        SortKey::OpenedAt,
        SortKey::UpdatedAt,
        SortKey::InitialResponseDue,
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Number => "number",
            SortKey::Subject => "subject",
            SortKey::Status => "status",
            SortKey::Level => "level",
            SortKey::Kind => "kind",
            SortKey::OpenedAt => "opened_at",
            SortKey::UpdatedAt => "updated_at",
            SortKey::InitialResponseDue => "initial_response_due",
        }
    }

    /// Parses a URL value.
    pub fn parse(s: &str) -> Option<SortKey> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A sort order: a column, ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub key: SortKey,
    /// Descending (written `-key`).
    pub desc: bool,
}

impl Default for Sort {
    /// Most recently updated first.
    fn default() -> Self {
        Sort {
            key: SortKey::UpdatedAt,
            desc: true,
        }
    }
}

impl Sort {
    /// The URL value (`-updated_at`).
    pub fn to_value(self) -> String {
        format!("{}{}", if self.desc { "-" } else { "" }, self.key.as_str())
    }

    /// Parses a URL value.
    pub fn parse(s: &str) -> Option<Sort> {
        match s.strip_prefix('-') {
            Some(k) => SortKey::parse(k).map(|key| Sort { key, desc: true }),
            None => SortKey::parse(s).map(|key| Sort { key, desc: false }),
        }
    }

    /// The order after a click on `key`'s column header: the same column flips, another column
    /// starts ascending.
    pub fn toggled(self, key: SortKey) -> Sort {
        if self.key == key {
            Sort {
                key,
                desc: !self.desc,
            }
        } else {
            Sort { key, desc: false }
        }
    }
}

/// `GET /api/v1/cases?…` and the portal's `/cases?…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuery {
    /// Whose cases.
    pub scope: Scope,
    /// Which statuses (`None`: all).
    pub status: Option<StatusFilter>,
    /// Which level (`None`: all).
    pub level: Option<Level>,
    /// Which request kind (`None`: all).
    pub kind: Option<RequestKind>,
    /// Case number or words in subject / description (empty: no search).
    pub q: String,
    /// Which institution (support's queue; `None`: all).
    pub institution: Option<i64>,
    /// Where the response due stands (support's queue; `None`: anywhere).
    pub due: Option<DueFilter>,
    /// Assigned to nobody or to me (support's queue; `None`: anyone).
    pub assignee: Option<AssigneeFilter>,
    /// Order.
    pub sort: Sort,
    /// 1-based page.
    pub page: u32,
    /// Rows per page.
    pub page_size: u32,
}

impl Default for CaseQuery {
    fn default() -> Self {
        CaseQuery {
            scope: Scope::default(),
            status: None,
            level: None,
            kind: None,
            q: String::new(),
            institution: None,
            due: None,
            assignee: None,
            sort: Sort::default(),
            page: 1,
            page_size: PAGE_SIZE_DEFAULT,
        }
    }
}

/// A query-string value that was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The key (`page`, `status`, …).
    pub key: String,
    /// What is wrong and what to use instead, for people.
    pub message: String,
}

impl CaseQuery {
    /// The keys, in the order [`CaseQuery::to_query_string`] writes them.
    pub const KEYS: [&'static str; 11] = [
        "scope",
        "status",
        "level",
        "kind",
        "q",
        "institution",
        "due",
        "assignee",
        "sort",
        "page",
        "page_size",
    ];

    /// Reads a query string (`scope=mine&page=2`, with or without the `?`), form-urlencoded.
    /// Unknown keys are ignored (other features of the page may use them).
    pub fn parse(query_string: &str, lang: Lang) -> Result<CaseQuery, Vec<QueryError>> {
        let pairs = query_string
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (form_decode(k), form_decode(v))
            });
        let mut decoded = Vec::new();
        for (k, v) in pairs {
            match (k, v) {
                (Some(k), Some(v)) => decoded.push((k, v)),
                (Some(k), None) => {
                    return Err(vec![QueryError {
                        message: trf!(lang,
                            en: "The value of {k} is not valid text (a bad %-escape).",
                            fr: "La valeur de {k} n’est pas un texte valide (un échappement % incorrect)."),
                        key: k,
                    }])
                }
                (None, _) => continue,
            }
        }
        Self::from_pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())), lang)
    }

    /// The case list page's query (`/cases?…`, decoded pairs): what the URL says, and for
    /// support agents an URL without any filter means their queue ([`CaseQuery::queue`]).
    /// Answers what was understood and what had to be left out.
    pub fn for_list_page<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        agent: bool,
        lang: Lang,
    ) -> (CaseQuery, Vec<QueryError>) {
        let pairs: Vec<(&str, &str)> = pairs
            .into_iter()
            .filter(|(k, _)| Self::KEYS.contains(k))
            .collect();
        if agent && pairs.is_empty() {
            return (CaseQuery::queue(), Vec::new());
        }
        Self::lenient(pairs, lang)
    }

    /// A query string's decoded pairs (`None` when an escape is not valid UTF-8 text).
    pub fn decode_pairs(query_string: &str) -> Option<Vec<(String, String)>> {
        query_string
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                Some((form_decode(k)?, form_decode(v)?))
            })
            .collect()
    }

    /// Reads decoded key/value pairs (from a router's query map). Every value that is not
    /// understood is reported; the first value of a repeated key counts.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        lang: Lang,
    ) -> Result<CaseQuery, Vec<QueryError>> {
        let (query, errors) = Self::lenient(pairs, lang);
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }

    /// Like [`CaseQuery::from_pairs`], but keeps what it understood (the rest at its default)
    /// and answers it with the errors: the portal shows the list and says what it ignored.
    pub fn lenient<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        lang: Lang,
    ) -> (CaseQuery, Vec<QueryError>) {
        let mut q = CaseQuery::default();
        let mut errors = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (key, raw) in pairs {
            let Some(key) = Self::KEYS.iter().copied().find(|k| *k == key) else {
                continue;
            };
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let value = raw.trim();
            if value.is_empty() {
                continue;
            }
            let mut fail = |message: String| {
                errors.push(QueryError {
                    key: key.to_string(),
                    message,
                })
            };
            match key {
                "scope" => match value {
                    "institution" => q.scope = Scope::Institution,
                    "mine" => q.scope = Scope::Mine,
                    _ => fail(trf!(lang,
                        en: "“{value}” is not a scope: use mine (cases you opened) or institution.",
                        fr: "« {value} » n’est pas une portée : utilisez mine (vos dossiers) ou institution.")),
                },
                "status" => match value {
                    "open" => q.status = Some(StatusFilter::Open),
                    s => match CaseStatus::parse(s) {
                        Some(s) => q.status = Some(StatusFilter::Is(s)),
                        None => {
                            let all = CaseStatus::ALL.map(CaseStatus::as_str).join(", ");
                            fail(trf!(lang,
                                en: "“{value}” is not a status: use open or one of {all}.",
                                fr: "« {value} » n’est pas un statut : utilisez open ou l’un de {all}."))
                        }
                    },
                },
                "level" => match Level::parse(value) {
                    Some(l) => q.level = Some(l),
                    None => fail(trf!(lang,
                        en: "“{value}” is not a response level: use I, II, III or IV.",
                        fr: "« {value} » n’est pas un niveau de réponse : utilisez I, II, III ou IV.")),
                },
                "kind" => match RequestKind::parse(value).filter(|k| k.is_support_case()) {
                    Some(k) => q.kind = Some(k),
                    None => fail(trf!(lang,
                        en: "“{value}” is not a kind of support case: use question or defect.",
                        fr: "« {value} » n’est pas un type de dossier de support : utilisez question ou defect.")),
                },
                "q" => {
                    let n = value.chars().count();
                    if n > SEARCH_MAX {
                        fail(trf!(lang,
                            en: "The search is {n} characters long; search for at most {SEARCH_MAX}.",
                            fr: "La recherche fait {n} caractères ; cherchez au plus {SEARCH_MAX}."));
                    } else {
                        q.q = value.to_string();
                    }
                }
                "institution" => match value.parse::<i64>().ok().filter(|i| *i > 0) {
                    Some(i) => q.institution = Some(i),
                    None => fail(trf!(lang,
                        en: "“{value}” is not an institution: use an institution's number.",
                        fr: "« {value} » n’est pas un établissement : utilisez le numéro d’un établissement.")),
                },
                "due" => match DueFilter::parse(value) {
                    Some(d) => q.due = Some(d),
                    None => fail(trf!(lang,
                        en: "“{value}” is not a response-due filter: use breached, within_hour, today or met.",
                        fr: "« {value} » n’est pas un filtre d’échéance : utilisez breached, within_hour, today ou met.")),
                },
                "assignee" => match value {
                    "unassigned" => q.assignee = Some(AssigneeFilter::Unassigned),
                    "mine" => q.assignee = Some(AssigneeFilter::Mine),
                    _ => fail(trf!(lang,
                        en: "“{value}” is not an assignee filter: use unassigned or mine.",
                        fr: "« {value} » n’est pas un filtre d’attribution : utilisez unassigned ou mine.")),
                },
                "sort" => match Sort::parse(value) {
                    Some(s) => q.sort = s,
                    None => {
                        let all = SortKey::ALL.map(SortKey::as_str).join(", ");
                        fail(trf!(lang,
                            en: "Cases cannot be sorted by “{value}”: use one of {all}, with - in front for descending.",
                            fr: "Les dossiers ne peuvent pas être triés par « {value} » : utilisez l’un de {all}, précédé de - pour l’ordre décroissant."))
                    }
                },
                "page" => match value
                    .parse::<u32>()
                    .ok()
                    .filter(|p| (1..=PAGE_MAX).contains(p))
                {
                    Some(p) => q.page = p,
                    None => fail(trf!(lang,
                        en: "The page must be a whole number from 1 to {PAGE_MAX}.",
                        fr: "La page doit être un nombre entier de 1 à {PAGE_MAX}.")),
                },
                _ => match value
                    .parse::<u32>()
                    .ok()
                    .filter(|p| (1..=PAGE_SIZE_MAX).contains(p))
                {
                    Some(p) => q.page_size = p,
                    None => fail(trf!(lang,
                        en: "The page size must be a whole number from 1 to {PAGE_SIZE_MAX}.",
                        fr: "La taille de page doit être un nombre entier de 1 à {PAGE_SIZE_MAX}.")),
                },
            }
        }
        (q, errors)
    }

    /// The query string (without `?`) with only the keys that differ from the default, in
    /// [`CaseQuery::KEYS`] order; empty for the default query.
    pub fn to_query_string(&self) -> String {
        let d = CaseQuery::default();
        let mut parts: Vec<(&str, String)> = Vec::new();
        if self.scope != d.scope {
            parts.push(("scope", self.scope.as_str().into()));
        }
        if let Some(s) = self.status {
            parts.push(("status", s.as_str().into()));
        }
        if let Some(l) = self.level {
            parts.push(("level", l.as_str().into()));
        }
        if let Some(k) = self.kind {
            parts.push(("kind", k.as_str().into()));
        }
        if !self.q.trim().is_empty() {
            parts.push(("q", self.q.trim().to_string()));
        }
        if let Some(i) = self.institution {
            parts.push(("institution", i.to_string()));
        }
        if let Some(d) = self.due {
            parts.push(("due", d.as_str().into()));
        }
        if let Some(a) = self.assignee {
            parts.push(("assignee", a.as_str().into()));
        }
        if self.sort != d.sort {
            parts.push(("sort", self.sort.to_value()));
        }
        if self.page != d.page {
            parts.push(("page", self.page.to_string()));
        }
        if self.page_size != d.page_size {
            parts.push(("page_size", self.page_size.to_string()));
        }
        parts
            .iter()
            .map(|(k, v)| format!("{k}={}", form_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The portal's address of this list (`/cases` or `/cases?…`).
    pub fn href(&self) -> String {
        let qs = self.to_query_string();
        if qs.is_empty() {
            "/cases".into()
        } else {
            format!("/cases?{qs}")
        }
    }

    /// The same query with another filter value and back on page 1 (a changed filter makes a
    /// new list: its page 1).
    pub fn with(&self, change: impl FnOnce(&mut CaseQuery)) -> CaseQuery {
        let mut next = self.clone();
        change(&mut next);
        if next.page == self.page {
            next.page = 1;
        }
        next
    }

    /// Whether the query narrows the list (anything but scope, sort and paging).
    pub fn is_filtered(&self) -> bool {
        self.status.is_some()
            || self.level.is_some()
            || self.kind.is_some()
            || !self.q.is_empty()
            || self.institution.is_some()
            || self.due.is_some()
            || self.assignee.is_some()
    }

    /// A customer's home page (`/`): the first five open cases, Level I and II first
    /// (`level` sorts I, II, III, IV); and the first five awaiting their reply, the most
    /// recently updated first.
    pub fn customer_home() -> [CaseQuery; 2] {
        let first_five = |status, sort| CaseQuery {
            status: Some(status),
            sort,
            page_size: 5,
            ..CaseQuery::default()
        };
        [
            first_five(
                StatusFilter::Open,
                Sort {
                    key: SortKey::Level,
                    desc: false,
                },
            ),
            first_five(
                StatusFilter::Is(crate::CaseStatus::AwaitingCustomer),
                Sort::default(),
            ),
        ]
    }

    /// Support's home page (`/`): how many of the queue's cases are breached, due within the
    /// hour and unassigned (one case each: the page shows the totals); the five that need a
    /// response soonest; and the five assigned to the agent.
    pub fn agent_home() -> [CaseQuery; 5] {
        let queue = |f: fn(&mut CaseQuery)| {
            let mut q = CaseQuery::queue();
            f(&mut q);
            q
        };
        [
            queue(|q| {
                q.due = Some(DueFilter::Breached);
                q.page_size = 1;
            }),
            queue(|q| {
                q.due = Some(DueFilter::WithinHour);
                q.page_size = 1;
            }),
            queue(|q| {
                q.assignee = Some(AssigneeFilter::Unassigned);
                q.page_size = 1;
            }),
            queue(|q| q.page_size = 5),
            queue(|q| {
                q.assignee = Some(AssigneeFilter::Mine);
                q.page_size = 5;
            }),
        ]
    }

    /// Support's queue as it opens: the open cases, the response due soonest first.
    pub fn queue() -> CaseQuery {
        CaseQuery {
            status: Some(StatusFilter::Open),
            sort: Sort {
                key: SortKey::InitialResponseDue,
                desc: false,
            },
            ..CaseQuery::default()
        }
    }

    /// The last page for `total` rows (at least 1).
    pub fn last_page(&self, total: u64) -> u32 {
        let pages = total.div_ceil(u64::from(self.page_size.max(1))).max(1);
        u32::try_from(pages).unwrap_or(PAGE_MAX).min(PAGE_MAX)
    }

    /// One message for people from several errors.
    pub fn errors_text(errors: &[QueryError], lang: Lang) -> String {
        match errors {
            [one] => one.message.clone(),
            _ => {
                let all = errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let intro = tr!(lang, en: "Several filters were not understood:", fr: "Plusieurs filtres n’ont pas été compris :");
                format!("{intro} {all}")
            }
        }
    }
}

/// Encodes a query value (`application/x-www-form-urlencoded`: unreserved characters stay, a
/// space is `+`, everything else `%XX` of its UTF-8 bytes).
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes a form-urlencoded value; `None` for a bad `%` escape or bytes that are not UTF-8.
pub fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn defaults_are_empty_and_round_trip() {
        assert_eq!(CaseQuery::default().to_query_string(), "");
        assert_eq!(CaseQuery::parse("", Lang::En), Ok(CaseQuery::default()));
        let q = CaseQuery::parse(
            "?status=open&level=II&q=a+b%26c&sort=-level&page=3&scope=mine",
            Lang::En,
        )
        .expect("valid");
        assert_eq!(q.scope, Scope::Mine);
        assert_eq!(q.status, Some(StatusFilter::Open));
        assert_eq!(q.q, "a b&c");
        assert_eq!(
            q.sort,
            Sort {
                key: SortKey::Level,
                desc: true
            }
        );
        assert_eq!(
            q.to_query_string(),
            "scope=mine&status=open&level=II&q=a+b%26c&sort=-level&page=3"
        );
        assert_eq!(CaseQuery::parse(&q.to_query_string(), Lang::En), Ok(q));
    }

    #[test]
    fn bad_values_are_explained_for_people_in_their_language() {
        let errs =
            CaseQuery::parse("page=1e20&status=lost&sort=colour", Lang::En).expect_err("invalid");
        assert_eq!(errs.len(), 3);
        assert!(errs[0].message.contains("whole number from 1 to 100000"));
        assert!(!errs.iter().any(|e| e.message.contains("target type")));
        let fr = CaseQuery::parse("level=V", Lang::Fr).expect_err("invalid");
        assert!(fr[0].message.contains("niveau de réponse"), "{fr:?}");
        // The portal keeps what it understood.
        let (q, errs) = CaseQuery::lenient([("level", "II"), ("page", "0")], Lang::En);
        assert_eq!((q.level, q.page, errs.len()), (Some(Level::II), 1, 1));
        // Routed kinds are never support cases.
        assert!(CaseQuery::parse("kind=ux_redesign", Lang::En).is_err());
        // Support's queue filters.
        let q = CaseQuery::parse(
            "institution=2&due=within_hour&assignee=unassigned",
            Lang::En,
        )
        .expect("valid");
        assert_eq!(q.institution, Some(2));
        assert_eq!(q.due, Some(DueFilter::WithinHour));
        assert_eq!(q.assignee, Some(AssigneeFilter::Unassigned));
        assert!(CaseQuery::parse("institution=-1", Lang::En).is_err());
        assert_eq!(
            CaseQuery::queue().to_query_string(),
            "status=open&sort=initial_response_due"
        );
    }

    #[test]
    fn a_changed_filter_goes_back_to_page_one_and_sorting_toggles() {
        let q = CaseQuery {
            page: 4,
            ..CaseQuery::default()
        };
        assert_eq!(q.with(|q| q.level = Some(Level::I)).page, 1);
        assert_eq!(q.with(|q| q.page = 5).page, 5);
        let s = Sort::default().toggled(SortKey::UpdatedAt);
        assert_eq!(s.to_value(), "updated_at");
        assert_eq!(s.toggled(SortKey::Subject).to_value(), "subject");
        assert_eq!(q.last_page(0), 1);
        assert_eq!(q.last_page(51), 3);
    }

    proptest! {
        #[test]
        fn every_query_survives_its_own_string(
            scope in prop::bool::ANY, status in 0usize..8, level in 0usize..5, kind in 0usize..3,
            q in "\\PC{0,40}", sort in 0usize..8, desc in prop::bool::ANY,
            page in 1u32..=PAGE_MAX, size in 1u32..=PAGE_SIZE_MAX,
            inst in 0i64..1000, due in 0usize..5, assignee in 0usize..3,
        ) {
            let query = CaseQuery {
                scope: if scope { Scope::Mine } else { Scope::Institution },
                status: match status { 0 => None, 1 => Some(StatusFilter::Open), n => Some(StatusFilter::Is(CaseStatus::ALL[n - 2])) },
                level: Level::ALL.get(level).copied(),
                kind: [RequestKind::Question, RequestKind::Defect].get(kind).copied(),
                q: q.trim().to_string(),
                institution: (inst > 0).then_some(inst),
                due: DueFilter::ALL.get(due).copied(),
                assignee: [AssigneeFilter::Unassigned, AssigneeFilter::Mine].get(assignee).copied(),
                sort: Sort { key: SortKey::ALL[sort], desc },
                page,
                page_size: size,
            };
            prop_assume!(query.q.chars().count() <= SEARCH_MAX);
            prop_assert_eq!(CaseQuery::parse(&query.to_query_string(), Lang::En), Ok(query));
        }

        #[test]
        fn any_query_string_parses_or_says_why(s in "\\PC{0,80}") {
            match CaseQuery::parse(&s, Lang::Fr) {
                Ok(q) => prop_assert!(q.page >= 1 && q.page_size >= 1),
                Err(errs) => prop_assert!(errs.iter().all(|e| !e.message.is_empty())),
            }
        }
    }
}
