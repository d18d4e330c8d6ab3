-- Ratings of support's answer: one per case, changeable for 14 days from the first.
CREATE TABLE case_ratings (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    rated_at TEXT NOT NULL,
    first_rated_at TEXT NOT NULL
);
