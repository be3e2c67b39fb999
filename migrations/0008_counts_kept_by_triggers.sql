-- Counts kept as the rows change (contract §7.4), by triggers: every statement that changes a row
-- changes its counts in the same statement, whoever wrote it (drizzle, a batch, raw SQL), so they
-- cannot drift. First the counts of what is already there; then the triggers. Trigger bodies hold
-- no CASE (wrangler's statement splitter ends a trigger at the first END it meets) and no INSERT OR
-- IGNORE (a statement inside a trigger takes the conflict policy of the statement that fired it, and
-- an upsert's makes a duplicate an error): a row is added only WHERE NOT EXISTS.

INSERT INTO status_counts (entity, status, n) SELECT 'thread', status, count(*) FROM threads GROUP BY status;
--> statement-breakpoint
INSERT INTO status_counts (entity, status, n) SELECT 'assistant', status, count(*) FROM assistants GROUP BY status;
--> statement-breakpoint
INSERT INTO status_counts (entity, status, n) SELECT 'file', status, count(*) FROM store_files GROUP BY status;
--> statement-breakpoint
INSERT INTO migrated_by_hour (hour, n) SELECT migrated_at / 3600000, count(*) FROM threads WHERE status = 'migrated' AND migrated_at IS NOT NULL GROUP BY migrated_at / 3600000;
--> statement-breakpoint
INSERT OR IGNORE INTO thread_issues (thread_id, kind, code, status)
  SELECT t.thread_id, 'warning', json_extract(w.value, '$.code'), t.status FROM threads t, json_each(t.warnings) w WHERE json_extract(w.value, '$.code') IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO thread_issues (thread_id, kind, code, status)
  SELECT thread_id, 'error', json_extract(error, '$.code'), status FROM threads WHERE json_extract(error, '$.code') IS NOT NULL;
--> statement-breakpoint
INSERT INTO issue_counts (kind, code, n) SELECT kind, code, count(*) FROM thread_issues GROUP BY kind, code;
--> statement-breakpoint
UPDATE backfill_runs SET migrated = (SELECT count(*) FROM threads WHERE queued_run_id = backfill_runs.id AND status = 'migrated');
--> statement-breakpoint

-- Threads by status.
CREATE TRIGGER threads_count_insert AFTER INSERT ON threads BEGIN
  INSERT INTO status_counts (entity, status, n) SELECT 'thread', NEW.status, 0 WHERE NOT EXISTS (SELECT 1 FROM status_counts WHERE entity = 'thread' AND status = NEW.status);
  UPDATE status_counts SET n = n + 1 WHERE entity = 'thread' AND status = NEW.status;
END;
--> statement-breakpoint
CREATE TRIGGER threads_count_delete AFTER DELETE ON threads BEGIN
  UPDATE status_counts SET n = n - 1 WHERE entity = 'thread' AND status = OLD.status;
END;
--> statement-breakpoint
CREATE TRIGGER threads_count_status AFTER UPDATE OF status ON threads WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE status_counts SET n = n - 1 WHERE entity = 'thread' AND status = OLD.status;
  INSERT INTO status_counts (entity, status, n) SELECT 'thread', NEW.status, 0 WHERE NOT EXISTS (SELECT 1 FROM status_counts WHERE entity = 'thread' AND status = NEW.status);
  UPDATE status_counts SET n = n + 1 WHERE entity = 'thread' AND status = NEW.status;
  UPDATE thread_issues SET status = NEW.status WHERE thread_id = NEW.thread_id;
  UPDATE backfill_runs SET migrated = migrated + 1 WHERE NEW.status = 'migrated' AND id = NEW.queued_run_id;
END;
--> statement-breakpoint

-- Threads migrated per hour.
CREATE TRIGGER threads_hour_insert AFTER INSERT ON threads WHEN NEW.status = 'migrated' AND NEW.migrated_at IS NOT NULL BEGIN
  INSERT INTO migrated_by_hour (hour, n) SELECT NEW.migrated_at / 3600000, 0 WHERE NOT EXISTS (SELECT 1 FROM migrated_by_hour WHERE hour = NEW.migrated_at / 3600000);
  UPDATE migrated_by_hour SET n = n + 1 WHERE hour = NEW.migrated_at / 3600000;
END;
--> statement-breakpoint
CREATE TRIGGER threads_hour_delete AFTER DELETE ON threads WHEN OLD.status = 'migrated' AND OLD.migrated_at IS NOT NULL BEGIN
  UPDATE migrated_by_hour SET n = n - 1 WHERE hour = OLD.migrated_at / 3600000;
END;
--> statement-breakpoint
CREATE TRIGGER threads_hour_update AFTER UPDATE OF status, migrated_at ON threads
  WHEN (OLD.status = 'migrated' AND OLD.migrated_at IS NOT NULL) IS NOT (NEW.status = 'migrated' AND NEW.migrated_at IS NOT NULL)
    OR (NEW.status = 'migrated' AND OLD.migrated_at / 3600000 IS NOT NEW.migrated_at / 3600000) BEGIN
  UPDATE migrated_by_hour SET n = n - 1 WHERE OLD.status = 'migrated' AND hour = OLD.migrated_at / 3600000;
  INSERT INTO migrated_by_hour (hour, n) SELECT NEW.migrated_at / 3600000, 0 WHERE NEW.status = 'migrated' AND NEW.migrated_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM migrated_by_hour WHERE hour = NEW.migrated_at / 3600000);
  UPDATE migrated_by_hour SET n = n + 1 WHERE NEW.status = 'migrated' AND hour = NEW.migrated_at / 3600000;
END;
--> statement-breakpoint

-- Each thread's warning and error codes (one row per code), kept only when they change.
CREATE TRIGGER threads_issues_insert AFTER INSERT ON threads BEGIN
  INSERT INTO thread_issues (thread_id, kind, code, status)
    SELECT DISTINCT NEW.thread_id, 'warning', json_extract(value, '$.code'), NEW.status FROM json_each(NEW.warnings) WHERE json_extract(value, '$.code') IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM thread_issues WHERE thread_id = NEW.thread_id AND kind = 'warning' AND code = json_extract(value, '$.code'));
  INSERT INTO thread_issues (thread_id, kind, code, status)
    SELECT NEW.thread_id, 'error', json_extract(NEW.error, '$.code'), NEW.status WHERE json_extract(NEW.error, '$.code') IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM thread_issues WHERE thread_id = NEW.thread_id AND kind = 'error' AND code = json_extract(NEW.error, '$.code'));
