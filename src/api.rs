//! The one typed client of the JSON API (`/api/v1`). Every call the portal makes is here, so a
//! newcomer finds the network surface in one file. Errors become [`ApiError`], which always has a
//! message fit to show a person (from the API's problem+json, or written here for network faults).

use gloo_net::http::{Request, RequestBuilder, Response};
use portal_core::model::{
    Attachment, CaseDetail, CaseList, Config, FieldError, Me, NewCase, NewComment, Problem, SignIn,
};
use portal_core::query::{CaseQuery, Scope};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// API base path (same origin as the portal).
pub const BASE: &str = portal_core::routes::API_BASE;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, connection reset).
    Network,
    /// The server answered with an error status.
    Http {
        /// HTTP status.
        status: u16,
        /// The problem+json body, when there was one.
        problem: Option<Box<Problem>>,
    },
    /// The answer was not what the portal expects.
    Malformed,
    /// No answer within [`TIMEOUT_MS`]: the request was abandoned.
    Timeout,
    /// 502, 503 or 504: the service (or a proxy in front of it) is briefly unavailable; the
    /// seconds of `Retry-After` when it said.
    Unavailable {
        /// Seconds to wait, from `Retry-After`.
        retry_after: Option<u32>,
    },
}

/// How long the portal waits for an answer before it gives up and says so (milliseconds).
pub const TIMEOUT_MS: u32 = 20_000;

impl ApiError {
    /// Whether the session has ended (sign in again).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Http { status: 401, .. })
    }

    /// The case an earlier request with the same Idempotency-Key already made (a second tab
    /// sending the same draft).
    pub fn already_sent(&self) -> Option<String> {
        match self {
            ApiError::Http {
                problem: Some(p), ..
            } if p.kind == portal_core::model::PROBLEM_ALREADY_SENT => p.case_number.clone(),
            _ => None,
        }
    }

    /// Field errors of a 422 answer.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Http {
                problem: Some(p), ..
            } => p.errors.clone(),
            _ => Vec::new(),
        }
    }

    /// A message for people.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network => t!(
                en: "We could not reach the support portal. Check your connection and try again; nothing you typed is lost.",
                fr: "Impossible de joindre le portail de support. Vérifiez votre connexion et réessayez ; rien de ce que vous avez saisi n’est perdu.").into(),
            ApiError::Malformed => t!(
                en: "The portal received an answer it could not read. Try again in a moment; nothing you typed is lost.",
                fr: "Le portail a reçu une réponse illisible. Réessayez dans un instant ; rien de ce que vous avez saisi n’est perdu.").into(),
            ApiError::Timeout => t!(
                en: "The support portal did not answer within 20 seconds. Try again; nothing you typed is lost, and a request that did arrive is never made twice.",
                fr: "Le portail de support n’a pas répondu en 20 secondes. Réessayez ; rien de ce que vous avez saisi n’est perdu, et une demande arrivée n’est jamais enregistrée deux fois.").into(),
            ApiError::Unavailable { retry_after } => {
                let wait = match *retry_after {
                    Some(s) if s >= 120 => {
                        let m = s.div_ceil(60);
                        tf!(en: "in about {m} minutes", fr: "dans environ {m} minutes")
                    }
                    Some(s) if s > 1 => tf!(en: "in {s} seconds", fr: "dans {s} secondes"),
                    Some(_) => t!(en: "in a second", fr: "dans une seconde").into(),
                    None => t!(en: "in a minute", fr: "dans une minute").into(),
                };
                tf!(en: "The support portal is briefly unavailable (maintenance or heavy load). Try again {wait}; nothing you typed is lost.",
                    fr: "Le portail de support est momentanément indisponible (maintenance ou forte charge). Réessayez {wait} ; rien de ce que vous avez saisi n’est perdu.")
            }
            ApiError::Http { problem: Some(p), .. } if !p.detail.is_empty() => p.detail.clone(),
            ApiError::Http { status, .. } if *status >= 500 => t!(
                en: "The support portal had a problem on its side. Try again in a moment; nothing you typed is lost.",
                fr: "Le portail de support a rencontré un problème de son côté. Réessayez dans un instant ; rien de ce que vous avez saisi n’est perdu.").into(),
            ApiError::Http { status, .. } => tf!(en: "The request failed (HTTP {status}).", fr: "La demande a échoué (HTTP {status})."),
        }
    }
}

