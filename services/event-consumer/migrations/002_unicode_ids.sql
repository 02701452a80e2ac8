-- Ids are compared exactly, as their owners define them: CloudEvents ids are any string (the event
-- schema allows 64 characters, CHAR(36) held only UUIDs), Firebase uids any Unicode string of up to
-- 128 characters, case- and accent-sensitive. utf8mb4_unicode_ci would treat "Ada" and "ada", or
-- "jürgen" and "jurgen", as one id.
ALTER TABLE activity
  MODIFY event_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  MODIFY actor_uid VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
