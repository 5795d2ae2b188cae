-- Catalog changes are announced on the channel `stockroom_changes` (payload: the table name), by
-- whoever makes them: the server, a CLI command, another instance or psql. PostgreSQL sends the
-- notification only when the transaction commits. Readers that keep catalog answers in memory
-- (the REST response cache) drop them when it arrives. Hand-written: Prisma's schema has no triggers.
CREATE FUNCTION stockroom_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('stockroom_changes', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER categories_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "categories"
  FOR EACH STATEMENT EXECUTE FUNCTION stockroom_notify_change();
CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "products"
  FOR EACH STATEMENT EXECUTE FUNCTION stockroom_notify_change();
CREATE TRIGGER stock_levels_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "stock_levels"
  FOR EACH STATEMENT EXECUTE FUNCTION stockroom_notify_change();