/// Result of an API call.
pub type ApiResult<T> = Result<T, ApiError>;

thread_local! {
    static OFFLINE: leptos::prelude::RwSignal<Option<String>> = leptos::prelude::RwSignal::new(None);
}

/// Set while answers come from the service worker's offline copy: the HTTP date when that copy
/// was fetched. `None` again as soon as an answer comes from the server.
///
/// Created on first use, which [`crate::App`] makes happen outside the part of the app that a
/// language switch renders again (a signal lives as long as the part that created it).
pub fn offline_since() -> leptos::prelude::RwSignal<Option<String>> {
    OFFLINE.with(|s| *s)
}

fn note_source(res: &Response) {
    use leptos::prelude::{GetUntracked, Set};
    let offline = res.headers().get("x-portal-offline");
    let signal = offline_since();
    if signal.get_untracked() != offline {
        signal.set(offline);
    }
}

/// The error an unsuccessful answer stands for.
async fn failure(res: Response) -> ApiError {
    let status = res.status();
    if matches!(status, 502..=504) {
        let retry_after = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse().ok());
        return ApiError::Unavailable { retry_after };
    }
    let problem = res.json::<Problem>().await.ok().map(Box::new);
    ApiError::Http { status, problem }
}

/// The answer's text, or the error an unsuccessful answer stands for. Not generic: one copy of
/// the network code, whatever type the caller decodes (see [`decode`]).
async fn read_text(res: Response) -> ApiResult<String> {
    note_source(&res);
    if res.ok() {
        res.text().await.map_err(|_| ApiError::Malformed)
    } else {
        Err(failure(res).await)
    }
}

/// Decodes an answer's JSON: the only part of a call that depends on its type.
fn decode<T: DeserializeOwned>(text: &str) -> ApiResult<T> {
    serde_json::from_str(text).map_err(|_| ApiError::Malformed)
}

/// A request body as JSON text, serialised before the (not generic) sending.
fn to_json<B: Serialize>(body: Option<&B>) -> ApiResult<Option<String>> {
    body.map(|b| serde_json::to_string(b).map_err(|_| ApiError::Malformed))
        .transpose()
}

/// Aborts a request that has not been answered within [`TIMEOUT_MS`] (`AbortSignal.timeout`).
struct Deadline(web_sys::AbortSignal);

impl Deadline {
    fn start() -> Deadline {
        Deadline(web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS))
    }

    /// The error for a request that got no answer: a timeout when the deadline passed.
    fn no_answer(&self) -> ApiError {
        if self.0.aborted() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    }
}

/// Sends `builder`'s request (with `body`, JSON text) under a [`Deadline`]; answers the response
/// and the deadline, which must live until the body is read.
async fn dispatch(
    builder: RequestBuilder,
    body: Option<String>,
) -> ApiResult<(Response, Deadline)> {
    let deadline = Deadline::start();
    let builder = builder
        .header("Accept-Language", crate::i18n::lang().code())
        .abort_signal(Some(&deadline.0));
    let req = match body {
        Some(b) => builder.header("Content-Type", "application/json").body(b),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Malformed)?;
    match req.send().await {
        Ok(res) => Ok((res, deadline)),
        Err(_) => Err(deadline.no_answer()),
    }
}

/// Reads the answer's text; a body cut off by the deadline is a timeout, not a malformed answer.
async fn finish_text(res: Response, deadline: Deadline) -> ApiResult<String> {
    match read_text(res).await {
        Err(ApiError::Malformed) => Err(match deadline.no_answer() {
            ApiError::Timeout => ApiError::Timeout,
            _ => ApiError::Malformed,
        }),
        other => other,
    }
}

/// Reads and decodes the answer.
async fn finish<T: DeserializeOwned>(res: Response, deadline: Deadline) -> ApiResult<T> {
    decode(&finish_text(res, deadline).await?)
}

/// The answer to `GET url` that index.html's early-requests script started before the app ran
/// (`portal_core::routes::first_requests`), taken once; `None` when it asked for no such URL,
/// asked in another language than the portal now renders in, or got no answer (the portal then
/// asks itself, so an early request never costs more than a request).
async fn adopt(url: &str) -> Option<Response> {
    use js_sys::Reflect;
    use wasm_bindgen::JsCast;
    let early = Reflect::get(&js_sys::global(), &"portalEarly".into()).ok()?;
    if !early.is_object() {
        return None;
    }
    let lang = Reflect::get(&early, &"lang".into()).ok()?.as_string()?;
    let requests = Reflect::get(&early, &"requests".into()).ok()?;
    let promise: js_sys::Promise = Reflect::get(&requests, &url.into()).ok()?.dyn_into().ok()?;
    let _ = Reflect::delete_property(requests.unchecked_ref::<js_sys::Object>(), &url.into());
    if lang != crate::i18n::lang().code() {
        return None;
    }
    let res = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    res.dyn_into::<web_sys::Response>().ok().map(Response::from)
}

