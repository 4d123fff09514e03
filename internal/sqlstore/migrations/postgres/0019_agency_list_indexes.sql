-- A caseworker's list is their agency's cases: these indexes order them
-- by last update and by registration (with (agency_id, id) for creation),
-- so that an agency's page is a range of one index instead of a walk
-- past every other agency's cases (FindCases, listScope).
CREATE INDEX cases_agency_updated_idx ON cases (agency_id, updated_at, id);
CREATE INDEX cases_agency_reg_idx ON cases (agency_id, reg_key, id);
