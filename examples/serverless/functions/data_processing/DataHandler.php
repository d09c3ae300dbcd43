<?php
// DataHandler::handle - objects landing in S3, records from the data
// stream, and the nightly batch at 02:00 UTC.
declare(strict_types=1);

final class DataHandler
{
    public function handle(array $event, array $context = []): array
    {
        $records = $event['Records'] ?? [];
        $bytes = 0;
        foreach ($records as $record) {
            $bytes += strlen((string) ($record['kinesis']['data'] ?? ''));
        }
        return ['records' => count($records), 'bytes' => $bytes];
    }
}
