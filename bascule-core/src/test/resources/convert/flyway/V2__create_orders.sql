CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status      text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped')),
    total_cents integer NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_total_positive CHECK (total_cents >= 0)
);

CREATE INDEX orders_customer_idx ON orders (customer_id);
