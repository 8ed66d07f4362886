ALTER TABLE `orders` ADD INDEX `orders_status_idx` (`status`);
