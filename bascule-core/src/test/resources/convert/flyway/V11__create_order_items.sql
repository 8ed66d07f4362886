CREATE TABLE order_items (
    order_id bigint NOT NULL,
    sku      text NOT NULL,
    quantity integer NOT NULL DEFAULT 1,
    PRIMARY KEY (order_id, sku)
);
INSERT INTO order_items (order_id, sku, quantity) SELECT id, 'SKU-1', 2 FROM orders;
