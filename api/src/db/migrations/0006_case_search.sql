-- search by any three or more characters of a case's number, subject or description
-- without scanning every case (FTS5 trigram index, kept in step by triggers).
CREATE VIRTUAL TABLE cases_search USING fts5(
    number, subject, description, content='cases', content_rowid='id', tokenize='trigram'
);
INSERT INTO cases_search (rowid, number, subject, description)
    SELECT id, number, subject, description FROM cases;
CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_search (rowid, number, subject, description)
        VALUES (new.id, new.number, new.subject, new.description);
END;
CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_search (cases_search, rowid, number, subject, description)
        VALUES ('delete', old.id, old.number, old.subject, old.description);
END;
CREATE TRIGGER cases_search_update AFTER UPDATE OF number, subject, description ON cases BEGIN
    INSERT INTO cases_search (cases_search, rowid, number, subject, description)
        VALUES ('delete', old.id, old.number, old.subject, old.description);
    INSERT INTO cases_search (rowid, number, subject, description)
        VALUES (new.id, new.number, new.subject, new.description);
END;
