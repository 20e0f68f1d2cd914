<?php
/** closte_sync_domains: adds the missing, keeps the present, removes extras when asked. */

require __DIR__ . '/bootstrap.php';

closte_test('sync adds missing domains and reports unchanged ones', function () {
    sim_reset();
    closte_add_domain('keep.example.com', sim_options());
    $report = closte_sync_domains(['keep.example.com', 'New1.example.com', 'new2.example.com', 'new1.example.com'], sim_options());
    assert_same(['new1.example.com', 'new2.example.com'], $report['added'], 'added');
    assert_same(['keep.example.com'], $report['unchanged'], 'unchanged');
    assert_same([], $report['removed'], 'removed');
    assert_same([], $report['failed'], 'failed');
    $aliases = sim_aliases();
    sort($aliases);
    assert_same(['keep.example.com', 'new1.example.com', 'new2.example.com'], $aliases, 'simulator');
});

closte_test('remove_extra removes what is not wanted', function () {
    sim_reset();
    foreach (['a.example.com', 'b.example.com', 'c.example.com'] as $d) {
        closte_add_domain($d, sim_options());
    }
    $report = closte_sync_domains(['a.example.com', 'd.example.com'], sim_options(['remove_extra' => true]));
    assert_same(['d.example.com'], $report['added'], 'added');
    assert_same(['b.example.com', 'c.example.com'], $report['removed'], 'removed');
    $aliases = sim_aliases();
    sort($aliases);
    assert_same(['a.example.com', 'd.example.com'], $aliases, 'simulator');
});

closte_test('an invalid domain in the list throws before anything is sent', function () {
    sim_reset();
    $e = assert_throws(Closte\InvalidDomainException::class, function () {
        closte_sync_domains(['ok.example.com', 'not valid'], sim_options());
    });
    assert_contains('not valid', $e->getMessage(), 'message');
    assert_throws(Closte\InvalidDomainException::class, function () {
        closte_sync_domains(['ok.example.com', 42], sim_options());
    }, 'non-string entry');
    assert_same(0, sim_request_count(), 'requests');
});

closte_test('per-domain failures are reported, the rest still lands', function () {
    sim_reset();
    $report = closte_sync_domains(['fine.example.com', 'app.closte.com'], sim_options());
    assert_same(['fine.example.com'], $report['added'], 'added');
    assert_same(['app.closte.com'], array_keys($report['failed']), 'failed');
    assert_contains('manages app.closte.com itself', $report['failed']['app.closte.com'], 'reason');
});

closte_test('200 domains at concurrency 16 with random 503s: each present exactly once', function () {
    sim_reset();
    $domains = [];
    for ($i = 0; $i < 200; $i++) {
        $domains[] = "bulk$i.example.com";
    }
    sim_fault(['kind' => 'status', 'status' => 503, 'probability' => 0.2, 'seed' => 7, 'endpoint' => 'adddomainalias']);
    $report = closte_sync_domains($domains, sim_options(['concurrency' => 16, 'retries' => 6]));
    sim_request('DELETE', '/_sim/fault');
    $aliases = sim_aliases();
    assert_same(count($aliases), count(array_unique($aliases)), 'no duplicates');
    assert_same(count($report['added']), count($aliases), 'report matches the simulator');
    sort($aliases);
    $added = $report['added'];
    sort($added);
    assert_same($aliases, $added, 'same names');
    assert_same(200, count($report['added']) + count($report['failed']), 'every domain accounted for');
    assert_same(200, count($report['added']), 'all added (6 retries at 20% failure)');
});

closte_test('bad sync options are ConfigurationExceptions', function () {
    foreach ([['concurrency' => 0], ['concurrency' => 65], ['remove_extra' => 'yes']] as $bad) {
        assert_throws(Closte\ConfigurationException::class, function () use ($bad) {
            closte_sync_domains(['a.example.com'], sim_options($bad));
        }, json_encode($bad));
    }
});

closte_test_run();
