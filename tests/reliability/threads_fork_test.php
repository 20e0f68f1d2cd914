<?php
/**
 * The extension's threads and its clients across fork(), counted from
 * /proc and at the simulator rather than taken from the extension:
 *
 * - a process has no thread of the extension's before its first request,
 *   and one per HTTP client after: reqwest's blocking client runs its
 *   runtime on a thread of its own. A client is made per process and per
 *   set of settings it fixes when built (connect_timeout, proxy, CA file),
 *   at most 8 kept (core/src/http.rs, KEEP_CLIENTS);
 * - a host name to resolve adds tokio's blocking-pool thread (the
 *   resolver runs there), which leaves after 10 s idle;
 * - a forked child forgets the client it inherited (never uses it, never
 *   drops it) and makes its own: its own thread, its own connection; the
 *   parent's kept-alive connection is untouched by the child's life and
 *   exit, and the parent reuses it.
 */

require __DIR__ . '/bootstrap.php';

/** Open sockets of this process (from /proc/PID/fd). */
function socket_count(): int
{
    $count = 0;
    foreach (glob('/proc/' . getmypid() . '/fd/*') ?: [] as $fd) {
        if (strncmp((string) @readlink($fd), 'socket:', 7) === 0) {
            $count++;
        }
    }
    return $count;
}

/** Connections the simulator accepted, minus this control call's own. */
function connections_now(): int
{
    return (int) sim_request('GET', '/_sim/state')['connections'] - 1;
}

/**
 * Runs $body in a forked child; returns what it returned (JSON-encodable)
 * and its exit code. The child leaves through PHP's normal shutdown, so the
 * client it inherited goes through module shutdown too.
 */
function in_child(callable $body): array
{
    $file = tempnam(sys_get_temp_dir(), 'closte-child');
    $pid = pcntl_fork();
    if ($pid === -1) {
        closte_fail('fork failed');
    }
    if ($pid === 0) {
        try {
            $result = ['ok' => true] + $body();
        } catch (\Throwable $e) {
            $result = ['ok' => false, 'error' => get_class($e) . ': ' . $e->getMessage()];
        }
        file_put_contents($file, json_encode($result));
        exit(0);
    }
    $start = microtime(true);
    pcntl_waitpid($pid, $status);
    $result = json_decode((string) file_get_contents($file), true);
    unlink($file);
    return [is_array($result) ? $result : ['ok' => false, 'error' => 'no result'],
        pcntl_wifexited($status) ? pcntl_wexitstatus($status) : -1, ms_since($start)];
}

closte_test('a fresh process: no extension thread before its first request; one per client settings, at most 8', function () {
    // Its own php process, so that the first call is really the first.
    $options = var_export(sim_options(['retries' => 0]), true);
    $code = <<<PHP
        function th(): int { preg_match('/^Threads:\\s+(\\d+)/m', file_get_contents('/proc/' . getmypid() . '/status'), \$m); return (int) \$m[1]; }
        function settled(int \$want): int { for (\$i = 0; \$i < 1000 && th() > \$want; \$i++) usleep(1000); return th(); }
        \$o = $options;
        \$seen = ['start' => th()];
        closte_validate_domain('no-network.example.com');
        \$seen['validate'] = th();
        \$ok = 0;
        for (\$k = 1; \$k <= 12; \$k++) {
            // Distinct connect timeouts: each is a client of its own.
            \$r = closte_add_domain("ct\$k.example.com", ['connect_timeout' => 1 + \$k / 10] + \$o);
            \$ok += \$r['ok'] ? 1 : 0;
            \$seen["client \$k"] = settled(1 + min(\$k, 8));
        }
        for (\$k = 1; \$k <= 12; \$k++) {
            closte_add_domain("again\$k.example.com", ['connect_timeout' => 1 + \$k / 10] + \$o);
        }
        \$seen['again'] = settled(9);
        echo json_encode(['threads' => \$seen, 'ok' => \$ok]);
        PHP;
    [$exit, $out] = run_php($code);
    assert_same(0, $exit, "child php: $out");
    $report = json_decode($out, true);
    $threads = $report['threads'] ?? [];
    assert_same(12, $report['ok'] ?? null, 'calls that succeeded');
    assert_same(1, $threads['start'] ?? null, 'threads before any call');
    assert_same(1, $threads['validate'] ?? null, 'threads after a call that sends nothing');
    for ($k = 1; $k <= 12; $k++) {
        assert_same(1 + min($k, 8), $threads["client $k"] ?? null, "threads after distinct connect_timeout number {$k}");
    }
    assert_same(9, $threads['again'] ?? null, 'threads after the same twelve again (the oldest client dropped each time)');
    record_figure('threads_per_client', json_encode($threads));
});

