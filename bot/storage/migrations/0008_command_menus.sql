-- The command menu set for each chat that has one of its own (coordinators, facilitators), as
-- Telegram accepted it: start-up sets only the menus that differ, in the background, and a
-- restart resumes where it stopped. A row lives as long as the role (and /forget deletes it).
CREATE TABLE command_menus (
    chat_id INTEGER PRIMARY KEY,
    commands TEXT NOT NULL  -- JSON [[command, description], ...]
);
