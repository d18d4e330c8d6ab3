//! Sign-in, sessions and the guard every state-changing request passes.
//!
//! - Passwords: argon2id hashes (the PHC string is stored).
//! - Sessions: a random 256-bit token in a `__Host-` cookie (Secure, HttpOnly, SameSite=Strict,
//!   Path=/); the database keeps only its SHA-256, so a leaked database holds no usable session.
//!   One exception, for the demo and local development: a request over plain HTTP to a loopback
//!   address (Host 127.0.0.1, ::1 or localhost, from a loopback peer, not forwarded as HTTPS) gets
//!   the cookie without `Secure` (and so without the `__Host-` prefix, which requires it), because
//!   WebKit keeps no Secure cookie on plain HTTP. Any other plain-HTTP address gets the Secure one,
//!   which browsers do not keep there: a session never travels in clear beyond the machine.
//! - Sign-in attempts are rate limited per account and per client address
//!   (`db::sessions::limiter`).
//! - Sessions end after [`SessionLimits::lifetime`] at the latest and after
//!   [`SessionLimits::idle`] without use (`portal-api --session-days`, `--session-idle-hours`);
//!   a person sees their sessions and can end the others.
//! - State-changing requests must carry `X-Requested-With` (a cross-site form cannot set it), and
//!   when the browser says where they come from (`Sec-Fetch-Site`, `Origin`), that must be the
//!   portal itself.

use std::net::{IpAddr, SocketAddr};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::db;
use crate::error::ApiError;
use crate::AppState;

/// The session cookie's name over HTTPS (and everywhere but loopback HTTP). `__Host-` makes the
/// browser insist on Secure, Path=/ and no Domain.
pub const SESSION_COOKIE: &str = "__Host-portal_session";
/// The session cookie's name over plain HTTP on a loopback address (see the module's notes).
pub const LOOPBACK_SESSION_COOKIE: &str = "portal_session";
/// How long a session lasts at most, by default.
pub const SESSION_DAYS: i64 = 14;
/// How long a session lasts without use, by default.
pub const SESSION_IDLE_HOURS: i64 = 12;

/// How long sessions last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// At most, from signing in.
    pub lifetime: chrono::Duration,
    /// Without use.
    pub idle: chrono::Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            lifetime: chrono::Duration::days(SESSION_DAYS),
            idle: chrono::Duration::hours(SESSION_IDLE_HOURS),
        }
    }
}

/// How a request reached the server, as far as the session cookie is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// HTTPS, or plain HTTP to an address other than loopback: the Secure `__Host-` cookie.
    Secure,
    /// Plain HTTP to a loopback address from a loopback peer: the demo and local development.
    LoopbackHttp,
}

impl Transport {
    /// Decides from the request: a proxy saying HTTPS (`X-Forwarded-Proto` or `Forwarded`), the
    /// `Host` it was sent to, and the peer's address when the server knows it.
    pub fn of(parts: &Parts) -> Transport {
        let header = |name: header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_ascii_lowercase)
        };
        let forwarded_https = header(header::HeaderName::from_static("x-forwarded-proto"))
            .is_some_and(|p| p.split(',').any(|p| p.trim() == "https"))
            || header(header::FORWARDED).is_some_and(|f| f.contains("proto=https"));
        let host = header(header::HOST)
            .or_else(|| parts.uri.host().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        let peer_loopback = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .is_none_or(|ConnectInfo(a)| a.ip().is_loopback());
        if !forwarded_https && is_loopback_host(&host) && peer_loopback {
            Transport::LoopbackHttp
        } else {
            Transport::Secure
        }
    }

    /// The session cookie's name on this transport.
    pub fn cookie_name(self) -> &'static str {
        match self {
            Transport::Secure => SESSION_COOKIE,
            Transport::LoopbackHttp => LOOPBACK_SESSION_COOKIE,
        }
    }

    fn attributes(self) -> &'static str {
        match self {
            Transport::Secure => "Path=/; Secure; HttpOnly; SameSite=Strict",
            Transport::LoopbackHttp => "Path=/; HttpOnly; SameSite=Strict",
        }
    }
}

