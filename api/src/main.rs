//! `portal-api --listen ADDR --db PATH|postgres://… --secrets-key FILE [--secrets-retention-days N]
//! [--smtp URL | --mail-dir DIR] [--mail-from ADDRESS] [--public-url URL]
//! [--db-pool-size N] [--db-pool-wait SECS] [--session-days N] [--session-idle-hours N]
//! [--dist DIR] [--config FILE] [--demo]`: the reference API, serving the
//! built portal too when `--dist` is given.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use portal_api::db::{Db, PoolSettings};
use portal_api::{app, demo, AppState};

/// The campusM support portal's reference API.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on, e.g. 127.0.0.1:8080.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The database: a SQLite file (created when missing), or a PostgreSQL server as
    /// `postgres://user:password@host:port/database` for several API instances sharing one.
    #[arg(long)]
    db: String,
    /// The built portal (trunk's dist directory) to serve.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Deployment configuration (JSON: product name, request kinds, response levels, links,
    /// contacts, attachment limits); the reference deployment's when absent.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Single sign-on per institution (JSON: each institution's OpenID Connect issuer, client id
    /// and client secret file; see the README). Register PUBLIC_URL/api/v1/sso/callback at each
    /// provider.
    #[arg(long)]
    sso: Option<PathBuf>,
    /// Seed the demo institutions, users and cases into an empty database.
    #[arg(long)]
    demo: bool,
    /// The key that seals the secrets customers give support (64 hexadecimal digits in a file,
    /// readable by the server only). Required, except with --demo (then a key of the run's own).
    #[arg(long)]
    secrets_key: Option<PathBuf>,
    /// Days a closed case keeps its app credentials and Connect Layer access before they are
    /// erased.
    #[arg(long, default_value_t = portal_core::secrets::RETENTION_DAYS_DEFAULT)]
    secrets_retention_days: u32,
    /// The SMTP relay for e-mail: `smtp://user:password@host:port` (STARTTLS required),
    /// `smtps://…` (TLS), `…?tls=none` (plain, a relay on loopback). Without it, e-mails are
    /// written as .eml files to --mail-dir.
    #[arg(long)]
    smtp: Option<String>,
    /// The sender of e-mails, e.g. `campusM Support <support@portal.example.edu>`.
    #[arg(long, default_value = "campusM Support <support-portal@localhost>")]
    mail_from: String,
    /// Where e-mails are written as .eml files when there is no --smtp.
    #[arg(long, default_value = "mail")]
    mail_dir: PathBuf,
    /// The portal's address as people reach it, for links in e-mails (default: http://LISTEN).
    #[arg(long)]
    public_url: Option<String>,
    /// Days a session lasts at most after signing in.
    #[arg(long, default_value_t = portal_api::auth::SESSION_DAYS)]
    session_days: i64,
    /// Hours a session lasts without use.
    #[arg(long, default_value_t = portal_api::auth::SESSION_IDLE_HOURS)]
    session_idle_hours: i64,
    /// PostgreSQL: the most connections this instance opens.
    #[arg(long, default_value_t = PoolSettings::default().max_size)]
    db_pool_size: u32,
    /// PostgreSQL: seconds a request waits for a free connection before the API answers 503.
    #[arg(long, default_value_t = PoolSettings::default().wait.as_secs())]
    db_pool_wait: u64,
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().with_target(false).init();
    let args = Args::parse();
    if let Err(e) = run(args).await {
        eprintln!("portal-api: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), String> {
    let pool = PoolSettings {
        max_size: args.db_pool_size,
        wait: std::time::Duration::from_secs(args.db_pool_wait),
    };
    let db = Db::connect(&args.db, pool).map_err(|e| {
        // Never print a password from the address.
        let shown = args.db.rsplit('@').next().unwrap_or_default();
        let why = match e {
            portal_api::error::ApiError::Internal(why) => why,
            other => format!("{other:?}"),
        };
        format!("cannot open database {shown}: {why}")
    })?;
    let mut state = AppState::new(db, args.dist.clone()).map_err(|e| format!("{e:?}"))?;
    if let Some(path) = &args.config {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the configuration {}: {e}", path.display()))?;
        let config = portal_api::config::load(&text, &state.clocks)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        state = state.with_config(config);
    }
    if let Some(path) = &args.sso {
        state = state.with_sso(portal_api::sso::Providers::load(path)?);
    }
    let key = match (&args.secrets_key, args.demo) {
        (Some(path), _) => portal_api::secrets::SecretBox::from_file(path)?,
        (None, true) => {
            tracing::warn!("no --secrets-key: secrets given in this demo run are sealed with a key that goes when it stops");
            portal_api::secrets::SecretBox::random()?
        }
        (None, false) => {
            return Err("--secrets-key FILE is required: the key that seals the secrets customers give support (64 hexadecimal digits; `openssl rand -hex 32 > FILE` makes one)".into())
        }
    };
    state = state.with_secrets(key, args.secrets_retention_days);
    if args.session_days < 1 || args.session_idle_hours < 1 {
        return Err("--session-days and --session-idle-hours must be at least 1".into());
    }
    state = state.with_session_limits(portal_api::auth::SessionLimits {
        lifetime: chrono::Duration::days(args.session_days),
        idle: chrono::Duration::hours(args.session_idle_hours),
    });
    let mailer = portal_api::mailer::configure(
        args.smtp.as_deref(),
        args.mail_dir.clone(),
        &args.mail_from,
    )?;
    if let Some(dir) = mailer.folder() {
        tracing::info!("e-mails are written to {} (no --smtp)", dir.display());
    }
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.listen));
    state = state.with_mail(&public_url, mailer);
    let sealed = portal_api::maintenance::seal_legacy(&state)
        .await
        .map_err(|e| format!("sealing stored secrets: {e:?}"))?;
    if sealed > 0 {
        tracing::info!(sealed, "secrets stored in plain text before were sealed");
    }
    if args.demo
        && demo::seed(&state)
            .await
            .map_err(|e| format!("seeding demo data: {e:?}"))?
    {
        tracing::info!("seeded demo data");
    }
    portal_api::maintenance::start(state.clone());
    portal_api::mailer::start(state.clone());
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    tracing::info!("listening on http://{}", args.listen);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| e.to_string())
}
