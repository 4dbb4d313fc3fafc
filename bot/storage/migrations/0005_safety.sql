-- Crisis safety: that the crisis flow ran (never what triggered it), consented alerts to a
-- group's facilitators, and each member's private safety plan.
-- Rows about a member reference members(id) ON DELETE CASCADE, so /forget removes them.
-- People who are not members leave no row here at all.

-- Only that the crisis reply was shown, when, and how it was reached.
CREATE TABLE crisis_events (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    happened_at TEXT    NOT NULL,
    source      TEXT    NOT NULL CHECK (source IN ('command', 'detected', 'button'))
);
CREATE INDEX crisis_events_by_member ON crisis_events (member_id, happened_at);

-- A facilitator alert the person explicitly agreed to. Unacknowledged after 30 minutes, it is
-- escalated to every facilitator of the group and the coordinators (outbox rows planned with
-- the alert; escalated_at records when the first of them went out).
CREATE TABLE crisis_alerts (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    group_id        INTEGER NULL REFERENCES groups (id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    acknowledged_at TEXT    NULL,
    acknowledged_by INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    escalated_at    TEXT    NULL
);
CREATE INDEX crisis_alerts_by_member ON crisis_alerts (member_id, created_at);

-- One row per answered section of a member's personal safety plan; only the owner sees it.
CREATE TABLE safety_plans (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    section    TEXT    NOT NULL CHECK (section IN ('warning_signs', 'calming', 'distractions',
                                                   'helpers', 'professionals', 'environment')),
    answer     TEXT    NOT NULL CHECK (length(answer) BETWEEN 1 AND 1000),
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (member_id, section)
);
