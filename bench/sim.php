<?php
/**
 * The simulator's control API (/_sim/...) for the benchmark scripts, and a
 * command-line entry for scripts/bench.sh:
 *   php bench/sim.php SIM_URL state|reset|latency MS|nofault
 */

declare(strict_types=1);

function sim_call(string $sim_url, string $method, string $path, ?array $json = null): array
{
    $context = stream_context_create(['http' => [
        'method' => $method,
        'header' => "Content-Type: application/json\r\nConnection: close\r\n",
        'content' => $json === null ? '' : json_encode($json),
        'ignore_errors' => true,
        'timeout' => 30,
    ]]);
    $body = @file_get_contents(rtrim($sim_url, '/') . $path, false, $context);
    if ($body === false) {
        throw new RuntimeException("simulator control call $method $path failed");
    }
    $data = json_decode($body, true);
    return is_array($data) ? $data : [];
}

function sim_latency(string $sim_url, int $ms): void
{
    if ($ms > 0) {
        sim_call($sim_url, 'POST', '/_sim/fault', ['kind' => 'latency', 'ms' => $ms]);
    } else {
        sim_call($sim_url, 'DELETE', '/_sim/fault');
    }
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    [$_, $url, $what, $arg] = $argv + ['', '', '', '0'];
    switch ($what) {
        case 'state':
            echo json_encode(sim_call($url, 'GET', '/_sim/state')), "\n";
            break;
        case 'reset':
            sim_call($url, 'POST', '/_sim/reset');
            break;
        case 'latency':
            sim_latency($url, (int) $arg);
            break;
        case 'nofault':
            sim_latency($url, 0);
            break;
        default:
            fwrite(STDERR, "usage: php sim.php SIM_URL state|reset|latency MS|nofault\n");
            exit(2);
    }
}
