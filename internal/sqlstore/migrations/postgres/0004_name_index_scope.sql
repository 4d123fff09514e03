-- (PostgreSQL) The blind name index carries the owning agency, so that a
-- search scoped to one agency reads that agency's rows through one index
-- instead of joining every row to cases, and gains keys for pairs of name
-- tokens (names made only of common tokens). Pair keys need the names,
-- which only the application can decrypt: every case with a name is queued
-- in name_index_pending, and the store rebuilds those cases' keys when it
-- is next opened with its key file.
ALTER TABLE name_index ADD COLUMN agency_id UUID REFERENCES agencies(id);
UPDATE name_index n SET agency_id = c.agency_id FROM cases c WHERE c.id = n.case_id;
ALTER TABLE name_index ALTER COLUMN agency_id SET NOT NULL;
CREATE INDEX name_index_agency_idx ON name_index (agency_id, key, case_id);
CREATE TABLE name_index_pending (
    case_id UUID PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE
);
INSERT INTO name_index_pending (case_id) SELECT DISTINCT case_id FROM name_index;
