//! Notifications end to end: events write their e-mails in the outbox in the same transaction,
//! the delivery worker sends them through a real SMTP server on loopback (mailin-embedded, started
//! by the test: no mock transport), and what arrives is read like a mail client reads it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use mailin_embedded::{response, Handler, Response, Server};
use portal_api::db::Db;
use portal_api::mailer::{self, Mailer};
use portal_api::{app, demo, AppState};
use serde_json::json;

mod common;
use common::*;

const AGENT: (&str, &str) = ("agent@vendor.example", "agent-demo");
const NORTH: (&str, &str) = ("it-lead@northfield.example", "northfield-demo");
const LIBRARY: (&str, &str) = ("library@northfield.example", "northfield-library");
const PUBLIC: &str = "https://support.example.edu";

/// One message as it arrived.
#[derive(Debug, Clone)]
struct Arrived {
    to: Vec<String>,
    raw: Vec<u8>,
}

impl Arrived {
    fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.raw).expect("a mail")
    }
    fn header(&self, name: &str) -> String {
        use mailparse::MailHeaderMap;
        self.parsed()
            .headers
            .get_first_value(name)
            .unwrap_or_default()
    }
    fn subject(&self) -> String {
        self.header("Subject")
    }
    /// The plain-text and HTML parts, decoded.
    fn bodies(&self) -> (String, String) {
        let p = self.parsed();
        let mut text = String::new();
        let mut html = String::new();
        for part in p.subparts.iter().chain(std::iter::once(&p)) {
            let body = part.get_body().unwrap_or_default();
            match part.ctype.mimetype.as_str() {
                "text/plain" => text = body,
                "text/html" => html = body,
                _ => {}
            }
        }
        (text, html)
    }
}

/// A real SMTP server on loopback that keeps what arrives; it can refuse recipients for a while
/// (a temporary failure, 451) or for good (550).
#[derive(Clone, Default)]
struct Sink {
    arrived: Arc<Mutex<Vec<Arrived>>>,
    refuse_next: Arc<AtomicUsize>,
    refuse_always: Arc<Mutex<Vec<String>>>,
    /// The message this connection is receiving (each connection has its own handler clone).
    current: Option<Arrived>,
}

impl Handler for Sink {
    fn mail(&mut self, _ip: std::net::IpAddr, _domain: &str, _from: &str) -> Response {
        self.current = Some(Arrived {
            to: Vec::new(),
            raw: Vec::new(),
        });
        response::OK
    }
    fn rcpt(&mut self, to: &str) -> Response {
        if self
            .refuse_always
            .lock()
            .expect("sink")
            .iter()
            .any(|a| to.contains(a.as_str()))
        {
            return response::NO_MAILBOX;
        }
        if self
            .refuse_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return response::INTERNAL_ERROR;
        }
        if let Some(m) = self.current.as_mut() {
            m.to.push(to.to_string());
        }
        response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(m) = self.current.as_mut() {
            m.raw.extend_from_slice(buf);
        }
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        if let Some(m) = self.current.take() {
            self.arrived.lock().expect("sink").push(m);
        }
        response::OK
    }
}

impl Sink {
    /// Starts on a free loopback port; answers the SMTP URL.
    fn start(&self) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let mut server = Server::new(self.clone());
        server.with_name("sink.test").with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        format!("smtp://127.0.0.1:{port}?tls=none")
    }

    fn to(&self, address: &str) -> Vec<Arrived> {
        self.arrived
            .lock()
            .expect("sink")
            .iter()
            .filter(|m| m.to.iter().any(|t| t.contains(address)))
            .cloned()
            .collect()
    }

    fn count(&self) -> usize {
        self.arrived.lock().expect("sink").len()
    }
}

/// The demo app sending mail through `sink`, its state, and a clock the test moves.
async fn mail_app(sink: &Sink, db: Db) -> (Router, AppState, Arc<Mutex<DateTime<Utc>>>) {
    let now = Arc::new(Mutex::new(friday_afternoon()));
    let clock = now.clone();
    let mailer = Mailer::smtp(
        &sink.start(),
        "campusM Support <support@portal.example.edu>",
    )
    .expect("mailer");
    let state = AppState::new(db, None)
        .expect("state")
        .with_clock(move || *clock.lock().expect("clock"))
        .with_mail(PUBLIC, mailer);
    demo::seed(&state).await.expect("seed");
    (app(state.clone()), state, now)
}

