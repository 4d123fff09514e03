-- The cases whose number does not carry their registration year: the year
-- was corrected after the case was numbered, or was unknown then (the
-- number took the year of creation). A list with a year range sorted by
-- number reads, per agency, the range of numbers of those years (AGENCY-
-- YEAR-…) and merges in the matches of this index, which the ranges miss
-- (FindCases, movedArm in case_list_ranges.go). The condition is written
-- exactly so in the query, which is how SQLite knows it may use the index.
-- Usually (almost) empty: it costs an import next to nothing. UNIQUE (the
-- number is) so that a bulk import never drops it (bulk_indexes.go): a
-- list would then walk the whole number index for it.
CREATE UNIQUE INDEX cases_number_moved_idx ON cases (number)
    WHERE CAST(reg_year AS TEXT) <> substr(number, instr(number, '-') + 1, 4);
