-- The CSVバージョン values each office's care software reads and writes, comma-separated
-- as the office declared them; empty until it does.
ALTER TABLE offices ADD COLUMN csv_reads TEXT NOT NULL DEFAULT '';
ALTER TABLE offices ADD COLUMN csv_writes TEXT NOT NULL DEFAULT '';
