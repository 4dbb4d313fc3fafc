-- The weekly check-in planner looks, every pass, for prompts sent about 48 hours ago that may
-- need their one nudge. An index over those rows only keeps that lookup from growing with
-- every other message the outbox keeps (reminders, notices) for its 30 days.
CREATE INDEX outbox_sent_checkin_prompts ON outbox (sent_at)
    WHERE kind = 'checkin_prompt' AND status = 'sent';
