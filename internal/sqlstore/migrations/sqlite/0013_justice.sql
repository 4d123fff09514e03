-- The criminal-justice chain. A proceeding (dossier judiciaire) is owned
-- by an agency and numbered AGENCY-J-YEAR-SEQUENCE from a sequence per
-- agency and year. It holds no personal data: defendants are suspects of
-- the registry (sealed there), victims are cases (sealed there). Its
-- header (complaint, investigation, prosecution) is one versioned row;
-- each later step is a versioned row of justice_steps, so that two
-- officers recording two hearings do not collide.
CREATE TABLE justice_sequences (
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (agency_id, year)
);

-- The configurable list of offences charges cite (articles of national
-- law), loaded by the national committee; never deleted, retired.
CREATE TABLE law_articles (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    law        TEXT NOT NULL,
    article    TEXT NOT NULL,
    title_fr   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    active     INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- stage is derived from the steps (domain.Proceeding.Stage) and kept in
-- clear for lists; the dates the figures count by are in clear too.
CREATE TABLE proceedings (
    id                   TEXT PRIMARY KEY,
    agency_id            TEXT NOT NULL REFERENCES agencies(id),
    number               TEXT NOT NULL UNIQUE,
    situation_id         TEXT REFERENCES situations(id),
    stage                TEXT NOT NULL,
    complaint_date       TEXT NOT NULL,
    investigation_opened TEXT,
    data                 BLOB NOT NULL,
    version              INTEGER NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
-- Lists: an agency's proceedings newest first (id is a time-ordered UUID).
CREATE INDEX proceedings_agency_idx ON proceedings (agency_id, id);
CREATE INDEX proceedings_situation_idx ON proceedings (situation_id) WHERE situation_id IS NOT NULL;
-- Figures: complaints received and investigations opened in a period.
CREATE INDEX proceedings_complaint_idx ON proceedings (complaint_date);
CREATE INDEX proceedings_opened_idx ON proceedings (investigation_opened) WHERE investigation_opened IS NOT NULL;

-- One dated step: kind is a domain.StepKind. The columns in clear are
-- what joins and figures need: date (arrest, charge, hearing, sentence,
-- appeal lodged, testimony), the suspect of a defendant (copied onto its
-- charges and sentences), the defendant a charge, sentence or appeal is
-- about, a victim's case, a charge's article and verdict. The rest is in
-- data (JSON).
CREATE TABLE justice_steps (
    id            TEXT PRIMARY KEY,
    proceeding_id TEXT NOT NULL REFERENCES proceedings(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    date          TEXT,
    suspect_id    TEXT REFERENCES suspects(id),
    defendant_id  TEXT REFERENCES justice_steps(id),
    case_id       TEXT REFERENCES cases(id) ON DELETE CASCADE,
    article_id    TEXT REFERENCES law_articles(id),
    verdict       TEXT NOT NULL,
    verdict_date  TEXT,
    data          BLOB NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX justice_steps_proceeding_idx ON justice_steps (proceeding_id, kind, id);
-- A suspect is a defendant once per proceeding; a victim takes part once.
CREATE UNIQUE INDEX justice_steps_defendant_uq ON justice_steps (proceeding_id, suspect_id) WHERE kind = 'defendants';
CREATE UNIQUE INDEX justice_steps_victim_uq ON justice_steps (proceeding_id, case_id) WHERE kind = 'victims';
-- A case's summaries; a suspect's proceedings; a defendant's steps.
CREATE INDEX justice_steps_case_idx ON justice_steps (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX justice_steps_suspect_idx ON justice_steps (suspect_id, kind) WHERE suspect_id IS NOT NULL;
CREATE INDEX justice_steps_defendant_idx ON justice_steps (defendant_id) WHERE defendant_id IS NOT NULL;
-- Figures: charges and sentences by date, convictions by verdict date.
CREATE INDEX justice_steps_date_idx ON justice_steps (kind, date);
CREATE INDEX justice_steps_verdict_idx ON justice_steps (kind, verdict_date) WHERE verdict_date IS NOT NULL;
CREATE INDEX justice_steps_article_idx ON justice_steps (article_id) WHERE article_id IS NOT NULL;