async fn login(app: &Router, who: (&str, &str)) -> String {
    if who == AGENT {
        // Support reveals secrets only in a session confirmed with two-step sign-in.
        return agent_session(app, friday_afternoon()).await;
    }
    sign_in(app, who.0, who.1).await
}

#[tokio::test]
async fn support_replies_reach_the_customer_with_the_number_the_text_and_the_link() {
    let sink = Sink::default();
    let (app, state, _) = mail_app(&sink, Db::for_tests().expect("db")).await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    // CS-000002 was opened by the IT lead and awaits them.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&agent),
        Some(json!({"body": "The feed <b>URL</b> changed; please check it & tell us."})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 1);
    let got = sink.to("it-lead@northfield.example");
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert!(
        m.subject()
            .starts_with("[CS-000002] New update: Timetable module shows no events"),
        "{}",
        m.subject()
    );
    assert!(
        m.header("Message-ID").ends_with("@support.example.edu>"),
        "{}",
        m.header("Message-ID")
    );
    let (text, html) = m.bodies();
    assert!(
        text.contains("Robin Ex Libris Support added an update to case CS-000002."),
        "{text}"
    );
    assert!(
        text.contains("> The feed <b>URL</b> changed; please check it & tell us."),
        "{text}"
    );
    assert!(
        text.contains("https://support.example.edu/cases/CS-000002"),
        "{text}"
    );
    // The HTML alternative escapes every piece of user text.
    assert!(
        html.contains("The feed &lt;b&gt;URL&lt;/b&gt; changed; please check it &amp; tell us."),
        "{html}"
    );
    assert!(!html.contains("<b>URL</b>"));
    // The agent who wrote it hears nothing of it; the customer's own answer goes to support only
    // when the case is assigned (CS-000002 is not).
    assert!(sink.to("agent@vendor.example").is_empty());
    let _ = customer;
}

#[tokio::test]
async fn messages_come_in_the_recipients_language_and_keep_secrets_and_notes_out() {
    let sink = Sink::default();
    let (app, state, _) = mail_app(&sink, Db::for_tests().expect("db")).await;
    // Sam reads the portal in French: signing in that way makes their e-mails French.
    let r = send_with(
        &app,
        Method::POST,
        "/api/v1/session",
        None,
        Some(json!({"email": LIBRARY.0, "password": LIBRARY.1})),
        &[("accept-language", "fr")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let agent = login(&app, AGENT).await;
    // CS-000017 (Sam's) carries sealed access: revealing it and a note tell nobody.
    let n = "/api/v1/cases/CS-000017";
    send(
        &app,
        Method::POST,
        &format!("{n}/secrets/reveal"),
        Some(&agent),
        None,
    )
    .await;
    send(
        &app,
        Method::POST,
        &format!("{n}/notes"),
        Some(&agent),
        Some(json!({"body": "internal-7731"})),
    )
    .await;
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 0);
    let r = send(
        &app,
        Method::POST,
        &format!("{n}/solution"),
        Some(&agent),
        Some(json!({"body": "Certificate renewed; bookings work again."})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 1);
    let m = &sink.to("library@northfield.example")[0];
    assert!(
        m.subject().starts_with("[CS-000017] Solution proposée"),
        "{}",
        m.subject()
    );
    let (text, html) = m.bodies();
    assert!(
        text.contains("a proposé une solution sur le dossier CS-000017"),
        "{text}"
    );
    assert!(html.contains("lang=\"fr\""));
    for leak in [
        "Demo-Booking-2026",
        "lib.tester",
        "cl-prod-2",
        "internal-7731",
    ] {
        assert!(
            !String::from_utf8_lossy(&m.raw).contains(leak),
            "{leak} in an e-mail"
        );
    }
}

#[tokio::test]
async fn a_server_that_refuses_then_accepts_gets_each_message_once() {
    let sink = Sink::default();
    sink.refuse_next.store(2, Ordering::SeqCst);
    let (app, state, now) = mail_app(&sink, Db::for_tests().expect("db")).await;
    let agent = login(&app, AGENT).await;
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&agent),
        Some(json!({"body": "First"})),
    )
    .await;
    // Refused (451): tried again later, backing off, not before.
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 0);
    assert_eq!(
        mailer::deliver_pending(&state).await.expect("deliver"),
        0,
        "not due yet"
    );
    *now.lock().expect("clock") += Duration::minutes(1);
    assert_eq!(
        mailer::deliver_pending(&state).await.expect("deliver"),
        0,
        "refused again"
    );
    *now.lock().expect("clock") += Duration::minutes(2);
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 1);
    *now.lock().expect("clock") += Duration::hours(1);
    assert_eq!(
        mailer::deliver_pending(&state).await.expect("deliver"),
        0,
        "sent once"
    );
    let got = sink.to("it-lead@northfield.example");
    assert_eq!(got.len(), 1);
}

