CREATE TABLE products (
    sku         text PRIMARY KEY,
    name        text NOT NULL,
    price_cents integer NOT NULL CONSTRAINT products_price_positive CHECK (price_cents > 0),
    tags        text[] DEFAULT '{}',
    barcode     varchar(13),
    UNIQUE (barcode)
);
CREATE UNIQUE INDEX products_name_uq ON products (lower(name));
CREATE INDEX products_tags_gin ON products USING gin (tags);
INSERT INTO products (sku, name, price_cents) VALUES ('SKU-1', 'Teapot', 2500), ('SKU-2', 'Kettle', 4000);
