-- Several instances on one database. Times here are epoch milliseconds: leases and heartbeats are compared
-- as numbers, and ISO text of varying precision does not sort as time.

-- The instance (and its host, where the job's supervisor lives) that runs a job; null before it starts.
ALTER TABLE jobs ADD COLUMN instance_id TEXT;
ALTER TABLE jobs ADD COLUMN host TEXT;

-- Each server's heartbeat.
CREATE TABLE IF NOT EXISTS instances (
    id         TEXT    PRIMARY KEY,
    host       TEXT    NOT NULL,
    started_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS instances_by_host ON instances (host, last_seen);

-- One row per concurrency group while an instance starts or runs its job: one queue across instances.
CREATE TABLE IF NOT EXISTS queue_leases (
    concurrency_group TEXT    PRIMARY KEY,
    holder            TEXT    NOT NULL,
    expires_at        INTEGER NOT NULL
);

-- Answers, cancels and signals accepted by one instance for a job that another instance runs.
CREATE TABLE IF NOT EXISTS job_commands (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    done_at    INTEGER
);
CREATE INDEX IF NOT EXISTS job_commands_pending ON job_commands (job_id, done_at);
