<?php
/**
 * Starts hostile servers (hostile_server.php) for a test file and stops
 * them, and their temporary folder, when the file ends.
 */

const HOSTILE_KEY = 'sk_live_7Hq2mZ9xW4vB8nK3pL6tR1yC5dF0gJ+/=';
$GLOBALS['hostile_procs'] = [];
$GLOBALS['hostile_dir'] = sys_get_temp_dir() . '/closte-hostile-' . getmypid();
mkdir($GLOBALS['hostile_dir']);

register_shutdown_function(function () {
    foreach ($GLOBALS['hostile_procs'] as $proc) {
        // Its per-connection children first (a trickle may still be going).
        $pid = (int) proc_get_status($proc)['pid'];
        exec('pkill -9 -P ' . $pid . ' 2>/dev/null');
        proc_terminate($proc, 9);
        proc_close($proc);
    }
    exec('rm -rf ' . escapeshellarg($GLOBALS['hostile_dir']));
});

function fixture(string $file): string
{
    return dirname(__DIR__, 3) . "/core/src/cert/testdata/$file";
}

/** Starts a hostile server; returns its port. */
function hostile(string $mode, bool $tls = false): int
{
    $port_file = $GLOBALS['hostile_dir'] . '/port-' . count($GLOBALS['hostile_procs']);
    $argv = [PHP_BINARY, '-n', __DIR__ . '/hostile_server.php', $port_file, $mode, HOSTILE_KEY];
    if ($tls) {
        array_push($argv, fixture('fixture-leaf.pem'), fixture('fixture-leaf.key'));
    }
    $proc = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => STDERR], $pipes);
    $GLOBALS['hostile_procs'][] = $proc;
    for ($i = 0; $i < 200 && !is_file($port_file); $i++) {
        usleep(25000);
    }
    if (!is_file($port_file)) {
        closte_fail("hostile server ($mode) did not start");
    }
    return (int) file_get_contents($port_file);
}

function hostile_options(int $port, bool $tls, array $extra = []): array
{
    $scheme = $tls ? 'https' : 'http';
    $base = ['api_key' => HOSTILE_KEY, 'api_url' => "$scheme://127.0.0.1:$port/api/client", 'timeout' => 5, 'connect_timeout' => 1, 'retries' => 0];
    if ($tls) {
        $base['ca_file'] = fixture('fixture-ca.pem');
    }
    return $extra + $base;
}

