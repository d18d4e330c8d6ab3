-- attachments. The bytes live in the database (no file names from customers ever reach the
-- file system); an upload belongs to its uploader until it is sent with a case or an update.
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES case_events(id) ON DELETE CASCADE
);
CREATE INDEX uploads_case ON uploads (case_id, id);
