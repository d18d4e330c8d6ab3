-- Hand-offs read back ("Sent elsewhere"): the idea's link on the Ideas Exchange, the case an idea
-- was moved from, and when the account manager's side acknowledged a consultation.
ALTER TABLE routings ADD COLUMN idea_url TEXT;
ALTER TABLE routings ADD COLUMN case_id INTEGER REFERENCES cases(id);
ALTER TABLE consultations ADD COLUMN acknowledged_at TEXT;
CREATE INDEX routings_institution ON routings (institution_id, created_at);
CREATE INDEX consultations_institution ON consultations (institution_id, created_at);
