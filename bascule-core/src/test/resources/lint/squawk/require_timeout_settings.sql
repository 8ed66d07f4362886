-- case: err_missing_both_timeouts
-- expect: lock-timeout-missing
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: err_missing_both_timeouts (statement timeout)
-- expect: statement-timeout-missing
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: err_missing_lock_timeout
-- expect: lock-timeout-missing
SET statement_timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: err_missing_lock_timeout (statement timeout set)
-- expect: none statement-timeout-missing
SET statement_timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: err_missing_statement_timeout
-- expect: statement-timeout-missing
SET lock_timeout = '1s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: ok_only_lock_timeout_rule_enabled
-- expect: none lock-timeout-missing
SET lock_timeout = '1s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: ok_only_statement_timeout_rule_enabled
-- expect: none statement-timeout-missing
SET statement_timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: ok_both_timeouts_present (lock)
-- expect: none lock-timeout-missing
SET lock_timeout = '1s';
SET statement_timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: ok_both_timeouts_present (statement)
-- expect: none statement-timeout-missing
SET lock_timeout = '1s';
SET statement_timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: ok_both_timeouts_present_casing
-- expect: none lock-timeout-missing
SET Lock_Timeout = '1s';
SET Statement_Timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: ok_no_ddl_operations
-- expect: none lock-timeout-missing
SELECT * FROM t;

-- case: err_timeouts_using_schema (lock)
-- expect: lock-timeout-missing
SET foo.lock_timeout = '1s';
SET foo.statement_timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: err_timeouts_using_schema (statement)
-- expect: statement-timeout-missing
SET foo.lock_timeout = '1s';
SET foo.statement_timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: err_timeouts_after_ddl
-- expect: lock-timeout-missing
ALTER TABLE t ADD COLUMN c BOOLEAN;
SET lock_timeout = '1s';
SET statement_timeout = '5s';

-- case: lock_kind_for_reindex_concurrently_options: REINDEX (CONCURRENTLY false) takes ACCESS EXCLUSIVE
-- expect: lock-timeout-missing
REINDEX (CONCURRENTLY false) INDEX idx;

-- case: lock_kind_for_reindex_concurrently_options: REINDEX (CONCURRENTLY) does not
-- expect: none lock-timeout-missing
REINDEX (CONCURRENTLY) INDEX idx;

-- case: lock_kind_for_vacuum_full_options: VACUUM (FULL true)
-- expect: lock-timeout-missing
VACUUM (FULL true) t;

-- case: lock_kind_for_vacuum_full_options: VACUUM (FULL off)
-- expect: none lock-timeout-missing
VACUUM (FULL off) t;

-- case: lock_kind_for_statement_variants: DROP INDEX CONCURRENTLY
-- expect: none lock-timeout-missing
DROP INDEX CONCURRENTLY idx;

-- case: lock_kind_for_statement_variants: TRUNCATE
-- expect: lock-timeout-missing
TRUNCATE t;

-- case: lock_kind_for_statement_variants: CLUSTER
-- expect: lock-timeout-missing
CLUSTER t;

-- case: lock_kind_for_alter_table_variants: DETACH PARTITION
-- expect: lock-timeout-missing
ALTER TABLE t DETACH PARTITION p;
