-- (PostgreSQL) Files kept with a case: scans, photos, signed consent forms.
-- name and data are sealed with the case's data key; content_type and
-- size are the only things stored in clear. No hash of the content is
-- kept: it would let anyone holding a copy of a file confirm that it is
-- in the database.
CREATE TABLE attachments (
    id           UUID PRIMARY KEY,
    case_id      UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name         BYTEA NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size >= 0),
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX attachments_case_idx ON attachments (case_id, id);
-- Sealed bytes do not compress: store them out of line without trying.
ALTER TABLE attachments ALTER COLUMN data SET STORAGE EXTERNAL;
