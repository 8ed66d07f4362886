-- case: err
-- expect: drop-column
ALTER TABLE "bar_tbl" DROP COLUMN "foo_col" CASCADE;

-- case: other_columns, ALTER TYPE ... DROP ATTRIBUTE
-- expect: drop-column
ALTER TYPE composite DROP ATTRIBUTE a;

-- case: other_columns, ALTER FOREIGN TABLE ... DROP COLUMN
-- expect: drop-column
ALTER FOREIGN TABLE ft DROP COLUMN a;
