-- Ids are UUIDv7 strings: time-ordered, so new rows append to the primary key, and made by the
-- service so the message and its event can name the id before the INSERT.
CREATE TABLE IF NOT EXISTS messages (
  id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  text VARCHAR(280) NOT NULL,
  author_uid VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL,
  author_display_name VARCHAR(40) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  -- Serves "newest first" keyset paging: ORDER BY created_at DESC, id DESC.
  KEY messages_created_at_id (created_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
