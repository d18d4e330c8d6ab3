//! The e2e harness: a real portal-api (in-process, demo data, serving the built `dist/`) and a real
//! browser driven over WebDriver, at desktop or phone width, in the engine `E2E_ENGINE` names:
//! `chromium` (the default: Debian's Chromium and chromedriver, headless), `webkit` (Safari's
//! engine: WebKitGTK's MiniBrowser and WebKitWebDriver, under `xvfb-run`) or `firefox` (Firefox
//! ESR and geckodriver, headless). `cargo xtask test` runs the suite in Chromium and the core of it
//! in the other two.
//!
//! Each test gets its own server, its own driver on its own port (started in its own process
//! group, killed with the group) and its own browser session, which is closed even when the test
//! body panics, so nothing piles up. Every failure names the engine and the width.

pub mod faults;

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use portal_api::db::Db;
use portal_api::{app, demo, AppState};
use serde_json::json;

/// The browser engine under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Chromium (Chrome, Edge, most Android browsers).
    Chromium,
    /// WebKitGTK: Safari's engine (every browser on an iPhone).
    WebKit,
    /// Firefox ESR.
    Firefox,
}

impl Engine {
    /// The engine `E2E_ENGINE` names (`chromium` when unset).
    pub fn current() -> Engine {
        match std::env::var("E2E_ENGINE").as_deref() {
            Ok("webkit") => Engine::WebKit,
            Ok("firefox") => Engine::Firefox,
            Ok("chromium") | Err(_) => Engine::Chromium,
            Ok(other) => panic!("E2E_ENGINE={other}: use chromium, webkit or firefox"),
        }
    }
}

/// Browser window sizes the portal is tested at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// 1280 × 900 desktop.
    Desktop,
    /// 375 px wide phone (mobile emulation).
    Phone,
    /// 320 px wide small phone (mobile emulation): the narrowest width the portal supports.
    Narrow,
    /// 320 CSS px in a desktop browser with classic scrollbars (what a 1280 px screen zoomed to
    /// 400 % shows, the WCAG 1.4.10 Reflow test): a 15 px scrollbar leaves 305 px to the page.
    Reflow,
}

/// Where the built portal is: `PORTAL_DIST`, else `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("PORTAL_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("dist")
        })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The engine's WebDriver server in its own process group; the group is killed on drop.
///
/// The driver and its browser keep their profile and sockets in a temporary directory of their
/// own (`TMPDIR`), removed on drop: a killed browser never cleans up after itself, and hundreds of
/// leaked profiles of a few MB each fill a CI disk.
struct Driver {
    child: Child,
    port: u16,
    tmp: PathBuf,
}

impl Driver {
    fn start(engine: Engine) -> Driver {
        use std::os::unix::process::CommandExt;
        for _ in 0..5 {
            let port = free_port();
            let tmp = std::env::temp_dir()
                .join(format!("portal-e2e-browser-{}-{port}", std::process::id()));
            std::fs::create_dir_all(&tmp).expect("a temporary directory for the browser");
            let mut cmd = match engine {
                Engine::Chromium => {
                    let mut c = Command::new("chromedriver");
                    c.arg(format!("--port={port}"));
                    c
                }
                Engine::Firefox => {
                    let mut c = Command::new("geckodriver");
                    c.args(["--host", "127.0.0.1", "--port", &port.to_string()]);
                    c
                }
                // WebKitGTK's browser needs a display even for automation: a virtual one.
                Engine::WebKit => {
                    let mut c = Command::new("xvfb-run");
                    c.args(["-a", "WebKitWebDriver", &format!("--port={port}")]);
                    c
                }
            };
            let mut child = cmd
                .env("TMPDIR", &tmp)
                .env("HOME", &tmp)
                .env("LANG", "en_US.UTF-8")
                .env("LANGUAGE", "en_US")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("the {engine:?} WebDriver server does not start ({e}); cargo xtask test installs it")
                });
            // Ready when it accepts connections.
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            while std::time::Instant::now() < deadline {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Driver { child, port, tmp };
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            kill_group(&mut child);
            let _ = std::fs::remove_dir_all(&tmp);
        }
        panic!("the {engine:?} WebDriver server did not start");
    }
}

fn kill_group(child: &mut Child) {
    let pgid = child.id();
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status();
    let _ = child.wait();
}

