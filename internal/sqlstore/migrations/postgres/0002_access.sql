-- (PostgreSQL) Accounts, sessions, API tokens, break-the-glass grants, referral access,
-- the blind name index and the hash-chained audit log; per-record data
-- keys for the sealed columns.

-- The data key of each case, wrapped by a master key (key_id names it so
-- that a rotation can find the keys it has not re-wrapped yet).
ALTER TABLE cases ADD COLUMN dek BYTEA;
ALTER TABLE cases ADD COLUMN key_id TEXT;
ALTER TABLE situations ADD COLUMN dek BYTEA;
ALTER TABLE situations ADD COLUMN key_id TEXT;

CREATE TABLE users (
    id             UUID PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    agency_id      UUID NOT NULL REFERENCES agencies(id),
    data           BYTEA NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0,
    password_hash  TEXT NOT NULL,
    totp_secret    BYTEA,
    totp_pending   BYTEA,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    recovery       TEXT NOT NULL DEFAULT '[]',
    version        INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_agency_idx ON users (agency_id, email);

CREATE TABLE sessions (
    token_hash    BYTEA PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    second_factor INTEGER NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen     TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    addr          TEXT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id         UUID PRIMARY KEY,
    token_hash BYTEA NOT NULL UNIQUE,
    user_id    UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    read_only  INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    last_used  TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE break_glass (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    case_id    UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX break_glass_case_idx ON break_glass (case_id, user_id, expires_at);

-- One row per active referral of a case to a Vigie agency: the receiving
-- agency's users reach the case while the row exists.
CREATE TABLE case_access (
    referral_id UUID PRIMARY KEY REFERENCES referrals(id) ON DELETE CASCADE,
    case_id     UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    agency_id   UUID NOT NULL REFERENCES agencies(id)
);
CREATE INDEX case_access_agency_idx ON case_access (agency_id, case_id);
CREATE INDEX case_access_case_idx ON case_access (case_id);

-- Blind index of victims' names: keyed hashes of normalised and phonetic
-- name tokens, never the names.
CREATE TABLE name_index (
    key     BYTEA NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    PRIMARY KEY (key, case_id)
);
CREATE INDEX name_index_case_idx ON name_index (case_id);

-- Append-only audit log. mac chains each entry to the previous one with a
-- key from the key file; "at" and "detail" are kept as the exact text
-- that was hashed.
CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor        TEXT NOT NULL,
    actor_agency TEXT NOT NULL,
    action       TEXT NOT NULL,
    resource     TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    case_id      TEXT NOT NULL,
    case_number  TEXT NOT NULL,
    agency_id    TEXT NOT NULL,
    addr         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL,
    mac          BYTEA NOT NULL
);
CREATE INDEX audit_case_idx ON audit_log (case_id, seq) WHERE case_id <> '';
CREATE INDEX audit_agency_idx ON audit_log (agency_id, seq) WHERE agency_id <> '';
CREATE INDEX audit_actor_idx ON audit_log (actor_id, seq) WHERE actor_id <> '';

-- The application never changes or removes an entry; this trigger makes
-- a bug that tries fail loudly. (A superuser can drop it: the hash chain
-- is what detects that.)
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