END;
--> statement-breakpoint
CREATE TRIGGER threads_issues_delete AFTER DELETE ON threads BEGIN
  DELETE FROM thread_issues WHERE thread_id = OLD.thread_id;
END;
--> statement-breakpoint
CREATE TRIGGER threads_issues_warnings AFTER UPDATE OF warnings ON threads WHEN OLD.warnings IS NOT NEW.warnings BEGIN
  DELETE FROM thread_issues WHERE thread_id = NEW.thread_id AND kind = 'warning'
    AND code NOT IN (SELECT json_extract(value, '$.code') FROM json_each(NEW.warnings) WHERE json_extract(value, '$.code') IS NOT NULL);
  INSERT INTO thread_issues (thread_id, kind, code, status)
    SELECT DISTINCT NEW.thread_id, 'warning', json_extract(value, '$.code'), NEW.status FROM json_each(NEW.warnings) WHERE json_extract(value, '$.code') IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM thread_issues WHERE thread_id = NEW.thread_id AND kind = 'warning' AND code = json_extract(value, '$.code'));
END;
--> statement-breakpoint
CREATE TRIGGER threads_issues_error AFTER UPDATE OF error ON threads WHEN OLD.error IS NOT NEW.error BEGIN
  DELETE FROM thread_issues WHERE thread_id = NEW.thread_id AND kind = 'error' AND code IS NOT json_extract(NEW.error, '$.code');
  INSERT INTO thread_issues (thread_id, kind, code, status)
    SELECT NEW.thread_id, 'error', json_extract(NEW.error, '$.code'), NEW.status WHERE json_extract(NEW.error, '$.code') IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM thread_issues WHERE thread_id = NEW.thread_id AND kind = 'error' AND code = json_extract(NEW.error, '$.code'));
END;
--> statement-breakpoint

-- Threads per code.
CREATE TRIGGER thread_issues_count_insert AFTER INSERT ON thread_issues BEGIN
  INSERT INTO issue_counts (kind, code, n) SELECT NEW.kind, NEW.code, 0 WHERE NOT EXISTS (SELECT 1 FROM issue_counts WHERE kind = NEW.kind AND code = NEW.code);
  UPDATE issue_counts SET n = n + 1 WHERE kind = NEW.kind AND code = NEW.code;
END;
--> statement-breakpoint
CREATE TRIGGER thread_issues_count_delete AFTER DELETE ON thread_issues BEGIN
  UPDATE issue_counts SET n = n - 1 WHERE kind = OLD.kind AND code = OLD.code;
END;
--> statement-breakpoint

-- Assistants and store files by status.
CREATE TRIGGER assistants_count_insert AFTER INSERT ON assistants BEGIN
  INSERT INTO status_counts (entity, status, n) SELECT 'assistant', NEW.status, 0 WHERE NOT EXISTS (SELECT 1 FROM status_counts WHERE entity = 'assistant' AND status = NEW.status);
  UPDATE status_counts SET n = n + 1 WHERE entity = 'assistant' AND status = NEW.status;
END;
--> statement-breakpoint
CREATE TRIGGER assistants_count_delete AFTER DELETE ON assistants BEGIN
  UPDATE status_counts SET n = n - 1 WHERE entity = 'assistant' AND status = OLD.status;
END;
--> statement-breakpoint
CREATE TRIGGER assistants_count_status AFTER UPDATE OF status ON assistants WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE status_counts SET n = n - 1 WHERE entity = 'assistant' AND status = OLD.status;
  INSERT INTO status_counts (entity, status, n) SELECT 'assistant', NEW.status, 0 WHERE NOT EXISTS (SELECT 1 FROM status_counts WHERE entity = 'assistant' AND status = NEW.status);
  UPDATE status_counts SET n = n + 1 WHERE entity = 'assistant' AND status = NEW.status;
END;
--> statement-breakpoint
CREATE TRIGGER store_files_count_insert AFTER INSERT ON store_files BEGIN
  INSERT INTO status_counts (entity, status, n) SELECT 'file', NEW.status, 0 WHERE NOT EXISTS (SELECT 1 FROM status_counts WHERE entity = 'file' AND status = NEW.status);
  UPDATE status_counts SET n = n + 1 WHERE entity = 'file' AND status = NEW.status;
END;
--> statement-breakpoint
CREATE TRIGGER store_files_count_delete AFTER DELETE ON store_files BEGIN
  UPDATE status_counts SET n = n - 1 WHERE entity = 'file' AND status = OLD.status;
END;
--> statement-breakpoint
CREATE TRIGGER store_files_count_status AFTER UPDATE OF status ON store_files WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE status_counts SET n = n - 1 WHERE entity = 'file' AND status = OLD.status;
  INSERT INTO status_counts (entity, status, n) SELECT 'file', NEW.status, 0 WHERE NOT EXISTS (SELECT 1 FROM status_counts WHERE entity = 'file' AND status = NEW.status);
  UPDATE status_counts SET n = n + 1 WHERE entity = 'file' AND status = NEW.status;
END;