impl Drop for Driver {
    fn drop(&mut self) {
        kill_group(&mut self.child);
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

/// A running portal and a browser pointed at it.
pub struct Ctx {
    /// The WebDriver client.
    pub client: Client,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The width under test.
    pub width: Width,
    /// The engine under test.
    pub engine: Engine,
    /// Stops the portal's server (to test what works without it).
    pub server_stop: std::sync::Arc<tokio::sync::Notify>,
    /// Faults to inject: the browser reaches the server through a [`faults`] proxy.
    pub faults: faults::Faults,
    /// The server's own address (behind the proxy).
    backend: SocketAddr,
    /// Where the portal writes its e-mails (.eml files), as the demo does.
    pub mail_dir: PathBuf,
}

/// A real OpenID Provider (`oidc-provider` from npm, run by Node) on loopback, for single
/// sign-on; stopped with the test.
pub struct TestIdp {
    child: std::process::Child,
    dir: PathBuf,
}

impl Drop for TestIdp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The client id the test provider knows the portal by.
pub const IDP_CLIENT: &str = "campusm-support";

/// Starts the test provider for a portal at `base`; answers it and the single sign-on
/// configuration for Northfield University (people without an account become members).
fn start_idp(base: &str) -> (TestIdp, portal_api::sso::Providers) {
    let module = std::env::var("PORTAL_OIDC_PROVIDER")
        .expect("PORTAL_OIDC_PROVIDER: the oidc-provider module (cargo xtask test installs it)");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let secret = format!("secret-{port}");
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("oidc")
        .join("provider.mjs");
    let child = Command::new("node")
        .arg(&script)
        .args([
            &port.to_string(),
            IDP_CLIENT,
            &secret,
            &format!("{base}/api/v1/sso/callback"),
        ])
        .env("OIDC_PROVIDER_MODULE", &module)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("node runs the test identity provider");
    let dir = std::env::temp_dir().join(format!("portal-e2e-idp-{port}"));
    std::fs::create_dir_all(&dir).expect("idp folder");
    std::fs::write(dir.join("client.secret"), &secret).expect("secret file");
    let config = format!(
        r#"{{"providers": [{{"id": "northfield", "institution": "Northfield University",
            "label": "Northfield University account", "issuer": "http://127.0.0.1:{port}",
            "client_id": "{IDP_CLIENT}", "client_secret_file": "client.secret", "create_members": true}}]}}"#
    );
    let providers = portal_api::sso::Providers::parse(&config, &dir).expect("sso configuration");
    // Up when its discovery document answers.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the test identity provider did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (TestIdp { child, dir }, providers)
}

