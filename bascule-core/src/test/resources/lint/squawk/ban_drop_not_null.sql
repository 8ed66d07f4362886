-- case: err
-- expect: drop-not-null
ALTER TABLE "bar_tbl" ALTER COLUMN "foo_col" DROP NOT NULL;

-- case: ALTER DOMAIN ... DROP NOT NULL (SQL written here for the rule's domain branch)
-- expect: drop-not-null
ALTER DOMAIN d DROP NOT NULL;
