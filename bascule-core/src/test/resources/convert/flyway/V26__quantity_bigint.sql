ALTER TABLE order_lines ALTER COLUMN quantity TYPE bigint, ALTER COLUMN quantity DROP DEFAULT;
