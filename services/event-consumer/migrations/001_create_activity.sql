-- The activity feed, one row per applied event. public-api reads it newest first
-- (GET /api/public/activity) and secure-api by actor (GET /api/secure/me/activity).
CREATE TABLE IF NOT EXISTS activity (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  -- The CloudEvent id; unique so a redelivered or replayed event adds no second row.
  event_id CHAR(36) NOT NULL,
  type VARCHAR(64) NOT NULL,
  -- Firebase uid of who did it; NULL for anonymous posts.
  actor_uid VARCHAR(128) NULL,
  summary VARCHAR(400) NOT NULL,
  occurred_at DATETIME(3) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY activity_event_id (event_id),
  KEY activity_feed (occurred_at, id),
  KEY activity_actor (actor_uid, occurred_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
