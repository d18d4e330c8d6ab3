//! The demo data seeded by `--demo` into an empty database (public; README lists the logins).
//!
//! Case times are relative to start-up, so response-due states (met, due soon, breached) look
//! real whenever the demo runs; due times come from the same clock the API uses for new cases.

use chrono::{DateTime, Duration, Utc};
use portal_core::model::{Credentials, EntryKind, NewCase};
use portal_core::secrets::SecretKind;
use portal_core::{CaseStatus, Level, RequestKind, Role};

use crate::auth::hash_password;
use crate::db::secrets::Owner;
use crate::db::{self, sql::Connection, Account};
use crate::error::{ApiError, ApiResult};
use crate::secrets::SecretBox;
use crate::AppState;

/// A demo login.
pub struct DemoLogin {
    /// E-mail.
    pub email: &'static str,
    /// Password.
    pub password: &'static str,
    /// Who it is.
    pub who: &'static str,
}

/// The demo logins (keep them stable: demos and tests use them).
pub const LOGINS: [DemoLogin; 4] = [
    DemoLogin {
        email: "it-lead@northfield.example",
        password: "northfield-demo",
        who: "Northfield University IT lead (EMEA, has a Connect Layer)",
    },
    DemoLogin {
        email: "library@northfield.example",
        password: "northfield-library",
        who: "Northfield University library systems (EMEA)",
    },
    DemoLogin {
        email: "support@southbank.example",
        password: "southbank-demo",
        who: "Southbank College support (Americas, no Connect Layer)",
    },
    DemoLogin {
        email: "agent@vendor.example",
        password: "agent-demo",
        who: "Ex Libris support agent (sees every institution)",
    },
];

struct DemoCase {
    inst: i64,
    by: i64,
    kind: RequestKind,
    level: Level,
    status: CaseStatus,
    hours_ago: i64,
    subject: &'static str,
    description: &'static str,
    /// (hours after opening, author user id, kind, body, new status)
    events: &'static [(i64, i64, EntryKind, &'static str, Option<CaseStatus>)],
}

/// The demo agent (user 4 of `LOGINS`).
const AGENT: i64 = 4;