async fn start_portal(
    sso: bool,
) -> (
    String,
    SocketAddr,
    std::sync::Arc<tokio::sync::Notify>,
    faults::Faults,
    PathBuf,
    Option<TestIdp>,
) {
    let dist = dist_dir();
    assert!(
        dist.join("index.html").exists(),
        "no built portal at {} (cargo xtask test builds it)",
        dist.display()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("addr");
    let faults = faults::Faults::default();
    let proxy = faults::start(addr, faults.clone()).await;
    let base = format!("http://{proxy}");
    // E-mails go to .eml files, as in the demo; the delivery worker runs as in portal-api.
    let mail_dir = std::env::temp_dir().join(format!("portal-e2e-mail-{}", addr.port()));
    let mailer = portal_api::mailer::Mailer::files(mail_dir.clone(), "support@portal.test")
        .expect("mail folder");
    let (idp, providers) = if sso {
        let (idp, p) = start_idp(&base);
        (Some(idp), p)
    } else {
        (None, portal_api::sso::Providers::default())
    };
    let state = AppState::new(Db::memory().expect("database"), Some(dist))
        .expect("state")
        .with_mail(&base, mailer)
        .with_sso(providers);
    demo::seed(&state).await.expect("demo data");
    portal_api::mailer::start(state.clone());
    let stop = std::sync::Arc::new(tokio::sync::Notify::new());
    let stopped = stop.clone();
    tokio::spawn(async move {
        // A graceful shutdown also closes idle keep-alive connections: afterwards every request
        // fails like it does without a network.
        let _ = axum::serve(
            listener,
            app(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { stopped.notified().await })
        .await;
    });
    (base, addr, stop, faults, mail_dir, idp)
}

async fn connect(driver: &Driver, engine: Engine, width: Width) -> Client {
    let phone = match width {
        Width::Desktop => None,
        Width::Phone => Some(375),
        Width::Narrow | Width::Reflow => Some(320),
    };
    let mut caps = serde_json::Map::new();
    caps.insert("pageLoadStrategy".into(), json!("normal"));
    match engine {
        Engine::Chromium => {
            let mut args = vec![
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                // The portal picks its language from the browser's: pin it, whatever the
                // machine's locale.
                "--lang=en-US",
            ];
            match width {
                Width::Desktop => args.push("--window-size=1280,900"),
                // No mobile emulation: a desktop window, classic scrollbars included.
                Width::Reflow => args.push("--window-size=320,740"),
                Width::Phone | Width::Narrow => {}
            }
            let mut chrome = json!({ "binary": "/usr/bin/chromium", "args": args });
            if let Some(w) = phone.filter(|_| width != Width::Reflow) {
                chrome["mobileEmulation"] = json!({ "deviceMetrics": { "width": w, "height": 740, "pixelRatio": 2.0, "touch": true } });
            }
            caps.insert("goog:chromeOptions".into(), chrome);
        }
        Engine::Firefox => {
            caps.insert("browserName".into(), json!("firefox"));
            caps.insert(
                "moz:firefoxOptions".into(),
                json!({
                    "binary": "/usr/bin/firefox-esr",
                    "args": ["-headless"],
                    "prefs": { "intl.accept_languages": "en-US", "intl.locale.requested": "en-US" }
                }),
            );
        }
        Engine::WebKit => {
            caps.insert("browserName".into(), json!("MiniBrowser"));
            caps.insert(
                "webkitgtk:browserOptions".into(),
                json!({
                    "binary": "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
                    "args": ["--automation"]
                }),
            );
        }
    }
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|e| panic!("a WebDriver session in {engine:?}: {e}"));
    // Chromium emulates phones; the others get a window of the phone's width.
    if engine != Engine::Chromium {
        let (w, h) = phone.map_or((1280, 900), |w| (w, 740));
        let _ = client.set_window_size(w, h).await;
    }
    client
}

/// Runs `body` against a fresh portal in a fresh browser at `width`; always closes the browser.
pub async fn with_browser<F, Fut>(width: Width, body: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_browser(width, false, body).await;
}

/// [`with_browser`] with Northfield University signing in through a real OpenID Provider on
/// loopback ([`TestIdp`]).
pub async fn with_browser_and_idp<F, Fut>(width: Width, body: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_browser(width, true, body).await;
}

async fn run_browser<F, Fut>(width: Width, sso: bool, body: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let engine = Engine::current();
    // Printed with a failing test's output: which engine, which width.
    println!("e2e in {engine:?} at {width:?}");
    let (base, backend, server_stop, faults, mail_dir, idp) = start_portal(sso).await;
    let driver = Driver::start(engine);
    let client = connect(&driver, engine, width).await;
    let ctx = Ctx {
        client: client.clone(),
        base,
        width,
        engine,
        server_stop,
        faults,
        backend,
        mail_dir: mail_dir.clone(),
    };
    let task = tokio::spawn(body(ctx));
    let abort = task.abort_handle();
    let outcome = tokio::time::timeout(TEST_TIMEOUT, task).await;
    if outcome.is_err() {
        abort.abort();
    }
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    drop(driver);
    drop(idp);
    let _ = std::fs::remove_dir_all(&mail_dir);
    let Ok(outcome) = outcome else {
        panic!("the test did not finish within {TEST_TIMEOUT:?} (a hang: see the steps above with E2E_TRACE=1)");
    };
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task failed: {e}");
    }
}

/// Calls the portal's API directly (as another user: the support agent, say), outside the browser.
pub async fn api_call(
    base: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, Vec<u8>, Option<String>) {
    use http_body_util::{BodyExt, Full};
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<bytes::Bytes>>();
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header("x-requested-with", "portal")
        .header("content-type", "application/json");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let bytes = body.map(|b| b.to_string()).unwrap_or_default();
    let res = client
        .request(
            req.body(Full::new(bytes::Bytes::from(bytes)))
                .expect("request"),
        )
        .await
        .expect("API answers");
    let status = res.status().as_u16();
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(String::from);
    let body = res
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    (status, body, cookie)
}

