CREATE UNIQUE INDEX CONCURRENTLY customers_email_active_idx ON customers (email)
    INCLUDE (display_name) WHERE loyalty_points >= 0;
CREATE INDEX orders_status_idx ON orders USING btree (status varchar_pattern_ops) WITH (fillfactor = 70);
