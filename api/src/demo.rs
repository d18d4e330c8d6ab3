//! The demo data seeded by `--demo` into an empty database (public; README lists the logins).
//!
//! Case times are relative to start-up, so response-due states (met, due soon, breached) look
//! real whenever the demo runs; due times come from the same clock the API uses for new cases.

use crate::sql::{params, Connection};
use chrono::{DateTime, Duration, Utc};
use portal_core::model::EntryKind;
use portal_core::{CaseStatus, Level, RequestKind};

use crate::auth::hash_password;
use crate::db::{add_event, ts, Account};
use crate::error::{ApiError, ApiResult};
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
                  (6, 1, EntryKind::Status, "", Some(CaseStatus::Closed))] },
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
                  (30, 3, EntryKind::Status, "", Some(CaseStatus::Closed))] },
    DemoCase { inst: 2, by: 3, kind: RequestKind::Defect, level: Level::III, status: CaseStatus::AwaitingCustomer, hours_ago: 40,
        subject: "Course search returns no results for 2027 courses", description: "Searching any 2027 course code returns nothing.",
        events: &[(4, AGENT, EntryKind::Comment, "Has the 2027 catalogue been published in your student system yet?", Some(CaseStatus::AwaitingCustomer))] },
];

/// Seeds the demo institutions, users and cases, if the database has no users yet.
/// Returns whether it seeded.
pub async fn seed(state: &AppState) -> ApiResult<bool> {
    let empty = state
        .db
        .call(|c| Ok(c.query_row("SELECT COUNT(*) FROM users", (), |r| r.get::<_, i64>(0))? == 0))
        .await?;
    if !empty {
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
    state
        .db
        .call(move |c| insert_all(c, &hashes, &dues, now))
        .await?;
    Ok(true)
}

fn insert_all(
    conn: &mut Connection,
    hashes: &[String],
    dues: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO institutions (id, name, region, has_connect_layer, account_manager_name, account_manager_email) VALUES \
         (1, 'Northfield University', 'emea', 1, 'Priya Shah', 'priya.shah@vendor.example'), \
         (2, 'Southbank College', 'americas', 0, 'Marcus Lee', 'marcus.lee@vendor.example')",
        (),
    )?;
    let users = [
        (1, LOGINS[0].email, "Alex Morgan", "customer", Some(1)),
        (2, LOGINS[1].email, "Sam Okafor", "customer", Some(1)),
        (3, LOGINS[2].email, "Jordan Reyes", "customer", Some(2)),
        (4, LOGINS[3].email, "Robin Ex Libris Support", "agent", None),
    ];
    for ((id, email, name, role, inst), hash) in users.iter().zip(hashes) {
        tx.execute(
            "INSERT INTO users (id, email, name, role, institution_id, password_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, email, name, role, inst, hash],
        )?;
    }
    if tx.dialect() == crate::sql::Dialect::Postgres {
        // Rows inserted with their ids do not move PostgreSQL's identity sequences.
        tx.execute_batch(
            "SELECT setval(pg_get_serial_sequence('institutions', 'id'), (SELECT MAX(id) FROM institutions)); \
             SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT MAX(id) FROM users));",
        )?;
    }
    let account = |id: i64| -> crate::sql::Result<Account> {
        tx.query_row(
            "SELECT u.name, u.role, u.email FROM users u WHERE u.id = ?1",
            [id],
            |r| {
                Ok(Account {
                    id,
                    user: portal_core::model::User {
                        name: r.get(0)?,
                        role: crate::db::parse_role(&r.get::<_, String>(1)?)?,
                        email: r.get(2)?,
                    },
                    institution: None,
                })
            },
        )
    };
    for (c, due) in CASES.iter().zip(dues) {
        let opened = now - Duration::hours(c.hours_ago);
        tx.execute(
            "INSERT INTO cases (institution_id, opened_by, kind, level, status, product_area, environment, subject, description, \
             scenario_steps, scenario_expected, scenario_actual, frequency, connect_layer_access, articles_viewed, opened_at, \
             updated_at, initial_response_due) VALUES (?1, ?2, ?3, ?4, 'new', 'App (iOS / Android)', 'production', ?5, ?6, \
             '', '', '', '', '', '[]', ?7, ?7, ?8)",
            params![c.inst, c.by, c.kind.as_str(), c.level.as_str(), c.subject, c.description, ts(opened), ts(*due)],
        )?;
        let id = tx.last_insert_rowid()?;
        tx.execute(
            "UPDATE cases SET number = ?2 WHERE id = ?1",
            params![id, format!("CS-{id:06}")],
        )?;
        for (after, by, kind, body, status) in c.events {
            add_event(
                &tx,
                id,
                &account(*by)?,
                *kind,
                body,
                *status,
                opened + Duration::hours(*after).min(Duration::hours(c.hours_ago)),
            )?;
        }
        // The demo status is authoritative (events may leave it elsewhere).
        tx.execute(
            "UPDATE cases SET status = ?2 WHERE id = ?1",
            params![id, c.status.as_str()],
        )?;
    }
    tx.commit()?;
    Ok(())
}
