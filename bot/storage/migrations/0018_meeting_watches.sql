-- "Tell me when a meeting is scheduled" (issue 13): someone who asked this on the card of a
-- group with no meeting scheduled. The row goes once they are told (the notice is enqueued in
-- the transaction that schedules the meeting, bot.services.meeting_watches), with their
-- /forget and with the group (CASCADE), and after the retention period (bot.domain.retention).
CREATE TABLE meeting_watches (
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (group_id, member_id)
) WITHOUT ROWID;
CREATE INDEX meeting_watches_by_member ON meeting_watches (member_id);
CREATE INDEX meeting_watches_by_age ON meeting_watches (created_at);
