-- Each person's last understood question per conversation, so a follow-up ("and last month?") that
-- reaches another host than the question continues it. One row per (platform, conversation, user);
-- expired rows are never read and are deleted by later writes.
CREATE TABLE question_contexts (
    platform        text NOT NULL,
    conversation_id text NOT NULL,
    user_id         text NOT NULL,
    question        jsonb NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (platform, conversation_id, user_id)
);
CREATE INDEX question_contexts_expires_at ON question_contexts (expires_at);
