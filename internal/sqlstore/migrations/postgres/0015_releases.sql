-- (PostgreSQL) Public releases (issue 6): de-identified records or
-- aggregate tables of a period of cases, with their review. The file is
-- made with the draft and kept byte for byte in release_files, with its
-- SHA-256 beside the release: what the reviewers judged is what is
-- published and downloaded. epsilon_milli is the differential-privacy
-- budget the release spent on the years period_from..period_to
-- (thousandths of ε); it is spent when the noise is drawn, so a rejected
-- release still counts.
CREATE TABLE releases (
    id            UUID PRIMARY KEY,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    period_from   INTEGER NOT NULL,
    period_to     INTEGER NOT NULL,
    status        TEXT NOT NULL,
    config        TEXT NOT NULL,
    manifest      TEXT NOT NULL,
    epsilon_milli BIGINT NOT NULL,
    file_name     TEXT NOT NULL,
    file_sha256   TEXT NOT NULL,
    file_size     BIGINT NOT NULL,
    created_by    UUID NOT NULL REFERENCES users(id),
    reviewed_by   UUID REFERENCES users(id),
    reviewed_at   TIMESTAMPTZ,
    approved_by   UUID REFERENCES users(id),
    approved_at   TIMESTAMPTZ,
    published_by  UUID REFERENCES users(id),
    published_at  TIMESTAMPTZ,
    rejected_by   UUID REFERENCES users(id),
    rejected_at   TIMESTAMPTZ,
    reject_reason TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
-- Lists: newest first, all or by status (id is a time-ordered UUID).
CREATE INDEX releases_list_idx ON releases (id);
CREATE INDEX releases_status_idx ON releases (status, id);
-- The budget: releases that spent ε, by period.
CREATE INDEX releases_budget_idx ON releases (period_from, period_to) WHERE epsilon_milli > 0;

CREATE TABLE release_files (
    release_id UUID PRIMARY KEY REFERENCES releases(id),
    data       BYTEA NOT NULL
);
-- A release's file never changes and is never removed.
CREATE FUNCTION release_files_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'release files are immutable'; END $$;
CREATE TRIGGER release_files_no_change BEFORE UPDATE OR DELETE ON release_files
FOR EACH ROW EXECUTE FUNCTION release_files_immutable();
CREATE TRIGGER release_files_no_truncate BEFORE TRUNCATE ON release_files
FOR EACH STATEMENT EXECUTE FUNCTION release_files_immutable();

-- The ε a year of cases may spend on all its differentially private
-- releases together (thousandths); without a row, domain.DefaultEpsilonBudget.
-- Kept in the database so that the server and the command line agree.
CREATE TABLE release_budget (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    max_milli BIGINT NOT NULL
);
