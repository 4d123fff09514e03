-- (PostgreSQL) Training of officials: curricula, sessions, the officials trained and
-- their trainers, attendance with scores and certificates. Officials'
-- names and contacts are sealed with a data key per person (dek), like
-- victims'; sex, ministry, function and province stay in clear because
-- the figures count by them. No victim's data is kept here.
CREATE TABLE training_curricula (
    id         UUID PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    data       BYTEA NOT NULL,
    version    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE training_sessions (
    id            UUID PRIMARY KEY,
    curriculum_id UUID NOT NULL REFERENCES training_curricula(id),
    agency_id     UUID NOT NULL REFERENCES agencies(id),
    province      TEXT NOT NULL,
    start_date    DATE NOT NULL,
    end_date      DATE NOT NULL,
    data          BYTEA NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX training_sessions_start_idx ON training_sessions (start_date, id);

CREATE TABLE training_people (
    id         UUID PRIMARY KEY,
    sex        TEXT NOT NULL,
    ministry   TEXT NOT NULL,
    province   TEXT NOT NULL,
    data       BYTEA NOT NULL,
    sealed     BYTEA NOT NULL,
    dek        BYTEA,
    key_id     TEXT,
    version    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE training_attendance (
    id                UUID PRIMARY KEY,
    session_id        UUID NOT NULL REFERENCES training_sessions(id),
    person_id         UUID NOT NULL REFERENCES training_people(id),
    role              TEXT NOT NULL,
    attended          BOOLEAN NOT NULL,
    pre_score         INTEGER,
    post_score        INTEGER,
    certified         BOOLEAN NOT NULL,
    certified_trainer BOOLEAN NOT NULL,
    version           INTEGER NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX training_attendance_person_idx ON training_attendance (person_id);
