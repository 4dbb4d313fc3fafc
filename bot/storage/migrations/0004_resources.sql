-- The resource directory. Entries are seeded from data/resources.toml (origin 'seed') or added
-- by a coordinator in the bot (origin 'bot'). seed_hash is the fingerprint of the seeded content:
-- a re-import updates an entry only if it was never edited in the bot (edited_in_bot_at NULL),
-- so the data file never silently overwrites a coordinator's change. Nothing here is about a
-- person: no member ids are kept.

CREATE TABLE resources (
    id               TEXT PRIMARY KEY,
    category         TEXT NOT NULL,
    title_id         TEXT NOT NULL,
    title_en         TEXT NOT NULL,
    description_id   TEXT NOT NULL,
    description_en   TEXT NOT NULL,
    -- Province code or 'national'.
    province         TEXT NOT NULL,
    -- JSON lists of strings.
    tags             TEXT NOT NULL,
    source           TEXT NOT NULL,
    -- ISO date the sources were last read (the day a coordinator added a bot entry).
    checked          TEXT NOT NULL,
    phone            TEXT NULL,
    whatsapp         TEXT NULL,
    url              TEXT NULL,
    address          TEXT NULL,
    origin           TEXT NOT NULL CHECK (origin IN ('seed', 'bot')),
    seed_hash        TEXT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    edited_in_bot_at TEXT NULL,
    retired_at       TEXT NULL
);
CREATE INDEX resources_active_by_category ON resources (category) WHERE retired_at IS NULL;
