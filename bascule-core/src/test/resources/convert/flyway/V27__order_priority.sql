CREATE TYPE order_priority AS ENUM ('low', 'normal', 'high');
ALTER TABLE orders ADD COLUMN priority order_priority NOT NULL DEFAULT 'normal';
