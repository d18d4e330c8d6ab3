//! The PostgreSQL address (`--db postgres://…`) and the TLS the connection uses.
//!
//! Managed PostgreSQL services insist on TLS, so the API speaks it (rustls; no system OpenSSL),
//! and whenever it does, it verifies the server's certificate and host name, as libpq's
//! `verify-full` does: against Mozilla's root certificates, plus the certificates in the PEM file
//! named by `sslrootcert` (a private CA, a cloud provider's bundle).
//!
//! `sslmode` in the address says when TLS is used:
//! - `disable`: never (plain TCP, for a database on loopback or a private network);
//! - `prefer` (the default): when the server offers it;
//! - `require`, `verify-ca`, `verify-full`: always; a server without TLS is refused.

use std::sync::Arc;

use postgres::config::SslMode;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio_postgres_rustls::MakeRustlsConnect;

/// A parsed `--db postgres://…` address: where to connect, and how to secure the connection.
#[derive(Clone)]
pub struct PgAddress {
    /// Host, port, user, database and the other connection settings.
    pub config: postgres::Config,
    /// The TLS connector (used when `sslmode` is not `disable`).
    pub tls: MakeRustlsConnect,
}

/// Decodes `%XX` escapes in a query-string value (a path may hold spaces and such).
fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad %-escape in {s:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{s:?} is not UTF-8 once decoded"))
}

/// Parses a `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…` address.
///
/// The error names what is wrong (an unknown `sslmode`, an unreadable certificate file), so the
/// server refuses to start with a message an operator can act on.
pub fn parse(url: &str) -> Result<PgAddress, String> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let mut mode = SslMode::Prefer;
    let mut root_file = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => {
                mode = match value {
                    "disable" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" | "verify-ca" | "verify-full" => SslMode::Require,
                    other => {
                        return Err(format!(
                            "sslmode={other}: use disable, prefer, require or verify-full"
                        ))
                    }
                }
            }
            "sslrootcert" => root_file = Some(percent_decode(value)?),
            _ => kept.push(pair),
        }
    }
    let plain = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut config: postgres::Config = plain
        .parse()
        .map_err(|e| format!("database address: {e}"))?;
    config.ssl_mode(mode);
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(file) = root_file {
        let certs =
            CertificateDer::pem_file_iter(&file).map_err(|e| format!("sslrootcert {file}: {e}"))?;
        let mut added = 0;
        for cert in certs {
            let cert = cert.map_err(|e| format!("sslrootcert {file}: {e}"))?;
            roots
                .add(cert)
                .map_err(|e| format!("sslrootcert {file}: {e}"))?;
            added += 1;
        }
        if added == 0 {
            return Err(format!("sslrootcert {file}: no PEM certificate in it"));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(PgAddress {
        config,
        tls: MakeRustlsConnect::new(tls),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_settings_are_read_and_the_rest_passes_through() {
        let a =
            parse("postgres://u:p@db.example:6543/portal?sslmode=verify-full&connect_timeout=5")
                .map_err(|e| e.to_string());
        let a = a.as_ref().expect("parses");
        assert_eq!(a.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(a.config.get_dbname(), Some("portal"));
        assert_eq!(a.config.get_ports(), &[6543]);
        assert_eq!(
            a.config.get_connect_timeout(),
            Some(&std::time::Duration::from_secs(5))
        );
        let plain = parse("postgres://u@localhost/portal?sslmode=disable").ok();
        assert_eq!(
            plain.map(|a| a.config.get_ssl_mode()),
            Some(SslMode::Disable)
        );
        let default = parse("postgres://u@localhost/portal").ok();
        assert_eq!(
            default.map(|a| a.config.get_ssl_mode()),
            Some(SslMode::Prefer)
        );
    }

    #[test]
    fn bad_ssl_settings_say_what_is_wrong() {
        let err = |url: &str| parse(url).err().unwrap_or_default();
        assert!(err("postgres://u@h/d?sslmode=allow").contains("use disable, prefer"));
        assert!(
            err("postgres://u@h/d?sslrootcert=/nonexistent/ca.pem").contains("/nonexistent/ca.pem")
        );
        assert!(err("postgres://u@h/d?sslrootcert=%zz").contains("%-escape"));
        let dir = std::env::temp_dir().join(format!("pg-address-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let empty = dir.join("empty ca.pem");
        let _ = std::fs::write(&empty, "not a certificate\n");
        let url = format!(
            "postgres://u@h/d?sslrootcert={}",
            empty.display().to_string().replace(' ', "%20")
        );
        assert!(err(&url).contains("no PEM certificate"), "{}", err(&url));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