/// Signs in through the API and returns the session cookie (`name=value`).
pub async fn api_sign_in(base: &str, email: &str, password: &str) -> String {
    let (status, _, cookie) = api_call(
        base,
        "POST",
        "/api/v1/session",
        None,
        Some(json!({ "email": email, "password": password })),
    )
    .await;
    assert_eq!(status, 200, "API sign-in of {email}");
    cookie.expect("a session cookie")
}

/// axe-core's source: `PORTAL_AXE`, else where `cargo xtask test` installs it.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var_os("PORTAL_AXE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                    .join(".cache/campusm-portal/tools/node_modules/axe-core/axe.min.js")
            });
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core at {} ({e}); cargo xtask test installs it",
                path.display()
            )
        })
    })
}

/// Asks `probe` every 100 ms until it answers `Some`, for at most [`WAIT`]; then fails, saying
/// what was awaited and what `last` (the probe's latest observation) was. Tests wait for what they
/// expect, never for a fixed time.
pub async fn eventually<T, Fut>(what: &str, probe: impl FnMut() -> Fut) -> T
where
    Fut: Future<Output = Result<T, String>>,
{
    eventually_within(what, WAIT, probe).await
}

/// [`eventually`] for at most `limit`: for what the portal does on a timer (news are asked
/// every 20 seconds).
pub async fn eventually_within<T, Fut>(
    what: &str,
    limit: Duration,
    mut probe: impl FnMut() -> Fut,
) -> T
where
    Fut: Future<Output = Result<T, String>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match probe().await {
            Ok(v) => return v,
            Err(last) if tokio::time::Instant::now() > deadline => {
                panic!("{what} never happened within {limit:?}; last seen: {last}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// The files of a page part of the wasm (`parts.json` in the built portal), e.g. `page_new`.
pub fn part_files(part: &str) -> Vec<String> {
    let path = dist_dir().join("parts.json");
    let json: serde_json::Value = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| panic!("no {} (build with cargo xtask dist)", path.display()));
    json["parts"][part]
        .as_array()
        .unwrap_or_else(|| panic!("no part {part} in {}", path.display()))
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect()
}

/// Whether a WebDriver error means "not yet" (the element is not interactable, is covered or was
/// replaced) rather than a real failure.
fn retryable(e: &fantoccini::error::CmdError) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    match e {
        CmdError::Standard(w) => matches!(
            w.error,
            ErrorStatus::ElementNotInteractable
                | ErrorStatus::ElementClickIntercepted
                | ErrorStatus::StaleElementReference
        ),
        _ => false,
    }
}

/// The password of a demo login.
pub fn demo_password(email: &str) -> &'static str {
    demo::LOGINS
        .iter()
        .find(|l| l.email == email)
        .map(|l| l.password)
        .unwrap_or_else(|| panic!("{email} is not a demo login"))
}

/// The code an authenticator app shows for the base32 `secret`, `steps` of 30 seconds from now
/// (the server takes one step either side; a code works once, so a second sign-in in the same
/// half-minute uses the next step's).
pub fn totp_code(secret: &str, steps: i64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_string())
        .to_bytes()
        .expect("a base32 key");
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes).expect("totp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    totp.generate(now.saturating_add_signed(steps * 30))
}

/// The longest one browser test may take before it is stopped as hung.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(180);

/// How long to wait for the portal to show something.
pub const WAIT: Duration = Duration::from_secs(15);

