-- case: err
-- expect: create-domain-constraint
CREATE DOMAIN domain_name_3 AS NUMERIC(15,5) CHECK (value > 0);

-- case: err_with_multiple_constraints
-- expect: create-domain-constraint
create domain d as t check (value > 0) not null;

-- case: ok
-- expect: none create-domain-constraint
CREATE DOMAIN domain_name_1 AS TEXT;
CREATE DOMAIN domain_name_2 AS CHARACTER VARYING;
