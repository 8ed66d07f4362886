-- case: err (the old type is not in the file: lint cannot prove text is a widening)
-- expect: column-type-change
BEGIN;
ALTER TABLE "core_recipe" ALTER COLUMN "edits" TYPE text USING "edits"::text;
COMMIT;

-- case: another_err
-- expect: column-type-change
BEGIN;
ALTER TABLE "core_recipe" ALTER COLUMN "foo" TYPE varchar(255) USING "foo"::varchar(255);
ALTER TABLE "core_recipe" ALTER COLUMN "foo" TYPE text USING "foo"::text;
COMMIT;
