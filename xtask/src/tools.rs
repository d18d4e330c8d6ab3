//! Installing the tools the build and the tests need, idempotently, from package registries only.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run, ToolEnv};

/// trunk's pinned version (0.22 needs a newer rustc than this project's).
const TRUNK: &str = "0.21.14";
/// binaryen's pinned version (npm); Debian's older wasm-opt breaks the app.
const BINARYEN: &str = "132.0.0";
/// wasm-split-cli's pinned version: the splitter that matches the split-point helpers Leptos
/// uses (`wasm_split_helpers` 0.2 in Cargo.lock).
const WASM_SPLIT: &str = "0.2.4";
/// geckodriver's pinned version (crates.io), Firefox's WebDriver server.
const GECKODRIVER: &str = "0.37.1";
/// axe-core's pinned version (npm), injected by the e2e tests.
pub const AXE_CORE: &str = "4.14.1";
/// oidc-provider's pinned version (npm): the certified OpenID Provider the single sign-on e2e
/// tests run on loopback with Node.
pub const OIDC_PROVIDER: &str = "8.8.1";

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"))
}

/// Where npm-installed tools live (outside the repository, so a fresh clone reuses them).
pub fn tools_dir() -> PathBuf {
    std::env::var_os("PORTAL_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cache").join("campusm-portal").join("tools"))
}

fn output(cmd: &mut Command) -> Option<String> {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

fn base_env() -> ToolEnv {
    let cargo_bin = home().join(".cargo").join("bin");
    let npm_bin = tools_dir().join("node_modules").join(".bin");
    let path = std::env::var("PATH").unwrap_or_default();
    ToolEnv {
        path: format!("{}:{}:{path}", npm_bin.display(), cargo_bin.display()),
    }
}

/// The wasm-bindgen version recorded in Cargo.lock.
pub fn locked_wasm_bindgen(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen".into())
}

/// Installs (when missing) the wasm target, trunk, wasm-bindgen-cli, wasm-split-cli and wasm-opt.
pub fn ensure_build_tools(root: &Path) -> Result<ToolEnv, String> {
    let env = base_env();
    let installed = output(
        env.cmd("rustup", root)
            .args(["target", "list", "--installed"]),
    )
    .unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        println!("installing the wasm32-unknown-unknown target…");
        run(
            env.cmd("rustup", root)
                .args(["target", "add", "wasm32-unknown-unknown"]),
            "rustup target add",
        )?;
    }
    let trunk = output(env.cmd("trunk", root).arg("--version")).unwrap_or_default();
    if !trunk.contains(TRUNK) {
        println!("installing trunk {TRUNK} (a few minutes, once)…");
        run(
            env.cmd("cargo", root)
                .args(["install", "trunk", "--version", TRUNK, "--locked"]),
            "cargo install trunk",
        )?;
    }
    let wbg = locked_wasm_bindgen(root)?;
    let have = output(env.cmd("wasm-bindgen", root).arg("--version")).unwrap_or_default();
    if !have.contains(&wbg) {
        println!("installing wasm-bindgen-cli {wbg} (matches Cargo.lock)…");
        // Not --locked: its lockfile names a crate version the registry lacks.
        run(
            env.cmd("cargo", root).args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &format!("={wbg}"),
            ]),
            "cargo install wasm-bindgen-cli",
        )?;
    }
    let installed = output(env.cmd("cargo", root).args(["install", "--list"])).unwrap_or_default();
    if !installed.contains(&format!("wasm_split_cli_support v{WASM_SPLIT}")) {
        println!("installing wasm-split-cli {WASM_SPLIT} (about a minute, once)…");
        run(
            env.cmd("cargo", root).args([
                "install",
                "wasm_split_cli_support",
                "--version",
                WASM_SPLIT,
                "--features",
                "build-binary",
                "--locked",
            ]),
            "cargo install wasm_split_cli_support",
        )?;
    }
    let opt = output(env.cmd("wasm-opt", root).arg("--version")).unwrap_or_default();
    if !opt.contains("version 132") {
        npm_install(&env, "binaryen", BINARYEN)?;
    }
    Ok(env)
}

/// Installs an npm package at an exact version into [`tools_dir`].
pub fn npm_install(env: &ToolEnv, package: &str, version: &str) -> Result<(), String> {
    let dir = tools_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    if output(Command::new("npm").arg("--version")).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    println!(
        "installing {package}@{version} from npm into {}…",
        dir.display()
    );
    run(
        env.cmd("npm", &dir)
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--save-exact",
                "--prefix",
            ])
            .arg(&dir)
            .arg(format!("{package}@{version}")),
        "npm install",
    )
}

