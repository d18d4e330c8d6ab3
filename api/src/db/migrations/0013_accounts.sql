-- Accounts an institution runs itself: each person's membership (admin, member, basic), whether
-- they can sign in, when they last did; invitations and password resets, each a single-use link
-- whose token only the e-mail holds (the database keeps its SHA-256).
ALTER TABLE users ADD COLUMN membership TEXT NOT NULL DEFAULT 'member';
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    email TEXT NOT NULL,
    membership TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER NOT NULL REFERENCES users(id),
    sent_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    revoked_at TEXT
);
CREATE INDEX invitations_institution ON invitations (institution_id);
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
-- The demo's and existing institutions' first people manage them.
UPDATE users SET membership = 'admin' WHERE role = 'customer' AND id IN (
    SELECT MIN(id) FROM users WHERE role = 'customer' GROUP BY institution_id);
