-- Prevention: the service directory (the referral network) and awareness
-- activities. Neither holds a victim's personal data, so nothing is
-- sealed: the record is JSON in data; the plain columns are what lists
-- filter and sum on. services and provinces are the provider's values
-- between commas (",Shelter,Medical,"), matched with LIKE '%,Shelter,%':
-- a directory has hundreds of rows, not millions.
CREATE TABLE providers (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    agency_id  TEXT REFERENCES agencies(id),
    services   TEXT NOT NULL,
    provinces  TEXT NOT NULL,
    data       BLOB NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX providers_name_idx ON providers (name_key);

CREATE TABLE awareness_activities (
    id              TEXT PRIMARY KEY,
    agency_id       TEXT NOT NULL REFERENCES agencies(id),
    type            TEXT NOT NULL,
    date            TEXT NOT NULL,
    province        TEXT NOT NULL,
    female_children INTEGER NOT NULL,
    female_adults   INTEGER NOT NULL,
    male_children   INTEGER NOT NULL,
    male_adults     INTEGER NOT NULL,
    data            BLOB NOT NULL,
    version         INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX awareness_date_idx ON awareness_activities (date, province);
CREATE INDEX awareness_agency_idx ON awareness_activities (agency_id, date);
