INSERT INTO customers (email, full_name) VALUES
    ('ann@example.com', 'Ann Lee'),
    ('bob@example.com', 'Bob Ray');
INSERT INTO orders (customer_id, total_cents)
SELECT id, 1000 FROM customers;
