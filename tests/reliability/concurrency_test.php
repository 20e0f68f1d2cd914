<?php
/**
 * closte_sync_domains at concurrency 32 against a simulator that fails at
 * random (HTTP 500 that is final, 502/503/504 that are retried, answers lost
 * after the change was applied): every domain ends present exactly once,
 * and the report agrees with the simulator's state, item by item.
 */

require __DIR__ . '/bootstrap.php';

function sorted(array $list): array
{
    sort($list);
    return array_values($list);
}

function domains(string $prefix, int $count): array
{
    $out = [];
    for ($i = 0; $i < $count; $i++) {
        $out[] = "$prefix$i.example.com";
    }
    return $out;
}

/**
 * Forks a child that sets the next fault plan every $every_ms ms (plans x
 * endpoints, round robin, a new seed each time) until stopped. Returns
 * [pid, stop file].
 */
function start_fault_rotator(array $plans, array $endpoints, int $every_ms): array
{
    $stop = tempnam(sys_get_temp_dir(), 'closte-rotator');
    unlink($stop);
    $pid = pcntl_fork();
    if ($pid === 0) {
        mt_srand(4242);
        $count = 0;
        for ($k = 0; !file_exists($stop); $k++) {
            $plan = $plans[$k % count($plans)];
            $plan['endpoint'] = $endpoints[intdiv($k, count($plans)) % count($endpoints)];
            // A large, well-mixed seed: the simulator's xorshift gives
            // near-zero first draws for small seeds (every request faulted).
            $plan['seed'] = mt_rand(1 << 40, PHP_INT_MAX);
            sim_fault($plan);
            $count++;
            usleep($every_ms * 1000);
            clearstatcache();
        }
        file_put_contents($stop, (string) $count);
        // Leave without PHP's shutdown (the parent owns everything else).
        pcntl_exec('/bin/true');
        exit(0);
    }
    return [$pid, $stop];
}

/** Stops the rotator; returns how many plans it set. */
function stop_fault_rotator(array $rotator): int
{
    [$pid, $stop] = $rotator;
    touch($stop);
    pcntl_waitpid($pid, $status);
    $count = (int) file_get_contents($stop);
    unlink($stop);
    return $count;
}

/**
 * Checks a remove_extra sync report against the simulator after it; $before
 * is what the simulator had before the sync. Returns the state.
 */
function assert_report_matches_state(array $report, array $desired, array $before): array
{
    $state = sim_aliases();
    assert_same(count($state), count(array_unique($state)), 'no alias twice at the simulator');
    $failed = array_keys($report['failed']);
    $accounted = array_merge($report['added'], $report['removed'], $report['unchanged'], $failed);
    assert_same(count($accounted), count(array_unique($accounted)), 'each domain in exactly one list of the report');
    assert_same(sorted(array_unique(array_merge($desired, $before))), sorted($accounted), 'every domain accounted for');
    // Present: unchanged + added + the removals that failed; absent: the rest.
    $failed_removes = array_values(array_diff($failed, $desired));
    $failed_adds = array_values(array_intersect($failed, $desired));
    assert_same(sorted(array_merge($report['unchanged'], $report['added'], $failed_removes)), sorted($state), 'report and simulator agree');
    assert_same([], array_values(array_intersect($failed_adds, $state)), 'a failed add left nothing');
    return $state;
}

