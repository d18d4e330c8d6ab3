//! The API contract check in `cargo xtask test`: schemathesis (PyPI) generates requests from the
//! OpenAPI document the API serves and runs its default checks (status codes, content types,
//! response schemas, negative and positive data, auth, undeclared methods). Zero failures pass.
//!
//! It starts the debug `portal-api` with the demo data on a free port, signs in as a customer
//! (plain HTTP over `std::net`, so nothing else is needed), and passes the session token in
//! `PORTAL_SESSION` to `api/schemathesis.toml`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{run, tools, ToolEnv};

/// Test cases per operation (and the fixed seed, so a run is reproducible).
const MAX_EXAMPLES: &str = "60";
const SEED: &str = "20261128";

/// One HTTP/1.1 request; answers the status line's code and the raw head.
fn http(addr: &str, request: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text))
}

/// Runs schemathesis against a fresh API; `Ok` when it found nothing.
pub fn check(root: &Path, env: &ToolEnv) -> Result<(), String> {
    let st = tools::ensure_schemathesis()?;
    run(
        env.cmd("cargo", root)
            .args(["build", "--quiet", "-p", "portal-api"]),
        "building portal-api",
    )?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    let addr = format!("127.0.0.1:{port}");
    let dir = root.join("target").join("schemathesis");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let _api = crate::bench::Server(
        Command::new(root.join("target").join("debug").join("portal-api"))
            .args(["--listen", &addr, "--db"])
            .arg(dir.join("contract.sqlite"))
            .arg("--mail-dir")
            .arg(dir.join("mail"))
            .arg("--demo")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting portal-api: {e}"))?,
    );
    let started = Instant::now();
    while http(
        &addr,
        &format!("GET /api/v1/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .is_none()
    {
        if started.elapsed() > Duration::from_secs(30) {
            return Err("portal-api did not start".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let body = r#"{"email":"it-lead@northfield.example","password":"northfield-demo"}"#;
    let (status, head) = http(
        &addr,
        &format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nX-Requested-With: portal\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .ok_or("signing in: no answer")?;
    let token = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .and_then(|l| l.split_once('=').map(|(_, v)| v))
        .and_then(|v| v.split(';').next())
        .filter(|_| status == 200)
        .ok_or(format!("signing in answered {status} without a session"))?;
    run(
        Command::new(&st)
            .arg("--config-file")
            .arg(root.join("api").join("schemathesis.toml"))
            .args(["run", &format!("http://{addr}/api/v1/openapi.json")])
            .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
            .env("PORTAL_SESSION", token)
            .current_dir(&dir),
        "schemathesis",
    )
}
