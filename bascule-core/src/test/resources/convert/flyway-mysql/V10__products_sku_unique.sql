ALTER TABLE `products` ADD UNIQUE KEY `products_sku_key` (`sku`);