/// `GET url`: the early answer when there is one ([`adopt`]), else a request of its own.
async fn get_response(url: &str) -> ApiResult<(Response, Deadline)> {
    if let Some(res) = adopt(url).await {
        return Ok((res, Deadline::start()));
    }
    dispatch(Request::get(url).header("Accept", "application/json"), None).await
}

async fn get_text(path: &str) -> ApiResult<String> {
    let (res, deadline) = get_response(&url(path)).await?;
    finish_text(res, deadline).await
}

async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    decode(&get_text(path).await?)
}

fn changing(builder: RequestBuilder) -> RequestBuilder {
    // The API refuses state changes without it: a cross-site form cannot send this header.
    builder
        .header("X-Requested-With", "portal")
        .header("Accept", "application/json")
}

/// Sends a state-changing request with its JSON text; answers the text of the answer.
async fn send_text(builder: RequestBuilder, body: Option<String>) -> ApiResult<String> {
    let (res, deadline) = dispatch(changing(builder), body).await?;
    finish_text(res, deadline).await
}

async fn send<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: Option<&B>,
) -> ApiResult<T> {
    decode(&send_text(builder, to_json(body)?).await?)
}

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

/// `GET /me`: who is signed in (`None`: nobody; the API answers 204).
pub async fn me() -> ApiResult<Option<Me>> {
    let (res, deadline) = get_response(&url("/me")).await?;
    if res.status() == 204 {
        note_source(&res);
        return Ok(None);
    }
    finish(res, deadline).await.map(Some)
}

/// Where a password step leads.
pub enum SignedIn {
    /// Signed in.
    Me(Me),
    /// The account has two-step sign-in: the code comes next, with this challenge.
    Code(String),
}

/// Sends a step that signs in: 200 with [`Me`], or 202 with a challenge for the code step.
async fn signing_in<B: Serialize>(builder: RequestBuilder, body: &B) -> ApiResult<SignedIn> {
    let (res, deadline) = dispatch(changing(builder), to_json(Some(body))?).await?;
    if res.status() == 202 {
        let c: portal_core::model::SignInChallenge = finish(res, deadline).await?;
        return Ok(SignedIn::Code(c.challenge));
    }
    finish(res, deadline).await.map(SignedIn::Me)
}

/// `POST /session`: signs in (or asks for the two-step code).
pub async fn sign_in(email: &str, password: &str) -> ApiResult<SignedIn> {
    let body = SignIn {
        email: email.to_string(),
        password: password.to_string(),
    };
    signing_in(Request::post(&url("/session")), &body).await
}

/// `POST /session/second-factor`: the code step of signing in.
pub async fn second_factor(challenge: &str, code: &str) -> ApiResult<Me> {
    let body = portal_core::model::SecondFactor {
        challenge: challenge.to_string(),
        code: code.to_string(),
    };
    send(Request::post(&url("/session/second-factor")), Some(&body)).await
}

/// `POST /me/two-factor`: starts enrolment.
pub async fn start_two_factor() -> ApiResult<portal_core::model::TwoFactorSetup> {
    send::<(), _>(Request::post(&url("/me/two-factor")), None).await
}

/// `PUT /me/two-factor`: confirms enrolment with a code; answers the recovery codes.
pub async fn confirm_two_factor(code: &str) -> ApiResult<portal_core::model::RecoveryCodes> {
    let body = portal_core::model::TwoFactorCode {
        code: code.to_string(),
    };
    send(Request::put(&url("/me/two-factor")), Some(&body)).await
}

/// `DELETE /me/two-factor`: turns it off (customers).
pub async fn stop_two_factor(body: &portal_core::model::TwoFactorOff) -> ApiResult<()> {
    send_body_empty(Request::delete(&url("/me/two-factor")), Some(body)).await
}

