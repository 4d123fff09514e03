-- The report's cube counts a case registered with a span of years (CTDC's
-- "2014-2018": reg_year NULL, the span in reg_key) under reg_year
-- from×10000+to (20142018) instead of 0, the unknown year, so that the
-- statistics of a period include the spans inside it, as the lists do
-- (sqlstore/stats_spans.go, cubeYearSQL). The cases without a year are
-- counted again.
DELETE FROM report_cube WHERE reg_year = 0;

INSERT INTO report_cube (reg_year, province, gender, age_group, age_band, trafficking_status, status, agency_id,
    exploitation_country, citizenship, exploitation, services, repatriated, n)
SELECT CASE WHEN reg_key LIKE '____-____'
        THEN CAST(substr(reg_key, 1, 4) AS INTEGER) * 10000 + CAST(substr(reg_key, 6, 4) AS INTEGER) ELSE 0 END,
    province, gender, age_group, age_band, trafficking_status, status, agency_id,
    exploitation_country, citizenship, exploitation, services, repatriated, count(*)
FROM cases
WHERE reg_year IS NULL
GROUP BY CASE WHEN reg_key LIKE '____-____'
        THEN CAST(substr(reg_key, 1, 4) AS INTEGER) * 10000 + CAST(substr(reg_key, 6, 4) AS INTEGER) ELSE 0 END,
    province, gender, age_group, age_band, trafficking_status, status, agency_id,
    exploitation_country, citizenship, exploitation, services, repatriated;
