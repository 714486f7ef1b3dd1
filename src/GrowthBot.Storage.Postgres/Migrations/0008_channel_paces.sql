-- Send slots per chat channel, shared by every host, so posts to one channel keep the platform's pace
-- (Slack: about one message a second per channel) however many hosts post to it. One row per channel
-- ever posted to; next_slot is the earliest time the next post may go.
CREATE TABLE channel_paces (
    platform   text NOT NULL,
    channel    text NOT NULL,
    next_slot  timestamptz NOT NULL,
    PRIMARY KEY (platform, channel)
);
