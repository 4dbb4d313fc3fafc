-- The support-group network: groups, their facilitators and members, invitations, meetings,
-- seats (RSVPs, trials, waitlist), attendance and time polls.
-- Rows about a member reference members(id) ON DELETE CASCADE, so /forget removes them.

CREATE TABLE groups (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    format           TEXT    NOT NULL CHECK (format IN ('online', 'in_person', 'hybrid')),
    -- Province code and city for in-person and hybrid groups; NULL for online-only groups.
    province         TEXT    NULL,
    city             TEXT    NULL,
    -- Comma-separated language codes the group meets in, e.g. 'id' or 'id,en'.
    languages        TEXT    NOT NULL,
    -- IANA timezone of the group's meetings (from the province, or the network default).
    timezone         TEXT    NOT NULL,
    max_members      INTEGER NOT NULL CHECK (max_members > 0),
    offers_trials    INTEGER NOT NULL DEFAULT 1 CHECK (offers_trials IN (0, 1)),
    trial_seats      INTEGER NOT NULL DEFAULT 2 CHECK (trial_seats >= 0),
    -- Minutes before a meeting at which reminders go out, comma-separated, e.g. '1440,60'.
    reminder_offsets TEXT    NOT NULL DEFAULT '1440,60',
    -- Code of the group's invitation deep link (t.me/<bot>?start=g-<code>).
    invite_code      TEXT    NOT NULL UNIQUE,
    archived_at      TEXT    NULL,
    created_at       TEXT    NOT NULL
);

CREATE TABLE group_topics (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    topic    TEXT    NOT NULL,
    PRIMARY KEY (group_id, topic)
);

CREATE TABLE group_facilitators (
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    added_at  TEXT    NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_facilitators_by_member ON group_facilitators (member_id);

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    joined_at TEXT    NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_by_member ON group_members (member_id);

-- One-time links: a facilitator invitation for a group, or a coordinator promotion.
CREATE TABLE invitations (
    code       TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('facilitator', 'coordinator')),
    group_id   INTEGER NULL REFERENCES groups (id) ON DELETE CASCADE,
    created_by INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT    NULL,
    used_by    INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    CHECK ((kind = 'facilitator') = (group_id IS NOT NULL))
);

-- A meeting as scheduled: one-off or repeating; its occurrences are rows of `meetings`.
CREATE TABLE meeting_series (
    id               INTEGER PRIMARY KEY,
    group_id         INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    first_starts_at  TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    recurrence       TEXT    NOT NULL CHECK (recurrence IN ('once', 'weekly', 'biweekly', 'monthly')),
    place            TEXT    NULL,
    join_link        TEXT    NULL,
    capacity         INTEGER NOT NULL CHECK (capacity > 0),
    cancelled_at     TEXT    NULL,
    created_by       INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    created_at       TEXT    NOT NULL
);

-- Materialised occurrences (far enough ahead that reminders and trials always exist).
CREATE TABLE meetings (
    id               INTEGER PRIMARY KEY,
    series_id        INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    group_id         INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    occurrence       INTEGER NOT NULL,
    starts_at        TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    place            TEXT    NULL,
    join_link        TEXT    NULL,
    capacity         INTEGER NOT NULL CHECK (capacity > 0),
    status           TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    UNIQUE (series_id, occurrence)
);
CREATE INDEX meetings_by_group_time ON meetings (group_id, starts_at);

-- A person's place at one meeting: a member's RSVP or a trial seat, possibly on the waitlist.
CREATE TABLE seats (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('member', 'trial')),
    status     TEXT    NOT NULL CHECK (status IN ('going', 'not_going', 'waitlist', 'cancelled')),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX seats_by_member ON seats (member_id);

-- After a trial: the person's answer to "join this group?" ('no' is never asked again).
CREATE TABLE trial_outcomes (
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    answer      TEXT    NOT NULL CHECK (answer IN ('yes', 'no', 'waitlist')),
    answered_at TEXT    NOT NULL,
    PRIMARY KEY (group_id, member_id)
);

CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    marked_at  TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);

-- Flexible scheduling: a native Telegram poll of candidate times sent to a group's members.
CREATE TABLE time_polls (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    -- Candidate start times, JSON list of UTC ISO strings.
    options    TEXT    NOT NULL,
    created_by INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    created_at TEXT    NOT NULL,
    closed_at  TEXT    NULL
);

-- One Telegram poll message per member (polls are sent to each member's private chat).
CREATE TABLE time_poll_messages (
    poll_id          INTEGER NOT NULL REFERENCES time_polls (id) ON DELETE CASCADE,
    member_id        INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    telegram_poll_id TEXT    NULL UNIQUE,
    -- JSON list of chosen option indexes; NULL until the member answers.
    option_ids       TEXT    NULL,
    PRIMARY KEY (poll_id, member_id)
);
