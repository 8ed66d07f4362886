-- case: drop_index_missing_concurrently_err
-- expect: drop-index-not-concurrent
  DROP INDEX IF EXISTS "field_name_idx";

-- case: drop_index_concurrently_ok
-- expect: none drop-index-not-concurrent
DROP INDEX CONCURRENTLY IF EXISTS "field_name_idx";

-- case: regression_false_positive_drop_table_ok
-- expect: none drop-index-not-concurrent
DROP TABLE IF EXISTS some_table;

-- case: regression_false_positive_drop_trigger_ok
-- expect: none drop-index-not-concurrent
DROP TRIGGER IF EXISTS trigger on foo_table;
