<?php
// ReceiptHandler::generate - writes the receipt of a paid order (PaymentProcessed).
declare(strict_types=1);

final class ReceiptHandler
{
    public function generate(array $event, array $context = []): array
    {
        $detail = $event['detail'] ?? [];
        error_log(json_encode(['handler' => 'ReceiptHandler', 'type' => $event['detail-type'] ?? null]));
        return ['ok' => true, 'keys' => array_keys($detail)];
    }
}
