DROP INDEX orders_customer_idx;
ALTER TABLE products ADD CONSTRAINT products_weight_positive CHECK (weight_grams > 0) NOT VALID;
