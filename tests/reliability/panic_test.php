<?php
/**
 * Panic containment (needs the test-panic build: cargo feature `test-panic`
 * adds closte_debug_panic()). A Rust panic inside a call surfaces as the
 * base Closte\Exception, never as an \Error, a crash or a hung process, and
 * the same process keeps serving calls.
 */

require __DIR__ . '/bootstrap.php';

if (!function_exists('closte_debug_panic')) {
    fwrite(STDERR, "closte_debug_panic() is missing: load the test-panic build\n");
    exit(2);
}

closte_test('a panic is a Closte\Exception (a \RuntimeException), not an \Error', function () {
    $e = assert_throws(Closte\Exception::class, function () {
        closte_debug_panic('deliberate panic: boom');
    });
    assert_same('Closte\Exception', get_class($e), 'exactly the base class');
    assert_true($e instanceof RuntimeException, 'a RuntimeException');
    assert_contains('internal error', $e->getMessage(), 'message');
    assert_not_contains('boom', $e->getMessage(), 'the panic payload stays out of the message');
    try {
        closte_debug_panic('deliberate panic: caught as \Exception');
        closte_fail('nothing thrown');
    } catch (\Exception $plain) {
        assert_true($plain instanceof Closte\Exception, 'catch (\Exception) sees it');
    }
});

closte_test('after a panic the same process serves normal calls, over the network too', function () {
    sim_reset();
    try {
        closte_debug_panic('deliberate panic: first');
    } catch (Closte\Exception $e) {
    }
    assert_same('after.example.com', closte_validate_domain('After.Example.com.'), 'validate');
    $result = closte_add_domain('after-panic.example.com', sim_options());
    assert_same(true, $result['ok'], 'add after panic');
    assert_same(['after-panic.example.com'], closte_list_domains(sim_options()), 'list after panic');
    try {
        closte_debug_panic('deliberate panic: between network calls');
    } catch (Closte\Exception $e) {
    }
    assert_same(true, closte_remove_domain('after-panic.example.com', sim_options())['ok'], 'remove after a second panic');
    assert_same([], sim_aliases(), 'simulator state');
});

closte_test('10,000 panics: every one contained, memory flat, calls still work', function () {
    for ($i = 0; $i < 200; $i++) {
        try {
            closte_debug_panic("deliberate panic: warm-up $i");
        } catch (Closte\Exception $e) {
        }
    }
    gc_collect_cycles();
    $before = vm_rss_kib();
    $caught = 0;
    for ($i = 0; $i < 10000; $i++) {
        try {
            closte_debug_panic('deliberate panic: ' . str_repeat('x', 1000) . $i);
        } catch (Closte\Exception $e) {
            $caught++;
        }
    }
    unset($e);
    gc_collect_cycles();
    $growth = vm_rss_kib() - $before;
    record_figure('panic_rss_growth_kib_per_10000', (string) $growth);
    assert_same(10000, $caught, 'caught');
    assert_less_than(2048, $growth, 'RSS growth in KiB over 10,000 panics');
    assert_same('still.example.com', closte_validate_domain('still.example.com'), 'validate afterwards');
});

closte_test('a panic in a forked child is contained there; the parent is unaffected', function () {
    sim_reset();
    $pid = pcntl_fork();
    if ($pid === 0) {
        try {
            closte_debug_panic('deliberate panic: in the child');
            exit(3);
        } catch (Closte\Exception $e) {
            try {
                closte_add_domain('child-after-panic.example.com', sim_options());
                exit(0);
            } catch (Throwable $t) {
                exit(4);
            }
        }
    }
    pcntl_waitpid($pid, $status);
    assert_true(pcntl_wifexited($status), 'child exited normally (no signal)');
    assert_same(0, pcntl_wexitstatus($status), 'child exit code');
    assert_same(true, closte_add_domain('parent.example.com', sim_options())['ok'], 'parent call');
    $aliases = sim_aliases();
    sort($aliases);
    assert_same(['child-after-panic.example.com', 'parent.example.com'], $aliases, 'aliases');
});

closte_test('an uncaught panic ends the script like any uncaught exception (exit 255, no signal)', function () {
    $args = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('CLOSTE_SO'), '-d', 'display_errors=stderr', '-r',
        'closte_debug_panic("deliberate panic: top level"); echo "not reached";'];
    $proc = proc_open($args, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    $exit = proc_close($proc);
    assert_same(255, $exit, 'exit code');
    assert_contains('Uncaught Closte\Exception', $out . $err, 'PHP reports the exception');
    assert_not_contains('not reached', $out, 'stdout');
    assert_not_contains('Rust panic', $out . $err, 'no raw \Error from ext-php-rs');
});

reliability_run();
