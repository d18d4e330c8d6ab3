-- the walking skeleton.
CREATE TABLE institutions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    has_connect_layer INTEGER NOT NULL,
    account_manager_name TEXT NOT NULL,
    account_manager_email TEXT NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
    institution_id INTEGER REFERENCES institutions(id),
    password_hash TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    number TEXT UNIQUE,
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    opened_by INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    product_area TEXT NOT NULL,
    environment TEXT NOT NULL,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    scenario_steps TEXT NOT NULL,
    scenario_expected TEXT NOT NULL,
    scenario_actual TEXT NOT NULL,
    frequency TEXT NOT NULL,
    connect_layer_access TEXT NOT NULL,
    articles_viewed TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    initial_response_due TEXT NOT NULL,
    first_response_at TEXT
);
CREATE INDEX cases_institution ON cases (institution_id, updated_at);
-- Write-only secrets live apart, so no case query can select them by accident.
CREATE TABLE case_secrets (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    app_username TEXT NOT NULL,
    app_password TEXT NOT NULL
);
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT
);
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
