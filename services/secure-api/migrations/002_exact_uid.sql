-- Firebase uids are case- and accent-sensitive: under utf8mb4_unicode_ci the users "jürgen" and
-- "Jurgen" would share one profile row. Compare them byte for byte.
ALTER TABLE profiles MODIFY uid VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
