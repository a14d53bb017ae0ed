-- Sign-in (docs/security.md). Secrets are never stored, only their SHA-256.
CREATE TABLE IF NOT EXISTS sessions (
    hash       TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL -- epoch milliseconds, so that SQL compares it
);

CREATE TABLE IF NOT EXISTS api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    hash         TEXT    NOT NULL UNIQUE,
    owner        TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL, -- epoch milliseconds
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX IF NOT EXISTS api_tokens_by_owner ON api_tokens (owner, id);

CREATE TABLE IF NOT EXISTS audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT    NOT NULL,
    user_name TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    address   TEXT,
    job_id    INTEGER,
    detail    TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_user ON audit (user_name, id);
CREATE INDEX IF NOT EXISTS audit_by_job ON audit (job_id, id);
