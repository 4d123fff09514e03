-- The cases registered with a span of years (CTDC's "2014-2018",
-- vig_RegistrationPeriod) have no registration year; reg_key holds the
-- span. A list with years (2014 to 2018, say) includes a span that lies
-- inside them. It finds them through this index, which holds the cases
-- without a year only (usually none, or a few thousand), instead of every
-- case of those years in cases_reg_idx. The condition is written exactly
-- so in the query (periodCond), which is how SQLite knows it may use it.
CREATE INDEX cases_period_idx ON cases (reg_key, id) WHERE reg_year IS NULL;
