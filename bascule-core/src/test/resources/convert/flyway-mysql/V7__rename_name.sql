-- CHANGE renames and restates in one go
ALTER TABLE `customers` CHANGE COLUMN `name` `full_name` VARCHAR(150) NOT NULL;
