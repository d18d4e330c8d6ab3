//! A throwaway PostgreSQL server for running the API test suite against PostgreSQL: Debian's
//! server (`postgresql`, installed when missing), a private cluster in the temporary directory on
//! a free loopback port (trust authentication, C collation like SQLite's), stopped and deleted
//! when the [`Server`] is dropped. Tests run it without fsync (test data only); the benchmark
//! runs it durable, as a deployment would.
//!
//! The server speaks TLS too, with a certificate from a throwaway CA made with `openssl` (which
//! Debian's PostgreSQL depends on): the API test suite connects through [`Server::tls_url`], so
//! every query of the PostgreSQL pass crosses a verified TLS connection, as it would to a managed
//! database.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run;
use crate::tools::apt_install;

/// A running test server.
pub struct Server {
    bin: PathBuf,
    dir: PathBuf,
    /// `postgres://…` address of its `postgres` database, plain TCP (`sslmode=disable`).
    pub url: String,
    /// The same database over TLS, the server's certificate verified against the test CA
    /// (`sslmode=verify-full&sslrootcert=…`).
    pub tls_url: String,
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

/// Makes a throwaway CA and a server certificate it signs for 127.0.0.1 and localhost, in `dir`:
/// `ca.crt`, `server.crt` and `server.key` (readable by the server only).
fn make_certificates(dir: &Path) -> Result<(), String> {
    if Command::new("openssl").arg("version").output().is_err() {
        apt_install(&["openssl"])?;
    }
    let ext = dir.join("server.ext");
    std::fs::write(
        &ext,
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n\
         keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .map_err(|e| format!("{}: {e}", ext.display()))?;
    let openssl = |args: &[&str], what: &str| {
        run(
            Command::new("openssl")
                .current_dir(dir)
                .args(args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null()),
            what,
        )
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "2",
                "-subj",
                "/CN=campusM portal test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat(),
        "openssl: test CA",
    )?;
    openssl(
        &[
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat(),
        "openssl: server key",
    )?;
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
        "openssl: server certificate",
    )?;
    let key = dir.join("server.key");
    if is_root() {
        run(
            Command::new("chown")
                .arg("postgres:postgres")
                .arg(&key)
                .arg(dir.join("server.crt")),
            "chown the server's certificate",
        )?;
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("{}: {e}", key.display()))
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
    make_certificates(&dir)?;
    let port = free_port()?;
    let mut options = format!(
        "-p {port} -k {d} -c listen_addresses=127.0.0.1 -c max_connections=300 \
         -c ssl=on -c ssl_cert_file={d}/server.crt -c ssl_key_file={d}/server.key",
        d = dir.display()
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
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    Ok(Server {
        tls_url: format!(
            "{url}?sslmode=verify-full&sslrootcert={}",
            dir.join("ca.crt").display()
        ),
        url: format!("{url}?sslmode=disable"),
        bin,
        dir,
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
