UPDATE objects SET attrs = json_set(attrs, '$.memory_size', 1024)
 WHERE name = 'shop-worker';
