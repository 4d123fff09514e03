-- The blind name index carries the owning agency, so that a search scoped
-- to one agency reads that agency's rows through one index instead of
-- joining every row to cases (1 s → tens of ms at a million persons), and
-- gains keys for pairs of name tokens (names made only of common tokens).
-- Pair keys need the names, which only the application can decrypt: every
-- case with a name is queued in name_index_pending, and the store rebuilds
-- those cases' keys when it is next opened with its key file.
CREATE TABLE name_index_v4 (
    key       BLOB NOT NULL,
    case_id   TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (key, case_id)
) WITHOUT ROWID;
INSERT INTO name_index_v4 (key, case_id, agency_id)
    SELECT n.key, n.case_id, c.agency_id FROM name_index n JOIN cases c ON c.id = n.case_id;
CREATE TABLE name_index_pending (
    case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO name_index_pending (case_id) SELECT DISTINCT case_id FROM name_index;
DROP TABLE name_index;
ALTER TABLE name_index_v4 RENAME TO name_index;
CREATE INDEX name_index_case_idx ON name_index (case_id);
-- With the primary key appended, this index covers a scoped lookup.
CREATE INDEX name_index_agency_idx ON name_index (agency_id, key);
