-- A case is now counted and filtered under the age band of its birth date
-- when the birth date is known (Case.AgeBandOf), as its age group always
-- was: a case registered through the API or the pages with a birth date
-- and no vig_AgeBand was counted under no band. The birth date is sealed,
-- so the cases that may have one (no band, yet an age group) are queued
-- here and recounted when the store is next opened with its keys
-- (RecountAgeBands), as 0022 did for countries of exploitation.
CREATE TABLE age_band_pending (
    case_id UUID PRIMARY KEY
);
INSERT INTO age_band_pending (case_id)
    SELECT id FROM cases WHERE age_band = '' AND age_group <> 'Unknown';
