//! Delivering the outbox: through an SMTP relay (`--smtp`, lettre, STARTTLS or TLS with rustls),
//! or as `.eml` files in a folder (the demo), by a worker in `portal-api` that claims due messages
//! ([`crate::db::outbox::claim`]), sends them, and marks them sent — or tries again later, backing
//! off (1, 2, 4 … minutes, at most 6 hours), or gives up on a permanent failure (the address is
//! marked and support sees it on the case) or after [`crate::db::outbox::ATTEMPTS_MAX`] tries.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::outbox::{self, Claimed, Mail};
use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// Messages claimed per round.
const BATCH: i64 = 20;
/// How often the worker looks for due messages.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(1);

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// Sends messages.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.transport {
            Transport::Smtp(_) => write!(f, "Mailer(SMTP, from {})", self.from),
            Transport::Files(_, dir) => {
                write!(f, "Mailer(files in {}, from {})", dir.display(), self.from)
            }
        }
    }
}

/// Why one message did not go out.
#[derive(Debug)]
pub struct SendError {
    /// The relay refused it for good (a 5xx answer, an address that cannot be).
    pub permanent: bool,
    /// What was said.
    pub message: String,
}

fn mailbox(address: &str) -> Result<Mailbox, String> {
    address
        .parse::<Mailbox>()
        .map_err(|e| format!("{address:?} is not an e-mail address: {e}"))
}

impl Mailer {
    /// Through the relay `url`: `smtp://user:password@host:port` uses STARTTLS (required),
    /// `smtps://…` TLS from the start, and `?tls=none` plain SMTP (a relay on loopback).
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, String> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
        let plain = params.contains(&"tls=none");
        params.retain(|p| *p != "tls=none");
        if base.starts_with("smtp://") && !plain && !params.iter().any(|p| p.starts_with("tls=")) {
            params.push("tls=required");
        }
        let url = if params.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", params.join("&"))
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("--smtp: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            from: mailbox(from).map_err(|e| format!("--mail-from: {e}"))?,
        })
    }

    /// As `.eml` files in `dir` (created when missing).
    pub fn files(dir: PathBuf, from: &str) -> Result<Mailer, String> {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Mailer {
            transport: Transport::Files(AsyncFileTransport::new(&dir), dir),
            from: mailbox(from).map_err(|e| format!("--mail-from: {e}"))?,
        })
    }

    /// The folder of the `.eml` files, when writing files.
    pub fn folder(&self) -> Option<&PathBuf> {
        match &self.transport {
            Transport::Files(_, dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    fn message(&self, m: &Mail) -> Result<Message, SendError> {
        let permanent = |message: String| SendError {
            permanent: true,
            message,
        };
        let to = mailbox(&m.recipient).map_err(permanent)?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(m.message_id.clone()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(m.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(m.html.clone()),
                    ),
            )
            .map_err(|e| permanent(format!("building the message: {e}")))
    }

    /// Sends one message.
    pub async fn send(&self, m: &Mail) -> Result<(), SendError> {
        let message = self.message(m)?;
        match &self.transport {
            Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Transport::Files(t, _) => t.send(message).await.map(|_| ()).map_err(|e| SendError {
                permanent: false,
                message: e.to_string(),
            }),
        }
    }
}

/// When to try again after `attempts` tries: 1, 2, 4 … minutes, at most 6 hours.
pub fn backoff(attempts: i64, now: DateTime<Utc>) -> DateTime<Utc> {
    let minutes = 1i64 << attempts.clamp(1, 16).saturating_sub(1);
    now + Duration::minutes(minutes.min(6 * 60))
}

/// One round: claims the due messages, sends them, records how each went. Answers how many went
/// out.
pub async fn deliver_pending(state: &AppState) -> ApiResult<usize> {
    let Some(mailer) = state.mailer.clone() else {
        return Ok(0);
    };
    let now = state.now();
    let claimed: Vec<Claimed> = state
        .db
        .call(move |c| Ok(outbox::claim(c, now, BATCH)?))
        .await?;
    let mut sent = 0;
    for c in claimed {
        let result = mailer.send(&c.mail).await;
        let now = state.now();
        let recipient = c.mail.recipient.clone();
        let (id, attempts) = (c.id, c.attempts);
        match &result {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(
                message = id,
                attempts,
                permanent = e.permanent,
                "e-mail not delivered: {}",
                e.message
            ),
        }
        state
            .db
            .call(move |db| {
                match result {
                    Ok(()) => outbox::sent(db, id, now)?,
                    Err(e) if e.permanent => {
                        outbox::failed(db, id, &recipient, now, &e.message, true)?
                    }
                    Err(e) if attempts >= outbox::ATTEMPTS_MAX => outbox::failed(
                        db,
                        id,
                        &recipient,
                        now,
                        &format!("gave up after {attempts} tries: {}", e.message),
                        false,
                    )?,
                    Err(e) => outbox::retry(db, id, backoff(attempts, now), &e.message)?,
                }
                Ok(())
            })
            .await?;
    }
    Ok(sent)
}

/// Delivers the outbox every [`EVERY`] (in `portal-api`'s runtime); messages written before a
/// crash or restart are still there and go out.
pub fn start(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = deliver_pending(&state).await {
                tracing::warn!("delivering e-mail: {e:?}");
            }
        }
    });
}

/// Checks the mail settings at start (inside the runtime: an SMTP pool starts a task); the
/// error names what is wrong.
pub fn configure(smtp: Option<&str>, mail_dir: PathBuf, from: &str) -> Result<Mailer, String> {
    match smtp {
        Some(url) => Mailer::smtp(url, from),
        None => Mailer::files(mail_dir, from),
    }
}

impl From<SendError> for ApiError {
    fn from(e: SendError) -> Self {
        ApiError::Internal(e.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_up_to_six_hours() {
        let t = chrono::DateTime::from_timestamp(0, 0).unwrap_or_default();
        let after = |n| (backoff(n, t) - t).num_minutes();
        assert_eq!([after(1), after(2), after(3), after(8)], [1, 2, 4, 128]);
        assert_eq!(after(20), 360);
    }

    #[tokio::test]
    async fn relays_are_secure_unless_said_otherwise() {
        assert!(Mailer::smtp("smtp://u:p@relay.example.edu", "portal@example.edu").is_ok());
        assert!(Mailer::smtp("smtp://127.0.0.1:2525?tls=none", "portal@example.edu").is_ok());
        let bad = Mailer::smtp("ftp://x", "portal@example.edu")
            .err()
            .unwrap_or_default();
        assert!(bad.contains("--smtp"), "{bad}");
        let bad_from = Mailer::smtp("smtp://x", "not an address")
            .err()
            .unwrap_or_default();
        assert!(bad_from.contains("--mail-from"), "{bad_from}");
    }
}
