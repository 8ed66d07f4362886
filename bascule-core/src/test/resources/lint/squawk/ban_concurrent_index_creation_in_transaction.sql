-- case: ban_concurrent_index_creation_in_transaction_err
-- expect: concurrent-in-transaction
        BEGIN;
        CREATE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");
        COMMIT;

-- case: ban_concurrent_index_creation_in_transaction_ok
-- expect: none concurrent-in-transaction
  CREATE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");

-- case: assuming_in_transaction_err
-- with: transaction
-- expect: concurrent-in-transaction
  CREATE UNIQUE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");
  ALTER TABLE "table_name" ADD CONSTRAINT "field_name_id" UNIQUE USING INDEX "field_name_idx";

-- case: assuming_in_transaction_ok (Bascule: a tool that wraps the file in a transaction fails even a lone
-- CREATE INDEX CONCURRENTLY; squawk lets a one-statement file pass, as some tools run it outside)
-- with: transaction
-- expect: concurrent-in-transaction
  CREATE UNIQUE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");

-- case: assuming_in_transaction_ok_also
-- with: transaction
-- expect: none concurrent-in-transaction
  COMMIT;
  CREATE UNIQUE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");
  BEGIN;
  ALTER TABLE "table_name" ADD CONSTRAINT "field_name_id" UNIQUE USING INDEX "field_name_idx";
