-- Wellbeing: quick moods, the weekly questionnaire (WHO-5 with three quality-of-life items, and
-- the PHQ-9 when offered), each member's check-in schedule, and ratings after meetings.
-- Everything here is about one person and goes with /forget (ON DELETE CASCADE).

-- One row per quick mood: a 1-5 tap, optional tags, an optional note only its author sees.
CREATE TABLE moods (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    tags        TEXT    NOT NULL DEFAULT '',  -- comma-separated tag keys, in a fixed order
    note        TEXT    NULL,                 -- private: shown to its author only (/mydata)
    recorded_at TEXT    NOT NULL
);
CREATE INDEX moods_by_member ON moods (member_id, recorded_at);

-- One row per sitting of a questionnaire. Answers are saved as they are given, so a sitting
-- left halfway (or cut by a restart) resumes; completed_at marks it done and score is final.
CREATE TABLE questionnaires (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    instrument   TEXT    NOT NULL CHECK (instrument IN ('who5', 'phq9')),
    -- why it was asked: baseline (the first), weekly prompt, the 4th/12th week after joining a
    -- group, or started by the person (/checkin)
    purpose      TEXT    NOT NULL CHECK (purpose IN ('baseline', 'weekly', 'week4', 'week12', 'self')),
    answers      TEXT    NOT NULL DEFAULT '{}',  -- JSON {item key: value, or null if skipped}
    score        INTEGER NULL,  -- WHO-5 0-100 or PHQ-9 0-27; NULL until done or if too few answers
    started_at   TEXT    NOT NULL,
    completed_at TEXT    NULL
);
CREATE INDEX questionnaires_by_member ON questionnaires (member_id, instrument, completed_at);

-- A member's weekly check-in prompt. No row: the default (Sunday 19:00 in their timezone).
CREATE TABLE checkin_schedules (
    member_id     INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    weekday       INTEGER NOT NULL DEFAULT 6 CHECK (weekday BETWEEN 0 AND 6),  -- Monday = 0
    minute_of_day INTEGER NOT NULL DEFAULT 1140 CHECK (minute_of_day BETWEEN 0 AND 1439),
    paused_until  TEXT    NULL,  -- no prompt before this moment (UTC)
    stopped_at    TEXT    NULL   -- no prompts at all until the member turns them on again
);

-- How helpful a meeting was. The member id is kept only to ask once and for /mydata; the
-- group's facilitators receive ratings and comments without it, in batches of at least three.
CREATE TABLE meeting_feedback (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    rating       INTEGER NULL CHECK (rating BETWEEN 1 AND 5),
    comment      TEXT    NULL,
    answered_at  TEXT    NOT NULL,
    delivered_at TEXT    NULL,  -- when the comment went to the facilitators (in a batch)
    UNIQUE (meeting_id, member_id)
);
