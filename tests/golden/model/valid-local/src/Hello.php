<?php
final class Hello
{
    public function handle(array $event): array
    {
        return ['statusCode' => 200, 'body' => 'hello'];
    }
}
