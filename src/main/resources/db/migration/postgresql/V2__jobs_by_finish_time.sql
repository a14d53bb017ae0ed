-- Retention looks for final jobs by when they finished.
CREATE INDEX jobs_by_finish_time ON jobs (state, finished_at);
