-- Members, their consent history, aggregate referral counts and PTB persistence.
-- Timestamps are ISO-8601 UTC text of fixed width (bot.storage.database.to_db_time).
--
-- Every later table holding rows about a member must reference members(id) with
-- ON DELETE CASCADE: /forget deletes the members row and relies on the cascade for the rest.

CREATE TABLE members (
    id                 INTEGER PRIMARY KEY,
    telegram_id        INTEGER NOT NULL UNIQUE,
    alias              TEXT    NOT NULL,
    -- Normalised, case-insensitive form of the alias (bot.domain.alias.alias_key): two people
    -- cannot pick aliases that only differ in case or spacing.
    alias_key          TEXT    NOT NULL UNIQUE,
    language           TEXT    NOT NULL CHECK (language IN ('id', 'en')),
    timezone           TEXT    NOT NULL,
    -- Province code; NULL means the person only joins online meetings.
    province           TEXT    NULL,
    -- Promoted coordinators only; ADMIN_IDS are coordinators at runtime without a flag here.
    is_coordinator     INTEGER NOT NULL DEFAULT 0 CHECK (is_coordinator IN (0, 1)),
    adult_confirmed_at TEXT    NOT NULL,
    created_at         TEXT    NOT NULL
);

CREATE TABLE member_topics (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    topic     TEXT    NOT NULL,
    PRIMARY KEY (member_id, topic)
);

-- Proof of consent (UU PDP Art. 20-24): one row per notice version agreed to; the member's
-- current consent is the latest row.
CREATE TABLE consents (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    notice_version INTEGER NOT NULL,
    given_at       TEXT    NOT NULL
);
CREATE INDEX consents_by_member ON consents (member_id, given_at);

-- How people found the bot, counted per source only: never linked to a person.
CREATE TABLE referral_counts (
    source TEXT    PRIMARY KEY,
    count  INTEGER NOT NULL
);

-- PTB persistence (bot.storage.persistence). Values are JSON text.
CREATE TABLE ptb_conversations (
    name     TEXT NOT NULL,
    -- JSON list of the ConversationHandler key, e.g. [chat_id, user_id].
    conv_key TEXT NOT NULL,
    state    TEXT NOT NULL,
    PRIMARY KEY (name, conv_key)
);

CREATE TABLE ptb_user_data (
    user_id INTEGER PRIMARY KEY,
    data    TEXT    NOT NULL
);

CREATE TABLE ptb_chat_data (
    chat_id INTEGER PRIMARY KEY,
    data    TEXT    NOT NULL
);

CREATE TABLE ptb_bot_data (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT    NOT NULL
);

CREATE TABLE ptb_callback_data (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT    NOT NULL
);
