-- service announcements (the banner): for everyone, or for one institution.
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    case_number TEXT,
    institution_id INTEGER REFERENCES institutions(id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT,
    withdrawn_at TEXT
);
