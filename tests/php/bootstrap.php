<?php
/**
 * Shared set-up of the extension's PHP-level tests: the harness, and a small
 * client for the simulator's control API (/_sim/...). tests/run.sh starts
 * the simulator and passes its base URL in CLOSTE_SIM_URL.
 */

declare(strict_types=1);

require_once __DIR__ . '/../lib/harness.php';
require_once __DIR__ . '/../lib/sim_client.php';

const TEST_KEY = 'sk_test_SECRET_k3y+/=&x';

if (!extension_loaded('closte')) {
    fwrite(STDERR, "the closte extension is not loaded\n");
    exit(2);
}

function sim_url(): string
{
    $url = getenv('CLOSTE_SIM_URL');
    if ($url === false || $url === '') {
        fwrite(STDERR, "CLOSTE_SIM_URL is not set (run tests through tests/run.sh)\n");
        exit(2);
    }
    return rtrim($url, '/');
}

/** The API base URL the extension is pointed at. */
function api_url(): string
{
    return sim_url() . '/api/client';
}

/** Options for a call against the simulator, fast timeouts unless overridden. */
function sim_options(array $extra = []): array
{
    return $extra + ['api_key' => TEST_KEY, 'api_url' => api_url(), 'timeout' => 5, 'connect_timeout' => 2];
}

/** A control call to the main simulator. */
function sim_request(string $method, string $path, ?array $json = null)
{
    return sim_at(sim_url(), $method, $path, $json);
}

function sim_reset(): void
{
    sim_request('POST', '/_sim/reset');
}

function sim_fault(array $fault): void
{
    sim_request('POST', '/_sim/fault', $fault);
}

function sim_aliases(string $key = TEST_KEY): array
{
    return sim_request('GET', '/_sim/aliases?key=' . rawurlencode($key))['domains'];
}

/** API requests the simulator received (without the key). */
function sim_requests(): array
{
    return sim_request('GET', '/_sim/requests');
}

function sim_request_count(): int
{
    return (int) sim_request('GET', '/_sim/state')['requests'];
}

/** The key as raw text and in every encoding a URL or form could carry. */
function key_spellings(string $key = TEST_KEY): array
{
    return array_values(array_unique([$key, urlencode($key), rawurlencode($key), 'SECRET_k3y']));
}

function assert_key_absent(string $text, string $where): void
{
    foreach (key_spellings() as $spelling) {
        assert_not_contains($spelling, $text, $where);
    }
}

function ms_since(float $start): float
{
    return (microtime(true) - $start) * 1000;
}

/**
 * Runs PHP code in a child `php` with the same extension, returns
 * [exit code, stdout + stderr]: for what only a whole process shows
 * (uncaught exceptions, fatal errors, php -i).
 */
function run_php(string $code, array $ini = []): array
{
    $args = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('CLOSTE_SO')];
    foreach ($ini as $name => $value) {
        $args[] = '-d';
        $args[] = "$name=$value";
    }
    $args[] = '-r';
    $args[] = $code;
    $proc = proc_open($args, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
    $output = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    return [proc_close($proc), $output];
}
