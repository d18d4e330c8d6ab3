-- Single sign-on: a login under way at an institution's identity provider (10 minutes), bound to
-- the browser that started it (the SHA-256 of a cookie), with its PKCE verifier and nonce.
CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
