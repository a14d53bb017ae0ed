-- What a job was started from: the job it runs again, and the details of its Gerrit changes (JSON, as
-- the API shows them). A table of its own, so that reading a job stays one join and older rows need nothing.
CREATE TABLE job_origins (
    job_id   BIGINT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    retry_of BIGINT,
    changes  TEXT
);