/// Sends a request whose answer has no body (204).
async fn send_empty(builder: RequestBuilder) -> ApiResult<()> {
    send_nothing_back(builder, None).await
}

/// Sends a request with `body` whose answer has no body (204).
async fn send_body_empty<B: Serialize>(builder: RequestBuilder, body: Option<&B>) -> ApiResult<()> {
    send_nothing_back(builder, to_json(body)?).await
}

async fn send_nothing_back(builder: RequestBuilder, body: Option<String>) -> ApiResult<()> {
    let (res, _deadline) = dispatch(changing(builder), body).await?;
    if res.ok() {
        Ok(())
    } else {
        Err(failure(res).await)
    }
}

/// `DELETE /session`: signs out on the server.
pub async fn sign_out() -> ApiResult<()> {
    send_empty(Request::delete(&url("/session"))).await
}

/// `GET /config`: kinds, levels, regions, links.
pub async fn config() -> ApiResult<Config> {
    get("/config").await
}

/// `GET /announcements`: what the service banner shows now.
pub async fn announcements() -> ApiResult<Vec<portal_core::announcement::Announcement>> {
    get("/announcements").await
}

/// `GET /cases?…`: a page of cases.
pub async fn cases(query: &CaseQuery) -> ApiResult<CaseList> {
    get(&format!("/cases?{}", query.to_query_string())).await
}

/// `GET /cases/overview?scope=`: counts by status and level, and cases opened and closed per week.
pub async fn overview(scope: Scope) -> ApiResult<portal_core::model::CaseOverview> {
    let q = CaseQuery {
        scope,
        ..CaseQuery::default()
    };
    get(&format!("/cases/overview?{}", q.to_query_string())).await
}

/// `GET /cases/{number}`.
pub async fn case(number: &str) -> ApiResult<CaseDetail> {
    get(&format!("/cases/{}", encode(number))).await
}

