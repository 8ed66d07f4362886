ALTER TABLE customers RENAME COLUMN full_name TO display_name;
