-- A proceeding's free text (units, courts, dockets, arrest places,
-- hearing outcomes, confiscated assets, protection measures, notes) may
-- name people: proceedings.data and justice_steps.data are now sealed
-- with a data key per proceeding (dek, wrapped by the master key; key_id
-- names that key, for rotation), the steps with their proceeding's key.
-- Sealing needs the key file, which SQL has not: every proceeding written
-- in clear by an earlier version is queued in justice_seal_pending, and
-- the store seals those (header and steps, one transaction each batch)
-- when it is next opened with its key file (SealProceedings). Until then
-- a queued proceeding is refused on reading, never shown as clear text.
ALTER TABLE proceedings ADD COLUMN dek BLOB;
ALTER TABLE proceedings ADD COLUMN key_id TEXT;
CREATE TABLE justice_seal_pending (
    proceeding_id TEXT PRIMARY KEY REFERENCES proceedings(id) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO justice_seal_pending (proceeding_id) SELECT id FROM proceedings;
