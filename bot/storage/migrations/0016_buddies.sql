-- Peer buddies: who asked for a buddy in which group, the pairings, and the messages buddies
-- send each other through the bot (kept only so a report can show what was said).

CREATE TABLE buddy_optins (
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    opted_in_at TEXT    NOT NULL,
    PRIMARY KEY (group_id, member_id)
);

-- Two opted-in members of one group. A pairing runs four weeks (ends_at) unless both choose to
-- continue; ended_at is set when it ends for any reason. member_a < member_b, so a pair is one
-- row whatever the order.
CREATE TABLE buddy_pairings (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_a     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    member_b     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    started_at   TEXT    NOT NULL,
    ends_at      TEXT    NOT NULL,
    continue_a   INTEGER NOT NULL DEFAULT 0 CHECK (continue_a IN (0, 1)),
    continue_b   INTEGER NOT NULL DEFAULT 0 CHECK (continue_b IN (0, 1)),
    ended_at     TEXT    NULL,
    ended_reason TEXT    NULL
        CHECK (ended_reason IN ('expired', 'by_member', 'left_group', 'moderator')),
    CHECK (member_a < member_b)
);
CREATE INDEX buddy_pairings_by_group ON buddy_pairings (group_id, ended_at);

-- A message relayed from one buddy to the other (text only, after the checks). The text is
-- kept for a short time only, so that a report can show the facilitators what was said.
CREATE TABLE buddy_messages (
    id         INTEGER PRIMARY KEY,
    pairing_id INTEGER NOT NULL REFERENCES buddy_pairings (id) ON DELETE CASCADE,
    sender_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    text       TEXT    NOT NULL,
    sent_at    TEXT    NOT NULL
);
CREATE INDEX buddy_messages_by_pairing ON buddy_messages (pairing_id, sent_at);
