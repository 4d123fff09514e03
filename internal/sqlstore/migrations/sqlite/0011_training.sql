-- Training of officials: curricula, sessions, the officials trained and
-- their trainers, attendance with scores and certificates. Officials'
-- names and contacts are sealed with a data key per person (dek), like
-- victims'; sex, ministry, function and province stay in clear because
-- the figures count by them. No victim's data is kept here.
CREATE TABLE training_curricula (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    data       BLOB NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE training_sessions (
    id            TEXT PRIMARY KEY,
    curriculum_id TEXT NOT NULL REFERENCES training_curricula(id),
    agency_id     TEXT NOT NULL REFERENCES agencies(id),
    province      TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    data          BLOB NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX training_sessions_start_idx ON training_sessions (start_date, id);

CREATE TABLE training_people (
    id         TEXT PRIMARY KEY,
    sex        TEXT NOT NULL,
    ministry   TEXT NOT NULL,
    province   TEXT NOT NULL,
    data       BLOB NOT NULL,
    sealed     BLOB NOT NULL,
    dek        BLOB,
    key_id     TEXT,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE training_attendance (
    id                TEXT PRIMARY KEY,
    session_id        TEXT NOT NULL REFERENCES training_sessions(id),
    person_id         TEXT NOT NULL REFERENCES training_people(id),
    role              TEXT NOT NULL,
    attended          INTEGER NOT NULL,
    pre_score         INTEGER,
    post_score        INTEGER,
    certified         INTEGER NOT NULL,
    certified_trainer INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX training_attendance_person_idx ON training_attendance (person_id);
