ALTER TABLE Customers ADD loyalty_points integer NOT NULL DEFAULT 0;
