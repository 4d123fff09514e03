-- The content digest (SHA-256, hex) of every file an import has read, with
-- the source name its rows' source keys start with. A copy of the same
-- file under another name is imported under the first name's source, so
-- its rows get the same keys and nothing is duplicated
-- (DB.ImportSource, internal/sqlstore/imported_files.go).
CREATE TABLE imported_files (
    digest      TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
