-- Notifications: what each person wants to hear about and in which language, who follows which
-- case (colleagues added, people who follow it, cases muted), the transactional outbox of e-mails
-- (written in the same transaction as the event; a worker sends them), addresses that failed
-- for good, and when each person last opened each case (for "news since your last visit").
ALTER TABLE users ADD COLUMN notify TEXT NOT NULL DEFAULT 'all';
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
CREATE TABLE followers (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    muted INTEGER NOT NULL DEFAULT 0,
    added_by INTEGER NOT NULL REFERENCES users(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX followers_user ON followers (user_id);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_case ON outbox (case_id);
CREATE TABLE bounced_addresses (
    address TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE case_views (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (user_id, case_id)
);
