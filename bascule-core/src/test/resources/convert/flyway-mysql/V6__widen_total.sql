-- MODIFY restates the column: a wider type, still NOT NULL, same default
ALTER TABLE `orders` MODIFY COLUMN `total` DECIMAL(14,2) NOT NULL DEFAULT 0;
