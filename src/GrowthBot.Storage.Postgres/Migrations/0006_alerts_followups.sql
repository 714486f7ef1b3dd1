-- Metric alerts: the rule and its state kept whole as jsonb, keyed by the alert id. Ids are compared
-- exactly (COLLATE "C": byte order, case-sensitive), and alerts are listed oldest first.
CREATE TABLE alerts (
    id text COLLATE "C" PRIMARY KEY,
    created_at timestamptz NOT NULL,
    alert jsonb NOT NULL
);

-- Follow-up cases, one per customer per day: the id (customer and day) is the primary key, so two
-- hosts opening the same case at once meet on it. The case is kept whole as jsonb; the columns beside
-- it are what is queried (open, unposted, a period's cases). later_ids are the answers counted on the
-- case after the one that opened it, so a replayed answer is not counted twice.
CREATE TABLE followup_cases (
    id text COLLATE "C" PRIMARY KEY,
    opened_at timestamptz NOT NULL,
    resolved_at timestamptz,
    post_state text NOT NULL,
    later_ids text[] NOT NULL DEFAULT '{}',
    followup jsonb NOT NULL
);
CREATE INDEX followup_cases_opened ON followup_cases (opened_at);
CREATE INDEX followup_cases_resolved ON followup_cases (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX followup_cases_unposted ON followup_cases (opened_at) WHERE post_state IN ('Pending', 'Sending');
CREATE INDEX followup_cases_open ON followup_cases (opened_at) WHERE resolved_at IS NULL;
