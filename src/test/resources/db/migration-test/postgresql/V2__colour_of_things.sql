-- Needs V1's table: applied after it.
ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'grey';
CREATE INDEX things_by_colour ON things (colour);