/// Waits `ms` milliseconds.
async fn sleep(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

/// POSTs with an Idempotency-Key. While an earlier attempt with the same key is still running on
/// the server (409 "request in progress"), waits a second and asks again: the answer is then the
/// first attempt's result.
async fn post_idempotent<B: Serialize, T: DeserializeOwned>(
    path: &str,
    key: &str,
    body: &B,
) -> ApiResult<T> {
    decode(&post_idempotent_text(path, key, to_json(Some(body))?).await?)
}

async fn post_idempotent_text(path: &str, key: &str, json: Option<String>) -> ApiResult<String> {
    let mut attempt = 0;
    loop {
        let result = send_text(
            Request::post(&url(path)).header("Idempotency-Key", key),
            json.clone(),
        )
        .await;
        match result {
            Err(ApiError::Http {
                status: 409,
                problem: Some(p),
            }) if p.kind == portal_core::model::PROBLEM_IN_PROGRESS && attempt < 15 => {
                attempt += 1;
                sleep(1000).await;
            }
            other => return other,
        }
    }
}

/// `POST /cases` with an Idempotency-Key: a repeat with the same key never makes a second case.
pub async fn create_case(case: &NewCase, idempotency_key: &str) -> ApiResult<CaseDetail> {
    post_idempotent("/cases", idempotency_key, case).await
}

/// `POST /cases/{number}/comments` with the ids of files uploaded for it, and an Idempotency-Key
/// (one per update written), so a retry never posts it twice.
pub async fn comment(
    number: &str,
    body: &str,
    attachments: Vec<String>,
    idempotency_key: &str,
    rejects_solution: bool,
) -> ApiResult<CaseDetail> {
    let b = NewComment {
        body: body.to_string(),
        attachments,
        rejects_solution,
    };
    post_idempotent(
        &format!("/cases/{}/comments", encode(number)),
        idempotency_key,
        &b,
    )
    .await
}

/// `POST /cases/{number}/{close|reopen|accept}` (`action` from `CaseAction::as_str`).
pub async fn case_action(number: &str, action: &str) -> ApiResult<CaseDetail> {
    send::<(), _>(
        Request::post(&url(&format!("/cases/{}/{action}", encode(number)))),
        None,
    )
    .await
}

/// Percent-encodes one path segment or query value.
pub fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// `GET /sla/preview`: when the initial response would be due if the case were opened now.
pub async fn sla_preview(
    level: portal_core::Level,
    region: &str,
) -> ApiResult<portal_core::model::SlaPreview> {
    get(&format!(
        "/sla/preview?level={}&region={}",
        level.as_str(),
        encode(region)
    ))
    .await
}

/// `GET /cases/similar?text=`: open cases that look like the request being written.
pub async fn similar_cases(text: &str) -> ApiResult<CaseList> {
    get(&format!("/cases/similar?text={}", encode(text))).await
}

/// `GET /articles?q=`: knowledge articles that may answer the question.
pub async fn articles(q: &str) -> ApiResult<portal_core::model::ArticleList> {
    get(&format!("/articles?q={}", encode(q))).await
}

/// `GET /articles/{id}`: one article with its text.
pub async fn article(id: &str) -> ApiResult<portal_core::model::Article> {
    get(&format!("/articles/{}", encode(id))).await
}

/// `POST /articles/{id}/helpful`: the article answered the question (no case needed).
pub async fn article_helpful(id: &str) -> ApiResult<serde_json::Value> {
    send::<(), _>(
        Request::post(&url(&format!("/articles/{}/helpful", encode(id)))),
        None,
    )
    .await
}

/// `POST /routings` with an Idempotency-Key: records an idea handed to the Ideas Exchange (once,
/// however often the link is clicked).
pub async fn create_routing(
    r: &portal_core::model::NewRouting,
    idempotency_key: &str,
) -> ApiResult<portal_core::model::HandOff> {
    post_idempotent("/routings", idempotency_key, r).await
}

/// `POST /consultations` with an Idempotency-Key: a redesign request for the account manager.
pub async fn create_consultation(
    c: &portal_core::model::NewConsultation,
    idempotency_key: &str,
) -> ApiResult<portal_core::model::HandOff> {
    post_idempotent("/consultations", idempotency_key, c).await
}

/// `GET /handoffs?kind=&q=`: what the institution sent elsewhere (support: every institution's).
pub async fn handoffs(kind: &str, q: &str) -> ApiResult<portal_core::model::SentList> {
    get(&format!("/handoffs?kind={}&q={}", encode(kind), encode(q))).await
}

/// `PUT /routings/{reference}/idea`: the idea's link on the Ideas Exchange.
pub async fn set_idea_link(reference: &str, link: &str) -> ApiResult<portal_core::model::SentItem> {
    let body = portal_core::model::IdeaLink { url: link.into() };
    send(
        Request::put(&url(&format!("/routings/{}/idea", encode(reference)))),
        Some(&body),
    )
    .await
}

/// `POST /consultations/{reference}/acknowledgement` (support): the consultation arrived.
pub async fn acknowledge_consultation(reference: &str) -> ApiResult<()> {
    send_empty(Request::post(&url(&format!(
        "/consultations/{}/acknowledgement",
        encode(reference)
    ))))
    .await
}

/// `GET /cases/{number}` only if it changed since `etag`: `Ok(None)` when it did not (304).
pub async fn case_if_changed(
    number: &str,
    etag: Option<&str>,
) -> ApiResult<Option<(CaseDetail, Option<String>)>> {
    let mut req = Request::get(&url(&format!("/cases/{}", encode(number))))
        .header("Accept", "application/json");
    if let Some(tag) = etag {
        req = req.header("If-None-Match", tag);
    }
    let (res, deadline) = dispatch(req, None).await?;
    note_source(&res);
    if res.status() == 304 {
        return Ok(None);
    }
    let tag = res.headers().get("etag");
    finish(res, deadline).await.map(|d| Some((d, tag)))
}

/// `POST /uploads`: starts uploading a file (multipart) and reports progress in percent.
///
/// Uses `XMLHttpRequest`, because `fetch` cannot report upload progress. Answers the request (to
/// abort it when the customer removes the file) and a future that resolves when the upload ends.
pub fn upload(
    file: &web_sys::File,
    on_progress: impl Fn(u8) + 'static,
) -> ApiResult<(
    web_sys::XmlHttpRequest,
    impl std::future::Future<Output = ApiResult<Attachment>>,
)> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let fail = |_| ApiError::Network;
    let xhr = web_sys::XmlHttpRequest::new().map_err(fail)?;
    xhr.open("POST", &url("/uploads")).map_err(fail)?;
    xhr.set_request_header("X-Requested-With", "portal")
        .map_err(fail)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(fail)?;
    xhr.set_request_header("Accept-Language", crate::i18n::lang().code())
        .map_err(fail)?;
    let form = web_sys::FormData::new().map_err(fail)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(fail)?;
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress((e.loaded() / e.total() * 100.0).clamp(0.0, 100.0) as u8);
            }
        });
    xhr.upload()
        .map_err(fail)?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    // `loadend` follows success, failure, timeout and abort alike.
    let ended = js_sys::Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_form_data(Some(&form)).map_err(fail)?;
    let request = xhr.clone();
    let done = async move {
        let _ = wasm_bindgen_futures::JsFuture::from(ended).await;
        drop(progress);
        let status = request.status().unwrap_or(0);
        let text = request.response_text().ok().flatten().unwrap_or_default();
        match status {
            0 => Err(ApiError::Network),
            200..=299 => serde_json::from_str(&text).map_err(|_| ApiError::Malformed),
            502..=504 => Err(ApiError::Unavailable {
                retry_after: request
                    .get_response_header("retry-after")
                    .ok()
                    .flatten()
                    .and_then(|v| v.trim().parse().ok()),
            }),
            _ => Err(ApiError::Http {
                status,
                problem: serde_json::from_str(&text).ok().map(Box::new),
            }),
        }
    };
    Ok((xhr, done))
}

