-- One row per Firebase user, created on their first authenticated request.
-- uid is Firebase's localId (at most 128 characters). Times are UTC, written by the service.
CREATE TABLE IF NOT EXISTS profiles (
  uid VARCHAR(128) NOT NULL,
  display_name VARCHAR(50) NOT NULL,
  bio VARCHAR(280) NOT NULL DEFAULT '',
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (uid)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
