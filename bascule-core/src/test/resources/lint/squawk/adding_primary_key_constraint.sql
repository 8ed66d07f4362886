-- case: serial_primary_key
-- expect: unique-constraint
        ALTER TABLE a ADD COLUMN b SERIAL PRIMARY KEY;

-- case: serial_primary_key (32-bit key)
-- expect: int-primary-key
        ALTER TABLE a ADD COLUMN b SERIAL PRIMARY KEY;

-- case: plain_primary_key
-- expect: unique-constraint
ALTER TABLE items ADD PRIMARY KEY (id);

-- case: okay_add_constraint
-- expect: none unique-constraint
ALTER TABLE items ADD CONSTRAINT items_pk PRIMARY KEY USING INDEX items_pk;
