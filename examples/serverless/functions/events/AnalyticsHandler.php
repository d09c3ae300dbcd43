<?php
// AnalyticsHandler::record - records sign-ups and payments for analytics.
declare(strict_types=1);

final class AnalyticsHandler
{
    public function record(array $event, array $context = []): array
    {
        $detail = $event['detail'] ?? [];
        error_log(json_encode(['handler' => 'AnalyticsHandler', 'type' => $event['detail-type'] ?? null]));
        return ['ok' => true, 'keys' => array_keys($detail)];
    }
}
