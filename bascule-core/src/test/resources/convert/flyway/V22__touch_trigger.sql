CREATE FUNCTION touch_products() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name := trim(NEW.name); -- tidy names; a ; inside the body is not a statement end
    RETURN NEW;
END
$$;
CREATE TRIGGER products_touch BEFORE INSERT OR UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION touch_products();
COMMENT ON TABLE products IS 'What the shop sells';
