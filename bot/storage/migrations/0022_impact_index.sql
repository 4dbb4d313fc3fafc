-- Impact reports (bot/storage/impact.py) read each member's first and last WHO-5 score and
-- count the weeks they answered from the questionnaires index alone: with the score in it,
-- a network report no longer looks up a million table rows. Same columns first, so every
-- query that used the old index uses this one. Rebuilt once at start (about 1.5 s for a
-- million questionnaires); the file does not grow (the old index's pages are reused).
DROP INDEX questionnaires_by_member;
CREATE INDEX questionnaires_by_member ON questionnaires (member_id, instrument, completed_at, score);
