-- Durable sending (ARCHITECTURE.md, "the outbox"): every message the bot sends on its own
-- initiative is first a row here, enqueued in the same transaction as the change that causes
-- it. One dispatcher claims due rows and sends them; dedupe_key makes "nothing twice" a
-- constraint, and pending rows survive restarts and crashes.

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    -- JSON object the renderer of `kind` turns into text in the recipient's language at send
    -- time (so a language change or a moved meeting is honoured).
    payload     TEXT    NOT NULL,
    not_before  TEXT    NOT NULL,
    -- End of the grace window: a row still unsent then is skipped, never sent late.
    expires_at  TEXT    NULL,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NULL,
    -- Set for rows about one meeting, so cancelling or moving it finds its pending rows.
    meeting_id  INTEGER NULL REFERENCES meetings (id) ON DELETE CASCADE,
    dedupe_key  TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL,
    sent_at     TEXT    NULL
);
CREATE INDEX outbox_due ON outbox (status, not_before);
CREATE INDEX outbox_by_meeting ON outbox (meeting_id, status);
CREATE INDEX outbox_by_member ON outbox (member_id, status);

-- When Telegram answered 403 (the person blocked the bot): nothing more is sent to them.
ALTER TABLE members ADD COLUMN blocked_at TEXT NULL;
