<?php
/**
 * Bulk benchmark, one PHP process: adds N fresh domains, either with one
 * closte_sync_domains() call (concurrency C) or with N sequential
 * closte_add_domain() calls, against a simulator that adds LATENCY ms to
 * every API call. The simulator is reset first (no aliases), so every
 * domain is an add. API_URL (default: SIM_URL's) sends the calls elsewhere,
 * e.g. through bench/tlsproxy.py in front of that simulator.
 *
 * Usage: php bench/bulk.php sync|seq SIM_URL KEY DOMAINS CONCURRENCY LATENCY_MS [API_URL]
 * Prints one TSV line: mode domains concurrency seconds failures done
 */

declare(strict_types=1);

require __DIR__ . '/sim.php';

[$_, $mode, $sim_url, $key, $count, $concurrency, $latency, $api_url] = $argv + array_fill(0, 8, '');
$count = (int) $count;
$concurrency = (int) $concurrency;
if (!in_array($mode, ['sync', 'seq'], true) || $count < 1) {
    fwrite(STDERR, "usage: php bulk.php sync|seq SIM_URL KEY DOMAINS CONCURRENCY LATENCY_MS [API_URL]\n");
    exit(2);
}
define('CLOSTE_CLIENT_API_KEY', $key);

sim_at($sim_url, 'POST', '/_sim/reset');
sim_latency($sim_url, (int) $latency);

$domains = [];
for ($i = 0; $i < $count; $i++) {
    $domains[] = "bulk-$i.example.com";
}
$options = ['api_url' => $api_url !== '' ? $api_url : rtrim($sim_url, '/') . '/api/client'];

$failures = 0;
$done = 0;
$t0 = hrtime(true);
if ($mode === 'sync') {
    $report = closte_sync_domains($domains, $options + ['concurrency' => $concurrency]);
    $failures = count($report['failed']);
    $done = count($report['added']);
} else {
    foreach ($domains as $domain) {
        try {
            $failures += closte_add_domain($domain, $options)['ok'] ? 0 : 1;
        } catch (Closte\Exception $e) {
            $failures++;
        }
        $done++;
    }
}
$seconds = (hrtime(true) - $t0) / 1e9;
sim_latency($sim_url, 0);
if ($mode === 'sync' && $done + $failures !== $count) {
    fwrite(STDERR, "sync reported " . ($done + $failures) . " of $count domains\n");
    $failures += $count - $done - $failures;
}
printf("%s\t%d\t%d\t%.3f\t%d\t%d\n", $mode, $count, $mode === 'sync' ? $concurrency : 1, $seconds, $failures, $done);
