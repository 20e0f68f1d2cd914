<?php
/** PHP-FPM forks workers: a child must get a working client of its own. */

require __DIR__ . '/bootstrap.php';

closte_test('after pcntl_fork, a child that calls the extension answers well under the timeout', function () {
    sim_reset();
    // The parent builds and uses its client (and keeps a connection alive).
    closte_add_domain('parent.example.com', sim_options());
    $timeout = 5;
    $children = [];
    for ($i = 0; $i < 3; $i++) {
        $pid = pcntl_fork();
        if ($pid === -1) {
            closte_fail('fork failed');
        }
        if ($pid === 0) {
            $start = microtime(true);
            try {
                closte_add_domain("child$i.example.com", sim_options(['timeout' => $timeout, 'retries' => 0]));
                closte_list_domains(sim_options(['timeout' => $timeout, 'retries' => 0]));
                $ms = (int) ms_since($start);
                exit($ms < 1000 ? 0 : 3);
            } catch (Throwable $e) {
                fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
                exit(4);
            }
        }
        $children[] = $pid;
    }
    foreach ($children as $pid) {
        pcntl_waitpid($pid, $status);
        assert_same(0, pcntl_wexitstatus($status), "child $pid exit (3 = slow, 4 = exception)");
    }
    // The parent's own client still works after its children used theirs.
    $again = closte_add_domain('parent-again.example.com', sim_options());
    assert_same(true, $again['ok'], 'parent after fork');
    $aliases = sim_aliases();
    sort($aliases);
    assert_same(['child0.example.com', 'child1.example.com', 'child2.example.com', 'parent-again.example.com', 'parent.example.com'], $aliases, 'aliases');
});

closte_test('a child forked before any call works too', function () {
    $pid = pcntl_fork();
    if ($pid === 0) {
        try {
            closte_list_domains(sim_options(['retries' => 0]));
            exit(0);
        } catch (Throwable $e) {
            exit(4);
        }
    }
    pcntl_waitpid($pid, $status);
    assert_same(0, pcntl_wexitstatus($status), 'child exit');
});

closte_test_run();
