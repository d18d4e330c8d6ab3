//! Two-step sign-in (TOTP, RFC 6238): enrolment with a QR code, recovery codes shown once, the
//! code step of signing in (rate limited with the password step's limiter), turning it off.
//! Support agents need it before they reveal a customer's secrets.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portal_core::account::{self, RECOVERY_CODES, RECOVERY_CODE_LEN};
use portal_core::model::{
    FieldError, Problem, RecoveryCodes, SecondFactor, TwoFactorCode, TwoFactorOff, TwoFactorSetup,
};
use portal_core::{tr, Role};
use totp_rs::{Algorithm, TOTP};

use super::session::{begin, user_agent};
use super::Json;
use crate::auth::{self, ClientAddr, Session, SessionToken, Transport};
use crate::db::{self, sessions::limiter, two_factor as store};
use crate::error::{ApiError, ApiResult};
use crate::{lang, AppState};

/// The issuer authenticator apps show next to the account.
const ISSUER: &str = "campusM Support";
/// Seconds per code.
const STEP: i64 = 30;

fn totp(secret: Vec<u8>) -> ApiResult<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        account::TOTP_DIGITS,
        1,
        STEP as u64,
        secret,
    )
    .map_err(|e| ApiError::Internal(format!("totp: {e}")))
}

/// The time step whose code `code` is, within one step either side of `now` (clocks drift).
fn matching_step(t: &TOTP, code: &str, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
    let secs = now.timestamp();
    (-1..=1).map(|k| secs + k * STEP).find_map(|at| {
        let at_u = u64::try_from(at).ok()?;
        (t.generate(at_u) == code).then_some(at / STEP)
    })
}

/// The SHA-256 a recovery code is kept as.
fn recovery_hash(code: &str) -> String {
    auth::token_hash(&account::normalize_code(code))
}

/// Ten new recovery codes, shown as `xxxxx-xxxxx`.
fn new_recovery_codes() -> ApiResult<Vec<String>> {
    // No 0/o, 1/l/i: codes are read off paper.
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; RECOVERY_CODE_LEN];
        getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
        let s: String = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        codes.push(format!("{}-{}", &s[..5], &s[5..]));
    }
    Ok(codes)
}

