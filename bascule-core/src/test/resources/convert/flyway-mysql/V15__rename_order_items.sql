RENAME TABLE `order_items` TO `order_lines`;