#[tokio::test]
async fn nothing_is_lost_when_the_api_stops_between_commit_and_send() {
    let sink = Sink::default();
    let db = Db::for_tests().expect("db");
    // The first instance commits the event and its e-mail, then stops before sending: its worker
    // never runs. One e-mail is also claimed by a worker that dies before sending.
    let (app, state, now) = mail_app(&sink, db.clone()).await;
    let agent = login(&app, AGENT).await;
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&agent),
        Some(json!({"body": "Before the crash"})),
    )
    .await;
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000010/comments",
        Some(&agent),
        Some(json!({"body": "Claimed, then lost"})),
    )
    .await;
    let t = *now.lock().expect("clock");
    let claimed = db
        .call(move |c| Ok(portal_api::db::outbox::claim(c, t, 1)?))
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    drop((app, state));
    // The restarted instance sends what was pending now, and the lost claim once its lease ends,
    // with the Message-ID it had from the start.
    let restarted = AppState::new(db.clone(), None)
        .expect("state")
        .with_clock(move || t + Duration::seconds(1))
        .with_mail(
            PUBLIC,
            Mailer::smtp(&sink.start(), "support@portal.example.edu").expect("mailer"),
        );
    assert_eq!(
        mailer::deliver_pending(&restarted).await.expect("deliver"),
        1
    );
    let later =
        restarted.with_clock(move || t + Duration::seconds(portal_api::db::outbox::LEASE_SECS + 1));
    assert_eq!(mailer::deliver_pending(&later).await.expect("deliver"), 1);
    assert_eq!(sink.count(), 2);
    let ids: Vec<String> = sink
        .to("it-lead@northfield.example")
        .iter()
        .map(|m| m.header("Message-ID"))
        .collect();
    assert!(ids.contains(&claimed[0].mail.message_id), "{ids:?}");
}

#[tokio::test]
async fn an_address_that_fails_for_good_is_marked_shown_to_support_and_not_retried() {
    let sink = Sink::default();
    sink.refuse_always
        .lock()
        .expect("sink")
        .push("it-lead@".into());
    let (app, state, now) = mail_app(&sink, Db::for_tests().expect("db")).await;
    let agent = login(&app, AGENT).await;
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&agent),
        Some(json!({"body": "Hello"})),
    )
    .await;
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 0);
    *now.lock().expect("clock") += Duration::hours(7);
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 0);
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000002",
        Some(&agent),
        None,
    )
    .await;
    let failures = r.body["delivery_failures"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(failures.len(), 1, "{:?}", r.body);
    assert_eq!(failures[0]["recipient"], "it-lead@northfield.example");
    assert!(
        failures[0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("550"),
        "{failures:?}"
    );
    // The next message to that address is recorded as failed at once, never sent.
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&agent),
        Some(json!({"body": "Again"})),
    )
    .await;
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 0);
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000002",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(
        r.body["delivery_failures"].as_array().map(Vec::len),
        Some(2)
    );
    // Customers do not see support's delivery report.
    let customer = login(&app, LIBRARY).await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000002",
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(r.body["delivery_failures"], json!([]));
}

