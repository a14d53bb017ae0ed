-- Jobs' event logs when the store is PostgreSQL (see docs/event-log.md): one row per event, in the job's order.
-- event is the record the file log stores (EventJson's stored form, "type" first), as text: query it with
-- event::jsonb. line is the output line's number (null for other events); the mark_* columns are the spool
-- position just after an event that came from a supervised job's spool, with the events of the line at that
-- position already given (the *_skip columns; null otherwise).
CREATE TABLE job_events (
    job_id              BIGINT      NOT NULL,
    seq                 BIGINT      NOT NULL,
    line                BIGINT,
    ts                  TIMESTAMPTZ NOT NULL,
    event               TEXT        NOT NULL,
    mark_frame          BIGINT,
    mark_stdout         BIGINT,
    mark_stderr         BIGINT,
    mark_stdout_swallow BOOLEAN,
    mark_stderr_swallow BOOLEAN,
    mark_stdout_skip    BIGINT,
    mark_stderr_skip    BIGINT,
    PRIMARY KEY (job_id, seq)
);

-- Reading lines n..m, and the line count, are range reads of this index.
CREATE UNIQUE INDEX job_events_by_line ON job_events (job_id, line) WHERE line IS NOT NULL;
