-- The support workspace: assignment, internal notes, level changes, access requests, secrets
-- sealed under the server's key (app credentials and Connect Layer access, per case and per
-- institution), and scheduled announcements.
ALTER TABLE cases ADD COLUMN assignee_id INTEGER REFERENCES users(id);
CREATE INDEX cases_assignee ON cases (assignee_id);
CREATE INDEX cases_due ON cases (initial_response_due);
ALTER TABLE case_events ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_events ADD COLUMN level TEXT;
ALTER TABLE case_events ADD COLUMN from_level TEXT;
ALTER TABLE case_events ADD COLUMN secrets TEXT NOT NULL DEFAULT '';
-- Sealed values (XChaCha20-Poly1305, see api/src/secrets.rs): the database alone never yields
-- them. `owner` is 'case' or 'institution' (its support access profile). An erased secret keeps
-- its row, without the value, so the case can say it was given and erased.
CREATE TABLE secrets (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    sealed BLOB,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    erased_at TEXT,
    UNIQUE (owner, owner_id, kind)
);
ALTER TABLE announcements ADD COLUMN starts_at TEXT;
