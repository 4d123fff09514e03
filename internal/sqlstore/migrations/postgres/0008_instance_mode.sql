-- Whether this database holds real cases or demonstration data (vigie
-- serve --demo). Recorded once, when a command first opens the database,
-- and never changed: demo people must never mix with real ones, so a
-- demo database refuses the real server and a real one refuses --demo.
CREATE TABLE instance_mode (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    mode       TEXT NOT NULL CHECK (mode IN ('real', 'demo')),
    created_at TEXT NOT NULL
);
