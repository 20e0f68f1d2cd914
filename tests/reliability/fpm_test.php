<?php
/**
 * PHP-FPM for real: Debian's php-fpm8.2 with the extension loaded in the
 * master (workers fork after module start-up), pm = static, driven over
 * FastCGI by tests/fpm/fcgi_client.php. Request counts come from
 * CLOSTE_FPM_REQUESTS (default 10,000).
 */

require __DIR__ . '/bootstrap.php';

const WORKERS = 4;

/** Runs a shell command, returns [exit code, output]. */
function sh(string $command, array $env = []): array
{
    $proc = proc_open(['bash', '-c', $command], [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env + getenv());
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    return [proc_close($proc), $out];
}

/** Starts a pool; returns [dir, port, env]. Stopped at exit at the latest. */
function fpm_up(string $name, array $env = []): array
{
    $dir = temp_dir("fpm-$name");
    $env = $env + ['CLOSTE_SO' => getenv('CLOSTE_SO'), 'CLOSTE_SIM_URL' => sim_url(), 'CLOSTE_TEST_KEY' => TEST_KEY,
        'FPM_WORKERS' => (string) WORKERS, 'FPM_TERMINATE' => '20s'];
    $fpm = repo_root() . '/tests/fpm/fpm.sh';
    [$exit, $out] = sh(escapeshellarg($fpm) . ' start ' . escapeshellarg($dir), $env);
    if ($exit !== 0) {
        closte_fail("php-fpm did not start:\n$out");
    }
    register_shutdown_function(function () use ($fpm, $dir) {
        sh(escapeshellarg($fpm) . ' stop ' . escapeshellarg($dir));
    });
    return [$dir, (int) trim($out), $env];
}

function fpm_down(string $dir): void
{
    sh(escapeshellarg(repo_root() . '/tests/fpm/fpm.sh') . ' stop ' . escapeshellarg($dir));
}

/** The FPM log lines that are not routine ('' when clean). */
function fpm_bad_log(string $dir): string
{
    return sh(escapeshellarg(repo_root() . '/tests/fpm/fpm.sh') . ' check ' . escapeshellarg($dir))[1];
}

function fpm_workers(string $dir): array
{
    $master = trim((string) @file_get_contents("$dir/fpm.pid"));
    $pids = array_filter(explode("\n", trim(sh('pgrep -P ' . escapeshellarg($master))[1])));
    sort($pids);
    return $pids;
}

/**
 * Drives the pool; returns the client's JSON summary, with the answers
 * themselves (decoded) under 'bodies' when $keep_bodies.
 */
function drive(string $dir, int $port, int $requests, string $query, int $concurrency = 8, float $timeout = 30, bool $keep_bodies = false): array
{
    $bodies_file = "$dir/bodies.jsonl";
    @unlink($bodies_file);
    $cmd = sprintf('%s -n %s --port %d --script %s --requests %d --concurrency %d --query %s --timeout %s --sum calls%s',
        escapeshellarg(PHP_BINARY), escapeshellarg(repo_root() . '/tests/fpm/fcgi_client.php'), $port,
        escapeshellarg("$dir/app.php"), $requests, $concurrency, escapeshellarg($query), $timeout,
        $keep_bodies ? ' --bodies ' . escapeshellarg($bodies_file) : '');
    [, $out] = sh($cmd);
    $summary = json_decode($out, true);
    if (!is_array($summary)) {
        closte_fail("fcgi client output: $out");
    }
    if ($keep_bodies) {
        $lines = file($bodies_file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [];
        $summary['bodies'] = array_map(fn ($line) => json_decode($line, true), $lines);
    }
    return $summary;
}

/** Threads of each worker, by pid (read from /proc as root). */
function worker_threads(array $pids): array
{
    $threads = [];
    foreach ($pids as $pid) {
        $status = (string) @file_get_contents("/proc/$pid/status");
        $threads[$pid] = preg_match('/^Threads:\s+(\d+)/m', $status, $m) ? (int) $m[1] : -1;
    }
    return $threads;
}

/** Connections the simulator accepted, minus this control call's own. */
function sim_connections(): int
{
    return (int) sim_request('GET', '/_sim/state')['connections'] - 1;
}

$requests = (int) (getenv('CLOSTE_FPM_REQUESTS') ?: 10000);
closte_test(number_format($requests) . ' requests over 4 static workers: all succeed, every event lands once, no hang, clean log', function () use ($requests) {
    sim_reset();
    [$dir, $port] = fpm_up('main');
    $workers_before = fpm_workers($dir);
    assert_same(WORKERS, count($workers_before), 'workers started');
    $threads_idle = worker_threads($workers_before);
    $connections_before = sim_connections();
    $summary = drive($dir, $port, $requests, 'op=mixed');
    $workers_after = fpm_workers($dir);
    $threads_busy = worker_threads($workers_after);
    $connections = sim_connections() - $connections_before - 1;
    $bad_log = fpm_bad_log($dir);
    fpm_down($dir);

    record_figure('fpm_requests', sprintf('%d requests, %d workers, %.1f s, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms',
        $requests, $summary['workers'], $summary['elapsed_s'], $summary['per_second'],
        $summary['latency_ms']['p50'], $summary['latency_ms']['p99'], $summary['latency_ms']['max']));
    record_figure('fpm_per_worker', json_encode(array_values($summary['per_worker'])));
    assert_same($requests, $summary['ok'], 'HTTP 200 answers (' . json_encode($summary['failures']) . ')');
    assert_same(WORKERS, $summary['workers'], 'workers that served requests');
    foreach ($summary['per_worker'] as $pid => $count) {
        assert_true($count >= $requests / WORKERS / 4, "worker $pid served a fair share ($count)");
    }
    assert_same($workers_before, $workers_after, 'the same workers before and after (none crashed or was killed)');
    // Nothing of the extension's runs in a worker that has not called it;
    // after, one client (and its runtime thread) per worker, kept alive.
    assert_same(array_fill_keys($workers_before, 1), $threads_idle, 'threads of each worker before any request');
    assert_same(array_fill_keys($workers_after, 2), $threads_busy, 'threads of each worker after serving');
    assert_same(WORKERS, $connections, 'connections to the simulator: one kept-alive connection per worker');
    record_figure('fpm_threads_connections', sprintf('%d workers: 1 thread each before, 2 after; %d connections for %d requests',
        WORKERS, $connections, $requests));
    assert_less_than(5000, $summary['latency_ms']['max'], 'slowest request in ms (no worker hung)');
    assert_same('', $bad_log, 'FPM and PHP error logs');
    // Every domain event reached the simulator exactly once.
    $aliases = sim_aliases();
    assert_same(count($aliases), count(array_unique($aliases)), 'no duplicate alias');
    assert_same($requests, count($aliases), 'one alias per request');
});

closte_test('the master uses the extension before forking (opcache.preload, non-root master): workers still fine', function () {
    sim_reset();
    [$dir, $port] = fpm_up('preload', ['FPM_MASTER_USER' => 'nobody', 'FPM_PRELOAD' => __DIR__ . '/../fpm/preload.php']);
    $report = json_decode((string) @file_get_contents("$dir/preload.json"), true);
    $master = (int) trim((string) file_get_contents("$dir/fpm.pid"));
    $master_threads = (int) trim(sh("grep -E '^Threads:' /proc/$master/status | awk '{print \$2}'")[1]);
    // Minus one: this control call's own connection.
    $master_connections = sim_connections();
    $workers = fpm_workers($dir);
    $threads_idle = worker_threads($workers);
    $summary = drive($dir, $port, 2000, 'op=add&retries=0&timeout=5');
    $threads_busy = worker_threads($workers);
    $worker_connections = sim_connections() - $master_connections - 1;
    $bad_log = fpm_bad_log($dir);
    fpm_down($dir);
    assert_same(true, $report['ok'] ?? null, 'preload called the extension: ' . json_encode($report));
    assert_same($master, $report['pid'], 'preload ran in the master process itself');
    // What the workers inherit: the master's HTTP client and its open,
    // kept-alive connection, and the client's runtime thread in the master
    // (a worker has no copy of that thread: it forgets the inherited client
    // and makes its own).
    assert_same(1, $master_connections, 'connections open at the simulator when the master forks');
    assert_same(2, $master_threads, 'threads of the master after it used the extension');
    // fork() copies only the forking thread: a worker starts with one, then
    // makes a client (and thread, and connection) of its own.
    assert_same(array_fill_keys($workers, 1), $threads_idle, 'threads of each worker before its first request');
    assert_same(array_fill_keys($workers, 2), $threads_busy, 'threads of each worker after serving');
    assert_same(WORKERS, $worker_connections, "connections opened by the workers (none writes on the master's)");
    record_figure('fpm_preload', sprintf('master %d used the extension (%d threads, %d kept-alive connection), then 2000 requests: %d ok, max %.1f ms',
        $master, $master_threads, $master_connections, $summary['ok'], $summary['latency_ms']['max']));
    assert_same(2000, $summary['ok'], 'HTTP 200 answers (' . json_encode($summary['failures']) . ')');
    assert_same(WORKERS, $summary['workers'], 'workers that served requests');
    assert_less_than(5000, $summary['latency_ms']['max'], 'slowest request in ms');
    assert_same('', $bad_log, 'FPM log');
    assert_same(2001, count(sim_aliases()), 'aliases: master.example.com + one per request');
});

closte_test('a hung Closte under FPM: every request ends within its timeout, workers recover', function () {
    sim_reset();
    [$dir, $port] = fpm_up('hang');
    $workers_before = fpm_workers($dir);
    sim_fault(['kind' => 'hang', 'ms' => 60000]);
    // As many in flight as workers: no request waits in FPM's queue.
    $hung = drive($dir, $port, 16, 'op=add&timeout=1&retries=0', WORKERS, 10, true);
    sim_request('DELETE', '/_sim/fault');
    $after = drive($dir, $port, 400, 'op=add');
    $workers_after = fpm_workers($dir);
    $bad_log = fpm_bad_log($dir);
    fpm_down($dir);
    record_figure('fpm_hang', sprintf('16 requests against a hung server (timeout 1 s): %s, max %.0f ms; then 400: %d ok',
        json_encode($hung['statuses']), $hung['latency_ms']['max'], $after['ok']));
    assert_same(['500' => 16], $hung['statuses'], 'each request answered with its TransportException');
    $host = parse_url(sim_url(), PHP_URL_HOST) . ':' . parse_url(sim_url(), PHP_URL_PORT);
    $errors = array_count_values(array_map(fn ($body) => (string) ($body['error'] ?? json_encode($body)), $hung['bodies']));
    assert_same(["Closte\TransportException: Could not reach Closte at $host: timed out, no whole answer within 1 s (1 attempt)" => 16],
        $errors, 'what each worker caught');
    assert_less_than(1000 + SLACK_FPM_MS, $hung['latency_ms']['max'], 'slowest request in ms');
    assert_same(400, $after['ok'], 'requests after the fault cleared');
    assert_same($workers_before, $workers_after, 'same workers');
    assert_same('', $bad_log, 'FPM log');
});

const SLACK_FPM_MS = 1500;

closte_test('a panic inside a worker (test-panic build): contained, the worker goes on serving', function () {
    $panic_so = getenv('CLOSTE_PANIC_SO');
    if (!is_string($panic_so) || !is_file($panic_so)) {
        closte_fail('CLOSTE_PANIC_SO (the test-panic build) is not set');
    }
    sim_reset();
    [$dir, $port] = fpm_up('panic', ['CLOSTE_SO' => $panic_so]);
    $workers_before = fpm_workers($dir);
    $summary = drive($dir, $port, 400, 'op=panic');
    $workers_after = fpm_workers($dir);
    $bad = array_filter(explode("\n", fpm_bad_log($dir)), function ($line) {
        // The panic hook's own report is expected here (workers' stderr).
        return trim($line) !== '' && strpos($line, 'panicked at') === false && strpos($line, 'deliberate panic') === false
            && strpos($line, 'note: run with `RUST_BACKTRACE') === false;
    });
    fpm_down($dir);
    assert_same(400, $summary['ok'], 'HTTP 200 answers (' . json_encode($summary['failures']) . ')');
    assert_same($workers_before, $workers_after, 'same workers (none died)');
    assert_same([], array_values($bad), 'FPM log, apart from the panic reports');
    assert_same(400, count(sim_aliases()), 'the call after each panic landed');
});

reliability_run();
