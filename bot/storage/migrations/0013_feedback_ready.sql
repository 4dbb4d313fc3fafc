-- When a meeting answer was complete: its comment written or skipped. An answer is ready for
-- the facilitators once complete, or once the comment step has timed out after the rating
-- (bot.domain.feedback); NULL until then.
ALTER TABLE meeting_feedback ADD COLUMN completed_at TEXT NULL;
-- Undelivered answers of a meeting, found by the planner on every pass.
CREATE INDEX meeting_feedback_undelivered ON meeting_feedback (meeting_id) WHERE delivered_at IS NULL;
