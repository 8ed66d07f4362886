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

-- Bascule asks for lock_timeout before a statement whose lock, queued behind a long transaction, holds up
-- reads or writes of an existing table (ACCESS EXCLUSIVE, EXCLUSIVE, SHARE ROW EXCLUSIVE, SHARE). squawk also
-- asks before CREATE TYPE and before SHARE UPDATE EXCLUSIVE statements, which hold up only other schema
-- changes: those are labelled none here, and so is a statement on a table the script has just created.

-- case: err_other_ddl_operations (Bascule: CREATE TYPE locks no table)
-- expect: none lock-timeout-missing
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

-- case: err_comment_on_explains_lock_impact (Bascule: SHARE UPDATE EXCLUSIVE holds up no reads or writes)
-- expect: none lock-timeout-missing
COMMENT ON COLUMN t.c IS 'an opaque id';

-- case: err_reindex_concurrently_false_uses_non_concurrent_lock
-- expect: lock-timeout-missing
REINDEX (CONCURRENTLY false) INDEX idx;

-- case: err_vacuum_full_false_uses_non_full_lock (Bascule: SHARE UPDATE EXCLUSIVE)
-- expect: none lock-timeout-missing
VACUUM (FULL false) t;

-- case: err_lock_access_share_uses_correct_article (Bascule: ACCESS SHARE holds up only ACCESS EXCLUSIVE)
-- expect: none lock-timeout-missing
LOCK TABLE t IN ACCESS SHARE MODE;

-- case: ok_other_ddl_with_timeouts
-- expect: none lock-timeout-missing
SET lock_timeout = '1s';
SET statement_timeout = '5s';
CREATE FUNCTION add(integer, integer) RETURNS integer
    AS 'select $1 + $2;'
    LANGUAGE SQL;

-- case: fix_add_both_timeouts
-- expect: lock-timeout-missing
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: fix_add_lock_timeout_only
-- expect: lock-timeout-missing
SET statement_timeout = '5s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: fix_add_statement_timeout_only
-- expect: statement-timeout-missing
SET lock_timeout = '1s';
ALTER TABLE t ADD COLUMN c BOOLEAN;

-- case: fix_with_leading_comments
-- expect: lock-timeout-missing
-- leading comment
-- should be okay

ALTER TABLE users ADD COLUMN email TEXT;

-- case: fix_with_leading_comment_c_style
-- expect: lock-timeout-missing
/* foo bar */
ALTER TABLE users ADD COLUMN email TEXT;

-- case: fix_with_prefix_comment_c_style
-- expect: lock-timeout-missing
/* boo */ALTER TABLE users ADD COLUMN email TEXT;

-- case: fix_multiple_ddl_statements (Bascule: the table is created by the script, new and empty)
-- expect: none lock-timeout-missing
CREATE TABLE users (id SERIAL);
ALTER TABLE users ADD COLUMN email TEXT;

-- case: lock_kind_for_statement_variants: COMMENT ON
-- expect: none lock-timeout-missing
COMMENT ON TABLE t IS 'x';

-- case: lock_kind_for_statement_variants: CREATE INDEX
-- expect: lock-timeout-missing
CREATE INDEX idx ON t (c);

-- case: lock_kind_for_statement_variants: CREATE INDEX CONCURRENTLY
-- expect: none lock-timeout-missing
CREATE INDEX CONCURRENTLY idx ON t (c);

-- case: lock_kind_for_statement_variants: DROP INDEX
-- expect: lock-timeout-missing
DROP INDEX idx;

-- case: lock_kind_for_statement_variants: DROP TABLE
-- expect: lock-timeout-missing
DROP TABLE t;

-- case: lock_kind_for_statement_variants: DROP VIEW
-- expect: lock-timeout-missing
DROP VIEW v;

-- case: lock_kind_for_statement_variants: REFRESH MATERIALIZED VIEW
-- expect: lock-timeout-missing
REFRESH MATERIALIZED VIEW mv;

-- case: lock_kind_for_statement_variants: REFRESH MATERIALIZED VIEW CONCURRENTLY (Bascule: reads go on)
-- expect: none lock-timeout-missing
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;

-- case: lock_kind_for_statement_variants: REINDEX INDEX
-- expect: lock-timeout-missing
REINDEX INDEX idx;

-- case: lock_kind_for_statement_variants: REINDEX INDEX CONCURRENTLY
-- expect: none lock-timeout-missing
REINDEX INDEX CONCURRENTLY idx;

