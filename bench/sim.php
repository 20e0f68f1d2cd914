<?php
/**
 * The simulator's control API (/_sim/...) for the benchmark scripts, and a
 * command-line entry for scripts/bench.sh:
 *   php bench/sim.php SIM_URL state|reset|latency MS|nofault
 */

declare(strict_types=1);

require_once __DIR__ . '/../tests/lib/sim_client.php';

function sim_latency(string $sim_url, int $ms): void
{
    if ($ms > 0) {
        sim_at($sim_url, 'POST', '/_sim/fault', ['kind' => 'latency', 'ms' => $ms]);
    } else {
        sim_at($sim_url, 'DELETE', '/_sim/fault');
    }
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    [$_, $url, $what, $arg] = $argv + ['', '', '', '0'];
    switch ($what) {
        case 'state':
            echo json_encode(sim_at($url, 'GET', '/_sim/state')), "\n";
            break;
        case 'reset':
            sim_at($url, 'POST', '/_sim/reset');
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
