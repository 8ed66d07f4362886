-- case: err_add_value_without_ordering
-- expect: enum-value-order
ALTER TYPE my_enum ADD VALUE 'new_value';

-- case: err_add_value_if_not_exists_without_ordering
-- expect: enum-value-order
ALTER TYPE my_enum ADD VALUE IF NOT EXISTS 'new_value';

-- case: ok_add_value_before
-- expect: none enum-value-order
ALTER TYPE my_enum ADD VALUE 'new_value' BEFORE 'existing_value';

-- case: ok_add_value_after
-- expect: none enum-value-order
ALTER TYPE my_enum ADD VALUE 'new_value' AFTER 'existing_value';
