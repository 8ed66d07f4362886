CREATE TABLE invoices (
    id          serial PRIMARY KEY,
    order_id    bigint NOT NULL,
    number      bigserial,
    issued_on   date NOT NULL DEFAULT CURRENT_DATE,
    amount      numeric(12, 2) NOT NULL,
    FOREIGN KEY (order_id) REFERENCES orders (id)
);
