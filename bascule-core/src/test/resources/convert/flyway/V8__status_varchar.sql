ALTER TABLE orders ALTER COLUMN status SET DATA TYPE varchar(16) USING status::varchar(16);