impl Ctx {
    /// Opens a portal path.
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    /// Waits for an element.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} within {WAIT:?}: {e}"))
    }

    /// Clicks an element (waiting for it first, and until it can be clicked: Firefox and WebKit
    /// refuse an element that is still hidden or moving, where Chromium clicks through).
    pub async fn click(&self, css: &str) {
        if std::env::var_os("E2E_TRACE").is_some() {
            eprintln!("[{:?} {:?}] click {css}", self.engine, self.width);
        }
        self.interact(
            css,
            "click",
            |el| async move { el.click().await.map(|_| ()) },
        )
        .await;
    }

    /// Types into an input, replacing what it held.
    pub async fn fill(&self, css: &str, text: &str) {
        self.interact(css, "clear", |el| async move { el.clear().await })
            .await;
        if text.is_empty() {
            // WebKitWebDriver refuses to type nothing.
            return;
        }
        // WebKitWebDriver and geckodriver type nothing for "\n": there a new line is the Enter
        // key (only ever in a textarea: the tests type new lines nowhere else).
        let keys = match self.engine {
            Engine::Chromium => text.to_string(),
            Engine::WebKit | Engine::Firefox => text.replace('\n', "\u{E007}"),
        };
        self.interact(css, "type into", |el| {
            let keys = keys.clone();
            async move { el.send_keys(&keys).await }
        })
        .await;
    }

    /// Finds `css` and does `action` on it, again while the engine says the element cannot be
    /// interacted with yet (hidden, covered, replaced), for at most [`WAIT`].
    async fn interact<F, Fut>(&self, css: &str, what: &str, action: F)
    where
        F: Fn(Element) -> Fut,
        Fut: Future<Output = Result<(), fantoccini::error::CmdError>>,
    {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let el = self.find(css).await;
            match action(el).await {
                Ok(()) => return,
                Err(e) if tokio::time::Instant::now() < deadline && retryable(&e) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{what} {css} in {:?}: {e}", self.engine),
            }
        }
    }

    /// The narrowest the engine's window gets, in CSS px (WebKitGTK's MiniBrowser keeps its window
    /// at least 447 px wide; the others go down to a phone's width).
    pub async fn narrowest_window(&self) -> i64 {
        let _ = self.client.set_window_size(200, 900).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let narrowest = self
            .js("return window.innerWidth;")
            .await
            .as_i64()
            .unwrap_or(0);
        let _ = self.client.set_window_size(1280, 900).await;
        narrowest
    }

    /// The current value of a form field.
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// The page's visible text.
    pub async fn body_text(&self) -> String {
        self.find("body").await.text().await.unwrap_or_default()
    }

    /// Waits until the page's text contains `needle`.
    pub async fn wait_text(&self, needle: &str) {
        self.wait_text_within(needle, WAIT.as_secs()).await;
    }

    /// Waits up to `seconds` until the page's text contains `needle`.
    pub async fn wait_text_within(&self, needle: &str, seconds: u64) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let text = self.body_text().await;
            if text.contains(needle) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("page never showed {needle:?}; it shows:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the URL's path and query are exactly `exact`.
    pub async fn wait_path_is(&self, exact: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let url = self.client.current_url().await.expect("url");
            let path = format!(
                "{}{}",
                url.path(),
                url.query().map(|q| format!("?{q}")).unwrap_or_default()
            );
            if path == exact {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("URL never became {exact}; it is {path}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the path (with query) starts with `prefix`, and answers it.
    pub async fn wait_path(&self, prefix: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let url = self.client.current_url().await.expect("url");
            let path = format!(
                "{}{}",
                url.path(),
                url.query().map(|q| format!("?{q}")).unwrap_or_default()
            );
            if path.starts_with(prefix) {
                return path;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("URL never reached {prefix}; it is {path}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs JavaScript and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// How many cases the signed-in user finds with the search `q` (asked from the page, so with
    /// the browser's session); -1 when the question failed.
    pub async fn case_count(&self, q: &str) -> i64 {
        self.cases_total(&format!("'q=' + encodeURIComponent({q:?})"))
            .await
    }

    /// The `total` of `GET /api/v1/cases?QUERY` asked from the page (the browser's session);
    /// `query` is a JavaScript expression for the query string. -1 when the question failed.
    pub async fn cases_total(&self, query: &str) -> i64 {
        let script = format!(
            "const done = arguments[0]; fetch('/api/v1/cases?' + {query}).then(r => r.json()).then(j => done(j.total)).catch(() => done(-1));"
        );
        self.js_async(&script).await.as_i64().unwrap_or(-1)
    }

    /// Stops the portal's server for good: from now on the browser reaches nothing.
    pub async fn stop_server(&self) {
        self.server_stop.notify_one();
        let backend = self.backend;
        eventually("the server stopping", || async move {
            match tokio::net::TcpStream::connect(backend).await {
                Ok(_) => Err("it still accepts connections".to_string()),
                Err(_) => Ok(()),
            }
        })
        .await;
    }

    /// Runs asynchronous JavaScript: the script calls `arguments[0]` with its result.
    pub async fn js_async(&self, script: &str) -> serde_json::Value {
        self.client
            .execute_async(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("async script failed: {e}"))
    }

    /// Asserts the page does not scroll sideways.
    pub async fn assert_no_sideways_scroll(&self) {
        // clientWidth is the layout viewport; on phones innerWidth can grow with wide content, so
        // compare with clientWidth and also name any element reaching past it (the navigation row
        // scrolls on its own by design and is left out).
        let v = self
            .js("const d = document.documentElement; const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) { if (a.getBoundingClientRect().width <= 1) return true; } return false; }; const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest('nav') && !clipped(e)).slice(0, 3).map(e => e.tagName + '.' + e.className); const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); const all = []; let n; while ((n = tw.nextNode()) && all.length < 6) { const r = document.createRange(); r.selectNodeContents(n); if (r.getBoundingClientRect().right > d.clientWidth + 1 && !clipped(n.parentElement)) all.push(n.textContent.slice(0, 30) + ' in ' + n.parentElement.tagName + '.' + n.parentElement.className); } return [d.scrollWidth, d.clientWidth, wide, all];")
            .await;
        let (scroll, client) = (v[0].as_i64().unwrap_or(0), v[1].as_i64().unwrap_or(0));
        assert!(
            scroll <= client && v[2] == json!([]),
            "page scrolls sideways at {:?}: {scroll} px content in a {client} px viewport; too wide: {} (text past the edge: {})",
            self.width,
            v[2],
            v[3]
        );
    }

    /// Saves a PNG of the page into `$E2E_SCREENSHOTS/<name>-<width>.png` when that variable is
    /// set (for looking at the pages; tests never compare pixels).
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("E2E_SCREENSHOTS") else {
            return;
        };
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(
                PathBuf::from(dir).join(
                    match self.engine {
                        Engine::Chromium => format!("{name}-{:?}.png", self.width),
                        e => format!("{name}-{:?}-{e:?}.png", self.width),
                    }
                    .to_lowercase(),
                ),
                png,
            );
        }
    }

    /// Runs axe-core on the page with the WCAG 2.2 A/AA rules and `target-size`, and fails on any
    /// violation, naming the rule, its help text and the first elements.
    pub async fn assert_accessible(&self, state: &str) {
        let violations = self.axe_violations().await;
        assert!(
            violations.is_empty(),
            "{state} in {:?} at {:?}: {} accessibility violation(s):\n{}",
            self.engine,
            self.width,
            violations.len(),
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        );
        if matches!(self.width, Width::Phone | Width::Narrow) {
            // Phones zoom into a field whose text is under 16 px on focus (iOS Safari).
            let small = self
                .js("return [...document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=file]), select, textarea')].filter(e => e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 16).map(e => e.id || e.name || e.tagName);")
                .await;
            assert_eq!(
                small,
                json!([]),
                "{state} in {:?} at {:?}: fields under 16 px (the page zooms on focus)",
                self.engine,
                self.width
            );
        }
        let run_together = self.words_run_together().await;
        assert!(
            run_together.is_empty(),
            "{state} in {:?} at {:?}: words rendered as one: {run_together:?}",
            self.engine,
            self.width
        );
    }

    /// Words the browser renders as one although the page's text has them apart ("Newrequest"
    /// from "New" and a span starting " request" in a flex item, which every engine trims): two
    /// neighbouring words with whitespace between them in the text that are drawn on one line
    /// touching each other. Measured on the rendered glyphs (ranges' boxes), so it holds for
    /// every engine's whitespace rules.
    pub async fn words_run_together(&self) -> Vec<String> {
        let script = r#"
const bad = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const words = [];
let spaceBefore = false;
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest('script, style, noscript, svg, textarea, input, select')) continue;
    const box = p.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    let end = 0;
    for (const m of n.data.matchAll(/\S+/g)) {
        const spaced = m.index > end || (m.index === 0 && spaceBefore) || (words.length && words[words.length - 1].node !== n && m.index > 0);
        end = m.index + m[0].length;
        const r = document.createRange();
        r.setStart(n, m.index); r.setEnd(n, end);
        const rects = [...r.getClientRects()].filter((x) => x.width > 0);
        if (!rects.length) continue;
        words.push({ w: m[0], node: n, spaced, first: rects[0], last: rects[rects.length - 1] });
    }
    spaceBefore = /\s$/.test(n.data) || (n.data.length > 0 && end < n.data.length);
}
for (let i = 0; i + 1 < words.length; i++) {
    const [x, y] = [words[i], words[i + 1]];
    if (!y.spaced) continue;
    const [a, b] = [x.last, y.first];
    const sameLine = Math.abs(a.top - b.top) < 3 && Math.abs(a.bottom - b.bottom) < 3;
    if (sameLine && b.left >= a.left && b.left - a.right < 1.5) bad.push(x.w + y.w);
}
return bad;
        "#;
        self.js(script)
            .await
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The axe-core violations on the page now (WCAG 2.2 A/AA, best practices, `target-size`).
    pub async fn axe_violations(&self) -> Vec<serde_json::Value> {
        let axe = axe_source();
        let loaded = self
            .client
            .execute(&format!("{axe}\n;return typeof axe;"), vec![])
            .await
            .expect("inject axe-core");
        assert_eq!(loaded, json!("object"), "axe-core did not load");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
                rules: { 'target-size': { enabled: true }, 'region': { enabled: true } }
            }).then(r => done(r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))
            })))).catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));
        "#;
        let violations = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("axe.run");
        violations.as_array().cloned().unwrap_or_default()
    }

    /// The id of the focused element.
    pub async fn focused_id(&self) -> String {
        self.js("return document.activeElement ? document.activeElement.id : '';")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits until the element with `id` has the focus.
    pub async fn wait_focus(&self, id: &str) {
        eventually(&format!("the focus on #{id}"), || async {
            let now = self.focused_id().await;
            if now == id {
                Ok(())
            } else {
                Err(format!("the focus is on #{now}"))
            }
        })
        .await
    }

    /// Presses a key (or types text) where the focus is, through the keyboard itself (WebDriver
    /// actions), so it works on every element a keyboard user reaches, file inputs included.
    pub async fn press(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for c in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("keys {keys:?}: {e}"));
    }

    /// Presses Tab until the element with `id` has the focus (at most 60 times), like a keyboard
    /// user; fails if it is never reached.
    pub async fn tab_to(&self, id: &str) {
        for _ in 0..60 {
            if self.focused_id().await == id {
                return;
            }
            self.press(&fantoccini::key::Key::Tab).await;
        }
        panic!("#{id} cannot be reached with the Tab key");
    }

    /// Signs in through the form.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click("form button[type=submit]").await;
    }

    /// Signs in as the demo login `email` through the sign-in page, on the way to `path`, and
    /// waits until the portal shows `path`.
    pub async fn sign_in_as(&self, email: &str, path: &str) {
        let next = if path == "/" {
            String::new()
        } else {
            format!(
                "?next={}",
                path.replace('%', "%25")
                    .replace('/', "%2F")
                    .replace('?', "%3F")
                    .replace('&', "%26")
                    .replace('=', "%3D")
            )
        };
        self.goto(&format!("/sign-in{next}")).await;
        self.sign_in(email, demo_password(email)).await;
        self.wait_path_is(path).await;
    }

    /// Signs in as the demo login `email` whose two-step key is `key`: password, then the code
    /// (`step` half-minutes ahead: each sign-in needs a code not used before), on the way to
    /// `path`.
    pub async fn sign_in_with_code(&self, email: &str, key: &str, step: i64, path: &str) {
        let next = path.replace('/', "%2F");
        self.goto(&format!("/sign-in?next={next}")).await;
        self.sign_in(email, demo_password(email)).await;
        self.fill("#code", &totp_code(key, step)).await;
        self.click("#code-submit").await;
        self.wait_path_is(path).await;
    }

    /// The e-mails written so far (raw .eml text, soft line breaks of quoted-printable joined).
    pub fn mails(&self) -> Vec<String> {
        std::fs::read_dir(&self.mail_dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|t| t.replace("=\r\n", "").replace("=\n", ""))
            .collect()
    }

    /// Turns on two-step sign-in for the signed-in person from the account page, with the key the
    /// page shows (as a person who cannot scan would); answers the key (base32).
    pub async fn enrol_two_factor(&self) -> String {
        self.goto("/account").await;
        self.click("#two-factor-start").await;
        let key = self
            .find("#totp-secret")
            .await
            .text()
            .await
            .expect("the key")
            .replace(' ', "");
        self.fill("#two-factor-code", &totp_code(&key, 0)).await;
        self.click("#two-factor-confirm").await;
        self.find("#recovery-codes").await;
        key
    }

    /// Waits until the form field `css` holds `want`.
    pub async fn wait_value(&self, css: &str, want: &str) {
        eventually(&format!("{css} holding {want:?}"), || async {
            let v = self.value(css).await;
            if v == want {
                Ok(())
            } else {
                Err(format!("{v:?}"))
            }
        })
        .await
    }
}