closte_test('concurrency 32, random 500/502/503/504 on adds and removes: report == simulator state; a second sync converges', function () {
    sim_reset();
    $keep = domains('keep', 50);
    $extra = domains('extra', 50);
    foreach (array_merge($keep, $extra) as $d) {
        closte_add_domain($d, sim_options());
    }
    $desired = array_merge($keep, domains('new', 500), ['NEW1.example.com', 'new2.example.com.']);
    $before = sim_aliases();

    // The simulator holds one fault plan at a time: a child process rotates
    // it every 15 ms through final 500s and retryable 502/503/504, on adds
    // and on removes. (A 5xx is answered before anything is applied, so the
    // report can match the state exactly; lost answers are the next case.)
    $rotator = start_fault_rotator([
        ['kind' => 'status', 'status' => 500, 'probability' => 0.15],
        ['kind' => 'status', 'status' => 503, 'probability' => 0.3],
        ['kind' => 'status', 'status' => 502, 'probability' => 0.3],
        ['kind' => 'status', 'status' => 504, 'probability' => 0.3],
    ], ['adddomainalias', 'deletedomainalias'], 15);
    $start = microtime(true);
    $report = closte_sync_domains($desired, sim_options(['concurrency' => 32, 'remove_extra' => true, 'retries' => 3, 'timeout' => 5]));
    $elapsed = ms_since($start);
    $plans = stop_fault_rotator($rotator);
    sim_request('DELETE', '/_sim/fault');
    $normalized = array_values(array_unique(array_map('closte_validate_domain', $desired)));
    assert_report_matches_state($report, $normalized, $before);
    record_figure('sync32_first', sprintf('%d added, %d removed, %d unchanged, %d failed in %d ms; %d requests, %d fault plans',
        count($report['added']), count($report['removed']), count($report['unchanged']), count($report['failed']),
        $elapsed, sim_request_count(), $plans));
    assert_true(count($report['failed']) > 0, 'some final 500s happened (the faults were live)');
    // Each reason is the failure's kind with its attempt count, never the
    // simulator's words ("Simulated 500"): a final 500 at any attempt, a
    // retryable 5xx only once the 1 + 3 attempts are spent.
    $reasons = ['500' => 'Internal Server Error', '502' => 'Bad Gateway', '503' => 'Service Unavailable', '504' => 'Gateway Timeout'];
    foreach ($report['failed'] as $domain => $reason) {
        $ok = preg_match('/^Closte answered HTTP (50[0234]) \((.+)\) \(([1-4]) attempts?\)$/D', (string) $reason, $m) === 1
            && $reasons[$m[1]] === $m[2] && ($m[1] === '500' || $m[3] === '4');
        assert_true($ok, "failure reason of $domain: " . json_encode($reason));
    }
    assert_true(count($report['added']) > 400, 'most adds landed');

    // Faults cleared: the next sync fixes exactly what failed.
    $second = closte_sync_domains($desired, sim_options(['concurrency' => 32, 'remove_extra' => true]));
    assert_same([], $second['failed'], 'second sync: no failure');
    $failed = array_keys($report['failed']);
    assert_same(sorted(array_intersect($failed, $normalized)), sorted($second['added']), 'second sync adds what failed');
    assert_same(sorted(array_diff($failed, $normalized)), sorted($second['removed']), 'second sync removes what failed');
    assert_same(sorted($normalized), sorted(sim_aliases()), 'final state is exactly the desired list, each once');
});

closte_test('concurrency 32, retryable 5xx and answers lost after the change: all 1,000 land, each exactly once', function () {
    sim_reset();
    $rotator = start_fault_rotator([
        ['kind' => 'status', 'status' => 502, 'probability' => 0.25],
        ['kind' => 'success_after_apply', 'probability' => 0.25],
        ['kind' => 'status', 'status' => 503, 'probability' => 0.25],
        ['kind' => 'status', 'status' => 504, 'probability' => 0.25],
    ], ['adddomainalias'], 15);
    $desired = domains('bulk', 1000);
    $start = microtime(true);
    $report = closte_sync_domains($desired, sim_options(['concurrency' => 32, 'retries' => 8]));
    $elapsed = ms_since($start);
    $plans = stop_fault_rotator($rotator);
    $requests = sim_request_count();
    sim_request('DELETE', '/_sim/fault');
    $state = sim_aliases();
    assert_same([], $report['failed'], 'failed');
    assert_same(count($state), count(array_unique($state)), 'no alias twice');
    assert_same(sorted($desired), sorted($report['added']), 'added');
    assert_same(sorted($desired), sorted($state), 'simulator state');
    assert_true($requests > 1001 + 50, "retries happened ($requests requests)");
    record_figure('sync32_lost_answers', sprintf('1000 added, 0 failed in %d ms; %d requests, %d fault plans', $elapsed, $requests, $plans));
});

reliability_run();