-- case: lock_kind_for_statement_variants: CREATE TYPE
-- expect: none lock-timeout-missing
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

-- case: lock_kind_for_alter_table_variants: DROP COLUMN
-- expect: lock-timeout-missing
ALTER TABLE t DROP COLUMN c;

-- case: lock_kind_for_alter_table_variants: ALTER COLUMN TYPE
-- expect: lock-timeout-missing
ALTER TABLE t ALTER COLUMN c TYPE bigint;

-- case: lock_kind_for_alter_table_variants: VALIDATE CONSTRAINT
-- expect: none lock-timeout-missing
ALTER TABLE t VALIDATE CONSTRAINT c;

-- case: lock_kind_for_alter_table_variants: SET STATISTICS
-- expect: none lock-timeout-missing
ALTER TABLE t ALTER COLUMN c SET STATISTICS 100;

-- case: lock_kind_for_alter_table_variants: ALTER COLUMN SET (n_distinct)
-- expect: none lock-timeout-missing
ALTER TABLE t ALTER COLUMN c SET (n_distinct = 5);

-- case: lock_kind_for_alter_table_variants: SET (fillfactor)
-- expect: none lock-timeout-missing
ALTER TABLE t SET (fillfactor = 70);

-- case: lock_kind_for_alter_table_variants: RESET (fillfactor)
-- expect: none lock-timeout-missing
ALTER TABLE t RESET (fillfactor);

-- case: lock_kind_for_alter_table_variants: CLUSTER ON
-- expect: none lock-timeout-missing
ALTER TABLE t CLUSTER ON idx;

-- case: lock_kind_for_alter_table_variants: SET WITHOUT CLUSTER
-- expect: none lock-timeout-missing
ALTER TABLE t SET WITHOUT CLUSTER;

-- case: lock_kind_for_alter_table_variants: DETACH PARTITION CONCURRENTLY (Bascule: it takes SHARE UPDATE EXCLUSIVE on the parent)
-- expect: none lock-timeout-missing
ALTER TABLE t DETACH PARTITION p CONCURRENTLY;

-- case: lock_kind_for_alter_table_variants: ADD FOREIGN KEY (SHARE ROW EXCLUSIVE)
-- expect: lock-timeout-missing
ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES o (id);

-- case: lock_kind_for_alter_table_variants: ADD CHECK
-- expect: lock-timeout-missing
ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0);

-- case: lock_kind_for_alter_table_variants: DISABLE TRIGGER (SHARE ROW EXCLUSIVE)
-- expect: lock-timeout-missing
ALTER TABLE t DISABLE TRIGGER trg;

-- case: lock_kind_for_alter_table_variants: ENABLE TRIGGER
-- expect: lock-timeout-missing
ALTER TABLE t ENABLE TRIGGER trg;

-- case: lock_kind_for_alter_table_variants: VALIDATE CONSTRAINT and ADD COLUMN
-- expect: lock-timeout-missing
ALTER TABLE t VALIDATE CONSTRAINT c, ADD COLUMN d int;

-- case: lock_kind_for_explicit_lock_modes: LOCK TABLE t
-- expect: lock-timeout-missing
LOCK TABLE t;

-- case: lock_kind_for_explicit_lock_modes: ACCESS EXCLUSIVE
-- expect: lock-timeout-missing
LOCK TABLE t IN ACCESS EXCLUSIVE MODE;

-- case: lock_kind_for_explicit_lock_modes: EXCLUSIVE
-- expect: lock-timeout-missing
LOCK TABLE t IN EXCLUSIVE MODE;

-- case: lock_kind_for_explicit_lock_modes: ROW EXCLUSIVE
-- expect: none lock-timeout-missing
LOCK TABLE t IN ROW EXCLUSIVE MODE;

-- case: lock_kind_for_explicit_lock_modes: ROW SHARE
-- expect: none lock-timeout-missing
LOCK TABLE t IN ROW SHARE MODE;

-- case: lock_kind_for_explicit_lock_modes: SHARE
-- expect: lock-timeout-missing
LOCK TABLE t IN SHARE MODE;

-- case: lock_kind_for_explicit_lock_modes: SHARE ROW EXCLUSIVE
-- expect: lock-timeout-missing
LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE;

-- case: lock_kind_for_explicit_lock_modes: SHARE UPDATE EXCLUSIVE
-- expect: none lock-timeout-missing
LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE;
