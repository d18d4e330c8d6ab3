//! `cargo xtask <command>`: the project's automation, in Rust.
//!
//! - `serve`: install what is missing, build the portal (release), start portal-api on
//!   http://127.0.0.1:8080 with the demo database, print the URL and the demo logins.
//! - `test`: install what is missing (Chromium and chromedriver too), then every check and test:
//!   fmt, clippy, native unit + integration tests, the API tests again against a PostgreSQL
//!   server started for them, wasm-bindgen tests in headless Chromium, the
//!   release build with its size budget, and full-stack e2e in headless Chromium. Ends with one
//!   line `N passed, N failed` and exits non-zero on any failure.
//! - `bench`: sizes, Lighthouse and API latency, measured into `target/bench/report.md`.
//! - `dist`: install what is missing and build the portal (release) into `dist/`.
//! - `contract`: schemathesis against the API's OpenAPI document (also part of `test`).
//! - `postgres`: the API tests against a PostgreSQL server started for them (also part of `test`).
//!
//! Every tool comes from a package registry (crates.io, npm, Debian); nothing downloads a binary
//! from anywhere else, and trunk runs offline so a version mismatch fails loudly.

mod bench;
mod contract;
mod postgres;
mod sizes;
mod split;
mod tools;
mod webdriver;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// The demo logins printed by `serve` (the API's demo data defines them; README lists them).
const DEMO_LOGINS: [(&str, &str, &str); 4] = [
    (
        "it-lead@northfield.example",
        "northfield-demo",
        "Northfield University administrator (EMEA, Connect Layer)",
    ),
    (
        "library@northfield.example",
        "northfield-library",
        "Northfield University library, member",
    ),
    (
        "support@southbank.example",
        "southbank-demo",
        "Southbank College administrator (Americas)",
    ),
    (
        "agent@vendor.example",
        "agent-demo",
        "Ex Libris support agent (two-step sign-in on /account before revealing secrets)",
    ),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&root),
        Some("test") => test(&root),
        Some("bench") => {
            let result = bench::bench(&root);
            tools::remove_chromium_tmp();
            result
        }
        Some("contract") => {
            tools::ensure_build_tools(&root).and_then(|env| contract::check(&root, &env))
        }
        Some("postgres") => {
            let mut t = Tally::default();
            api_on_postgres(&root, &mut t);
            if t.failed == 0 {
                Ok(())
            } else {
                Err("the API tests failed against PostgreSQL".into())
            }
        }
        Some("dist") => tools::ensure_build_tools(&root)
            .and_then(|env| build_dist(&root, &env))
            .and_then(|()| sizes::report_and_check(&root)),
        _ => {
            eprintln!("usage: cargo xtask <serve|test|bench|dist|contract|postgres>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn project_root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(Path::to_path_buf).unwrap_or(dir)
}

/// A command's environment: PATH with the project's tools first.
#[derive(Clone, Debug)]
pub struct ToolEnv {
    /// The PATH to run commands with.
    pub path: String,
}

impl ToolEnv {
    /// A command in `dir` with this environment.
    pub fn cmd(&self, program: &str, dir: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(dir).env("PATH", &self.path);
        c
    }
}

/// Runs a command, inheriting output; an error says which step failed.
pub fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

pub fn build_dist(root: &Path, env: &ToolEnv) -> Result<(), String> {
    let started = Instant::now();
    // trunk runs cargo with --offline: fetch first (a no-op when everything is there).
    run(
        env.cmd("cargo", root).args(["fetch", "--quiet"]),
        "cargo fetch",
    )?;
    run(
        env.cmd("trunk", root).args(["build", "--release"]),
        "trunk build --release",
    )?;
    split::split_dist(root, env)?;
    sizes::precompress(&root.join("dist"))?;
    println!("built dist/ in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn serve(root: &Path) -> Result<(), String> {
    let env = tools::ensure_build_tools(root)?;
    build_dist(root, &env)?;
    run(
        env.cmd("cargo", root)
            .args(["build", "--quiet", "-p", "portal-api"]),
        "building portal-api",
    )?;
    let data = root.join("target").join("demo");
    std::fs::create_dir_all(&data).map_err(|e| format!("creating {}: {e}", data.display()))?;
    let db = data.join("portal.sqlite");
    let key = data.join("secrets.key");
    demo_key(&key)?;
    let mail = data.join("mail");
    println!();
    println!("campusM Support portal: http://127.0.0.1:8080");
    println!("Demo logins (e-mail / password):");
    for (email, pw, who) in DEMO_LOGINS {
        println!("  {email:<28} {pw:<20} {who}");
    }
    println!(
        "Demo database: {} (delete it for fresh demo data; its secrets are sealed with {}). Stop with Ctrl-C.",
        db.display(),
        key.display()
    );
    println!(
        "E-mails the portal sends (replies, escalations, …) are written to {} as .eml files.",
        mail.display()
    );
    println!();
    let bin = root.join("target").join("debug").join("portal-api");
    let mut cmd = env.cmd(bin.to_str().unwrap_or("portal-api"), root);
    cmd.args(["--listen", "127.0.0.1:8080", "--db"])
        .arg(&db)
        .arg("--secrets-key")
        .arg(&key)
        .arg("--mail-dir")
        .arg(&mail)
        .arg("--dist")
        .arg(root.join("dist"))
        .arg("--demo");
    run(&mut cmd, "portal-api")
}

/// The demo's key for the secrets customers give support (64 hexadecimal digits, from the
/// system's random source), made once next to the demo database and kept with it.
fn demo_key(path: &Path) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    let mut bytes = [0u8; 32];
    std::io::Read::read_exact(
        &mut std::fs::File::open("/dev/urandom").map_err(|e| format!("/dev/urandom: {e}"))?,
        &mut bytes,
    )
    .map_err(|e| format!("/dev/urandom: {e}"))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(path, format!("{hex}\n")).map_err(|e| format!("{}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Counts of tests and checks.
#[derive(Default, Debug)]
struct Tally {
    passed: u64,
    failed: u64,
    failures: Vec<String>,
    /// Each test run's name and its counts, for the summary.
    runs: Vec<(String, u64, u64)>,
}

impl Tally {
    fn check(&mut self, name: &str, result: Result<(), String>) -> bool {
        match result {
            Ok(()) => {
                self.passed += 1;
                true
            }
            Err(e) => {
                eprintln!("FAILED: {name}: {e}");
                self.failed += 1;
                self.failures.push(name.to_string());
                false
            }
        }
    }

    /// Runs a test command, echoing its output and adding up its `test result:` lines.
    fn tests(&mut self, name: &str, mut cmd: Command) -> bool {
        println!("\n== {name}");
        cmd.stdout(Stdio::piped());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => return self.check(name, Err(format!("cannot start: {e}"))),
        };
        let (mut passed, mut failed) = (0u64, 0u64);
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                println!("{line}");
                if let Some((p, f)) = parse_result_line(&line) {
                    passed += p;
                    failed += f;
                }
            }
        }
        let ok = child.wait().map(|s| s.success()).unwrap_or(false);
        self.passed += passed;
        self.failed += failed;
        self.runs.push((name.to_string(), passed, failed));
        if !ok || failed > 0 {
            if failed == 0 {
                // The runner failed without counting a test (a build error, a crash).
                self.failed += 1;
            }
            self.failures.push(name.to_string());
            eprintln!("FAILED: {name}");
            false
        } else {
            true
        }
    }
}

/// Parses `test result: ok. 12 passed; 0 failed; …` into (passed, failed).
fn parse_result_line(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let num = |word: &str| -> Option<u64> {
        rest.split(';').find_map(|part| {
            let part = part
                .trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ");
            part.strip_suffix(word).and_then(|n| n.trim().parse().ok())
        })
    };
    Some((num("passed")?, num("failed")?))
}

/// The API's tests (integration and unit) against a PostgreSQL server started for them: the same
/// suite as on SQLite, each test in its own schema, plus the PostgreSQL-only tests, which are
/// `#[ignore]`d elsewhere so no pass counts a test it did not run.
fn api_on_postgres(root: &Path, t: &mut Tally) {
    println!("\n== API tests against PostgreSQL");
    match postgres::start(false) {
        Ok(server) => {
            let mut c = Command::new("cargo");
            c.current_dir(root)
                .args([
                    "test",
                    "-p",
                    "portal-api",
                    "--all-features",
                    "--",
                    "--include-ignored",
                ])
                .env("PORTAL_TEST_POSTGRES", &server.tls_url)
                .env("PORTAL_OIDC_PROVIDER", tools::oidc_provider_module());
            t.tests("API tests against PostgreSQL", c);
            drop(server);
        }
        Err(e) => {
            t.check("PostgreSQL test server", Err(e));
        }
    }
}

/// The e2e tests that run in WebKit and Firefox too (name filters): the vertical slice, the
/// public overview, every page at the narrowest width, home, a new request with attachments and an
/// ended session, case updates and the lifecycle, the language switch, offline reading, knowledge,
/// the service banner and support's round trip. README lists what an engine cannot run.
const E2E_IN_EVERY_ENGINE: &[&str] = &[
    "slice::",
    "pages::",
    "home::",
    "attachments_and_an_ended_session",
    "freshness_and_lifecycle",
    "language::",
    "offline_reading",
    "knowledge::",
    "banner::",
    "workspace::a_case_goes_round",
    "accounts::invite_join_deactivate",
    "accounts::forgot_password",
    "accounts::agent_two_step",
    "sso::",
];

fn test(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let env = tools::ensure_test_tools(root)?;
    let mut t = Tally::default();
    let cargo = |args: &[&str]| {
        let mut c = env.cmd("cargo", root);
        // The single sign-on tests run a real OpenID Provider (npm's oidc-provider) with Node.
        c.args(args)
            .env("PORTAL_OIDC_PROVIDER", tools::oidc_provider_module());
        c
    };
    println!("\n== cargo fmt --check");
    t.check(
        "cargo fmt --check",
        run(
            &mut cargo(&["fmt", "--all", "--check"]),
            "cargo fmt --check",
        ),
    );
    println!("\n== cargo clippy (native)");
    t.check(
        "clippy (native)",
        run(
            &mut cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ]),
            "clippy",
        ),
    );
    println!("\n== cargo clippy (wasm32)");
    t.check(
        "clippy (wasm32)",
        run(
            &mut cargo(&[
                "clippy",
                "-p",
                "support-portal",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ]),
            "clippy wasm32",
        ),
    );
    t.tests(
        "native unit and API integration tests",
        cargo(&[
            "test",
            "--workspace",
            "--exclude",
            "portal-e2e",
            "--all-features",
        ]),
    );
    api_on_postgres(root, &mut t);
    println!("\n== API contract (schemathesis against /api/v1/openapi.json)");
    t.check("schemathesis", contract::check(root, &env));
    let mut wasm = cargo(&[
        "test",
        "-p",
        "support-portal",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "web",
    ]);
    wasm.env("WASM_BINDGEN_TEST_TIMEOUT", "60");
    // The test runner's Chromium leaves its profile (~30 MB) in TMPDIR: give it one to delete.
    wasm.env("TMPDIR", tools::chromium_tmp());
    t.tests(
        "component tests (wasm-bindgen-test in headless Chromium)",
        wasm,
    );
    tools::remove_chromium_tmp();
    println!("\n== release build of the portal");
    let built = t.check("trunk build --release", build_dist(root, &env));
    if built {
        println!("\n== sizes (first load)");
        t.check("size budget", sizes::report_and_check(root));
        // Chromium: every e2e test. WebKit (Safari's engine) and Firefox: the core of the suite
        // (E2E_IN_EVERY_ENGINE), which keeps the run within CI's time.
        for (engine, name, filter) in [
            ("chromium", "e2e in Chromium (portal-api + headless Chromium at 1280, 375 and 320 px)", &[][..]),
            ("webkit", "e2e in WebKit (WebKitGTK MiniBrowser under xvfb at 1280 and its narrowest, 447 px)", E2E_IN_EVERY_ENGINE),
            ("firefox", "e2e in Firefox (Firefox ESR headless at 1280, 375 and 320 px)", E2E_IN_EVERY_ENGINE),
        ] {
            let mut args = vec!["test", "-p", "portal-e2e", "--", "--test-threads", "2"];
            args.extend(filter);
            if engine == "firefox" {
                // README ("Browser engines"): Firefox under geckodriver shows its network error
                // page on a reload without the server instead of the service worker's copy.
                args.extend(["--skip", "offline_reading"]);
            }
            let mut e2e = cargo(&args);
            // Pictures of the pages the tests reach, for a reviewer to look at.
            e2e.env("PORTAL_DIST", root.join("dist"))
                .env("PORTAL_AXE", tools::axe_script())
                .env("PORTAL_OIDC_PROVIDER", tools::oidc_provider_module())
                .env("E2E_ENGINE", engine)
                .env(
                    "E2E_SCREENSHOTS",
                    root.join("target").join("e2e-screenshots"),
                );
            t.tests(name, e2e);
        }
    } else {
        t.failed += 1;
        t.failures.push("e2e (not run: no dist)".into());
    }
    println!(
        "\ncargo xtask test took {:.0} s",
        started.elapsed().as_secs_f64()
    );
    for (name, passed, failed) in &t.runs {
        println!("  {name}: {passed} passed, {failed} failed");
    }
    if !t.failures.is_empty() {
        println!("failed: {}", t.failures.join("; "));
    }
    println!("{} passed, {} failed", t.passed, t.failed);
    if t.failed == 0 {
        Ok(())
    } else {
        Err("some checks failed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_result_line;

    #[test]
    fn reads_cargo_and_wasm_bindgen_result_lines() {
        assert_eq!(parse_result_line("test result: ok. 31 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.18s"), Some((31, 0)));
        assert_eq!(
            parse_result_line("test result: FAILED. 30 passed; 1 failed; 0 ignored"),
            Some((30, 1))
        );
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}
