-- search by any three or more characters of a case's number, subject or description: one
-- trigram index (pg_trgm) over the three as one text (PostgreSQL's twin of SQLite's FTS5 table).
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX cases_search ON cases USING gin ((number || chr(31) || subject || chr(31) || description) public.gin_trgm_ops);
