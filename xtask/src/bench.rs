//! `cargo xtask bench`: speed and size, measured (never asserted in timed tests).
//!
//! Builds the portal (release) and the API (profile `bench-server`), serves them on loopback with
//! the demo data, and writes `target/bench/report.json` and `report.md`:
//! - dist sizes raw / gzip / brotli and the first-load transfer;
//! - Lighthouse (npm `lighthouse`, Debian's Chromium, default mobile mode), median of
//!   `BENCH_RUNS` (default 5) runs on `/support`, `/`, `/cases`, `/cases/CS-000001` and `/new`
//!   (signed in): performance, accessibility, best practices, FCP, LCP, TBT, CLS;
//! - API latency (wrk): opening 10 000 cases, then listing and reading them.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::{run, sizes, tools, ToolEnv};

const LIGHTHOUSE: &str = "12.8.2";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn curl(args: &[&str]) -> Result<String, String> {
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "30"])
        .args(args)
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn lighthouse(
    env: &ToolEnv,
    root: &Path,
    url: &str,
    cookie: &str,
    runs: usize,
) -> Result<Value, String> {
    let bin = tools::tools_dir()
        .join("node_modules")
        .join(".bin")
        .join("lighthouse");
    let out_dir = root.join("target").join("bench");
    let headers = json!({ "Cookie": cookie }).to_string();
    let mut rows: Vec<Value> = Vec::new();
    for i in 0..runs {
        let path = out_dir.join(format!("lh-{i}.json"));
        // Lighthouse sometimes fails to record a trace (NO_NAVSTART): try a run up to 3 times.
        let mut ok = false;
        for _attempt in 0..3 {
            let status = env
                .cmd(bin.to_str().unwrap_or("lighthouse"), root)
                .arg(url)
                .args(["--quiet", "--output=json", "--only-categories=performance,accessibility,best-practices"])
                .arg(format!("--output-path={}", path.display()))
                .arg(format!("--extra-headers={headers}"))
                .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run")
                .env("CHROME_PATH", "/usr/bin/chromium")
                .status()
                .map_err(|e| format!("lighthouse: {e}"))?;
            if status.success() {
                ok = true;
                break;
            }
        }
        if !ok {
            return Err(format!("lighthouse failed three times on {url}"));
        }
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        let score = |c: &str| report["categories"][c]["score"].as_f64().unwrap_or(0.0) * 100.0;
        let metric = |m: &str| {
            report["audits"][m]["numericValue"]
                .as_f64()
                .unwrap_or(f64::NAN)
        };
        rows.push(json!({
            "performance": score("performance"), "accessibility": score("accessibility"), "best_practices": score("best-practices"),
            "fcp_ms": metric("first-contentful-paint"), "lcp_ms": metric("largest-contentful-paint"),
            "tbt_ms": metric("total-blocking-time"), "cls": metric("cumulative-layout-shift"),
        }));
    }
    let keys = [
        "performance",
        "accessibility",
        "best_practices",
        "fcp_ms",
        "lcp_ms",
        "tbt_ms",
        "cls",
    ];
    let mut med = serde_json::Map::new();
    for k in keys {
        med.insert(
            k.into(),
            json!(median(
                rows.iter()
                    .map(|r| r[k].as_f64().unwrap_or(f64::NAN))
                    .collect()
            )),
        );
    }
    Ok(Value::Object(med))
}

