ALTER TABLE products
    ADD COLUMN discontinued boolean NOT NULL DEFAULT false,
    ADD COLUMN weight_grams integer;
