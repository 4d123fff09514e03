-- Case workflow: closure requests and their decisions, the receiving
-- agency's answers to referrals, and the due dates of support plans.
-- Free text (reasons, notes) is sealed with the case's data key; the
-- plain columns say only who, when and which state.

-- A caseworker requests a closure, a supervisor of the owning agency
-- approves or rejects it. At most one request per case waits.
CREATE TABLE closure_requests (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    agency_id    TEXT NOT NULL REFERENCES agencies(id),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reason       BLOB NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by   TEXT,
    decided_at   TEXT,
    note         BLOB
);
CREATE UNIQUE INDEX closure_requests_pending_idx ON closure_requests (case_id) WHERE status = 'pending';
CREATE INDEX closure_requests_agency_idx ON closure_requests (agency_id, requested_at) WHERE status = 'pending';
CREATE INDEX closure_requests_case_idx ON closure_requests (case_id, requested_at);

-- The answer of the receiving agency to an outgoing referral: the
-- sender's feedback. A declined referral is also closed (vig_ReferralStatus),
-- which removes its case_access row.
CREATE TABLE referral_answers (
    referral_id TEXT PRIMARY KEY REFERENCES referrals(id) ON DELETE CASCADE,
    case_id     TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    answer      TEXT NOT NULL CHECK (answer IN ('accepted', 'declined')),
    reason      BLOB,
    answered_by TEXT NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX referral_answers_case_idx ON referral_answers (case_id);

-- The planned end date of each support plan not yet ended, kept in
-- clear (a date, no content) so that the home page finds the follow-ups
-- due without opening every plan. Rewritten with the case's plans.
CREATE TABLE follow_ups (
    plan_id TEXT PRIMARY KEY REFERENCES support_plans(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    due_on  TEXT NOT NULL
);
CREATE INDEX follow_ups_due_idx ON follow_ups (due_on, case_id);
CREATE INDEX follow_ups_case_idx ON follow_ups (case_id);
