-- Sessions with limits: when each was last used (the idle timeout) and in which browser (the list
-- of a person's sessions, "sign out everywhere else").
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_user ON sessions (user_id);
