ALTER TABLE customers ALTER loyalty_points DROP DEFAULT;
