-- Meeting kinds (issue 13): besides support meetings, groups run workshops, seminars and social
-- activities, with an optional title. A seminar may be open to everyone: it is then listed in
-- /events for people who are not members, who take a guest seat (a 'trial' seat row, so seats,
-- the waitlist, reminders, /mydata and /forget work as for trials).
ALTER TABLE meeting_series ADD COLUMN kind TEXT NOT NULL DEFAULT 'support'
    CHECK (kind IN ('support', 'workshop', 'seminar', 'social'));
ALTER TABLE meeting_series ADD COLUMN title TEXT NULL;
ALTER TABLE meeting_series ADD COLUMN open_to_all INTEGER NOT NULL DEFAULT 0
    CHECK (open_to_all IN (0, 1) AND (open_to_all = 0 OR kind = 'seminar'));
CREATE INDEX meeting_series_open ON meeting_series (id) WHERE open_to_all = 1;
