ALTER TABLE `order_lines` DROP FOREIGN KEY `order_items_product_fk`;
