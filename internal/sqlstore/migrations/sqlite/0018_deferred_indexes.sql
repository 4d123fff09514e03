-- Indexes a bulk import dropped to build them again after loading
-- (DeferIndexes, internal/sqlstore/bulk_indexes.go). A row is written in
-- the transaction that drops its index and deleted in the transaction
-- that creates it again, so that an import killed at any moment leaves
-- the DDL here: every open of the database (the migrate step) rebuilds
-- what is recorded, unless the import that dropped it is still running.
CREATE TABLE deferred_indexes (
    name        TEXT PRIMARY KEY,
    table_name  TEXT NOT NULL,
    ddl         TEXT NOT NULL,
    deferred_at TEXT NOT NULL
);
