//! Single sign-on per institution: OpenID Connect, authorization code flow with PKCE
//! (`openidconnect`). Each institution that signs its people in with its own identity provider
//! has an entry in the single sign-on file (`portal-api --sso FILE`, JSON):
//!
//! ```json
//! { "providers": [ {
//!     "id": "northfield", "institution": "Northfield University",
//!     "label": "Northfield University account",
//!     "issuer": "https://login.northfield.example", "client_id": "campusm-support",
//!     "client_secret_file": "/etc/campusm-support/northfield.secret",
//!     "create_members": true } ] }
//! ```
//!
//! The redirect address to register at the provider is `PUBLIC_URL/api/v1/sso/callback`. People
//! the provider signs in are matched by their (verified) e-mail address: an account of that
//! institution, else a pending invitation there (accepted with its membership), else, when
//! `create_members` allows, a new member. The secret file holds the client secret only; the file
//! itself is never served.

use std::path::Path;
use std::sync::Arc;

use openidconnect::core::{CoreClient, CoreProviderMetadata};
use openidconnect::{
    ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, RedirectUrl,
};
use serde::Deserialize;

/// One institution's identity provider, as the file gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Short id, in addresses (`/api/v1/sso/{id}/start`).
    pub id: String,
    /// The institution's name, as in the portal.
    pub institution: String,
    /// What the sign-in button says ("Sign in with …").
    pub label: String,
    /// The provider's issuer (its discovery document is at `ISSUER/.well-known/openid-configuration`).
    pub issuer: String,
    /// The portal's client id there.
    pub client_id: String,
    /// A file holding the client secret.
    pub client_secret_file: std::path::PathBuf,
    /// Whether people of the institution without an account or invitation become members.
    #[serde(default)]
    pub create_members: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    providers: Vec<ProviderConfig>,
}

/// A client once discovered (metadata fetched, endpoints known).
pub type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// One configured provider, with its client once discovered.
pub struct Provider {
    /// The configuration.
    pub config: ProviderConfig,
    /// The client secret (read at start).
    secret: String,
    client: tokio::sync::OnceCell<Client>,
}

/// Every configured provider.
#[derive(Clone, Default)]
pub struct Providers(pub Arc<Vec<Provider>>);

impl Providers {
    /// Reads the single sign-on file and each client secret file; any problem is a message.
    pub fn load(path: &Path) -> Result<Providers, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read the single sign-on file {}: {e}",
                path.display()
            )
        })?;
        Self::parse(&text, path.parent().unwrap_or(Path::new(".")))
    }

    /// Parses the file's text; relative secret files are read from `dir`.
    pub fn parse(text: &str, dir: &Path) -> Result<Providers, String> {
        let file: File =
            serde_json::from_str(text).map_err(|e| format!("the single sign-on file: {e}"))?;
        let mut out = Vec::new();
        for p in file.providers {
            if p.id.is_empty() || !p.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(format!(
                    "single sign-on provider “{}”: an id is letters, digits and hyphens",
                    p.id
                ));
            }
            if out.iter().any(|o: &Provider| o.config.id == p.id) {
                return Err(format!(
                    "single sign-on provider “{}” is listed twice",
                    p.id
                ));
            }
            IssuerUrl::new(p.issuer.clone())
                .map_err(|e| format!("single sign-on provider “{}”: issuer: {e}", p.id))?;
            let file = dir.join(&p.client_secret_file);
            let secret = std::fs::read_to_string(&file)
                .map_err(|e| {
                    format!(
                        "single sign-on provider “{}”: cannot read its client secret {}: {e}",
                        p.id,
                        file.display()
                    )
                })?
                .trim()
                .to_string();
            if secret.is_empty() {
                return Err(format!(
                    "single sign-on provider “{}”: its client secret file is empty",
                    p.id
                ));
            }
            out.push(Provider {
                config: p,
                secret,
                client: tokio::sync::OnceCell::new(),
            });
        }
        Ok(Providers(Arc::new(out)))
    }

    /// The provider with this id.
    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.0.iter().find(|p| p.config.id == id)
    }
}

/// The HTTP client for discovery and the token exchange: no redirects (the specification's
/// advice against SSRF through them), a bounded wait.
pub fn http() -> Result<openidconnect::reqwest::Client, String> {
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| format!("http client: {e}"))
}

impl Provider {
    /// The client, discovering the provider the first time.
    pub async fn client(&self, redirect: &str) -> Result<&Client, String> {
        self.client
            .get_or_try_init(|| async {
                let http = http()?;
                let issuer =
                    IssuerUrl::new(self.config.issuer.clone()).map_err(|e| e.to_string())?;
                let metadata = CoreProviderMetadata::discover_async(issuer, &http)
                    .await
                    .map_err(|e| format!("discovery at {}: {e}", self.config.issuer))?;
                let redirect = RedirectUrl::new(redirect.to_string()).map_err(|e| e.to_string())?;
                Ok(CoreClient::from_provider_metadata(
                    metadata,
                    ClientId::new(self.config.client_id.clone()),
                    Some(ClientSecret::new(self.secret.clone())),
                )
                .set_redirect_uri(redirect))
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_checked_with_clear_messages() {
        let dir = tempfile_dir();
        std::fs::write(dir.join("north.secret"), "s3cret\n").expect("write");
        let ok = r#"{"providers": [{"id": "northfield", "institution": "Northfield University",
            "label": "Northfield account", "issuer": "https://login.northfield.example",
            "client_id": "portal", "client_secret_file": "north.secret", "create_members": true}]}"#;
        let p = Providers::parse(ok, &dir).expect("valid");
        assert_eq!(
            p.get("northfield").map(|p| p.secret.as_str()),
            Some("s3cret")
        );
        let missing = ok.replace("north.secret", "nowhere.secret");
        assert!(Providers::parse(&missing, &dir)
            .err()
            .is_some_and(|e| e.contains("cannot read its client secret")));
        let bad_id = ok.replace("\"northfield\"", "\"north field\"");
        assert!(Providers::parse(&bad_id, &dir)
            .err()
            .is_some_and(|e| e.contains("letters, digits")));
        let typo = ok.replace("create_members", "create_member");
        assert!(Providers::parse(&typo, &dir).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("portal-sso-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    }
}