const CASES: &[DemoCase] = &[
    DemoCase { inst: 1, by: 1, kind: RequestKind::Defect, level: Level::I, status: CaseStatus::InProgress, hours_ago: 3,
        subject: "App shows 'Service unavailable' for all users", description: "Since 07:40 every user gets 'Service unavailable' on launch, iOS and Android.",
        events: &[(0, AGENT, EntryKind::Comment, "We are on it: the app server in EMEA is failing health checks. Next update within the hour.", Some(CaseStatus::InProgress))] },
    DemoCase { inst: 1, by: 1, kind: RequestKind::Defect, level: Level::II, status: CaseStatus::AwaitingCustomer, hours_ago: 26,
        subject: "Timetable module shows no events", description: "The timetable tile loads but is empty for all students since yesterday's term rollover.",
        events: &[(1, AGENT, EntryKind::Comment, "Could you confirm the timetable feed URL in the Connect Layer still points to the new term?", Some(CaseStatus::AwaitingCustomer))] },
    DemoCase { inst: 1, by: 2, kind: RequestKind::Defect, level: Level::III, status: CaseStatus::SolutionProposed, hours_ago: 72,
        subject: "Library loans list sorts by title instead of due date", description: "In 'My loans' items are sorted alphabetically; they used to be sorted by due date.",
        events: &[(5, AGENT, EntryKind::Comment, "Reproduced with the test account, thank you.", Some(CaseStatus::InProgress)),
                  (30, AGENT, EntryKind::Solution, "Set 'Sort loans by' to 'Due date' in App Manager > Library > Loans. The default changed in release 2026.10.", Some(CaseStatus::SolutionProposed))] },
    DemoCase { inst: 1, by: 1, kind: RequestKind::Question, level: Level::IV, status: CaseStatus::New, hours_ago: 2,
        subject: "How do we add a second campus to the map?", description: "We are opening a new campus in January and want it as a second map in the app.",
        events: &[] },
    DemoCase { inst: 1, by: 2, kind: RequestKind::Defect, level: Level::III, status: CaseStatus::InProgress, hours_ago: 30,
        subject: "Push notifications arrive twice on Android", description: "Since the 2026.11 release Android users receive each push notification twice.",
        events: &[(6, AGENT, EntryKind::Comment, "Thanks. We can see duplicate deliveries in the push logs and are investigating.", Some(CaseStatus::InProgress))] },
    DemoCase { inst: 1, by: 1, kind: RequestKind::Question, level: Level::IV, status: CaseStatus::Closed, hours_ago: 240,
        subject: "Where is the release note for 2026.10?", description: "We cannot find the release notes for the October release.",
        events: &[(3, AGENT, EntryKind::Solution, "Release notes are in the Knowledge Center under campusM > Release Notes > 2026.", Some(CaseStatus::SolutionProposed)),
                  (20, 1, EntryKind::Status, "", Some(CaseStatus::Closed))] },
    DemoCase { inst: 1, by: 1, kind: RequestKind::Defect, level: Level::II, status: CaseStatus::Closed, hours_ago: 400,
        subject: "SSO sign-in fails after IdP certificate renewal", description: "Users cannot sign in; the app reports SAML response invalid.",
        events: &[(1, AGENT, EntryKind::Comment, "Please send the new IdP metadata.", Some(CaseStatus::AwaitingCustomer)),
                  (2, 1, EntryKind::Comment, "Metadata attached to the Connect Layer share.", Some(CaseStatus::InProgress)),
                  (4, AGENT, EntryKind::Solution, "Metadata updated on our side; sign-in works again.", Some(CaseStatus::SolutionProposed)),
                  (6, 1, EntryKind::SolutionAccepted, "", Some(CaseStatus::Closed))] },
    DemoCase { inst: 1, by: 2, kind: RequestKind::Question, level: Level::IV, status: CaseStatus::InProgress, hours_ago: 50,
        subject: "Can the library opening hours tile use our LibCal feed?", description: "We use LibCal for opening hours; is there a supported way to show them?",
        events: &[(20, AGENT, EntryKind::Comment, "Checking with the product team which LibCal endpoints are supported.", Some(CaseStatus::InProgress))] },
    DemoCase { inst: 1, by: 1, kind: RequestKind::Defect, level: Level::III, status: CaseStatus::New, hours_ago: 1,
        subject: "Campus map pins misplaced after zoom", description: "Building pins drift about 50 m south when zooming in on Android tablets.",
        events: &[] },
    DemoCase { inst: 1, by: 1, kind: RequestKind::Defect, level: Level::III, status: CaseStatus::AwaitingCustomer, hours_ago: 120,
        subject: "Events calendar shows times one hour off", description: "Events imported from our calendar feed show one hour later than they are.",
        events: &[(7, AGENT, EntryKind::Comment, "Does your feed send times with a UTC offset? Please share a sample event.", Some(CaseStatus::AwaitingCustomer))] },
    DemoCase { inst: 1, by: 2, kind: RequestKind::Question, level: Level::IV, status: CaseStatus::SolutionProposed, hours_ago: 90,
        subject: "Which App Manager role can edit the home screen?", description: "A colleague needs to edit home screen tiles without full admin rights.",
        events: &[(10, AGENT, EntryKind::Solution, "Give the 'Content Editor' role with the 'Home screen' permission.", Some(CaseStatus::SolutionProposed))] },
    DemoCase { inst: 1, by: 1, kind: RequestKind::Defect, level: Level::IV, status: CaseStatus::InProgress, hours_ago: 60,
        subject: "Typo in the French translation of 'Settings'", description: "The French app shows 'Paramétres' instead of 'Paramètres'.",
        events: &[(12, AGENT, EntryKind::Comment, "Fix scheduled for the next release.", Some(CaseStatus::InProgress))] },
    DemoCase { inst: 2, by: 3, kind: RequestKind::Defect, level: Level::II, status: CaseStatus::InProgress, hours_ago: 5,
        subject: "Dining menu module is blank", description: "The dining menu shows a blank page since this morning.",
        events: &[(1, AGENT, EntryKind::Comment, "Our menu provider's API is timing out; we are contacting them.", Some(CaseStatus::InProgress))] },
    DemoCase { inst: 2, by: 3, kind: RequestKind::Question, level: Level::IV, status: CaseStatus::New, hours_ago: 8,
        subject: "How do we schedule a push notification?", description: "We want to send a reminder at 8 am tomorrow.",
        events: &[] },
    DemoCase { inst: 2, by: 3, kind: RequestKind::Defect, level: Level::III, status: CaseStatus::Closed, hours_ago: 300,
        subject: "Bus tracker shows stale positions", description: "Bus positions lag about ten minutes behind.",
        events: &[(8, AGENT, EntryKind::Solution, "The feed's polling interval was reset; fixed.", Some(CaseStatus::SolutionProposed)),
                  (30, 3, EntryKind::SolutionAccepted, "", Some(CaseStatus::Closed))] },
    DemoCase { inst: 2, by: 3, kind: RequestKind::Defect, level: Level::III, status: CaseStatus::AwaitingCustomer, hours_ago: 40,
        subject: "Course search returns no results for 2027 courses", description: "Searching any 2027 course code returns nothing.",
        events: &[(4, AGENT, EntryKind::Comment, "Has the 2027 catalogue been published in your student system yet?", Some(CaseStatus::AwaitingCustomer))] },
    // Support's queue: a production module down an hour ago, not answered yet (the top of the
    // queue, due within the hour), with the access support needs (sealed; see `BOOKING`).
    DemoCase { inst: 1, by: 2, kind: RequestKind::Defect, level: Level::II, status: CaseStatus::New, hours_ago: 1,
        subject: "Room booking module fails to load", description: "Since 14:00 the library's room booking module shows a spinner for every student; nobody can book a study room.",
        events: &[] },
];

