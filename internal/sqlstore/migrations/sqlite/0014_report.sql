-- The annual report: the province where a victim was identified (a plain,
-- de-identified column, a statistical dimension like gender or age band)
-- and the locked versions of reports.
ALTER TABLE cases ADD COLUMN province TEXT NOT NULL DEFAULT '';
-- Derived and de-identified too: the types of the case's support plans
-- (";"-joined, as citizenship is) and whether the victim was repatriated
-- ('Yes', 'No' or '' unknown).
ALTER TABLE cases ADD COLUMN services TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN repatriated TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_province_idx ON cases (province, id);

-- The report's one scan: every column the victim tables group by, after
-- the registration year, so that a period's figures are read from this
-- index alone (a covering index; the table's sealed columns are never
-- touched). reg_key gives the month when the date is known.
CREATE INDEX cases_report_idx ON cases (reg_year, province, gender, age_group, age_band, trafficking_status,
    status, agency_id, exploitation_country, citizenship, exploitation, services, repatriated, reg_key);

-- A locked report: every figure of a period (and scope: '' for the whole
-- country, else an agency code) as JSON, version 1 when the period was
-- locked, later versions issued with a reason. Figures are counts, never
-- a record's data; they are exact (not a public release).
CREATE TABLE report_versions (
    id         TEXT PRIMARY KEY,
    period     TEXT NOT NULL,
    scope      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    figures    BLOB NOT NULL,
    reason     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (period, scope, version)
);
