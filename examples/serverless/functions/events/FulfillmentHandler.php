<?php
// FulfillmentHandler::processOrder - ships a paid order (PaymentProcessed).
declare(strict_types=1);

final class FulfillmentHandler
{
    public function processOrder(array $event, array $context = []): array
    {
        $detail = $event['detail'] ?? [];
        error_log(json_encode(['handler' => 'FulfillmentHandler', 'type' => $event['detail-type'] ?? null]));
        return ['ok' => true, 'keys' => array_keys($detail)];
    }
}