/// The oidc-provider module the single sign-on e2e tests import.
pub fn oidc_provider_module() -> PathBuf {
    tools_dir()
        .join("node_modules")
        .join("oidc-provider")
        .join("lib")
        .join("index.js")
}

/// The axe-core script the e2e tests inject.
/// A temporary directory for Chromium's profiles and sockets (`TMPDIR` of the browsers xtask
/// starts): a killed or crashed Chromium leaves its profile behind, so the caller removes this
/// directory with [`remove_chromium_tmp`] when its browsers are done.
pub fn chromium_tmp() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("campusm-portal-chromium-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Removes [`chromium_tmp`] and whatever the browsers left in it.
pub fn remove_chromium_tmp() {
    let _ = std::fs::remove_dir_all(
        std::env::temp_dir().join(format!("campusm-portal-chromium-{}", std::process::id())),
    );
}

pub fn axe_script() -> PathBuf {
    tools_dir()
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js")
}

/// Installs Debian packages (as root, the way this project's machines run).
pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    apt(packages, false)
}

/// Installs Debian packages with what they recommend (the browser engines, as tested here).
fn apt(packages: &[&str], recommends: bool) -> Result<(), String> {
    println!("installing {} from Debian…", packages.join(", "));
    run(
        Command::new("apt-get").arg("update").arg("-qq"),
        "apt-get update",
    )?;
    let mut c = Command::new("apt-get");
    c.args(["install", "-y", "-qq"]);
    if !recommends {
        c.arg("--no-install-recommends");
    }
    c.args(packages).env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut c, "apt-get install")
}

/// Build tools plus the browsers and their WebDriver servers for the browser tests: Chromium and
/// chromedriver, WebKitGTK and WebKitWebDriver (under xvfb), Firefox ESR and geckodriver.
pub fn ensure_test_tools(root: &Path) -> Result<ToolEnv, String> {
    let env = ensure_build_tools(root)?;
    let chromium = output(Command::new("chromium").arg("--version")).is_some();
    let driver = output(Command::new("chromedriver").arg("--version")).is_some();
    if !chromium || !driver {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    // The other engines: WebKitGTK (Safari's engine) with its WebDriver and a virtual display,
    // and Firefox ESR with geckodriver.
    let webkit = Path::new("/usr/bin/WebKitWebDriver").exists()
        && Path::new("/usr/bin/xvfb-run").exists()
        && Path::new("/usr/bin/firefox-esr").exists();
    if !webkit {
        apt(&["webkit2gtk-driver", "xvfb", "xauth", "firefox-esr"], true)?;
    }
    let gecko = output(env.cmd("geckodriver", root).arg("--version")).unwrap_or_default();
    if !gecko.contains(GECKODRIVER) {
        println!("installing geckodriver {GECKODRIVER} (a few minutes, once)…");
        run(
            env.cmd("cargo", root).args([
                "install",
                "geckodriver",
                "--version",
                GECKODRIVER,
                "--locked",
            ]),
            "cargo install geckodriver",
        )?;
    }
    let axe_pkg = tools_dir()
        .join("node_modules")
        .join("axe-core")
        .join("package.json");
    let axe_version = std::fs::read_to_string(&axe_pkg).unwrap_or_default();
    if !axe_version.contains(&format!("\"version\": \"{AXE_CORE}\"")) {
        npm_install(&env, "axe-core", AXE_CORE)?;
    }
    let oidc_pkg = tools_dir()
        .join("node_modules")
        .join("oidc-provider")
        .join("package.json");
    let oidc_version = std::fs::read_to_string(&oidc_pkg).unwrap_or_default();
    if !oidc_version.contains(&format!("\"version\": \"{OIDC_PROVIDER}\"")) {
        npm_install(&env, "oidc-provider", OIDC_PROVIDER)?;
    }
    Ok(env)
}

/// schemathesis' pinned version (PyPI), run against the API's OpenAPI document.
pub const SCHEMATHESIS: &str = "4.32.5";

/// schemathesis' `st`, installed into a virtual environment next to the npm tools (PyPI only).
pub fn ensure_schemathesis() -> Result<PathBuf, String> {
    let venv = tools_dir().join("venv");
    let st = venv.join("bin").join("st");
    let installed = output(Command::new(&st).arg("--version")).unwrap_or_default();
    if installed.contains(SCHEMATHESIS) {
        return Ok(st);
    }
    println!("installing schemathesis {SCHEMATHESIS} from PyPI…");
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| output(Command::new(p).arg("--version")).is_some())
        .ok_or("schemathesis needs Python 3 (python3), which this machine lacks")?;
    run(
        Command::new(python).args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
    )?;
    run(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("schemathesis=={SCHEMATHESIS}")),
        "pip install schemathesis",
    )?;
    Ok(st)
}
