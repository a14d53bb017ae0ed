-- TOTP second factors (docs/security.md). The secret is AES-GCM encrypted under a key kept outside the
-- database; last_step is the newest time step whose code was accepted, so that no code is accepted twice,
-- not even after a restart.
CREATE TABLE IF NOT EXISTS second_factors (
    user_name    TEXT   PRIMARY KEY,
    secret       TEXT   NOT NULL,
    created_at   TEXT   NOT NULL,
    confirmed_at TEXT,              -- null while the enrolment waits for its first code
    last_step    BIGINT NOT NULL DEFAULT 0
);

-- A session that has passed the password but not yet the second factor may only finish signing in.
-- 0 or 1, as in SQLite, so that the stores bind the same value on both databases.
ALTER TABLE sessions ADD COLUMN second_factor_pending INTEGER NOT NULL DEFAULT 0;
