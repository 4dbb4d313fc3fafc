-- Anonymous questions to a group's facilitators (/ask). The asker's id is kept only to deliver
-- the answer and for /mydata and /forget (ON DELETE CASCADE); facilitators never see it. The
-- answerer's id goes with their /forget (ON DELETE SET NULL) and is never shown to the asker.
-- The words are kept until the retention rule removes the row (bot.domain.retention).
CREATE TABLE questions (
    -- Drawn at random (bot.services.questions): buttons carry it, and a counter would tell a
    -- facilitator in which order questions came.
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    ticket      INTEGER NOT NULL CHECK (ticket BETWEEN 1000 AND 9999),
    question    TEXT    NOT NULL,
    asked_at    TEXT    NOT NULL,
    answer      TEXT    NULL,
    answered_at TEXT    NULL,
    answered_by INTEGER NULL REFERENCES members (id) ON DELETE SET NULL,
    CHECK ((answer IS NULL) = (answered_at IS NULL))
);
-- A ticket names one open question: the number facilitators and the asker refer to.
CREATE UNIQUE INDEX questions_open_ticket ON questions (ticket) WHERE answered_at IS NULL;
CREATE INDEX questions_by_member ON questions (member_id, answered_at);
CREATE INDEX questions_by_answerer ON questions (answered_by) WHERE answered_by IS NOT NULL;
-- The retention purge: answered_at, or asked_at while unanswered.
CREATE INDEX questions_by_age ON questions (coalesce(answered_at, asked_at));
