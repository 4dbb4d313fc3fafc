-- Telegram group chats (issue 14): a support group linked to its own Telegram group chat, the
-- outbox able to post in such a chat, and the audit log recording join decisions and links.
-- Nothing written in a group chat is ever stored: only the chat's id and title, who linked it,
-- and the id of the bot's own last welcome there (so it can be cleaned up).

-- At most one chat per support group and one support group per chat. linked_by is the
-- facilitator who linked it (SET NULL on their /forget: the link is the group's, not theirs).
CREATE TABLE group_chats (
    chat_id             INTEGER PRIMARY KEY,
    group_id            INTEGER NOT NULL UNIQUE REFERENCES groups (id) ON DELETE CASCADE,
    title               TEXT    NOT NULL,
    linked_by           INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    linked_at           TEXT    NOT NULL,
    -- Whether meeting posts in the chat carry the online join link (off unless chosen).
    share_join_link     INTEGER NOT NULL DEFAULT 0 CHECK (share_join_link IN (0, 1)),
    welcome_message_id  INTEGER NULL
);

-- The outbox, rebuilt so that a row goes either to a member (member_id) or into a linked group
-- chat (chat_id). A chat's rows go with its link (unlink deletes them, bot.storage.group_chats).
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NULL REFERENCES members (id) ON DELETE CASCADE,
    chat_id         INTEGER NULL,
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    not_before      TEXT    NOT NULL,
    expires_at      TEXT    NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NULL,
    meeting_id      INTEGER NULL REFERENCES meetings (id) ON DELETE CASCADE,
    dedupe_key      TEXT    NOT NULL UNIQUE,
    created_at      TEXT    NOT NULL,
    sent_at         TEXT    NULL,
    about_member_id INTEGER NULL REFERENCES members (id) ON DELETE CASCADE,
    CHECK ((member_id IS NULL) != (chat_id IS NULL))
);
INSERT INTO outbox_new (id, member_id, kind, payload, not_before, expires_at, status, attempts,
                        last_error, meeting_id, dedupe_key, created_at, sent_at, about_member_id)
    SELECT id, member_id, kind, payload, not_before, expires_at, status, attempts, last_error,
           meeting_id, dedupe_key, created_at, sent_at, about_member_id FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, not_before);
CREATE INDEX outbox_by_meeting ON outbox (meeting_id, status);
CREATE INDEX outbox_by_member ON outbox (member_id, status);
CREATE INDEX outbox_by_chat ON outbox (chat_id, status) WHERE chat_id IS NOT NULL;
CREATE INDEX outbox_by_subject ON outbox (about_member_id) WHERE about_member_id IS NOT NULL;
CREATE INDEX outbox_sent_checkin_prompts ON outbox (sent_at)
    WHERE kind = 'checkin_prompt' AND status = 'sent';

-- The audit log, rebuilt for its new actions: a group chat linked or unlinked (actor: the
-- facilitator), a join request approved or declined (actor NULL: the bot decided; subject: the
-- member, or NULL with 'decline_join_stranger' for someone with no Rangkul account).
CREATE TABLE audit_log_new (
    id         INTEGER PRIMARY KEY,
    actor_id   INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    action     TEXT    NOT NULL CHECK (action IN (
        'warn', 'end_pairing', 'suspend_1w', 'suspend_4w', 'dismiss', 'remove_from_group',
        'link_chat', 'unlink_chat', 'approve_join', 'decline_join', 'decline_join_stranger'
    )),
    subject_id INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    group_id   INTEGER NULL REFERENCES groups (id) ON DELETE SET NULL,
    at         TEXT    NOT NULL,
    detail     TEXT    NULL
);
INSERT INTO audit_log_new SELECT id, actor_id, action, subject_id, group_id, at, detail
    FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_by_time ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_log_by_subject ON audit_log (subject_id) WHERE subject_id IS NOT NULL;
