-- The event schema allows ids of up to 64 characters (CloudEvents ids are any string); CHAR(36)
-- held only UUIDs. Exact comparison, as for every id.
ALTER TABLE outbox MODIFY event_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
