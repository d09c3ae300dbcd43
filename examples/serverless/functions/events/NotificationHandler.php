<?php
// NotificationHandler::send - notifies the customer that the order was received.
declare(strict_types=1);

final class NotificationHandler
{
    public function send(array $event, array $context = []): array
    {
        $detail = $event['detail'] ?? [];
        error_log(json_encode(['handler' => 'NotificationHandler', 'type' => $event['detail-type'] ?? null]));
        return ['ok' => true, 'keys' => array_keys($detail)];
    }
}