/// `DELETE /uploads/{id}`: removes a file that was not sent yet.
pub async fn delete_upload(id: &str) -> ApiResult<()> {
    send_empty(Request::delete(&url(&format!("/uploads/{}", encode(id))))).await
}

/// The download address of a case's file.
pub fn attachment_url(number: &str, id: &str) -> String {
    url(&format!(
        "/cases/{}/attachments/{}",
        encode(number),
        encode(id)
    ))
}

// ---- Support's workspace ----

/// `GET /agents` (support): the agents, for assigning.
pub async fn agents() -> ApiResult<Vec<portal_core::model::User>> {
    get("/agents").await
}

/// `GET /institutions` (support): every institution.
pub async fn institutions() -> ApiResult<Vec<portal_core::model::InstitutionRef>> {
    get("/institutions").await
}

fn case_url(number: &str, rest: &str) -> String {
    url(&format!("/cases/{}{rest}", encode(number)))
}

/// `PUT /cases/{number}/assignee` (support): an agent by e-mail, or nobody.
pub async fn assign(number: &str, assignee: Option<String>) -> ApiResult<CaseDetail> {
    let body = portal_core::model::Assign { assignee };
    send(Request::put(&case_url(number, "/assignee")), Some(&body)).await
}

/// `POST /cases/{number}/notes` (support): an internal note.
pub async fn note(number: &str, body: &str) -> ApiResult<CaseDetail> {
    let b = portal_core::model::NewNote {
        body: body.to_string(),
    };
    send(Request::post(&case_url(number, "/notes")), Some(&b)).await
}

/// `POST /cases/{number}/level` (support): a new level and why.
pub async fn change_level(
    number: &str,
    level: portal_core::Level,
    reason: &str,
) -> ApiResult<CaseDetail> {
    let b = portal_core::model::LevelChange {
        level,
        reason: reason.to_string(),
    };
    send(Request::post(&case_url(number, "/level")), Some(&b)).await
}

/// `PATCH /cases/{number}` (support): a new status.
pub async fn set_status(number: &str, status: portal_core::CaseStatus) -> ApiResult<CaseDetail> {
    send(
        Request::patch(&case_url(number, "")),
        Some(&serde_json::json!({ "status": status })),
    )
    .await
}

/// `POST /cases/{number}/solution` (support): a proposed solution with files.
pub async fn propose_solution(
    number: &str,
    body: &str,
    attachments: Vec<String>,
) -> ApiResult<CaseDetail> {
    let b = NewComment {
        body: body.to_string(),
        attachments,
        rejects_solution: false,
    };
    send(Request::post(&case_url(number, "/solution")), Some(&b)).await
}

/// `POST /cases/{number}/idea` with an Idempotency-Key: moves the case to the Ideas Exchange
/// (records the idea, closes the case).
pub async fn case_to_idea(
    number: &str,
    idea: &portal_core::model::NewRouting,
    idempotency_key: &str,
) -> ApiResult<CaseDetail> {
    post_idempotent(
        &format!("/cases/{}/idea", encode(number)),
        idempotency_key,
        idea,
    )
    .await
}

/// `PATCH /cases/{number}/details`: the opener (or support) corrects an open case.
pub async fn correct_case(
    number: &str,
    c: &portal_core::model::CaseCorrection,
) -> ApiResult<CaseDetail> {
    send(Request::patch(&case_url(number, "/details")), Some(c)).await
}