/// What the room booking case (the last demo case) carries besides the basics: the scenario, the
/// articles the customer read, and the access support needs.
struct Extra {
    steps: &'static str,
    expected: &'static str,
    actual: &'static str,
    articles: &'static [&'static str],
    credentials: (&'static str, &'static str),
    connect_layer: &'static str,
}

const BOOKING: Extra = Extra {
    steps: "Open the app as a student\nTap Library > Book a room",
    expected: "Today's free rooms are listed",
    actual: "A spinner turns forever",
    articles: &["KA-0110", "KA-0108"],
    credentials: ("lib.tester", "Demo-Booking-2026"),
    connect_layer: "VPN vpn.northfield.example (group exl-support), then the jump host cl-prod-2 with the account exl-support; Jo Banks in IT grants access (+44 161 555 0142).",
};

/// The demo case support's workspace shows assigned to the demo agent from the start.
const ASSIGNED_TO_AGENT: i64 = 1;

/// Seeds the demo institutions, users and cases, if the database has no users yet.
/// Returns whether it seeded.
pub async fn seed(state: &AppState) -> ApiResult<bool> {
    if state.db.call(|c| Ok(db::accounts::any_user(c)?)).await? {
        return Ok(false);
    }
    // Hash outside the database lock: argon2 is deliberately slow.
    let hashes = tokio::task::spawn_blocking(|| {
        LOGINS
            .iter()
            .map(|l| hash_password(l.password))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    let now = state.now();
    let mut dues = Vec::new();
    for c in CASES {
        let region = if c.inst == 1 { "emea" } else { "americas" };
        let opened = now - Duration::hours(c.hours_ago);
        dues.push(
            state
                .region(region)?
                .initial_response_due(c.level, opened)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        );
    }
    let key = state.secrets.clone();
    state
        .db
        .call(move |c| insert_all(c, &key, &hashes, &dues, now))
        .await?;
    Ok(true)
}

fn insert_all(
    conn: &mut Connection,
    key: &SecretBox,
    hashes: &[String],
    dues: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    use db::accounts::{insert_institution, insert_user, NewInstitution};
    use portal_core::account::Membership;
    let tx = conn.transaction()?;
    let northfield = insert_institution(
        &tx,
        &NewInstitution {
            name: "Northfield University",
            region: "emea",
            has_connect_layer: true,
            account_manager: ("Priya Shah", "priya.shah@vendor.example"),
        },
    )?;
    let southbank = insert_institution(
        &tx,
        &NewInstitution {
            name: "Southbank College",
            region: "americas",
            has_connect_layer: false,
            account_manager: ("Marcus Lee", "marcus.lee@vendor.example"),
        },
    )?;
    // Each institution's first person is its administrator.
    let people = [
        (
            "Alex Morgan",
            Role::Customer,
            Some(northfield),
            Membership::Admin,
        ),
        (
            "Sam Okafor",
            Role::Customer,
            Some(northfield),
            Membership::Member,
        ),
        (
            "Jordan Reyes",
            Role::Customer,
            Some(southbank),
            Membership::Admin,
        ),
        (
            "Robin Ex Libris Support",
            Role::Agent,
            None,
            Membership::Member,
        ),
    ];
    // Demo users 1–4, in the order of `LOGINS`.
    let mut users: Vec<Account> = Vec::new();
    for ((login, (name, role, inst, membership)), hash) in LOGINS.iter().zip(people).zip(hashes) {
        users.push(insert_user(
            &tx,
            login.email,
            name,
            role,
            inst,
            membership,
            hash,
        )?);
    }
    let user = |n: i64| -> ApiResult<&Account> {
        users
            .get(usize::try_from(n - 1).unwrap_or(usize::MAX))
            .ok_or_else(|| ApiError::Internal(format!("no demo user {n}")))
    };
    let last = CASES.len() - 1;
    for (i, (c, due)) in CASES.iter().zip(dues).enumerate() {
        let opened = now - Duration::hours(c.hours_ago);
        let mut case = NewCase::blank(c.kind, c.level);
        case.product_area = "App (iOS / Android)".into();
        case.subject = c.subject.into();
        case.description = c.description.into();
        if i == last {
            case.scenario.steps = BOOKING.steps.into();
            case.scenario.expected = BOOKING.expected.into();
            case.scenario.actual = BOOKING.actual.into();
            case.frequency = "every_time".into();
            case.articles_viewed = BOOKING.articles.iter().map(|a| a.to_string()).collect();
        }
        let inst = if c.inst == 1 { northfield } else { southbank };
        let (id, _) = db::cases::insert(&tx, user(c.by)?, inst, &case, opened, *due)?;
        if i == last {
            let owner = Owner::Case(id);
            let creds = Credentials {
                username: BOOKING.credentials.0.into(),
                password: BOOKING.credentials.1.into(),
            };
            let json =
                serde_json::to_string(&creds).map_err(|e| ApiError::Internal(e.to_string()))?;
            for (kind, plain) in [
                (SecretKind::AppCredentials, json.as_str()),
                (SecretKind::ConnectLayer, BOOKING.connect_layer),
            ] {
                let sealed = key
                    .seal(plain.as_bytes(), &owner.seal_as(kind))
                    .map_err(ApiError::Internal)?;
                db::secrets::put(&tx, owner, kind, &sealed, user(c.by)?.id, opened)?;
            }
        }
        if id == ASSIGNED_TO_AGENT {
            db::cases::set_assignee(&tx, id, Some(user(AGENT)?.id))?;
        }
        for (after, by, kind, body, status) in c.events {
            let at = opened + Duration::hours(*after).min(Duration::hours(c.hours_ago));
            db::cases::add_event(&tx, id, user(*by)?, *kind, body, *status, at)?;
        }
        // The demo status is authoritative (events may leave it elsewhere).
        db::cases::set_status(&tx, id, c.status)?;
    }
    tx.commit()?;
    Ok(())
}
