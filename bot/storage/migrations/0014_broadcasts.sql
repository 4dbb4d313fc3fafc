-- Facilitator announcements (/broadcast). A broadcast row holds who sent it to whom and how it
-- went, never what it said: each recipient's copy is an outbox row (kind 'broadcast', dedupe
-- key broadcast:{id}:{member}) whose payload names only the source chat and message, and the
-- outbox clears payloads once a row settles.
CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    author_id           INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    audience            TEXT    NOT NULL
                        CHECK (audience IN ('group', 'members', 'facilitators', 'province')),
    group_id            INTEGER NULL REFERENCES groups (id) ON DELETE SET NULL,
    province            TEXT    NULL,
    -- The author's message in their private chat (copied to everyone): one broadcast per
    -- message, so a second tap on "Send" starts nothing.
    source_message_id   INTEGER NOT NULL,
    recipients          INTEGER NOT NULL,
    -- The author's progress message, and the count it shows (edited only when it changes).
    progress_message_id INTEGER NULL,
    progress_shown      INTEGER NULL,
    progress_at         TEXT    NULL,
    -- The final report, once no copy is waiting.
    delivered           INTEGER NULL,
    blocked             INTEGER NULL,
    failed              INTEGER NULL,
    created_at          TEXT    NOT NULL,
    finished_at         TEXT    NULL,
    UNIQUE (author_id, source_message_id)
);
CREATE INDEX broadcasts_running ON broadcasts (id) WHERE finished_at IS NULL;
CREATE INDEX broadcasts_by_author ON broadcasts (author_id, created_at);

-- Members who do not want announcements of one group (meeting reminders still come).
CREATE TABLE announcement_mutes (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    muted_at  TEXT    NOT NULL,
    PRIMARY KEY (member_id, group_id)
);
