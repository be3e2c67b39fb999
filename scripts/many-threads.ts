// A mapping of any size in one SQL statement, for the tests and the bench at scale: n threads with
// ids `<prefix><7 digits>`, as a long migration leaves them. Per 100 threads: 90 migrated (with a
// conversation, 40 messages, the checkpoint a migration leaves — cursor and last item — and a
// migrated_at in the last 48 h; every 7th with a file_search store and an
// assistant_image_replaced warning, every 11th with empty_message), 6 pending, 3 failed with
// openai_rejected, 1 source_unavailable. The triggers keep every count as the rows go in.

export const MANY_THREADS_SHAPE = { migrated: 0.9, pending: 0.06, failed: 0.03, source_unavailable: 0.01 } as const;

export function manyThreadsSql(prefix: string, n: number, now: number): { sql: string; params: (string | number)[] } {
  const sql = `
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?)
    INSERT INTO threads (thread_id, status, conversation_id, messages_migrated, items_written, cursor, last_item_id, warnings, error, tool_resources, migrated_at, created_at, updated_at)
    SELECT
      printf('%s%07d', ?, i),
      CASE WHEN i % 100 < 90 THEN 'migrated' WHEN i % 100 < 96 THEN 'pending' WHEN i % 100 < 99 THEN 'failed' ELSE 'source_unavailable' END,
      CASE WHEN i % 100 < 90 THEN printf('conv_%048x', i) END,
      CASE WHEN i % 100 < 90 THEN 40 ELSE 0 END,
      CASE WHEN i % 100 < 90 THEN 40 ELSE 0 END,
      CASE WHEN i % 100 < 90 THEN ? END,
      CASE WHEN i % 100 < 90 THEN printf('msg_%048x', i) END,
      CASE
        WHEN i % 100 >= 90 THEN '[]'
        WHEN i % 77 = 0 THEN '[{"code":"assistant_image_replaced","message_id":"msg_a","detail":"an assistant image became a text pointer"},{"code":"empty_message","message_id":"msg_b","detail":"no content left"}]'
        WHEN i % 7 = 0 THEN '[{"code":"assistant_image_replaced","message_id":"msg_a","detail":"an assistant image became a text pointer"}]'
        WHEN i % 11 = 0 THEN '[{"code":"empty_message","message_id":"msg_b","detail":"no content left"}]'
        ELSE '[]'
      END,
      CASE WHEN i % 100 BETWEEN 96 AND 98 THEN '{"code":"openai_rejected","message":"OpenAI answered 400: Invalid value"}' END,
      CASE WHEN i % 7 = 0 THEN '{"file_search":{"vector_store_ids":["vs_abc123"]}}' END,
      CASE WHEN i % 100 < 90 THEN ? - (i % 48) * 3600000 END,
      ?, ?
    FROM seq`;
  // A message id as long as OpenAI's (msg_ and 24 characters).
  return { sql, params: [n, prefix, `msg_${"0".repeat(24)}`, now, now, now] };
}
