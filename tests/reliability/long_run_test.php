<?php
/**
 * Many calls in one PHP process (as one long-lived PHP-FPM worker makes
 * them): RSS growth stays under 5 MiB, no thread or connection leaks: no
 * thread of the extension's before the first call, then exactly one (the
 * runtime thread of reqwest's blocking client; the mix uses one set of
 * client settings) for the whole run, syncs included. The
 * call count comes from CLOSTE_LONG_CALLS (CI: 5,000; scripts/reliability.sh:
 * 100,000). The mix is tests/reliability/workload.php: every function,
 * successes and every exception class.
 */

require __DIR__ . '/bootstrap.php';
require __DIR__ . '/workload.php';

closte_test('calls in one process: RSS growth < 5 MiB, threads and connections bounded', function () {
    $calls = (int) (getenv('CLOSTE_LONG_CALLS') ?: 5000);
    $api_url = api_url();
    sim_reset();
    // Nothing has called the extension yet (sim_reset() is PHP's own HTTP).
    $threads_fresh = thread_count();
    // Warm-up: client, connection pool, allocator arenas, interned strings.
    for ($i = 0; $i < 1000; $i++) {
        workload_step($i, $api_url);
    }
    gc_collect_cycles();
    $rss_before = vm_rss_kib();
    $threads_before = thread_count();
    $names_before = thread_names();
    $connections_before = (int) (sim_request('GET', '/_sim/state')['connections'] ?? 0);
    $start = microtime(true);
    $outcomes = [];
    $peak_threads = $threads_before;
    for ($i = 0; $i < $calls; $i++) {
        $class = workload_step($i, $api_url);
        $outcomes[$class] = ($outcomes[$class] ?? 0) + 1;
        if ($i % 5000 === 4999) {
            // A small sync now and then: scoped threads that must all end.
            $report = closte_sync_domains(["sync$i.example.com", 'w1.example.com'], sim_options(['concurrency' => 4]));
            if ($report['failed'] !== []) {
                closte_fail('sync failed: ' . json_encode($report['failed']));
            }
            $peak_threads = max($peak_threads, thread_count());
        }
    }
    $seconds = microtime(true) - $start;
    gc_collect_cycles();
    $growth_kib = vm_rss_kib() - $rss_before;
    $threads_after = thread_count_settled($threads_before);
    // Minus one: this control call's own connection.
    $connections = (int) (sim_request('GET', '/_sim/state')['connections'] ?? 0) - $connections_before - 1;
    ksort($outcomes);
    record_figure('long_run_calls', (string) $calls);
    record_figure('long_run_seconds', sprintf('%.1f', $seconds));
    record_figure('long_run_rss_kib', "$rss_before -> " . ($rss_before + $growth_kib) . " (growth $growth_kib KiB)");
    record_figure('long_run_threads', "$threads_fresh before the first call, $threads_before after the warm-up, $threads_after after the run (at most $peak_threads right after a sync returned)");
    record_figure('long_run_new_connections', (string) $connections);
    record_figure('long_run_outcomes', json_encode($outcomes));
    $unexpected = array_diff(array_keys($outcomes), ['ok', 'Closte\ManagedDomainException', 'Closte\ConfigurationException', 'Closte\InvalidDomainException']);
    assert_same([], array_values($unexpected), 'only the expected outcomes');
    assert_less_than(5 * 1024, $growth_kib, 'RSS growth in KiB');
    assert_same(1, $threads_fresh, 'threads before the first call');
    assert_same(2, $threads_before, "threads after the warm-up (one client's runtime thread): " . implode(',', $names_before));
    assert_same(2, $threads_after, 'threads after the run (the sync workers have ended)');
    assert_same($names_before, thread_names(), 'the same threads, by name');
    // Keep-alive: the warm-up's connection serves the whole run; a sync at
    // concurrency 4 may open up to 3 more, which the pool then keeps.
    assert_less_than(4, $connections, 'new connections to the simulator during the run');
});

reliability_run();
