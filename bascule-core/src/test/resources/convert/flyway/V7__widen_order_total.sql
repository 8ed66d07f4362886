-- totals above 21 million dollars
ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint;
