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
