-- case: increase_varchar_size_err (the old type is not in the file)
-- expect: column-type-change
BEGIN;
ALTER TABLE "core_foo" ALTER COLUMN "kind" TYPE varchar(1000) USING "kind"::varchar(1000);
COMMIT;
