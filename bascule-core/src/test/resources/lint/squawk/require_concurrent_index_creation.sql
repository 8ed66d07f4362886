-- case: fix_add_concurrently_named_index
-- expect: index-not-concurrent
CREATE INDEX i ON t (c);

-- case: fix_add_concurrently_unnamed_index
-- expect: index-not-concurrent
CREATE INDEX ON t (a);

-- case: adding_index_non_concurrently_err
-- expect: index-not-concurrent
CREATE INDEX "field_name_idx" ON "table_name" ("field_name");

-- case: adding_index_concurrently_ok
-- expect: none index-not-concurrent
CREATE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");

-- case: new_table_ok
-- expect: none index-not-concurrent
BEGIN;
CREATE TABLE "core_foo" (
"id" serial NOT NULL PRIMARY KEY,
"tenant_id" integer NULL
);
CREATE INDEX "core_foo_tenant_id_4d397ef9" ON "core_foo" ("tenant_id");
COMMIT;

-- case: new_table_in_assume_transaction_ok
-- with: transaction
-- expect: none index-not-concurrent
CREATE TABLE "core_foo" (
"id" serial NOT NULL PRIMARY KEY,
"tenant_id" integer NULL
);
CREATE INDEX "core_foo_tenant_id_4d397ef9" ON "core_foo" ("tenant_id");
