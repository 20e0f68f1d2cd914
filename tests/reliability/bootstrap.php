<?php
/**
 * Shared set-up of the reliability tests (tests/reliability/run.sh runs each
 * file in its own `php` process): the project's harness and simulator
 * helpers (tests/php/bootstrap.php), plus servers a test starts and stops
 * itself, memory readings, and the "key appears nowhere" checks.
 */

declare(strict_types=1);

require_once __DIR__ . '/../php/bootstrap.php';

function repo_root(): string
{
    return dirname(__DIR__, 2);
}

/** Everything a developer or PHP itself might print about a throwable. */
function printed_forms(\Throwable $e): string
{
    ob_start();
    var_dump($e);
    print_r($e);
    var_export($e);
    echo "\n", $e, "\n", $e->getMessage(), "\n", $e->getTraceAsString(), "\n";
    var_dump($e->getTrace());
    echo json_encode($e->getTrace()), "\n";
    try {
        echo serialize($e), "\n";
    } catch (\Exception $refused) {
        // PHP refuses to serialize a trace holding a SensitiveParameterValue.
        echo $refused->getMessage(), "\n";
    }
    return (string) ob_get_clean();
}

/** Processes started by a test, stopped when the test process ends. */
$GLOBALS['reliability_processes'] = [];

$GLOBALS['reliability_dirs'] = [];
$GLOBALS['reliability_pid'] = getmypid();

register_shutdown_function(function (): void {
    if (getmypid() !== $GLOBALS['reliability_pid']) {
        return; // a forked child: the servers belong to the parent
    }
    foreach ($GLOBALS['reliability_processes'] as $proc) {
        stop_process($proc);
    }
    if (getenv('CLOSTE_KEEP_TEMP')) {
        return;
    }
    foreach ($GLOBALS['reliability_dirs'] as $dir) {
        remove_tree($dir);
    }
});

function remove_tree(string $path): void
{
    if (is_dir($path) && !is_link($path)) {
        foreach (scandir($path) ?: [] as $entry) {
            if ($entry !== '.' && $entry !== '..') {
                remove_tree("$path/$entry");
            }
        }
        @rmdir($path);
    } else {
        @unlink($path);
    }
}

/**
 * Starts $command (an argv array) with stdout and stderr going to $log;
 * returns the proc_open resource (stopped at exit at the latest).
 */
function start_process(array $command, string $log, array $env = [])
{
    $env = $env + getenv();
    $proc = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env);
    if (!is_resource($proc)) {
        throw new RuntimeException('could not start ' . $command[0]);
    }
    $GLOBALS['reliability_processes'][] = $proc;
    return $proc;
}

function stop_process($proc): void
{
    if (!is_resource($proc)) {
        return;
    }
    $status = proc_get_status($proc);
    if ($status['running']) {
        proc_terminate($proc, 15);
        for ($i = 0; $i < 40 && proc_get_status($proc)['running']; $i++) {
            usleep(25000);
        }
        if (proc_get_status($proc)['running']) {
            proc_terminate($proc, 9);
        }
    }
    proc_close($proc);
}

function temp_dir(string $name): string
{
    $dir = sys_get_temp_dir() . "/closte-reliability-$name-" . getmypid();
    if (!is_dir($dir)) {
        mkdir($dir, 0777, true);
        chmod($dir, 0777);
        $GLOBALS['reliability_dirs'][] = $dir;
    }
    return $dir;
}

/** A second simulator, e.g. on another loopback address; returns its URL. */
function start_extra_simulator(string $listen, string $name): string
{
    $dir = temp_dir($name);
    $port_file = "$dir/port";
    @unlink($port_file);
    $bin = getenv('CLOSTE_SIM_BIN') ?: repo_root() . '/target/release/closte-sim';
    start_process([$bin, '--listen', $listen, '--port-file', $port_file, '--quiet', '--key', TEST_KEY], "$dir/sim.log");
    for ($i = 0; $i < 200; $i++) {
        clearstatcache();
        if (is_file($port_file) && trim((string) file_get_contents($port_file)) !== '') {
            $host = explode(':', $listen)[0];
            return "http://$host:" . trim((string) file_get_contents($port_file));
        }
        usleep(25000);
    }
    throw new RuntimeException("simulator $name did not start");
}

function free_port(string $host = '127.0.0.1'): int
{
    $server = stream_socket_server("tcp://$host:0");
    $name = stream_socket_get_name($server, false);
    fclose($server);
    return (int) substr($name, strrpos($name, ':') + 1);
}

function wait_for_port(string $host, int $port, float $seconds = 10.0): void
{
    $deadline = microtime(true) + $seconds;
    while (microtime(true) < $deadline) {
        $socket = @fsockopen($host, $port, $errno, $errstr, 0.2);
        if ($socket) {
            fclose($socket);
            return;
        }
        usleep(25000);
    }
    throw new RuntimeException("nothing listens on $host:$port");
}

/**
 * This process's /proc/PID/status. Not /proc/self: PHP's realpath cache
 * resolves that link once, and a forked child then reads its parent's.
 */
function proc_status(): string
{
    return (string) file_get_contents('/proc/' . getmypid() . '/status');
}

/** Resident set size of this process, in KiB. */
function vm_rss_kib(): int
{
    return preg_match('/^VmRSS:\s+(\d+)\s+kB/m', proc_status(), $m) ? (int) $m[1] : -1;
}

/** Threads of this process (each HTTP client of the extension runs one). */
function thread_count(): int
{
    return preg_match('/^Threads:\s+(\d+)/m', proc_status(), $m) ? (int) $m[1] : -1;
}

/**
 * Threads once joined ones have left the count: the kernel wakes a joiner
 * a moment before it removes the thread, so allow up to a second for the
 * count to fall to $expected.
 */
function thread_count_settled(int $expected): int
{
    for ($i = 0; $i < 1000 && thread_count() > $expected; $i++) {
        usleep(1000);
    }
    return thread_count();
}

/** The names of this process's threads (comm), e.g. "reqwest-internal". */
function thread_names(): array
{
    $names = [];
    foreach (glob('/proc/' . getmypid() . '/task/*/comm') ?: [] as $file) {
        $names[] = trim((string) @file_get_contents($file));
    }
    sort($names);
    return $names;
}

/** Writes a figure for the summary (tests/reliability/run.sh prints them). */
function record_figure(string $name, string $value): void
{
    echo "figure: $name = $value\n";
    $file = getenv('CLOSTE_FIGURES');
    if (is_string($file) && $file !== '') {
        file_put_contents($file, "$name = $value\n", FILE_APPEND);
    }
}

/**
 * closte_test_run(), limited to the cases whose name contains
 * $CLOSTE_TEST_FILTER when that is set (for working on one case).
 */
function reliability_run(): void
{
    $filter = getenv('CLOSTE_TEST_FILTER');
    if (is_string($filter) && $filter !== '') {
        $GLOBALS['closte_test_cases'] = array_values(array_filter(
            $GLOBALS['closte_test_cases'],
            fn ($case) => stripos($case[0], $filter) !== false
        ));
    }
    closte_test_run();
}
