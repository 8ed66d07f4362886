-- Bascule reports a statement that cannot be run twice only where running it twice happens: in a script run
-- statement by statement (no transaction) that holds two or more statements that change something, so that a
-- failure half way leaves the first ones done. squawk also reports the lone statement after a "select 1" and
-- statements that can be run twice (SET NOT NULL, ENABLE ROW LEVEL SECURITY): those are labelled none here.

-- case: fix_drop_type_if_exists
-- expect: not-retryable
drop type t;
DROP TYPE f;

-- case: fix_drop_index_if_exists
-- expect: not-retryable
drop index i;
DROP INDEX CONCURRENTLY idx;

-- case: fix_drop_table_if_exists
-- expect: not-retryable
drop table t;
DROP TABLE users;

-- case: fix_create_index_if_not_exists
-- expect: not-retryable
create index idx on items (col);
CREATE INDEX CONCURRENTLY idx2 ON users (email);

-- case: fix_create_table_if_not_exists
-- expect: not-retryable
create table t (id int);
CREATE TABLE users (id serial, name text);

-- case: fix_alter_table_add_column_if_not_exists
-- expect: not-retryable
alter table t add column c text;
ALTER TABLE users ADD COLUMN email text;

-- case: fix_alter_table_drop_column_if_exists
-- expect: not-retryable
alter table t drop column c;
ALTER TABLE users DROP COLUMN email;

-- case: fix_alter_table_drop_constraint_if_exists
-- expect: not-retryable
alter table t drop constraint c;
ALTER TABLE users DROP CONSTRAINT pk_users;

-- case: drop_before_end_ok
-- expect: none not-retryable
ALTER TABLE "app_email" DROP CONSTRAINT IF EXISTS "email_uniq";
ALTER TABLE "app_email" ADD CONSTRAINT "email_uniq" UNIQUE USING INDEX "email_idx";

-- case: drop_index_if_exists_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
DROP INDEX CONCURRENTLY IF EXISTS "email_idx";