closte_test('a host name to resolve: one more thread (the resolver pool), gone after 10 s idle', function () {
    $options = var_export(sim_options(['retries' => 0, 'api_url' => str_replace('127.0.0.1', 'localhost', api_url())]), true);
    $code = <<<PHP
        function th(): int { preg_match('/^Threads:\\s+(\\d+)/m', file_get_contents('/proc/' . getmypid() . '/status'), \$m); return (int) \$m[1]; }
        \$o = $options;
        \$peak = 0;
        for (\$i = 0; \$i < 20; \$i++) {
            closte_add_domain("dns\$i.example.com", \$o);
            \$peak = max(\$peak, th());
        }
        \$start = microtime(true);
        while (th() > 2 && microtime(true) - \$start < 20) usleep(50000);
        echo json_encode(['peak' => \$peak, 'after' => th(), 'gone_after_s' => round(microtime(true) - \$start, 1)]);
        PHP;
    [$exit, $out] = run_php($code);
    assert_same(0, $exit, "child php: $out");
    $report = json_decode($out, true);
    record_figure('threads_resolver', $out);
    assert_same(3, $report['peak'] ?? null, 'threads during 20 calls to localhost: client + one pool thread, not one per lookup');
    assert_same(2, $report['after'] ?? null, 'threads once the pool thread has left');
    assert_less_than(12.0, (float) ($report['gone_after_s'] ?? 99), 'seconds until the pool thread left');
});

closte_test('fork: each child makes its own client and connection; the parent keeps and reuses its own', function () {
    sim_reset();
    $options = sim_options(['retries' => 0]);
    closte_add_domain('parent.example.com', $options);
    assert_same(2, thread_count(), 'parent threads after its first call');
    $parent_sockets = socket_count();
    assert_same(1, $parent_sockets, "parent sockets: its one kept-alive connection (PHP's control calls close theirs)");
    $before_children = connections_now();

    $results = [];
    for ($i = 0; $i < 3; $i++) {
        [$result, $exit, $ms] = in_child(function () use ($i, $options) {
            $seen = ['before' => thread_count(), 'sockets_before' => socket_count()];
            $start = microtime(true);
            closte_add_domain("child$i.example.com", $options);
            $seen['call_ms'] = ms_since($start);
            $seen['after'] = thread_count();
            for ($k = 0; $k < 10; $k++) {
                closte_list_domains($options);
            }
            $seen['sockets_after'] = socket_count();
            // A child of the child: the same again, one generation down.
            [$grand, $grand_exit] = in_child(function () use ($i, $options) {
                $before = thread_count();
                $list = closte_list_domains($options);
                return ['before' => $before, 'after' => thread_count(), 'listed' => count($list)];
            });
            $seen['grandchild'] = $grand + ['exit' => $grand_exit];
            return $seen;
        });
        assert_same(0, $exit, "child $i exit");
        assert_same(true, $result['ok'], "child $i: " . json_encode($result));
        assert_same(1, $result['before'], "child $i threads before its first call (the parent's client thread is not copied)");
        assert_same(2, $result['after'], "child $i threads after its first call (a client of its own)");
        assert_less_than(1000, $result['call_ms'], "child $i first call, ms (timeout 5 s: no hang on the inherited client)");
        // The inherited client is forgotten, not dropped: its socket stays
        // open (unused) in the child, beside the child's own connection.
        assert_same($parent_sockets, $result['sockets_before'], "child $i sockets before its first call (inherited)");
        assert_same($parent_sockets + 1, $result['sockets_after'], "child $i sockets after 11 calls (one connection of its own)");
        assert_same(['ok' => true, 'before' => 1, 'after' => 2, 'listed' => $i + 2, 'exit' => 0], $result['grandchild'], "grandchild of child $i");
        assert_less_than(5000, $ms, "child $i, whole life in ms");
        $results[] = $result;
    }
    // Each child and each grandchild opened one connection of its own.
    $opened = connections_now() - $before_children - 1;
    assert_same(6, $opened, 'connections opened by 3 children and 3 grandchildren');

    // The parent's kept-alive connection survived its children (none of
    // them used it, shut it down or sent a TLS close on it): reused.
    $before_parent = connections_now();
    $again = closte_add_domain('parent-again.example.com', $options);
    assert_same(true, $again['ok'], 'parent call after the children');
    assert_same(0, connections_now() - $before_parent - 1, 'new connections for the parent call (its kept-alive one was reused)');
    assert_same(2, thread_count(), 'parent threads after its children');
    $aliases = sim_aliases();
    sort($aliases);
    assert_same(['child0.example.com', 'child1.example.com', 'child2.example.com', 'parent-again.example.com', 'parent.example.com'],
        $aliases, 'aliases at the simulator');
    record_figure('fork_children', sprintf('3 children + 3 grandchildren: 1 -> 2 threads each, first call max %.1f ms; parent reused its connection',
        max(array_column($results, 'call_ms'))));
});

reliability_run();
