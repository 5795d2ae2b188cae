-- Events appended before the event registry (src/events/registry.ts) carried only the change;
-- readers now parse every event with its type's schema, and subscribers show its data as is.
-- Upgrade those payloads in place to what the commands append now. Rows already in the new
-- shape are left alone, so running this again changes nothing.

CREATE OR REPLACE FUNCTION pg_temp.iso(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- Stock events: the level each one left, folded along its stream as applyStockEvent folds it.
WITH folded AS (
  SELECT id,
         sum(CASE WHEN type IN ('StockReceived', 'StockAdjusted') THEN (data ->> 'quantity')::int
                  WHEN type = 'StockShipped' THEN -(data ->> 'quantity')::int
                  ELSE 0 END) OVER stream AS on_hand,
         sum(CASE WHEN type = 'StockReserved' THEN (data ->> 'quantity')::int
                  WHEN type IN ('ReservationReleased', 'StockShipped') THEN -(data ->> 'quantity')::int
                  ELSE 0 END) OVER stream AS reserved
  FROM events
  WHERE stream_type = 'inventory'
  WINDOW stream AS (PARTITION BY stream_id ORDER BY stream_version)
)
UPDATE events e
SET data = e.data || jsonb_build_object('onHand', f.on_hand, 'reserved', f.reserved,
                                        'available', f.on_hand - f.reserved, 'version', e.stream_version)
FROM folded f
WHERE e.id = f.id AND NOT e.data ? 'onHand';

-- Product events: the product as a reader sees it. The description was not recorded: today's is
-- the best there is (empty for a product deleted since).
UPDATE events e
SET data = jsonb_build_object(
  'id', (e.data ->> 'id')::int,
  'sku', e.data -> 'sku',
  'name', e.data -> 'name',
  'description', coalesce((SELECT p.description FROM products p WHERE p.id = (e.data ->> 'id')::int), ''),
  'price', jsonb_build_object('amount', (e.data ->> 'priceAmount')::int, 'currency', e.data -> 'priceCurrency'),
  'categoryId', (e.data ->> 'categoryId')::int,
  'version', (e.data ->> 'version')::int,
  'createdAt', pg_temp.iso(coalesce(
    (SELECT p.created_at FROM products p WHERE p.id = (e.data ->> 'id')::int),
    (SELECT min(c.occurred_at) FROM events c WHERE c.stream_type = 'product' AND c.stream_id = e.stream_id),
    e.occurred_at)),
  'updatedAt', pg_temp.iso(e.occurred_at))
WHERE e.stream_type = 'product' AND e.type IN ('ProductCreated', 'ProductUpdated') AND e.data ? 'priceAmount';

-- Post events: the post as a reader sees it, author included. A field the event did not record
-- is taken from the post as it is now.
UPDATE events e
SET data = jsonb_build_object(
  'id', (e.data ->> 'postId')::int,
  'title', coalesce(e.data ->> 'title', p.title, ''),
  'content', coalesce(e.data ->> 'content', p.content, ''),
  'author', jsonb_build_object('id', u.id, 'username', u.username),
  'createdAt', pg_temp.iso(coalesce(p.created_at, e.occurred_at)),
  'updatedAt', pg_temp.iso(e.occurred_at))
FROM events created
JOIN users u ON u.id = (created.data ->> 'authorId')::int
LEFT JOIN posts p ON p.id::text = created.stream_id
WHERE created.stream_type = 'post' AND created.type = 'PostCreated' AND created.stream_id = e.stream_id
  AND created.data ? 'authorId'
  AND e.stream_type = 'post' AND e.type IN ('PostCreated', 'PostUpdated') AND e.data ? 'postId';

-- CommentAdded: the comment as a reader sees it, author name included.
UPDATE events e
SET data = jsonb_build_object(
  'id', (e.data ->> 'commentId')::int,
  'postId', (e.data ->> 'postId')::int,
  'text', e.data -> 'text',
  'author', jsonb_build_object('id', u.id, 'username', u.username),
  'createdAt', pg_temp.iso(coalesce(
    (SELECT c.created_at FROM comments c WHERE c.id = (e.data ->> 'commentId')::int), e.occurred_at)))
FROM users u
WHERE e.stream_type = 'post' AND e.type = 'CommentAdded' AND e.data ? 'commentId'
  AND u.id = (e.data ->> 'authorId')::int;
