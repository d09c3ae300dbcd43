UPDATE objects SET attrs = json_set(attrs, '$.timeout', 30)
 WHERE name = 'shop-api';
DELETE FROM objects WHERE name = 'shop-worker';
