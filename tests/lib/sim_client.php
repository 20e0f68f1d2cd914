<?php
/**
 * The simulator's control API (/_sim/...) over PHP streams, shared by the
 * tests and the benchmarks. PHP 7.4-compatible, no extension needed.
 */

declare(strict_types=1);

/** A control call to the simulator at $base; returns the decoded JSON. */
function sim_at(string $base, string $method, string $path, ?array $json = null)
{
    $context = stream_context_create(['http' => [
        'method' => $method,
        'header' => "Content-Type: application/json\r\nConnection: close\r\n",
        'content' => $json === null ? '' : json_encode($json),
        'ignore_errors' => true,
        'timeout' => 30,
    ]]);
    $body = @file_get_contents(rtrim($base, '/') . $path, false, $context);
    if ($body === false) {
        throw new RuntimeException("control call $method $path to $base failed");
    }
    return json_decode($body, true);
}
