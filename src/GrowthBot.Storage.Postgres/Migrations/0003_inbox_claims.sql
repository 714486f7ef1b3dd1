-- Several hosts share the inbox. Each unanswered message is claimed by the host answering it: the
-- host that accepted it, or a host that took it over after that one stopped renewing its claims.
-- claimed_by is that host's run id; claimed_at is when it last renewed. Rows of earlier versions
-- have no claim, so any host may take them at once.
ALTER TABLE inbox ADD COLUMN claimed_by text;
ALTER TABLE inbox ADD COLUMN claimed_at timestamptz;
-- Renewals (by host) and take-overs (oldest lapsed first) read only unanswered rows.
CREATE INDEX inbox_pending_claims ON inbox (claimed_by, claimed_at) WHERE NOT done;