/// The QR code of `text` as SVG path data (dark modules, a 4-module quiet zone) and its size.
fn qr(text: &str) -> ApiResult<(u32, String)> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let code = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|e| ApiError::Internal(format!("qr: {e:?}")))?;
    let border = 4;
    let mut path = String::new();
    for y in 0..code.size() {
        for x in 0..code.size() {
            if code.get_module(x, y) {
                path.push_str(&format!("M{} {}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let size = u32::try_from(code.size() + 2 * border).unwrap_or(0);
    Ok((size, path))
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn wrong_code() -> ApiError {
    ApiError::Validation(vec![FieldError::new(
        "code",
        tr!(lang::current(),
            en: "That code is not right. Codes change every 30 seconds: type the one your app shows now, or a recovery code you have not used.",
            fr: "Ce code n’est pas le bon. Les codes changent toutes les 30 secondes : saisissez celui que votre application affiche maintenant, ou un code de secours pas encore utilisé."),
    )])
}

fn code_shape(code: &str) -> ApiResult<String> {
    match account::second_factor_code(code, lang::current()) {
        Some(m) => Err(ApiError::Validation(vec![FieldError::new("code", m)])),
        None => Ok(account::normalize_code(code)),
    }
}

/// Checks `code` (an app code, or a recovery code when `recovery` allows) for `user`, using it up;
/// answers whether it was right.
fn verify(
    c: &db::sql::Connection,
    state: &AppState,
    user: i64,
    code: &str,
    recovery: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<bool> {
    let Some((sealed, _)) = store::secret(c, user)? else {
        return Ok(false);
    };
    if code.len() == account::TOTP_DIGITS {
        let secret = state
            .secrets
            .open(&sealed, &store::seal_as(user))
            .map_err(|_| {
                ApiError::Internal(format!("user {user}: the TOTP secret does not open"))
            })?;
        return Ok(match matching_step(&totp(secret)?, code, now) {
            Some(step) => store::use_step(c, user, step)?,
            None => false,
        });
    }
    Ok(recovery && store::use_recovery(c, user, &recovery_hash(code), now)?)
}

/// `POST /api/v1/session/second-factor` {challenge, code}: the code step of signing in.
#[utoipa::path(post, path = "/api/v1/session/second-factor", tag = "session", security(()), params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = SecondFactor, responses((status = 200, description = "Signed in; sets the session cookie", body = portal_core::model::Me), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "The challenge expired, was used, or had too many wrong codes: sign in again", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "The code is wrong or not a code", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Too many wrong attempts: wait Retry-After seconds", body = Problem, content_type = "application/problem+json")))]
pub async fn session_second_factor(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    transport: Transport,
    headers: HeaderMap,
    Json(body): Json<SecondFactor>,
) -> ApiResult<Response> {
    let code = code_shape(&body.code)?;
    let now = state.now();
    let hash = auth::token_hash(body.challenge.trim());
    let st = state.clone();
    let outcome = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let user = store::challenge_attempt(&tx, &hash, now, super::session::CHALLENGE_ATTEMPTS)?;
            let Some(user) = user else {
                tx.commit()?;
                return Ok(Err(ApiError::Http(StatusCode::UNAUTHORIZED, tr!(lang::current(),
                    en: "This sign-in step ended (after 5 minutes, or too many wrong codes). Sign in again with your password.",
                    fr: "Cette étape de connexion a pris fin (après 5 minutes, ou trop de codes faux). Reconnectez-vous avec votre mot de passe.").into())));
            };
            let account = db::accounts::by_id(&tx, user)?.ok_or(ApiError::Unauthorized)?;
            let email = account.user.email.clone();
            if let Some(wait) = limiter::retry_after(&tx, &email, addr, now)? {
                tx.commit()?;
                return Ok(Err(ApiError::TooManyRequests(wait)));
            }
            if !verify(&tx, &st, user, &code, true, now)? {
                limiter::fail(&tx, &email, addr, now)?;
                tx.commit()?;
                return Ok(Err(wrong_code()));
            }
            store::challenge_end(&tx, &hash)?;
            limiter::succeed(&tx, &email)?;
            tx.commit()?;
            Ok(Ok(account))
        })
        .await?;
    let account = outcome?;
    begin(&state, account, transport, user_agent(&headers), true).await
}

/// `POST /api/v1/me/two-factor`: starts enrolment: a new secret, its QR code and the text to
/// type by hand. Two-step sign-in is on once a code from the app confirms it.
#[utoipa::path(post, path = "/api/v1/me/two-factor", tag = "session", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), responses((status = 200, description = "A new secret to enrol", body = TwoFactorSetup), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Two-step sign-in is on already", body = Problem, content_type = "application/problem+json")))]
pub async fn two_factor_start(
    State(state): State<AppState>,
    Session(account): Session,
) -> ApiResult<axum::Json<TwoFactorSetup>> {
    if account.two_factor {
        return Err(ApiError::conflict(tr!(lang::current(),
            en: "Two-step sign-in is on already. To use another phone, turn it off first (customers), or ask another agent to reset it (support).",
            fr: "La connexion en deux étapes est déjà activée. Pour utiliser un autre téléphone, désactivez-la d’abord (clients), ou demandez à un autre agent de la réinitialiser (support).")));
    }
    let mut secret = vec![0u8; 20];
    getrandom::fill(&mut secret).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
    let sealed = state
        .secrets
        .seal(&secret, &store::seal_as(account.id))
        .map_err(ApiError::Internal)?;
    let user = account.id;
    state
        .db
        .call(move |c| Ok(store::set_pending(c, user, &sealed)?))
        .await?;
    let base32 = totp(secret)?.get_secret_base32();
    let label = format!("{ISSUER}:{}", account.user.email);
    let url = format!(
        "otpauth://totp/{}?secret={base32}&issuer={}&algorithm=SHA1&digits={}&period={STEP}",
        percent(&label),
        percent(ISSUER),
        account::TOTP_DIGITS
    );
    let (qr_size, qr_path) = qr(&url)?;
    Ok(axum::Json(TwoFactorSetup {
        secret: base32,
        otpauth_url: url,
        qr_size,
        qr_path,
    }))
}

/// `PUT /api/v1/me/two-factor` {code}: confirms enrolment with a code from the app; turns
/// two-step sign-in on, marks this session as confirmed, and answers the recovery codes (shown
/// once: only their hashes are kept).
#[utoipa::path(put, path = "/api/v1/me/two-factor", tag = "session", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = TwoFactorCode, responses((status = 200, description = "On; the recovery codes, shown once", body = RecoveryCodes), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 409, description = "No enrolment started, or on already", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "The code is wrong or not a code", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Too many wrong attempts: wait Retry-After seconds", body = Problem, content_type = "application/problem+json")))]
pub async fn two_factor_confirm(
    State(state): State<AppState>,
    Session(account): Session,
    SessionToken(token): SessionToken,
    ClientAddr(addr): ClientAddr,
    Json(body): Json<TwoFactorCode>,
) -> ApiResult<axum::Json<RecoveryCodes>> {
    let code = code_shape(&body.code)?;
    if code.len() != account::TOTP_DIGITS {
        return Err(ApiError::Validation(vec![FieldError::new(
            "code",
            tr!(lang::current(),
                en: "Type the 6-digit code your authenticator app shows for the campusM Support account you just added.",
                fr: "Saisissez le code à 6 chiffres que votre application d’authentification affiche pour le compte campusM Support que vous venez d’ajouter."),
        )]));
    }
    let codes = new_recovery_codes()?;
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    let now = state.now();
    let session = token.as_deref().map(auth::token_hash).unwrap_or_default();
    let (user, email, secrets) = (
        account.id,
        account.user.email.clone(),
        state.secrets.clone(),
    );
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            if let Some(wait) = limiter::retry_after(&tx, &email, addr, now)? {
                return Err(ApiError::TooManyRequests(wait));
            }
            let Some(sealed) = store::pending(&tx, user)? else {
                return Err(ApiError::conflict(tr!(lang::current(),
                    en: "No two-step set-up is in progress (or it is on already). Start again from your account page.",
                    fr: "Aucune mise en place de la connexion en deux étapes n’est en cours (ou elle est déjà activée). Recommencez depuis la page de votre compte.")));
            };
            let secret = secrets
                .open(&sealed, &store::seal_as(user))
                .map_err(|_| ApiError::Internal(format!("user {user}: the pending secret does not open")))?;
            let Some(step) = matching_step(&totp(secret)?, &code, now) else {
                limiter::fail(&tx, &email, addr, now)?;
                tx.commit()?;
                return Err(wrong_code());
            };
            store::enable(&tx, user, step, &hashes, now)?;
            store::mark_session(&tx, &session)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(axum::Json(RecoveryCodes { codes }))
}

/// `DELETE /api/v1/me/two-factor` {password, code}: turns two-step sign-in off (customers; support
/// accounts keep it).
#[utoipa::path(delete, path = "/api/v1/me/two-factor", tag = "session", params(("X-Requested-With" = String, Header, description = "Any value; required on every state-changing request (a cross-site form cannot set it)")), request_body = TwoFactorOff, responses((status = 204, description = "Off"), (status = 400, description = "Bad query or body: the detail says what to change", body = Problem, content_type = "application/problem+json"), (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Support accounts keep two-step sign-in, or X-Requested-With missing", body = Problem, content_type = "application/problem+json"), (status = 409, description = "It is off already", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"), (status = 415, description = "Unsupported media type or file type", body = Problem, content_type = "application/problem+json"), (status = 422, description = "The password or the code is wrong", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Too many wrong attempts: wait Retry-After seconds", body = Problem, content_type = "application/problem+json")))]
pub async fn two_factor_delete(
    State(state): State<AppState>,
    Session(account): Session,
    ClientAddr(addr): ClientAddr,
    Json(body): Json<TwoFactorOff>,
) -> ApiResult<StatusCode> {
    let l = lang::current();
    if account.role() == Role::Agent {
        return Err(ApiError::forbidden(tr!(l,
            en: "Support accounts keep two-step sign-in: they can reveal customers' secrets.",
            fr: "Les comptes du support gardent la connexion en deux étapes : ils peuvent afficher les secrets des clients.")));
    }
    if !account.two_factor {
        return Err(ApiError::conflict(tr!(l,
            en: "Two-step sign-in is off already.",
            fr: "La connexion en deux étapes est déjà désactivée.")));
    }
    let code = code_shape(&body.code)?;
    let user = account.id;
    let stored = state
        .db
        .read(move |c| Ok(db::people::password_hash(c, user)?))
        .await?;
    let password = body.password;
    let password_ok = auth::verify_password_off_thread(password, stored).await?;
    let now = state.now();
    let (email, st) = (account.user.email.clone(), state.clone());
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            if let Some(wait) = limiter::retry_after(&tx, &email, addr, now)? {
                return Err(ApiError::TooManyRequests(wait));
            }
            let code_ok = verify(&tx, &st, user, &code, true, now)?;
            if !password_ok || !code_ok {
                limiter::fail(&tx, &email, addr, now)?;
                tx.commit()?;
                let mut errors = Vec::new();
                if !password_ok {
                    errors.push(FieldError::new(
                        "password",
                        tr!(l,
                        en: "That is not your password.",
                        fr: "Ce n’est pas votre mot de passe."),
                    ));
                }
                if !code_ok {
                    if let ApiError::Validation(mut e) = wrong_code() {
                        errors.append(&mut e);
                    }
                }
                return Err(ApiError::Validation(errors));
            }
            store::disable(&tx, user)?;
            st.notifier.security_notice(
                &tx,
                user,
                &email,
                crate::notify::SecurityChange::TwoFactorOff,
                now,
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses an agent whose session was not started with the second step (revealing secrets).
pub fn require_second_factor(account: &db::Account) -> ApiResult<()> {
    if account.role() != Role::Agent || (account.two_factor && account.second_factor_session) {
        return Ok(());
    }
    let l = lang::current();
    Err(ApiError::forbidden(if account.two_factor {
        tr!(l,
            en: "Sign out and sign in again with your two-step code: this session was started with the password alone, and secrets are revealed only in sessions confirmed with a code.",
            fr: "Déconnectez-vous puis reconnectez-vous avec votre code en deux étapes : cette session a été ouverte avec le seul mot de passe, et les secrets ne s’affichent que dans une session confirmée par un code.")
    } else {
        tr!(l,
            en: "Support reveals customers' secrets only with two-step sign-in. Turn it on from your account page (Two-step sign-in), then reveal again.",
            fr: "Le support n’affiche les secrets des clients qu’avec la connexion en deux étapes. Activez-la depuis la page de votre compte (Connexion en deux étapes), puis réessayez.")
    }))
}
