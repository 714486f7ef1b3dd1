-- Several hosts each keep a metric engine in memory. Every write that changes growth data records
-- here, under the generation it bumped and in the same transaction, the rows it changed and the
-- versions they replaced, so the other hosts apply exactly that to their engines (docs/scale-out.md).
-- A write can be large: its rows are kept in parts of a few thousand, one kind and role per part.
-- Entries older than a day are pruned by later writes.
CREATE TABLE growth_changes (
    generation  bigint NOT NULL,
    part        integer NOT NULL,
    kind        text NOT NULL,
    role        text NOT NULL CHECK (role IN ('changed', 'replaced')),
    rows        jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (generation, part)
);
CREATE INDEX growth_changes_recorded_at ON growth_changes (recorded_at);