-- case: drop_before_add_foreign_key_ok
-- expect: none not-retryable
ALTER TABLE "app_email" DROP CONSTRAINT IF EXISTS "fk_user";
ALTER TABLE "app_email" ADD CONSTRAINT "fk_user" FOREIGN KEY ("user_id") REFERENCES "app_user" ("id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
ALTER TABLE "app_email" VALIDATE CONSTRAINT "fk_user";

-- case: prefer_robust_stmt_ok
-- expect: none not-retryable
BEGIN;
ALTER TABLE "core_foo" ADD COLUMN "answer_id" integer NULL;
COMMIT;

-- case: prefer_robust_stmt_part_2_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
ALTER TABLE "core_foo" ADD COLUMN IF NOT EXISTS "answer_id" integer NULL;

-- case: prefer_robust_stmt_part_3_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
CREATE INDEX CONCURRENTLY IF NOT EXISTS "core_foo_idx" ON "core_foo" ("answer_id");

-- case: prefer_robust_stmt_part_4_ok
-- expect: none not-retryable
BEGIN;
CREATE TABLE "core_bar" (
    "id" serial NOT NULL PRIMARY KEY,
    "bravo" text NOT NULL
);
COMMIT;

-- case: prefer_robust_stmt_part_5_ok
-- expect: none not-retryable
CREATE TABLE IF NOT EXISTS "core_bar" (
    "id" serial NOT NULL PRIMARY KEY,
    "bravo" text NOT NULL
);

-- case: prefer_robust_stmt_part_6_ok
-- expect: none not-retryable
BEGIN;
DROP INDEX "core_bar_foo_id_idx";
DROP TABLE "core_bar";
DROP TYPE foo;
COMMIT;

-- case: select_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
SELECT 1;

-- case: insert_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
INSERT INTO tbl VALUES (a);

-- case: alter_table_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
ALTER TABLE "core_foo" DROP CONSTRAINT IF EXISTS "core_foo_idx";

-- case: assume_in_transaction_add_column_ok
-- with: transaction
-- expect: none not-retryable
select 1; -- so we don't skip checking
ALTER TABLE "core_foo" ADD COLUMN "answer_id" integer NULL;

-- case: assume_in_transaction_drop_table_ok
-- with: transaction
-- expect: none not-retryable
DROP INDEX "core_bar_foo_id_idx";
DROP TABLE "core_bar";
DROP TYPE foo;

-- case: assume_in_transaction_create_table_ok
-- with: transaction
-- expect: none not-retryable
CREATE TABLE "core_bar" (
    "id" serial NOT NULL PRIMARY KEY,
    "bravo" text NOT NULL
);

-- case: create_index_concurrently_without_name_ok
-- with: transaction
-- expect: none not-retryable
CREATE INDEX CONCURRENTLY ON "table_name" ("field_name");
CREATE INDEX CONCURRENTLY ON "table_name" ("field_name");

-- case: start_transaction_ok
-- with: transaction
-- expect: none not-retryable
START TRANSACTION;

ALTER TABLE "A" DROP CONSTRAINT "UQ_c4fb579a038211909ee524ccf29";

ALTER TABLE "B" DROP CONSTRAINT "UQ_791c01fe9438d66a94490d0da28";

ALTER TABLE "C" DROP CONSTRAINT "UQ_23fbf20e8ab4e806941359f4f79";

ALTER TABLE "D" DROP CONSTRAINT "UQ_468cad3743146a81c94b0b114ac";

COMMIT;

-- case: alter_table_err (Bascule: the only statement that changes anything; a rerun runs it again from scratch)
-- expect: none not-retryable
select 1; -- so we don't skip checking
ALTER TABLE "core_foo" ADD COLUMN "answer_id" integer NULL;

-- case: create_index_concurrently_err (a failed CREATE INDEX CONCURRENTLY leaves an invalid index of that name)
-- expect: not-retryable
select 1; -- so we don't skip checking
CREATE INDEX CONCURRENTLY "core_foo_idx" ON "core_foo" ("answer_id");

-- case: alter_table_drop_column_err (Bascule: the only statement that changes anything)
-- expect: none not-retryable
select 1; -- so we don't skip checking
alter table t drop column c cascade;

-- case: alter_table_drop_column_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
alter table t drop column if exists c cascade;

-- case: create_table_err (Bascule: the only statement that changes anything)
-- expect: none not-retryable
select 1; -- so we don't skip checking
CREATE TABLE "core_bar" ( "id" serial NOT NULL PRIMARY KEY, "bravo" text NOT NULL);

-- case: alter_table_drop_constraint_err (Bascule: the only statement that changes anything)
-- expect: none not-retryable
select 1; -- so we don't skip checking
ALTER TABLE "core_foo" DROP CONSTRAINT "core_foo_idx";

-- case: create_index_concurrently_unnamed_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
CREATE INDEX CONCURRENTLY ON "table_name" ("field_name");

-- case: enable_row_level_security_err (Bascule: enabling row level security twice succeeds)
-- expect: none not-retryable
CREATE TABLE IF NOT EXISTS test();
ALTER TABLE IF EXISTS test ENABLE ROW LEVEL SECURITY;

-- case: enable_row_level_security_without_exists_check_err (Bascule: enabling it twice succeeds)
-- expect: none not-retryable
CREATE TABLE IF NOT EXISTS test();
ALTER TABLE test ENABLE ROW LEVEL SECURITY;

-- case: disable_row_level_security_err (Bascule: disabling it twice succeeds)
-- expect: none not-retryable
CREATE TABLE IF NOT EXISTS test();
ALTER TABLE IF EXISTS test DISABLE ROW LEVEL SECURITY;

-- case: double_add_after_drop_err
-- expect: not-retryable
ALTER TABLE "app_email" DROP CONSTRAINT IF EXISTS "email_uniq";
ALTER TABLE "app_email" ADD CONSTRAINT "email_uniq" UNIQUE USING INDEX "email_idx";
-- this second add constraint should error because it's not robust
ALTER TABLE "app_email" ADD CONSTRAINT "email_uniq" UNIQUE USING INDEX "email_idx";

-- case: alter_column_set_not_null (Bascule: SET NOT NULL twice succeeds)
-- expect: none not-retryable
select 1; -- so we don't skip checking
alter table t alter column c set not null;

-- case: drop_index_err (Bascule: a failed DROP INDEX CONCURRENTLY leaves the index, so a rerun drops it)
-- expect: none not-retryable
select 1; -- so we don't skip checking
DROP INDEX CONCURRENTLY "email_idx";

-- case: create_temp_table_on_commit_drop_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
CREATE TEMP TABLE test_table (id int) ON COMMIT DROP;

-- case: create_temporary_table_on_commit_drop_ok
-- expect: none not-retryable
select 1; -- so we don't skip checking
CREATE TEMPORARY TABLE test_table (id int) ON COMMIT DROP;

-- case: create_temp_table_without_on_commit_drop_err (Bascule: the only statement that changes anything)
-- expect: none not-retryable
select 1; -- so we don't skip checking
CREATE TEMP TABLE test_table (id int);

-- case: create_table_with_on_commit_drop_err (Bascule: the only statement; PostgreSQL refuses ON COMMIT on a plain table)
-- expect: none not-retryable
select 1; -- so we don't skip checking
CREATE TABLE test_table (id int) ON COMMIT DROP;