/// Whether a `Host` value (with or without its port) names this machine's loopback interface.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                host
            }
        })
    };
    name == "localhost" || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Hashes a password with argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
    let salt =
        SaltString::encode_b64(&bytes).map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hash: {e}")))
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// [`hash_password`] on a blocking thread (argon2id takes tens of milliseconds on purpose).
pub async fn hash_password_off_thread(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(format!("hash: {e}")))?
}

/// [`verify_password`] on a blocking thread.
pub async fn verify_password_off_thread(password: String, hash: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(format!("verify: {e}")))
}

/// A new random session token (URL-safe base64 of 32 bytes).
pub fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database stores for a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Set-Cookie` value that starts a session of `lifetime` on `transport`.
pub fn session_cookie(token: &str, transport: Transport, lifetime: chrono::Duration) -> String {
    format!(
        "{}={token}; {}; Max-Age={}",
        transport.cookie_name(),
        transport.attributes(),
        lifetime.num_seconds()
    )
}

/// The `Set-Cookie` value that ends a session on `transport`.
pub fn expired_cookie(transport: Transport) -> String {
    format!(
        "{}=; {}; Max-Age=0",
        transport.cookie_name(),
        transport.attributes()
    )
}

/// The session token sent with a request, if any: the `__Host-` cookie, or on loopback HTTP the
/// loopback one (never accepted on any other transport).
pub fn request_token(parts: &Parts) -> Option<String> {
    let loopback = Transport::of(parts) == Transport::LoopbackHttp;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE || (loopback && *k == LOOPBACK_SESSION_COOKIE))
        .map(|(_, v)| v.to_string())
}

/// Extractor: how the request reached the server (for the session cookie).
impl<S: Send + Sync> FromRequestParts<S> for Transport {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Transport::of(parts))
    }
}

/// Extractor: the session token the request carries, if any (signed in or not).
pub struct SessionToken(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for SessionToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(SessionToken(request_token(parts)))
    }
}

/// Extractor: the signed-in account, or 401 problem+json.
pub struct Session(pub db::Account);

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = request_token(parts).ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(&token);
        let now = state.now();
        let idle_since = now - state.sessions.idle;
        let lookup = hash.clone();
        let (account, last_seen) = state
            .db
            .read(move |c| Ok(db::accounts::by_session(c, &lookup, now, idle_since)?))
            .await?
            .ok_or(ApiError::Unauthorized)?;
        // Used now: the idle timeout starts again. Written at most once a minute, so reading stays
        // a read.
        if now - last_seen > chrono::Duration::seconds(60) {
            state
                .db
                .call(move |c| Ok(db::sessions::touch(c, &hash, now)?))
                .await?;
        }
        Ok(Session(account))
    }
}

/// Extractor: the signed-in account when there is one (public endpoints that say more to people
/// who are signed in).
pub struct MaybeSession(pub Option<db::Account>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Session::from_request_parts(parts, state).await {
            Ok(Session(account)) => Ok(MaybeSession(Some(account))),
            Err(ApiError::Unauthorized) => Ok(MaybeSession(None)),
            Err(e) => Err(e),
        }
    }
}

/// Extractor: the client's address when the server knows it (not in in-process tests).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Where a state-changing request says it comes from, when that is not the portal itself: the
/// browser's `Sec-Fetch-Site` other than `same-origin` (or `none`: typed by the person), or an
/// `Origin` whose host is not the one the request was sent to (`Host`, or `X-Forwarded-Host`
/// behind a proxy).
pub fn foreign_origin(headers: &axum::http::HeaderMap) -> Option<String> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return Some(format!("Sec-Fetch-Site: {site}"));
        }
    }
    let origin = get("origin")?;
    let host = get("x-forwarded-host")
        .or_else(|| get("host"))
        .unwrap_or("");
    let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
    let same = !host.is_empty() && origin_host.eq_ignore_ascii_case(host);
    (!same).then(|| format!("Origin: {origin}"))
}

/// Middleware: state-changing API requests must carry `X-Requested-With` and must not come from
/// another site.
pub async fn require_requested_with(req: Request, next: Next) -> Result<Response, ApiError> {
    // Only the methods that change state; any other method goes on to its 405.
    let changing = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if changing {
        if let Some(from) = foreign_origin(req.headers()) {
            return Err(ApiError::forbidden(
                portal_core::trf!(crate::lang::current(),
                en: "This request came from another site ({from}); the portal accepts changes only from its own pages.",
                fr: "Cette requête vient d’un autre site ({from}) ; le portail n’accepte de changements que de ses propres pages."),
            ));
        }
    }
    if changing && !req.headers().contains_key("x-requested-with") {
        return Err(ApiError::forbidden(
            portal_core::tr!(crate::lang::current(),
            en: "This request must carry the header X-Requested-With (the portal sends it); cross-site form posts are refused.",
            fr: "Cette requête doit porter l’en-tête X-Requested-With (le portail l’envoie) ; les envois de formulaires d’autres sites sont refusés."),
        ));
    }
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_portal_itself_may_change_things() {
        use axum::http::{HeaderMap, HeaderValue};
        let with = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            foreign_origin(&h)
        };
        assert_eq!(
            with(&[("host", "support.example.edu")]),
            None,
            "no browser hints: the header rule decides"
        );
        assert_eq!(
            with(&[
                ("sec-fetch-site", "same-origin"),
                ("origin", "https://support.example.edu"),
                ("host", "support.example.edu")
            ]),
            None
        );
        assert!(with(&[("sec-fetch-site", "cross-site")]).is_some());
        assert!(
            with(&[("sec-fetch-site", "same-site")]).is_some(),
            "a sibling subdomain is another site"
        );
        assert!(with(&[
            ("origin", "https://evil.example"),
            ("host", "support.example.edu")
        ])
        .is_some());
        assert!(with(&[("origin", "null"), ("host", "support.example.edu")]).is_some());
        assert_eq!(
            with(&[
                ("origin", "https://support.example.edu"),
                ("host", "10.0.0.5:8080"),
                ("x-forwarded-host", "support.example.edu")
            ]),
            None,
            "behind a proxy that says so"
        );
        assert_eq!(
            with(&[
                ("origin", "http://127.0.0.1:8080"),
                ("host", "127.0.0.1:8080")
            ]),
            None
        );
    }

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("northfield-demo").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("northfield-demo", &h));
        assert!(!verify_password("northfield-dem0", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}

#[cfg(test)]
mod transport_tests {
    use super::*;

    fn parts(host: &str, peer: Option<&str>) -> Parts {
        let mut req = axum::http::Request::builder()
            .uri("/api/v1/session")
            .header(header::HOST, host)
            .body(())
            .unwrap_or_default();
        if let Some(p) = peer {
            if let Ok(addr) = p.parse::<SocketAddr>() {
                req.extensions_mut().insert(ConnectInfo(addr));
            }
        }
        req.into_parts().0
    }

    #[test]
    fn loopback_http_needs_a_loopback_host_and_peer() {
        assert_eq!(
            Transport::of(&parts("127.0.0.1:8080", Some("127.0.0.1:5000"))),
            Transport::LoopbackHttp
        );
        assert_eq!(
            Transport::of(&parts("[::1]:8080", Some("[::1]:5000"))),
            Transport::LoopbackHttp
        );
        // A remote peer that names a loopback host (a proxy, a forged Host): the Secure cookie.
        assert_eq!(
            Transport::of(&parts("127.0.0.1:8080", Some("10.1.2.3:5000"))),
            Transport::Secure
        );
        // A proxy on this machine forwarding the public name: the Secure cookie.
        assert_eq!(
            Transport::of(&parts("portal.example.edu", Some("127.0.0.1:5000"))),
            Transport::Secure
        );
    }
}

/// Why a new password is refused, if it is: the length rule (core), then the strength estimate
/// (zxcvbn, offline: its lists of common and breached passwords, names, words and keyboard
/// patterns ship with the API; `context` holds what the person's own details would make guessable:
/// e-mail, name, institution). Scores below 3 ("safely unguessable" against an online attack with
/// throttling and beyond) are refused.
pub fn password_refusal(
    password: &str,
    context: &[&str],
    lang: portal_core::Lang,
) -> Option<String> {
    use portal_core::tr;
    use zxcvbn::feedback::Warning;
    if let Some(m) = portal_core::account::password(password, lang) {
        return Some(m);
    }
    let estimate = zxcvbn::zxcvbn(password, context);
    if estimate.score() >= zxcvbn::Score::Three {
        return None;
    }
    let warning = estimate.feedback().and_then(|f| f.warning());
    let why = match warning {
        Some(
            Warning::ThisIsATop10Password
            | Warning::ThisIsATop100Password
            | Warning::ThisIsACommonPassword
            | Warning::ThisIsSimilarToACommonlyUsedPassword,
        ) => tr!(lang,
            en: "This password is on the lists of common and breached passwords that attackers try first, or close to one.",
            fr: "Ce mot de passe figure sur les listes de mots de passe courants et divulgués que les attaquants essaient en premier, ou en est proche."),
        Some(
            Warning::StraightRowsOfKeysAreEasyToGuess
            | Warning::ShortKeyboardPatternsAreEasyToGuess,
        ) => tr!(lang,
            en: "This password follows keys in a row on the keyboard, which attackers try early.",
            fr: "Ce mot de passe suit des touches voisines du clavier, ce que les attaquants essaient tôt."),
        Some(
            Warning::RepeatsLikeAaaAreEasyToGuess
            | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess
            | Warning::SequencesLikeAbcAreEasyToGuess,
        ) => tr!(lang,
            en: "This password repeats characters or follows a sequence, which attackers try early.",
            fr: "Ce mot de passe répète des caractères ou suit une suite, ce que les attaquants essaient tôt."),
        Some(
            Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
            | Warning::CommonNamesAndSurnamesAreEasyToGuess,
        ) => tr!(lang,
            en: "This password is mostly a name, which attackers try early.",
            fr: "Ce mot de passe est surtout un nom, ce que les attaquants essaient tôt."),
        Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => tr!(lang,
            en: "This password leans on a date or a year, which attackers try early.",
            fr: "Ce mot de passe repose sur une date ou une année, ce que les attaquants essaient tôt."),
        _ => tr!(lang,
            en: "This password is too easy to guess: it is close to common passwords, words, or your own details.",
            fr: "Ce mot de passe est trop facile à deviner : il est proche de mots de passe courants, de mots ou de vos propres informations."),
    };
    Some(format!(
        "{why} {}",
        tr!(lang,
            en: "Add a few unrelated words: length makes a password hard to guess, not symbols.",
            fr: "Ajoutez quelques mots sans rapport : c’est la longueur qui rend un mot de passe difficile à deviner, pas les symboles.")
    ))
}

#[cfg(test)]
mod password_tests {
    use super::password_refusal;
    use portal_core::Lang;

    #[test]
    fn common_and_breached_passwords_are_refused_with_a_reason() {
        for common in [
            "password1234",
            "qwertyuiop12",
            "123456789012",
            "iloveyou2024",
        ] {
            let m = password_refusal(common, &[], Lang::En);
            assert!(m.is_some(), "{common} accepted");
        }
        let m = password_refusal("password1234", &[], Lang::En).unwrap_or_default();
        assert!(m.contains("breached"), "{m}");
        // The person's own details make a password guessable.
        assert!(password_refusal("northfieldalex", &["alex", "northfield"], Lang::Fr).is_some());
        // Long and unrelated passes; so does a pass phrase without symbols or capitals.
        assert_eq!(password_refusal("xk7-vPq2-lmN9w", &[], Lang::En), None);
        assert_eq!(
            password_refusal("tulip harbour violin cement", &[], Lang::En),
            None
        );
        // Too short is the length rule's message, whatever the strength.
        let short = password_refusal("k#9Lq!", &[], Lang::En).unwrap_or_default();
        assert!(short.contains("12"), "{short}");
    }
}
