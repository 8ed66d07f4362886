CREATE INDEX `customers_created_idx` ON `customers` (`created_at`);
