-- Time polls in a linked group chat (issue 14): besides (or instead of) one private poll per
-- member, one native Telegram poll in the group's chat. It is anonymous, so Telegram tells the
-- bot only the counts per option (poll updates): no voter is known and none is stored.
-- chat_id is not a reference to group_chats: the poll and its counts stay after the chat is
-- unlinked (then the bot no longer stops it there). message_id and telegram_poll_id are NULL
-- until the outbox has posted it (kind gchat_time_poll).
CREATE TABLE time_poll_chats (
    poll_id          INTEGER PRIMARY KEY REFERENCES time_polls (id) ON DELETE CASCADE,
    chat_id          INTEGER NOT NULL,
    message_id       INTEGER NULL,
    telegram_poll_id TEXT    NULL UNIQUE,
    -- JSON list of the latest voter count per option, as Telegram last reported them.
    counts           TEXT    NULL,
    voters           INTEGER NOT NULL DEFAULT 0
);
