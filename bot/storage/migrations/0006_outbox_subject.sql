-- Who an outbox row is *about*, when that is not its recipient: a crisis alert or its
-- escalation goes to facilitators and coordinators but is about the person in crisis; a relayed
-- message goes to that person but holds the facilitator's words. Such rows used to point at
-- their subject only through the payload, so /forget (which relies on ON DELETE CASCADE) left
-- them behind. NULL for rows about nobody but their recipient.
ALTER TABLE outbox ADD COLUMN about_member_id INTEGER NULL REFERENCES members (id) ON DELETE CASCADE;
CREATE INDEX outbox_by_subject ON outbox (about_member_id) WHERE about_member_id IS NOT NULL;
