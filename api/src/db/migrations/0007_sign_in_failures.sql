-- failed sign-in attempts (per account and per address), shared by every API instance.
CREATE TABLE sign_in_failures (
    who TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_who ON sign_in_failures (who, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
