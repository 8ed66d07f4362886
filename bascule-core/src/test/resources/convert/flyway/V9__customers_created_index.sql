-- flyway:executeInTransaction=false
CREATE INDEX CONCURRENTLY customers_created_idx ON customers (created_at);
