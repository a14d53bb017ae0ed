-- SpiderPig's tables. AUTOINCREMENT keeps ids unique forever, even after old rows are deleted.
CREATE TABLE IF NOT EXISTS jobs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    command           TEXT    NOT NULL,
    parameters        TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    owner             TEXT    NOT NULL,
    concurrency_group TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    status            TEXT,
    progress          TEXT,
    created_at        TEXT    NOT NULL,
    started_at        TEXT,
    finished_at       TEXT,
    exit_code         INTEGER,
    cancelled_by      TEXT,
    reason            TEXT,
    pid               INTEGER,
    io_key            TEXT
);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, id);

CREATE TABLE IF NOT EXISTS interactions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id         INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    prompt         TEXT    NOT NULL,
    choices        TEXT    NOT NULL,
    default_choice TEXT,
    opened_at      TEXT    NOT NULL,
    response       TEXT,
    answered_by    TEXT,
    answered_at    TEXT,
    closed_reason  TEXT,
    closed_at      TEXT
);
CREATE INDEX IF NOT EXISTS interactions_by_job ON interactions (job_id, id);

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