#[tokio::test]
async fn colleagues_follow_cases_and_each_hears_what_they_chose() {
    let sink = Sink::default();
    let (app, state, _) = mail_app(&sink, Db::for_tests().expect("db")).await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    let south = login(&app, ("support@southbank.example", "southbank-demo")).await;
    let f = "/api/v1/cases/CS-000004/followers";
    // Never someone of another institution; and never on another institution's case.
    let r = send(
        &app,
        Method::POST,
        f,
        Some(&customer),
        Some(json!({"email": "support@southbank.example"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = send(
        &app,
        Method::POST,
        f,
        Some(&south),
        Some(json!({"email": "support@southbank.example"})),
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    let r = send(
        &app,
        Method::POST,
        f,
        Some(&customer),
        Some(json!({"email": "LIBRARY@northfield.example"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["followers"], json!([{"name": "Sam Okafor"}]));
    mailer::deliver_pending(&state).await.expect("deliver");
    let added = sink.to("library@northfield.example");
    assert_eq!(added.len(), 1);
    assert!(
        added[0]
            .subject()
            .starts_with("[CS-000004] You follow this case"),
        "{}",
        added[0].subject()
    );
    // Sam wants only what needs them: a plain reply is not for them, a question is.
    let library = login(&app, LIBRARY).await;
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/me/preferences",
        Some(&library),
        Some(json!({"notify": "needs_me", "lang": "en"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000004/comments",
        Some(&agent),
        Some(json!({"body": "Looking"})),
    )
    .await;
    send(
        &app,
        Method::PATCH,
        "/api/v1/cases/CS-000004",
        Some(&agent),
        Some(json!({"status": "awaiting_customer"})),
    )
    .await;
    mailer::deliver_pending(&state).await.expect("deliver");
    let sam: Vec<String> = sink
        .to("library@northfield.example")
        .iter()
        .map(Arrived::subject)
        .collect();
    assert_eq!(sam.len(), 2, "{sam:?}");
    assert!(
        sam[1].starts_with("[CS-000004] Support needs your answer"),
        "{sam:?}"
    );
    assert_eq!(
        sink.to("it-lead@northfield.example").len(),
        2,
        "the opener hears both"
    );
    // The opener mutes the case: nothing more for them.
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/cases/CS-000004/following",
        Some(&customer),
        Some(json!({"following": false, "muted": true})),
    )
    .await;
    assert_eq!(r.body["muted"], true);
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000004/comments",
        Some(&agent),
        Some(json!({"body": "Any news?"})),
    )
    .await;
    mailer::deliver_pending(&state).await.expect("deliver");
    assert_eq!(sink.to("it-lead@northfield.example").len(), 2);
    // An agent follows a case and hears what the customer says.
    let r = send(
        &app,
        Method::PUT,
        "/api/v1/cases/CS-000004/following",
        Some(&agent),
        Some(json!({"following": true})),
    )
    .await;
    assert_eq!(r.body["following"], true);
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000004/comments",
        Some(&library),
        Some(json!({"body": "Here is the answer"})),
    )
    .await;
    mailer::deliver_pending(&state).await.expect("deliver");
    assert_eq!(sink.to("agent@vendor.example").len(), 1);
}

#[tokio::test]
async fn escalating_to_production_down_alerts_the_24_7_line() {
    let sink = Sink::default();
    let (app, state, _) = mail_app(&sink, Db::for_tests().expect("db")).await;
    let customer = login(&app, NORTH).await;
    let uri = "/api/v1/cases/CS-000009/escalation";
    let r = send(
        &app,
        Method::POST,
        uri,
        Some(&customer),
        Some(json!({"level": "IV", "reason": "x"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    // A question stays at Level IV: production-down levels are for production problems.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000004/escalation",
        Some(&customer),
        Some(json!({"level": "II", "reason": "We need the answer today."})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "level", "{:?}", r.body);
    let r = send(
        &app,
        Method::POST,
        uri,
        Some(&customer),
        Some(json!({"level": "II", "reason": "Every student's map is blank now."})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["summary"]["level"], "II");
    assert_eq!(
        r.body["summary"]["initial_response_due"],
        "2026-11-27T18:00:00Z"
    );
    mailer::deliver_pending(&state).await.expect("deliver");
    let line = sink.to("campusm.support@exlibrisgroup.com");
    assert_eq!(line.len(), 1, "one message to the 24/7 line");
    assert!(
        line[0]
            .subject()
            .starts_with("[CS-000009] ESCALATION Level II"),
        "{}",
        line[0].subject()
    );
    let (text, _) = line[0].bodies();
    assert!(text.contains("Every student's map is blank now."), "{text}");
    assert!(text.contains("https://support.example.edu/cases/CS-000009"));
    // Support cannot escalate (it changes levels directly).
    let agent = login(&app, AGENT).await;
    let r = send(
        &app,
        Method::POST,
        uri,
        Some(&agent),
        Some(json!({"level": "I", "reason": "x"})),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn news_since_the_last_visit_is_marked_until_the_case_is_opened() {
    let sink = Sink::default();
    let (app, _, now) = mail_app(&sink, Db::for_tests().expect("db")).await;
    let (customer, agent) = (login(&app, NORTH).await, login(&app, AGENT).await);
    let news = send(&app, Method::GET, "/api/v1/news", Some(&customer), None).await;
    let before: Vec<String> =
        serde_json::from_value(news.body["cases"].clone()).unwrap_or_default();
    assert!(
        before.contains(&"CS-000002".to_string()),
        "support acted on it: {before:?}"
    );
    // Opening it marks it seen; the list says so too.
    send(
        &app,
        Method::GET,
        "/api/v1/cases/CS-000002",
        Some(&customer),
        None,
    )
    .await;
    let news = send(&app, Method::GET, "/api/v1/news", Some(&customer), None).await;
    assert!(!news.body["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c == "CS-000002"));
    let etag = news
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let polled = send_with(
        &app,
        Method::GET,
        "/api/v1/news",
        Some(&customer),
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(polled.status, StatusCode::NOT_MODIFIED);
    // Support replies a minute later: news again, in the list too.
    *now.lock().expect("clock") += Duration::minutes(1);
    send(
        &app,
        Method::POST,
        "/api/v1/cases/CS-000002/comments",
        Some(&agent),
        Some(json!({"body": "Update"})),
    )
    .await;
    let polled = send_with(
        &app,
        Method::GET,
        "/api/v1/news",
        Some(&customer),
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(polled.status, StatusCode::OK);
    let list = send(
        &app,
        Method::GET,
        "/api/v1/cases?q=CS-000002",
        Some(&customer),
        None,
    )
    .await;
    assert_eq!(list.body["items"][0]["news"], true);
}

#[tokio::test]
#[ignore = "PostgreSQL only: run by the PostgreSQL pass of cargo xtask test (--include-ignored)"]
async fn with_two_instances_each_message_is_sent_by_one() {
    let sink = Sink::default();
    let (db1, db2) = Db::for_tests_shared().expect("PORTAL_TEST_POSTGRES");
    let (app, one, _) = mail_app(&sink, db1).await;
    let two = AppState::new(db2, None)
        .expect("state")
        .with_clock(friday_afternoon)
        .with_mail(
            PUBLIC,
            Mailer::smtp(&sink.start(), "support@portal.example.edu").expect("mailer"),
        );
    let agent = login(&app, AGENT).await;
    for i in 0..30 {
        send(
            &app,
            Method::POST,
            "/api/v1/cases/CS-000002/comments",
            Some(&agent),
            Some(json!({"body": format!("update {i}")})),
        )
        .await;
    }
    let (a, b) = tokio::join!(
        async {
            let mut n = 0;
            for _ in 0..3 {
                n += mailer::deliver_pending(&one).await.expect("deliver");
            }
            n
        },
        async {
            let mut n = 0;
            for _ in 0..3 {
                n += mailer::deliver_pending(&two).await.expect("deliver");
            }
            n
        }
    );
    assert_eq!(a + b, 30, "{a} + {b}");
    let ids: std::collections::BTreeSet<String> = sink
        .to("it-lead@northfield.example")
        .iter()
        .map(|m| m.header("Message-ID"))
        .collect();
    assert_eq!(ids.len(), 30, "each once");
    assert_eq!(sink.count(), 30);
}

#[tokio::test]
async fn a_consultation_reaches_the_account_manager_with_the_lead_time_warning() {
    let sink = Sink::default();
    let (app, state, _) = mail_app(&sink, Db::for_tests().expect("db")).await;
    let customer = login(&app, NORTH).await;
    // Friday 27 Nov 2026: a start on 14 Dec leaves less than 6 weeks.
    let r = send_with(
        &app,
        Method::POST,
        "/api/v1/consultations",
        Some(&customer),
        Some(json!({"what": "A new home screen <with tiles>", "desired_start": "2026-12-14"})),
        &[("idempotency-key", "am-once")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // The same request again (a double click): nothing more is sent.
    let again = send_with(
        &app,
        Method::POST,
        "/api/v1/consultations",
        Some(&customer),
        Some(json!({"what": "A new home screen <with tiles>", "desired_start": "2026-12-14"})),
        &[("idempotency-key", "am-once")],
    )
    .await;
    assert_eq!(again.body, r.body);
    assert_eq!(mailer::deliver_pending(&state).await.expect("deliver"), 1);
    let got = sink.to("priya.shah@vendor.example");
    assert_eq!(got.len(), 1, "one message to Northfield's account manager");
    assert!(
        got[0]
            .subject()
            .starts_with("[AM-000001] User-experience consultation: Northfield University"),
        "{}",
        got[0].subject()
    );
    let (text, html) = got[0].bodies();
    assert!(
        text.contains("Alex Morgan (it-lead@northfield.example, Northfield University)"),
        "{text}"
    );
    assert!(text.contains("> A new home screen <with tiles>"), "{text}");
    assert!(
        text.contains(
            "less than the recommended 6 weeks' lead time (earliest recommended start: 2027-01-08)"
        ),
        "{text}"
    );
    assert!(
        html.contains("A new home screen &lt;with tiles&gt;"),
        "{html}"
    );
}

/// An invitation and a password reset reach a real SMTP server with their single-use link; once
/// sent, the outbox no longer holds the link (a copy of the database opens no account).
#[tokio::test]
async fn invitation_and_reset_links_go_out_by_smtp_and_are_not_kept() {
    let sink = Sink::default();
    let db = Db::for_tests().expect("db");
    let (app, state, _) = mail_app(&sink, db.clone()).await;
    let admin = login(&app, NORTH).await;
    let r = send(
        &app,
        Method::POST,
        "/api/v1/invitations",
        Some(&admin),
        Some(json!({"email": "new.colleague@northfield.example", "membership": "basic"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = send(
        &app,
        Method::POST,
        "/api/v1/password-resets",
        None,
        Some(json!({"email": "library@northfield.example"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    // The reset is written after the answer: wait for it, then deliver both.
    let mut delivered = 0;
    for _ in 0..100 {
        delivered += mailer::deliver_pending(&state).await.expect("deliver");
        if delivered >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(delivered, 2);
    let invited = sink.to("new.colleague@northfield.example");
    assert_eq!(invited.len(), 1);
    assert!(
        invited[0].subject().contains(
            "Alex Morgan invites you to the campusM Support Portal (Northfield University)"
        ),
        "{}",
        invited[0].subject()
    );
    let (text, html) = invited[0].bodies();
    assert!(text.contains("as Basic"), "{text}");
    assert!(text.contains("/join#"), "{text}");
    assert!(html.contains("/join#"), "{html}");
    let reset = sink.to("library@northfield.example");
    assert_eq!(reset.len(), 1);
    let (text, _) = reset[0].bodies();
    assert!(text.contains("/reset-password#"), "{text}");
    let kept: Vec<String> = db
        .call(|c| {
            Ok(c.query_map(
                "SELECT text_body || html_body FROM outbox WHERE event IN ('invitation', 'password_reset')",
                (),
                |r| r.get::<_, String>(0),
            )?)
        })
        .await
        .expect("outbox");
    assert_eq!(kept.len(), 2);
    for body in kept {
        assert!(
            !body.contains('#'),
            "a sent link stays in the outbox: {body}"
        );
    }
}
