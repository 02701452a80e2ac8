-- Signed-in authors post through secure-api with their profile name, which may be up to 50
-- characters (secure-api's profiles.display_name); anonymous names stay limited to 40 by validation.
ALTER TABLE messages MODIFY author_display_name VARCHAR(50) NOT NULL;
