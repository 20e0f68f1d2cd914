<?php
/**
 * Threads: none of the extension's before the first call (nothing starts at
 * module start-up), then exactly one, the runtime thread of reqwest's
 * blocking client (one client per process), whatever calls and syncs
 * follow. Its own file, so that the first call is really the first.
 */

require __DIR__ . '/bootstrap.php';

function threads_now(): int
{
    $status = (string) file_get_contents('/proc/self/status');
    return preg_match('/^Threads:\s+(\d+)/m', $status, $m) ? (int) $m[1] : -1;
}

/**
 * Threads once a joined thread has left the count: the kernel wakes the
 * joiner a moment before it removes the thread from the process, so allow
 * up to a second (a pool thread would stay for many seconds).
 */
function threads_settled(): int
{
    for ($i = 0; $i < 1000 && threads_now() > 2; $i++) {
        usleep(1000);
    }
    return threads_now();
}

closte_test('no thread before the first call; one client thread after, whatever follows', function () {
    assert_same(1, threads_now(), 'threads of this php process before any call');
    closte_validate_domain('no-network.example.com');
    assert_same(1, threads_now(), 'threads after a call that sends nothing');
    closte_list_domains(sim_options());
    assert_same(2, threads_now(), "threads after the first request (reqwest's runtime thread)");
    for ($i = 0; $i < 5; $i++) {
        closte_add_domain("t$i.example.com", sim_options());
    }
    assert_same(2, threads_now(), 'threads after more calls: the same client');
    $report = closte_sync_domains(['s1.example.com', 's2.example.com', 's3.example.com'], sim_options(['concurrency' => 3]));
    assert_same(3, count($report['added'] ?? []), 'sync added: ' . json_encode($report));
    assert_same(2, threads_settled(), 'threads after a sync (its workers have ended)');
});

// The process has one connection from the test above.
closte_test_run();