fn wrk(
    env: &ToolEnv,
    root: &Path,
    url: &str,
    cookie: &str,
    script: Option<&Path>,
    seconds: u32,
) -> Result<Value, String> {
    let mut cmd = env.cmd("wrk", root);
    cmd.args([
        "-t2",
        "-c16",
        &format!("-d{seconds}s"),
        "--latency",
        "-H",
        &format!("Cookie: {cookie}"),
        "-H",
        "X-Requested-With: portal",
    ]);
    if let Some(s) = script {
        cmd.arg("-s").arg(s);
    }
    let out = cmd.arg(url).output().map_err(|e| format!("wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let find = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_string()
    };
    Ok(
        json!({ "p50": find("50%"), "p99": find("99%"), "requests_per_second": find("Requests/sec:") }),
    )
}

/// Runs the benchmark and writes the reports.
pub fn bench(root: &Path) -> Result<(), String> {
    let env = tools::ensure_test_tools(root)?;
    let lh = tools::tools_dir()
        .join("node_modules")
        .join("lighthouse")
        .join("package.json");
    if !std::fs::read_to_string(&lh)
        .unwrap_or_default()
        .contains(&format!("\"version\": \"{LIGHTHOUSE}\""))
    {
        tools::npm_install(&env, "lighthouse", LIGHTHOUSE)?;
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        tools::apt_install(&["wrk"])?;
    }
    crate::build_dist(root, &env)?;
    run(
        env.cmd("cargo", root).args([
            "build",
            "--quiet",
            "--profile",
            "bench-server",
            "-p",
            "portal-api",
        ]),
        "building portal-api",
    )?;
    let out_dir = root.join("target").join("bench");
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    let base = format!("http://127.0.0.1:{port}");
    let bin = root.join("target").join("bench-server").join("portal-api");
    let _server = Server(
        Command::new(&bin)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--db"])
            .arg(out_dir.join("bench.sqlite"))
            .arg("--dist")
            .arg(root.join("dist"))
            .arg("--demo")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting portal-api: {e}"))?,
    );
    let started = Instant::now();
    while curl(&[&format!("{base}/api/v1/health")])
        .unwrap_or_default()
        .is_empty()
    {
        if started.elapsed() > Duration::from_secs(30) {
            return Err("portal-api did not start".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let headers = curl(&[
        "-D",
        "-",
        "-o",
        "/dev/null",
        "-H",
        "X-Requested-With: portal",
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"email":"it-lead@northfield.example","password":"northfield-demo"}"#,
        &format!("{base}/api/v1/session"),
    ])?;
    let cookie = headers
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l[11..].trim().split(';').next().unwrap_or("").to_string())
        })
        .ok_or("no session cookie from sign-in")?;

    let sizes = sizes::measure(&root.join("dist"))?;
    let first_load: usize = sizes.iter().map(|s| s.brotli).sum();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let mut pages = serde_json::Map::new();
    for path in ["/support", "/", "/cases", "/cases/CS-000001", "/new"] {
        println!("lighthouse {path} ({runs} runs)…");
        pages.insert(
            path.into(),
            lighthouse(&env, root, &format!("{base}{path}"), &cookie, runs)?,
        );
    }

    // API: open 10 000 cases (the create benchmark), then list and read under load.
    let create = out_dir.join("create.lua");
    std::fs::write(&create, "wrk.method = 'POST'\nwrk.headers['Content-Type'] = 'application/json'\nwrk.body = '{\"kind\":\"question\",\"level\":\"IV\",\"subject\":\"Load test\",\"description\":\"Benchmark case\"}'\n")
        .map_err(|e| e.to_string())?;
    println!("API: creating cases…");
    let mut created = wrk(
        &env,
        root,
        &format!("{base}/api/v1/cases"),
        &cookie,
        Some(&create),
        10,
    )?;
    let total = curl(&[
        "-H",
        &format!("Cookie: {cookie}"),
        &format!("{base}/api/v1/cases?page_size=1"),
    ])?;
    let total = serde_json::from_str::<Value>(&total)
        .ok()
        .and_then(|v| v["total"].as_u64())
        .unwrap_or(0);
    created["cases_in_database_after"] = json!(total);
    println!("API: listing and reading…");
    let list = wrk(
        &env,
        root,
        &format!("{base}/api/v1/cases?status=open&sort=-updated_at"),
        &cookie,
        None,
        10,
    )?;
    let search = wrk(
        &env,
        root,
        &format!("{base}/api/v1/cases?q=timetable"),
        &cookie,
        None,
        10,
    )?;
    let read = wrk(
        &env,
        root,
        &format!("{base}/api/v1/cases/CS-000002"),
        &cookie,
        None,
        10,
    )?;

    let report = json!({
        "first_load_brotli_bytes": first_load,
        "files": sizes.iter().map(|s| json!({"name": s.name, "raw": s.raw, "gzip": s.gzip, "brotli": s.brotli})).collect::<Vec<_>>(),
        "lighthouse_mobile_median": pages,
        "lighthouse_runs": runs,
        "api": { "create": created, "list_open": list, "search": search, "read": read },
    });
    let mut md = format!("# Benchmark ({runs} Lighthouse runs per page, median)\n\nFirst load: {:.1} KiB brotli\n\n| page | perf | a11y | best practices | FCP ms | LCP ms | TBT ms | CLS |\n|---|---|---|---|---|---|---|---|\n", first_load as f64 / 1024.0);
    for (p, v) in &pages {
        md.push_str(&format!(
            "| {p} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.3} |\n",
            v["performance"],
            v["accessibility"],
            v["best_practices"],
            v["fcp_ms"].as_f64().unwrap_or(f64::NAN),
            v["lcp_ms"].as_f64().unwrap_or(f64::NAN),
            v["tbt_ms"].as_f64().unwrap_or(f64::NAN),
            v["cls"].as_f64().unwrap_or(f64::NAN)
        ));
    }
    md.push_str("\n| API (wrk, 2 threads, 16 connections, 10 s) | p50 | p99 | requests/s |\n|---|---|---|---|\n");
    for (name, v) in [
        ("create case", &report["api"]["create"]),
        ("list open cases", &report["api"]["list_open"]),
        ("search", &report["api"]["search"]),
        ("read a case", &report["api"]["read"]),
    ] {
        md.push_str(&format!(
            "| {name} | {} | {} | {} |\n",
            v["p50"].as_str().unwrap_or("?"),
            v["p99"].as_str().unwrap_or("?"),
            v["requests_per_second"].as_str().unwrap_or("?")
        ));
    }
    md.push_str(&format!(
        "\nCases in the database after the create run: {total}\n"
    ));
    std::fs::write(
        out_dir.join("report.json"),
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(out_dir.join("report.md"), &md).map_err(|e| e.to_string())?;
    println!("\n{md}\nwritten: {}", out_dir.join("report.md").display());
    Ok(())
}