/// `GET /me/sessions`: where the person is signed in.
pub async fn my_sessions() -> ApiResult<portal_core::model::SessionList> {
    get("/me/sessions").await
}

/// `DELETE /me/sessions`: signs out everywhere else.
pub async fn sign_out_others() -> ApiResult<portal_core::model::SessionList> {
    send::<(), _>(Request::delete(&url("/me/sessions")), None).await
}

/// `PUT /cases/{number}/rating`: the customer's rating of support's answer (1 to 5).
pub async fn rate(number: &str, rating: &portal_core::model::NewRating) -> ApiResult<CaseDetail> {
    send(Request::put(&case_url(number, "/rating")), Some(rating)).await
}

/// `POST /cases/{number}/access-requests` (support): asks the customer for secrets.
pub async fn request_access(
    number: &str,
    secrets: Vec<portal_core::secrets::SecretKind>,
    message: &str,
) -> ApiResult<CaseDetail> {
    let b = portal_core::model::AccessRequest {
        secrets,
        message: message.to_string(),
    };
    send(
        Request::post(&case_url(number, "/access-requests")),
        Some(&b),
    )
    .await
}

/// `POST /cases/{number}/secrets/reveal` (support): the case's secrets (recorded on its timeline).
pub async fn reveal(number: &str) -> ApiResult<portal_core::secrets::Revealed> {
    send::<(), _>(Request::post(&case_url(number, "/secrets/reveal")), None).await
}

/// `PUT /cases/{number}/secrets`: gives or replaces the case's secrets (write-only).
pub async fn update_secrets(
    number: &str,
    secrets: &portal_core::secrets::NewSecrets,
) -> ApiResult<CaseDetail> {
    send(Request::put(&case_url(number, "/secrets")), Some(secrets)).await
}

/// `GET /institution/access-profile`: what the support access profile holds.
pub async fn access_profile() -> ApiResult<portal_core::model::AccessProfile> {
    get("/institution/access-profile").await
}

/// `PUT /institution/access-profile`: keeps secrets in the profile (write-only).
pub async fn update_access_profile(
    secrets: &portal_core::secrets::NewSecrets,
) -> ApiResult<portal_core::model::AccessProfile> {
    send(
        Request::put(&url("/institution/access-profile")),
        Some(secrets),
    )
    .await
}

/// `GET /announcements?include=scheduled` (support): current and scheduled announcements.
pub async fn announcements_managed() -> ApiResult<Vec<portal_core::announcement::Announcement>> {
    get("/announcements?include=scheduled").await
}

/// `POST /announcements` (support).
pub async fn create_announcement(
    a: &portal_core::announcement::NewAnnouncement,
) -> ApiResult<portal_core::announcement::Announcement> {
    send(Request::post(&url("/announcements")), Some(a)).await
}

/// `DELETE /announcements/{id}` (support): withdraws it.
pub async fn withdraw_announcement(id: &str) -> ApiResult<()> {
    send_empty(Request::delete(&url(&format!(
        "/announcements/{}",
        encode(id)
    ))))
    .await
}

// ---- Notifications ----

/// `GET /me/preferences`.
pub async fn preferences() -> ApiResult<portal_core::model::Preferences> {
    get("/me/preferences").await
}

/// `PUT /me/preferences`.
pub async fn update_preferences(
    p: &portal_core::model::Preferences,
) -> ApiResult<portal_core::model::Preferences> {
    send(Request::put(&url("/me/preferences")), Some(p)).await
}

/// `GET /colleagues` (customers): the institution's people.
pub async fn colleagues() -> ApiResult<Vec<portal_core::model::User>> {
    get("/colleagues").await
}

/// `POST /cases/{number}/followers`: a colleague follows the case.
pub async fn add_follower(number: &str, email: &str) -> ApiResult<CaseDetail> {
    let b = portal_core::model::AddFollower {
        email: email.to_string(),
    };
    send(Request::post(&case_url(number, "/followers")), Some(&b)).await
}

/// `PUT /cases/{number}/following`: follow, stop, mute.
pub async fn set_following(number: &str, following: bool, muted: bool) -> ApiResult<CaseDetail> {
    let b = portal_core::model::Following { following, muted };
    send(Request::put(&case_url(number, "/following")), Some(&b)).await
}

