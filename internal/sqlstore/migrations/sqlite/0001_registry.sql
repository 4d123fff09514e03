-- Case registry on the HTCDS model. Personal data (person, parts) is kept
-- in opaque BLOBs so that the sealing layer can encrypt them without a
-- schema change; the plain columns are the few quasi-identifiers that
-- lists and statistics filter on.

CREATE TABLE agencies (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    data       BLOB NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE case_sequences (
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (agency_id, year)
);

CREATE TABLE situations (
    id         TEXT PRIMARY KEY,
    agency_id  TEXT NOT NULL REFERENCES agencies(id),
    title      BLOB NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE cases (
    id                   TEXT PRIMARY KEY,
    agency_id            TEXT NOT NULL REFERENCES agencies(id),
    number               TEXT NOT NULL UNIQUE,
    situation_id         TEXT REFERENCES situations(id),
    status               TEXT NOT NULL,
    trafficking_status   TEXT NOT NULL,
    gender               TEXT NOT NULL,
    age_group            TEXT NOT NULL,
    age_band             TEXT NOT NULL,
    citizenship          TEXT NOT NULL,
    exploitation         TEXT NOT NULL,
    exploitation_country TEXT NOT NULL,
    reg_year             INTEGER,
    reg_date             TEXT,
    reg_key              TEXT NOT NULL,
    source_key           TEXT UNIQUE,
    person               BLOB NOT NULL,
    victim               BLOB NOT NULL,
    fields               BLOB NOT NULL,
    version              INTEGER NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

-- One index per list filter, each ending in id so that a filtered page
-- sorted by creation (id is a time-ordered UUID) is an index range walk.
CREATE INDEX cases_agency_idx ON cases (agency_id, id);
CREATE INDEX cases_status_idx ON cases (status, id);
CREATE INDEX cases_gender_idx ON cases (gender, id);
CREATE INDEX cases_age_group_idx ON cases (age_group, id);
CREATE INDEX cases_country_idx ON cases (exploitation_country, id);
CREATE INDEX cases_reg_idx ON cases (reg_key, id);
CREATE INDEX cases_updated_idx ON cases (updated_at, id);
CREATE INDEX cases_situation_idx ON cases (situation_id) WHERE situation_id IS NOT NULL;

CREATE TABLE case_citizenships (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    PRIMARY KEY (case_id, country)
) WITHOUT ROWID;
CREATE INDEX case_citizenships_country_idx ON case_citizenships (country, case_id);

CREATE TABLE case_exploitation (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    type    TEXT NOT NULL,
    PRIMARY KEY (case_id, type)
) WITHOUT ROWID;
CREATE INDEX case_exploitation_type_idx ON case_exploitation (type, case_id);

CREATE TABLE events (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    data BLOB NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX events_case_idx ON events (case_id, id);
CREATE TABLE support_plans (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    data BLOB NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX support_plans_case_idx ON support_plans (case_id, id);
CREATE TABLE consents (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    data BLOB NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX consents_case_idx ON consents (case_id, id);
CREATE TABLE comments (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    data BLOB NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX comments_case_idx ON comments (case_id, id);
CREATE TABLE referrals (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    data BLOB NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX referrals_case_idx ON referrals (case_id, id);
CREATE TABLE perpetrators (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    data BLOB NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX perpetrators_case_idx ON perpetrators (case_id, id);

-- Counts of cases per combination of the low-cardinality list filters,
-- kept in the same transactions as the cases, so that the total of a
-- filtered list is a sum over a few hundred rows instead of a count over
-- up to millions. dim/value add one or two more filters: a form of
-- exploitation, a citizenship, a country of exploitation, or a pair of
-- them ('' / '' for none; pairs are "exploitation+citizenship" with value
-- "ForcedLabour|CD", and so on). reg_year 0 means unknown.
CREATE TABLE case_counts (
    dim                TEXT NOT NULL,
    value              TEXT NOT NULL,
    agency_id          TEXT NOT NULL,
    status             TEXT NOT NULL,
    trafficking_status TEXT NOT NULL,
    gender             TEXT NOT NULL,
    age_group          TEXT NOT NULL,
    age_band           TEXT NOT NULL,
    reg_year           INTEGER NOT NULL,
    n                  INTEGER NOT NULL,
    PRIMARY KEY (dim, value, agency_id, status, trafficking_status, gender, age_group, age_band, reg_year)
);
