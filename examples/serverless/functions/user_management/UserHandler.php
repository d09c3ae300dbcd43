<?php
// UserHandler::handle - user requests from the HTTP API, uploads from S3
// and changes from the users table's stream.
declare(strict_types=1);

final class UserHandler
{
    public function handle(array $event, array $context = []): array
    {
        if (isset($event['Records'])) {
            return ['processed' => count($event['Records'])];
        }
        $body = json_decode($event['body'] ?? '{}', true) ?: [];
        return [
            'statusCode' => 200,
            'headers' => ['Content-Type' => 'application/json'],
            'body' => json_encode([
                'user' => $body['name'] ?? 'anonymous',
                'stage' => getenv('STAGE') ?: 'dev',
            ]),
        ];
    }
}
