-- Firebase uids are any Unicode string of up to 128 characters (a uid like "jürgen-müller" could
-- not post into the ASCII column), compared exactly: utf8mb4 with a binary collation.
ALTER TABLE messages MODIFY author_uid VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
