-- The report's cube: the number of cases per combination of every column
-- the statistics group by, kept in the same transactions as the cases
-- (like case_counts), so that a period's report reads a few thousand rows
-- instead of walking an index entry per case. reg_year 0 is unknown; rows
-- whose n fell to 0 stay and are skipped when read.
CREATE TABLE report_cube (
    reg_year             INTEGER NOT NULL,
    province             TEXT NOT NULL,
    gender               TEXT NOT NULL,
    age_group            TEXT NOT NULL,
    age_band             TEXT NOT NULL,
    trafficking_status   TEXT NOT NULL,
    status               TEXT NOT NULL,
    agency_id            TEXT NOT NULL,
    exploitation_country TEXT NOT NULL,
    citizenship          TEXT NOT NULL,
    exploitation         TEXT NOT NULL,
    services             TEXT NOT NULL,
    repatriated          TEXT NOT NULL,
    n                    INTEGER NOT NULL,
    PRIMARY KEY (reg_year, province, gender, age_group, age_band, trafficking_status, status, agency_id,
        exploitation_country, citizenship, exploitation, services, repatriated)
) WITHOUT ROWID;

INSERT INTO report_cube (reg_year, province, gender, age_group, age_band, trafficking_status, status, agency_id,
    exploitation_country, citizenship, exploitation, services, repatriated, n)
SELECT COALESCE(reg_year, 0), province, gender, age_group, age_band, trafficking_status, status, agency_id,
    exploitation_country, citizenship, exploitation, services, repatriated, count(*)
FROM cases
GROUP BY COALESCE(reg_year, 0), province, gender, age_group, age_band, trafficking_status, status, agency_id,
    exploitation_country, citizenship, exploitation, services, repatriated;
