-- Moderation (issue 12): reports on buddy messages and pairings, pauses of a member's buddy
-- relay, and the audit log of what facilitators and coordinators did.

-- A member's report about a message their buddy relayed to them (message_id set) or about the
-- pairing itself. reported_id is the other buddy. Both people's rows go with their /forget
-- (CASCADE); the message and the pairing may be purged or ended before the report (SET NULL:
-- the report then says the message is no longer kept). handled_* and action are set once, by
-- the first facilitator who acts (bot.services.moderation).
CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    reported_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    pairing_id  INTEGER NULL REFERENCES buddy_pairings (id) ON DELETE SET NULL,
    message_id  INTEGER NULL REFERENCES buddy_messages (id) ON DELETE SET NULL,
    about       TEXT    NOT NULL CHECK (about IN ('message', 'pairing')),
    reason      TEXT    NOT NULL
        CHECK (reason IN ('hurtful', 'off_platform', 'unsafe', 'spam', 'other')),
    created_at  TEXT    NOT NULL,
    handled_at  TEXT    NULL,
    handled_by  INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    action      TEXT    NULL
        CHECK (action IN ('warn', 'end_pairing', 'suspend_1w', 'suspend_4w', 'dismiss')),
    CHECK ((handled_at IS NULL) = (action IS NULL)),
    CHECK (reporter_id != reported_id)
);
-- One report per reporter and message, and per reporter and pairing (a double tap, or the
-- same thing reported twice, adds nothing).
-- (By ``about``, not by which id is set: a purged message must not turn its report into a
-- second report on the pairing.)
CREATE UNIQUE INDEX reports_once_per_message ON reports (reporter_id, message_id)
    WHERE about = 'message';
CREATE UNIQUE INDEX reports_once_per_pairing ON reports (reporter_id, pairing_id)
    WHERE about = 'pairing';
CREATE INDEX reports_by_group ON reports (group_id, handled_at);
CREATE INDEX reports_by_reported ON reports (reported_id);
CREATE INDEX reports_by_handler ON reports (handled_by) WHERE handled_by IS NOT NULL;
-- The retention purge: handled_at, or created_at while nobody acted.
CREATE INDEX reports_by_age ON reports (coalesce(handled_at, created_at));

-- A pause of one member's buddy relay in one group, set by a facilitator on a report.
CREATE TABLE relay_suspensions (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    report_id  INTEGER NULL REFERENCES reports (id) ON DELETE SET NULL,
    starts_at  TEXT    NOT NULL,
    ends_at    TEXT    NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX relay_suspensions_by_member ON relay_suspensions (member_id, group_id, ends_at);
CREATE INDEX relay_suspensions_by_end ON relay_suspensions (ends_at);

-- Every moderation action: who acted, what, about whom, in which group, when. Aliases are read
-- from members when shown, so a changed alias shows as it is now and a /forget leaves "a
-- deleted account" (SET NULL). detail holds codes only (a report's reason), never anyone's
-- words.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    actor_id   INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    action     TEXT    NOT NULL CHECK (action IN (
        'warn', 'end_pairing', 'suspend_1w', 'suspend_4w', 'dismiss', 'remove_from_group'
    )),
    subject_id INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    group_id   INTEGER NULL REFERENCES groups (id) ON DELETE SET NULL,
    at         TEXT    NOT NULL,
    detail     TEXT    NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_log_by_subject ON audit_log (subject_id) WHERE subject_id IS NOT NULL;
