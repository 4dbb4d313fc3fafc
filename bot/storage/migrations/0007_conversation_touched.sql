-- When each saved conversation last moved, so that one abandoned before a restart still times
-- out (PTB's own timeout is a JobQueue job, and jobs do not survive a restart). NULL for rows
-- saved before this column existed: they count as touched at the first start that sees them.
ALTER TABLE ptb_conversations ADD COLUMN touched_at TEXT NULL;
