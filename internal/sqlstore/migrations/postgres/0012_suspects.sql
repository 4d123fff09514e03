-- (PostgreSQL) Perpetrator registry: suspected and convicted traffickers as persons,
-- kept once however many cases name them. Names, aliases, birth date,
-- documents, contact, description and notes are sealed in `sealed` with a
-- data key per suspect (dek, wrapped by the master key; re-wrapped by key
-- rotation); gender, age group and band and citizenship stay in clear
-- because the figures count by them. Numbers are AGENCY-S-YEAR-SEQUENCE
-- (KIN-S-2026-000007), from a sequence per agency and year.
CREATE TABLE suspect_sequences (
    agency_id UUID NOT NULL REFERENCES agencies(id),
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (agency_id, year)
);

CREATE TABLE suspects (
    id          UUID PRIMARY KEY,
    agency_id   UUID NOT NULL REFERENCES agencies(id),
    number      TEXT NOT NULL UNIQUE,
    gender      TEXT NOT NULL,
    age_group   TEXT NOT NULL,
    age_band    TEXT NOT NULL,
    citizenship TEXT NOT NULL,
    sealed      BYTEA NOT NULL,
    dek         BYTEA,
    key_id      TEXT,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
-- Lists: an agency's suspects newest first (id is a time-ordered UUID).
CREATE INDEX suspects_agency_idx ON suspects (agency_id, id);

-- A suspect's link to one victim's case or to one trafficking situation:
-- roles in the process (per_RoleInProcess values, comma-separated, in
-- clear for the figures), relation to the victim (vig_PerpetratorRelation)
-- and the sealed organisation or network (data, the suspect's key).
CREATE TABLE suspect_links (
    id           UUID PRIMARY KEY,
    suspect_id   UUID NOT NULL REFERENCES suspects(id),
    case_id      UUID REFERENCES cases(id) ON DELETE CASCADE,
    situation_id UUID REFERENCES situations(id) ON DELETE CASCADE,
    roles        TEXT NOT NULL,
    relation     TEXT NOT NULL,
    data         BYTEA NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK ((case_id IS NULL) <> (situation_id IS NULL))
);
CREATE INDEX suspect_links_suspect_idx ON suspect_links (suspect_id, id);
CREATE UNIQUE INDEX suspect_links_case_idx ON suspect_links (case_id, suspect_id) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX suspect_links_situation_idx ON suspect_links (situation_id, suspect_id) WHERE situation_id IS NOT NULL;

-- The suspects' blind index (names and aliases), apart from the victims'
-- so that a victim search never returns a suspect and the reverse; its
-- keys are hashed under their own tag. agency_id is the registering
-- agency, for scoped duplicate checks.
CREATE TABLE suspect_name_index (
    key        BYTEA NOT NULL,
    suspect_id UUID NOT NULL REFERENCES suspects(id) ON DELETE CASCADE,
    agency_id  UUID NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (key, suspect_id)
);
CREATE INDEX suspect_name_index_suspect_idx ON suspect_name_index (suspect_id);
CREATE INDEX suspect_name_index_agency_idx ON suspect_name_index (agency_id, key);