/// `POST /cases/{number}/escalation` (customers): raise the level, and why.
pub async fn escalate(
    number: &str,
    level: portal_core::Level,
    reason: &str,
) -> ApiResult<CaseDetail> {
    let b = portal_core::model::Escalation {
        level,
        reason: reason.to_string(),
    };
    send(Request::post(&case_url(number, "/escalation")), Some(&b)).await
}

/// `GET /news` only if it changed since `etag`: `Ok(None)` when it did not (304).
pub async fn news_if_changed(
    etag: Option<&str>,
) -> ApiResult<Option<(portal_core::model::News, Option<String>)>> {
    let (res, deadline) = match etag {
        Some(tag) => {
            let req = Request::get(&url("/news"))
                .header("Accept", "application/json")
                .header("If-None-Match", tag);
            dispatch(req, None).await?
        }
        // The first ask: index.html may have asked already.
        None => get_response(&url("/news")).await?,
    };
    note_source(&res);
    if res.status() == 304 {
        return Ok(None);
    }
    let tag = res.headers().get("etag");
    finish(res, deadline).await.map(|n| Some((n, tag)))
}

/// `GET /people` (administrators: their institution; agents: `institution`).
pub async fn people(institution: Option<i64>) -> ApiResult<portal_core::model::People> {
    match institution {
        Some(i) => get(&format!("/people?institution={i}")).await,
        None => get("/people").await,
    }
}

/// `?institution=` for an agent's requests about an institution's people.
fn for_institution(institution: Option<i64>) -> String {
    institution
        .map(|i| format!("?institution={i}"))
        .unwrap_or_default()
}

/// `PATCH /people/{id}`: a membership change, deactivation or reactivation.
pub async fn change_person(
    id: i64,
    change: &portal_core::account::PersonChange,
) -> ApiResult<portal_core::model::Person> {
    send(Request::patch(&url(&format!("/people/{id}"))), Some(change)).await
}

/// `POST /invitations`.
pub async fn invite(
    invitation: &portal_core::model::NewInvitation,
) -> ApiResult<portal_core::model::Invitation> {
    send(Request::post(&url("/invitations")), Some(invitation)).await
}

/// `POST /invitations/{id}/resend`.
pub async fn resend_invitation(
    id: i64,
    institution: Option<i64>,
) -> ApiResult<portal_core::model::Invitation> {
    let path = format!("/invitations/{id}/resend{}", for_institution(institution));
    send::<(), _>(Request::post(&url(&path)), None).await
}

/// `DELETE /invitations/{id}`.
pub async fn withdraw_invitation(id: i64, institution: Option<i64>) -> ApiResult<()> {
    let path = format!("/invitations/{id}{}", for_institution(institution));
    send_empty(Request::delete(&url(&path))).await
}

/// `POST /invitations/offer`: what an invitation link offers.
pub async fn invitation_offer(token: &str) -> ApiResult<portal_core::model::InvitationOffer> {
    let body = portal_core::model::LinkToken {
        token: token.to_string(),
    };
    send(Request::post(&url("/invitations/offer")), Some(&body)).await
}

/// `POST /accounts`: accepts an invitation (signs in).
pub async fn accept_invitation(acceptance: &portal_core::model::Acceptance) -> ApiResult<Me> {
    send(Request::post(&url("/accounts")), Some(acceptance)).await
}

/// `POST /password-resets`: asks for a reset link; answers what the API says happens next.
pub async fn forgot_password(email: &str) -> ApiResult<String> {
    let body = portal_core::model::ResetRequest {
        email: email.to_string(),
    };
    let answer: serde_json::Value =
        send(Request::post(&url("/password-resets")), Some(&body)).await?;
    Ok(answer["detail"].as_str().unwrap_or_default().to_string())
}

/// `POST /password-resets/completion`: sets the new password (signs in, or asks for the code).
pub async fn reset_password(body: &portal_core::model::NewPassword) -> ApiResult<SignedIn> {
    signing_in(Request::post(&url("/password-resets/completion")), body).await
}

/// `PUT /me/password`.
pub async fn change_password(body: &portal_core::model::PasswordChange) -> ApiResult<()> {
    send_body_empty(Request::put(&url("/me/password")), Some(body)).await
}

/// `GET /sso`: the institutions whose people sign in with their own account.
pub async fn sso_options() -> ApiResult<Vec<portal_core::model::SsoOption>> {
    get("/sso").await
}
