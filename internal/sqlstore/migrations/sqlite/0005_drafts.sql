-- Drafts of the registration wizard (screening, then victim, situation,
-- perpetrators, consent). What was typed is personal data: it is sealed
-- in data with the draft's own data key (dek, wrapped by the master key
-- like a case's), so that nothing typed is ever stored in clear. The id
-- is drawn when the form is first shown and doubles as the idempotency
-- key of the final submission: case_id is set in the same transaction
-- that creates the case, so a resubmitted form finds it instead of
-- creating a second case. Once registered, data is cleared (the case
-- holds the values now) and only the link to the case is kept.
CREATE TABLE drafts (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    step        TEXT NOT NULL,
    data        BLOB,
    dek         BLOB,
    key_id      TEXT,
    case_id     TEXT REFERENCES cases(id) ON DELETE SET NULL,
    case_number TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX drafts_owner_idx ON drafts (owner_id, updated_at);
