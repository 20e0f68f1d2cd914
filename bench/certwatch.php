<?php
/**
 * Certificate watch benchmark, one PHP process: the plugin's
 * Closte_Native_Cert_Watch::run() over N mapped domains, each checked with
 * closte_ssl_status() against one of S local `openssl s_server` processes
 * (a CA made here; a wildcard leaf for *.bench.example, valid 90 days, on
 * all servers but the last, whose leaf expires in 5 days, so that a share
 * of the domains is reported and logged). The class is the plugin's own
 * file; what WordPress would provide around it is stubbed in memory: the
 * network options (kept serialized, unserialized on every read, as a
 * database read would), the filters, Ultimate Multisite's domain list, and
 * the logger (lines counted, not written). Names are not resolved through
 * DNS: the resolve filter answers 127.0.0.1 (on a real network each lookup
 * adds the resolver's time). For comparison, the same checks are then made
 * with a bare closte_ssl_status() loop.
 *
 * Usage: php -d extension=target/release/libcloste.so bench/certwatch.php [DOMAINS [SERVERS]]
 * (default 5000 domains, 4 servers; needs openssl on PATH). Prints the figures.
 */

declare(strict_types=1);

[$_, $count, $servers] = $argv + [null, '5000', '4'];
$count   = max(1, (int) $count);
$servers = max(2, (int) $servers);
if (!function_exists('closte_ssl_status')) {
    fwrite(STDERR, "the closte extension (with closte_ssl_status) is not loaded: php -d extension=target/release/libcloste.so ...\n");
    exit(2);
}

// ---- What WordPress and Ultimate Multisite provide, in memory.
define('ABSPATH', __DIR__ . '/');
define('MINUTE_IN_SECONDS', 60);
define('HOUR_IN_SECONDS', 3600);
define('DAY_IN_SECONDS', 86400);

$GLOBALS['bench_filters'] = [];
$GLOBALS['bench_options'] = [];
$GLOBALS['bench_option_reads'] = 0;
$GLOBALS['bench_option_writes'] = 0;

function add_filter(string $hook, callable $callback, int $priority = 10, int $args = 1): void
{
    $GLOBALS['bench_filters'][$hook][] = [$callback, $args];
}

/**
 * @param mixed $value
 * @param mixed ...$more
 * @return mixed
 */
function apply_filters(string $hook, $value, ...$more)
{
    foreach ($GLOBALS['bench_filters'][$hook] ?? [] as [$callback, $args]) {
        $value = $callback(...array_slice(array_merge([$value], $more), 0, $args));
    }
    return $value;
}

/**
 * @param mixed $fallback
 * @return mixed
 */
function get_network_option($network, string $name, $fallback = false)
{
    $GLOBALS['bench_option_reads']++;
    return isset($GLOBALS['bench_options'][$name]) ? unserialize($GLOBALS['bench_options'][$name]) : $fallback;
}

/**
 * @param mixed $value
 */
function update_network_option($network, string $name, $value): bool
{
    $serialized = serialize($value);
    if (($GLOBALS['bench_options'][$name] ?? null) === $serialized) {
        return false;
    }
    $GLOBALS['bench_option_writes']++;
    $GLOBALS['bench_options'][$name] = $serialized;
    return true;
}

function delete_network_option($network, string $name): bool
{
    unset($GLOBALS['bench_options'][$name]);
    return true;
}

function wp_cache_delete(string $key, string $group = ''): bool
{
    return true;
}

function get_current_network_id(): int
{
    return 1;
}

function get_network(): object
{
    return (object) ['domain' => 'bench.localhost'];
}

final class Closte_Native_Um_State
{
    /** @var string[] */
    public static $domains = [];

    /** @return string[] */
    public static function mapped_domains(): array
    {
        return self::$domains;
    }
}

require dirname(__DIR__) . '/wp-plugin/includes/class-closte-native-logger.php';
require dirname(__DIR__) . '/wp-plugin/includes/class-closte-native-cert-watch.php';

final class Bench_Logger extends Closte_Native_Logger
{
    /** @var array<string, int> */
    public $lines = [];

    /** @var int */
    public $bytes = 0;

    public function log($level, $message)
    {
        $this->lines[$level] = ($this->lines[$level] ?? 0) + 1;
        $this->bytes += strlen((string) $message) + 1;
    }
}

// ---- The TLS servers.
$dir = sys_get_temp_dir() . '/closte-bench-certwatch-' . getmypid();
mkdir($dir, 0700, true);

function bench_openssl(array $args): void
{
    exec('openssl ' . implode(' ', array_map('escapeshellarg', $args)) . ' 2>&1', $out, $status);
    if ($status !== 0) {
        fwrite(STDERR, "openssl failed:\n" . implode("\n", $out) . "\n");
        exit(1);
    }
}

function bench_free_port(): int
{
    $server = stream_socket_server('tcp://127.0.0.1:0');
    $name = (string) stream_socket_get_name($server, false);
    fclose($server);
    return (int) substr($name, strrpos($name, ':') + 1);
}

$curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
bench_openssl(array_merge(['req', '-x509'], $curve, ['-days', '120', '-subj', '/CN=Closte Bench CA', '-keyout', "$dir/ca.key", '-out', "$dir/ca.pem"]));
file_put_contents("$dir/leaf.ext", "subjectAltName=DNS:*.bench.example\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
foreach (['good' => 90, 'soon' => 5] as $name => $days) {
    bench_openssl(array_merge(['req'], $curve, ['-subj', '/CN=*.bench.example', '-keyout', "$dir/$name.key", '-out', "$dir/$name.csr"]));
    bench_openssl(['x509', '-req', '-in', "$dir/$name.csr", '-CA', "$dir/ca.pem", '-CAkey', "$dir/ca.key", '-CAcreateserial', '-days', (string) $days, '-extfile', "$dir/leaf.ext", '-out', "$dir/$name.pem"]);
}
$ports = [];
$processes = [];
for ($i = 0; $i < $servers; $i++) {
    $leaf = $i === $servers - 1 ? 'soon' : 'good';
    $port = bench_free_port();
    $processes[] = proc_open(
        ['openssl', 's_server', '-quiet', '-www', '-accept', "127.0.0.1:$port", '-cert', "$dir/$leaf.pem", '-key', "$dir/$leaf.key"],
        [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', "$dir/s_server-$i.log", 'w']],
        $pipes
    );
    $ports[] = $port;
}
register_shutdown_function(function () use ($processes, $dir): void {
    foreach ($processes as $process) {
        proc_terminate($process);
        proc_close($process);
    }
    array_map('unlink', (array) glob("$dir/*"));
    rmdir($dir);
});
foreach ($ports as $port) {
    $socket = false;
    for ($try = 0; $try < 100 && $socket === false; $try++) {
        $socket = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.2);
        if ($socket === false) {
            usleep(100000);
        }
    }
    if ($socket === false) {
        fwrite(STDERR, "openssl s_server did not start on $port\n");
        exit(1);
    }
    fclose($socket);
}

// ---- The domains and where their checks go.
$domains = [];
$port_of = [];
for ($i = 0; $i < $count; $i++) {
    $name = "d-$i.bench.example";
    $domains[] = $name;
    $port_of[$name] = $ports[$i % $servers];
}
Closte_Native_Um_State::$domains = $domains;
add_filter('closte_native_cert_watch_options', function (array $options, string $domain) use ($port_of, $dir): array {
    return ['host' => '127.0.0.1', 'port' => $port_of[$domain], 'ca_file' => "$dir/ca.pem", 'timeout' => 5] + $options;
}, 10, 2);
add_filter('closte_native_cert_watch_pre_resolve', function ($pre, string $name): array {
    return ['127.0.0.1'];
}, 10, 2);
add_filter('closte_native_cert_watch_budget', function (): int {
    return 3600;
});

// ---- The run.
$logger = new Bench_Logger();
$watch = new Closte_Native_Cert_Watch($logger);
gc_collect_cycles();
$memory_before = memory_get_usage();
$t0 = hrtime(true);
$report = $watch->run();
$seconds = (hrtime(true) - $t0) / 1e9;
$memory_peak = memory_get_peak_usage();
$option_bytes = strlen($GLOBALS['bench_options'][Closte_Native_Cert_Watch::RESULTS_OPTION] ?? '');
$summary_bytes = strlen($GLOBALS['bench_options'][Closte_Native_Cert_Watch::SUMMARY_OPTION] ?? '');
$t1 = hrtime(true);
$results = Closte_Native_Cert_Watch::last_results();
$read_ms = (hrtime(true) - $t1) / 1e6;

// ---- The same checks, bare.
$t2 = hrtime(true);
$bare_valid = 0;
foreach ($domains as $name) {
    $status = closte_ssl_status($name, ['host' => '127.0.0.1', 'port' => $port_of[$name], 'ca_file' => "$dir/ca.pem", 'timeout' => 5]);
    $bare_valid += $status['valid'] ? 1 : 0;
}
$bare_seconds = (hrtime(true) - $t2) / 1e9;

printf("domains: %d against %d openssl s_server processes (the last one's certificate expires in 5 days)\n", $count, $servers);
printf("run(): checked %d, left %d, valid %d, not valid %d, expiring %d, error '%s'\n", $report['checked'], $report['left'], $report['valid'], $report['invalid'], $report['expiring'], $report['error']);
printf("run(): %.2f s, %.0f checks/s, %.2f ms per domain (%s the default 300 s budget)\n", $seconds, $report['checked'] / $seconds, 1000 * $seconds / max(1, $report['checked']), $seconds < 300 ? 'within' : 'over');
printf("bare closte_ssl_status() loop: %.2f s, %.0f checks/s (%d valid); run() costs %.2fx\n", $bare_seconds, $count / $bare_seconds, $bare_valid, $seconds / $bare_seconds);
printf("memory: %.1f MiB before the run, peak %.1f MiB (+%.1f MiB)\n", $memory_before / 1048576, $memory_peak / 1048576, ($memory_peak - $memory_before) / 1048576);
printf("results option: %d bytes serialized (%.0f bytes a domain), summary option %d bytes; %d option writes, %d reads; last_results() read %.1f ms\n", $option_bytes, $option_bytes / max(1, count($results)), $summary_bytes, $GLOBALS['bench_option_writes'], $GLOBALS['bench_option_reads'], $read_ms);
printf("log: %s (%d bytes)\n", json_encode($logger->lines), $logger->bytes);
