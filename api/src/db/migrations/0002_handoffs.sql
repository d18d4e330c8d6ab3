-- knowledge deflections and hand-offs to the Ideas Exchange and the account manager.
CREATE TABLE deflections (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    institution_id INTEGER REFERENCES institutions(id),
    article_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE routings (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    what TEXT NOT NULL,
    desired_start TEXT NOT NULL,
    before_lead_time INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
