-- case: err
-- expect: truncate-cascade
        truncate a, b, c cascade;

-- case: ok
-- expect: none truncate-cascade
        truncate a, b, c;
        truncate a;
