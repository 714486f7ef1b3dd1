-- Call slots under a platform's sliding-window limits (Teams: per conversation 7 a second, 8 in 2 seconds,
-- 60 in 30 seconds, 1800 an hour; 50 a second per tenant), shared by every host, so the limits hold however
-- many hosts call. rate_keys has one row per key called recently: its row lock orders two hosts'
-- reservations on that key. rate_slots is the log of slots reserved on each key, pruned once older than
-- the key's longest window.
CREATE TABLE rate_keys (
    platform   text NOT NULL,
    key        text NOT NULL,
    longest    interval NOT NULL,
    last_slot  timestamptz NOT NULL,
    PRIMARY KEY (platform, key)
);

CREATE TABLE rate_slots (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform  text NOT NULL,
    key       text NOT NULL,
    slot      timestamptz NOT NULL
);

CREATE INDEX rate_slots_by_key ON rate_slots (platform, key, slot DESC);
