//! A throwaway PostgreSQL server for running the API test suite against PostgreSQL: Debian's
//! server (`postgresql`, installed when missing), a private cluster in the temporary directory on
//! a free loopback port (trust authentication, C collation like SQLite's), stopped and deleted
//! when the [`Server`] is dropped. Tests run it without fsync (test data only); the benchmark
//! runs it durable, as a deployment would.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run;
use crate::tools::apt_install;

/// A running test server.
pub struct Server {
    bin: PathBuf,
    dir: PathBuf,
    /// `postgres://…` address of its `postgres` database.
    pub url: String,
}

/// The newest `/usr/lib/postgresql/<version>/bin` with `initdb` and `pg_ctl`.
fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command of the server's, run as the `postgres` system user when we are root (PostgreSQL
/// refuses to run as root).
fn pg_command(bin: &Path, program: &str) -> Command {
    let path = bin.join(program);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    } else {
        Command::new(path)
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Installs PostgreSQL when missing, and starts a fresh private server; `durable` keeps
/// PostgreSQL's default fsync and synchronous commits.
pub fn start(durable: bool) -> Result<Server, String> {
    let bin = match find_bin() {
        Some(bin) => bin,
        None => {
            apt_install(&["postgresql"])?;
            find_bin().ok_or("PostgreSQL is installed, but no initdb was found")?
        }
    };
    let dir = std::env::temp_dir().join(format!("campusm-portal-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if is_root() {
        run(
            Command::new("chown").arg("postgres:postgres").arg(&dir),
            "chown the test cluster's directory",
        )?;
    }
    let data = dir.join("data");
    run(
        pg_command(&bin, "initdb")
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "--locale=C",
                "--encoding=UTF8",
                "--no-sync",
            ])
            .stdout(std::process::Stdio::null()),
        "initdb",
    )?;
    let port = free_port()?;
    let mut options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
        dir.display()
    );
    if !durable {
        options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    }
    run(
        pg_command(&bin, "pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(dir.join("server.log"))
            .args(["-w", "start"])
            .stdout(std::process::Stdio::null()),
        "pg_ctl start",
    )?;
    Ok(Server {
        bin,
        dir,
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    })
}

impl Server {
    /// Runs SQL with the server's `psql` (as its superuser).
    pub fn psql(&self, sql: &str) -> Result<(), String> {
        run(
            Command::new(self.bin.join("psql"))
                .args(["-q", "-d", &self.url, "-c", sql])
                .stdout(std::process::Stdio::null()),
            "psql",
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = pg_command(&self.bin, "pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .stdout(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
