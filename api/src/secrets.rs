//! Secrets customers give support — working app credentials and remote access to the local
//! Connect Layer — sealed with an AEAD (XChaCha20-Poly1305) under a key the server is given
//! (`--secrets-key FILE`), so the database alone never yields them.
//!
//! A sealed value is `1 || nonce (24 bytes) || ciphertext+tag`, with additional data naming what
//! it is and whose (`case:42:app_credentials`): a value copied to another row does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::path::Path;

/// The format version written in front of every sealed value.
const VERSION: u8 = 1;
const NONCE: usize = 24;

/// The key, ready to seal and open.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.write_str("SecretBox(…)")
    }
}

/// Why a sealed value did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError;

impl SecretBox {
    /// A box for 32 key bytes.
    pub fn new(key: &[u8; 32]) -> SecretBox {
        SecretBox {
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// A box with a fresh random key (tests, and a demo without a key file).
    pub fn random() -> Result<SecretBox, String> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| format!("random key: {e}"))?;
        Ok(SecretBox::new(&key))
    }

    /// Reads the key file: 64 hexadecimal digits (what [`write_new_key`] writes), spaces and line
    /// ends around them ignored. The error says what is wrong, so the server refuses to start with
    /// a reason.
    pub fn from_file(path: &Path) -> Result<SecretBox, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("secrets key {}: {e}", path.display()))?;
        let hex = text.trim();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "secrets key {}: expected 64 hexadecimal digits (32 bytes), found {} characters",
                path.display(),
                hex.len()
            ));
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                .map_err(|e| format!("secrets key {}: {e}", path.display()))?;
        }
        Ok(SecretBox::new(&key))
    }

    /// Seals `plain` as `what` (the additional data).
    pub fn seal(&self, plain: &[u8], what: &str) -> Result<Vec<u8>, String> {
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(|e| format!("random nonce: {e}"))?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: what.as_bytes(),
                },
            )
            .map_err(|_| "sealing failed".to_string())?;
        let mut out = Vec::with_capacity(1 + NONCE + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a value sealed as `what`; fails for another key, another `what`, or changed bytes.
    pub fn open(&self, sealed: &[u8], what: &str) -> Result<Vec<u8>, OpenError> {
        match sealed.split_first() {
            Some((&VERSION, rest)) if rest.len() > NONCE => {
                let (nonce, body) = rest.split_at(NONCE);
                self.cipher
                    .decrypt(
                        XNonce::from_slice(nonce),
                        Payload {
                            msg: body,
                            aad: what.as_bytes(),
                        },
                    )
                    .map_err(|_| OpenError)
            }
            _ => Err(OpenError),
        }
    }
}

/// Writes a new random key to `path` (readable by its owner only), unless a file is there;
/// `cargo xtask serve` and the demo use this.
pub fn write_new_key(path: &Path) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| format!("random key: {e}"))?;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, format!("{hex}\n")).map_err(|e| format!("{}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_key_and_as_what_they_are() {
        let b = SecretBox::random().expect("key");
        let sealed = b.seal(b"hunter2", "case:1:app_credentials").expect("seal");
        assert!(!sealed.windows(7).any(|w| w == b"hunter2"));
        assert_eq!(
            b.open(&sealed, "case:1:app_credentials").as_deref(),
            Ok(&b"hunter2"[..])
        );
        // Another row, another key, a changed byte: nothing.
        assert_eq!(b.open(&sealed, "case:2:app_credentials"), Err(OpenError));
        let other = SecretBox::random().expect("key");
        assert_eq!(
            other.open(&sealed, "case:1:app_credentials"),
            Err(OpenError)
        );
        let mut bent = sealed.clone();
        let last = bent.len() - 1;
        bent[last] ^= 1;
        assert_eq!(b.open(&bent, "case:1:app_credentials"), Err(OpenError));
        // Two seals of the same value differ (a fresh nonce each time).
        assert_ne!(b.seal(b"x", "a").ok(), b.seal(b"x", "a").ok());
    }

    #[test]
    fn key_files_are_64_hex_digits() {
        let dir = std::env::temp_dir().join(format!("secrets-key-{}", std::process::id()));
        let path = dir.join("key");
        write_new_key(&path).expect("write");
        let b = SecretBox::from_file(&path).expect("read");
        let sealed = b.seal(b"v", "w").expect("seal");
        // Written once: a second call keeps the key.
        write_new_key(&path).expect("kept");
        assert!(SecretBox::from_file(&path)
            .expect("read")
            .open(&sealed, "w")
            .is_ok());
        std::fs::write(&path, "not a key").expect("write");
        let err = SecretBox::from_file(&path).err().unwrap_or_default();
        assert!(err.contains("64 hexadecimal digits"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
