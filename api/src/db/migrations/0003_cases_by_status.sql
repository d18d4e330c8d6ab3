-- case lists filtered by status.
CREATE INDEX cases_institution_status ON cases (institution_id, status, updated_at);
