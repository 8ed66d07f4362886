-- case: err
-- expect: alter-domain-constraint
     ALTER DOMAIN domain_name ADD CONSTRAINT constraint_name CHECK (value > 0);

-- case: ok, statement 1 (Bascule: SET NOT NULL on a domain checks every column of the domain, as ADD CONSTRAINT does)
-- expect: alter-domain-constraint
     ALTER DOMAIN domain_name_2 SET NOT NULL;

-- case: ok, statements 2-7
-- expect: none alter-domain-constraint
     ALTER DOMAIN domain_name_3 DROP CONSTRAINT other_domain_name;
     ALTER DOMAIN domain_name_4 RENAME CONSTRAINT constraint_name TO other_constraint_name;
     ALTER DOMAIN domain_name_5 RENAME TO other_domain_name;
     ALTER DOMAIN domain_name_6 VALIDATE CONSTRAINT constraint_name;
     ALTER DOMAIN domain_name_7 OWNER TO you;
     ALTER DOMAIN domain_name_8 SET SCHEMA foo;
