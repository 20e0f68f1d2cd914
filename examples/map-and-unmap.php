<?php
/**
 * The main job, end to end: what the WordPress plugin does when Ultimate
 * Multisite maps and unmaps a customer's domain, a simulated outage ridden
 * out, a timeout that holds, and a certificate checked. Run through
 * scripts/demo.sh, which builds the extension and starts the Closte
 * simulator and a TLS server on loopback.
 */

declare(strict_types=1);

$api_url = getenv('CLOSTE_SIM_URL') . '/api/client';
// On Closte hosting this constant is already in wp-config.php.
define('CLOSTE_CLIENT_API_KEY', 'demo-key-not-a-secret');
ini_set('closte.api_url', $api_url);

function show(string $what, $value): void
{
    echo str_pad($what, 34), is_string($value) ? $value : json_encode($value, JSON_UNESCAPED_SLASHES), "\n";
}

show('extension', 'closte ' . closte_version());
show('Closte API (simulator)', $api_url);
show('connection test', closte_test_connection());

$domain = 'Shop.Customer-Example.com';
show("map \"$domain\"", closte_add_domain($domain));
show('Closte aliases now', closte_list_domains());
show('map "*.customer-example.com"', closte_add_domain('*.customer-example.com'));
show('unmap "shop.customer-example.com"', closte_remove_domain('shop.customer-example.com'));
show('Closte aliases now', closte_list_domains());
show('bulk sync of 3 domains', closte_sync_domains(['a.example.net', 'b.example.net', 'c.example.net']));

try {
    closte_add_domain("bad domain\r\nX-Injected: 1");
} catch (Closte\InvalidDomainException $e) {
    show('bad input (nothing sent)', get_class($e) . ': ' . $e->getMessage());
}
try {
    closte_add_domain('site.closte.com');
} catch (Closte\ManagedDomainException $e) {
    // The class says it; Closte's own words ride along in getApiError().
    show('Closte refuses its own names', get_class($e) . ': ' . $e->getMessage() . ' (Closte said: ' . $e->getApiError() . ')');
}

// The simulator's control API switches faults on: what Closte down looks like.
function sim_fault(?array $plan): void
{
    $context = stream_context_create(['http' => [
        'method' => $plan === null ? 'DELETE' : 'POST',
        'header' => "Content-Type: application/json\r\n",
        'content' => $plan === null ? '' : json_encode($plan),
    ]]);
    file_get_contents(getenv('CLOSTE_SIM_URL') . '/_sim/fault', false, $context);
}

sim_fault(['kind' => 'status', 'status' => 503, 'count' => 2]);
$result = closte_add_domain('outage.customer-example.com');
show('503 twice, then Closte is back', sprintf('ok after %d attempts, %d ms', $result['attempts'], $result['elapsed_ms']));

sim_fault(['kind' => 'hang']);
$started = microtime(true);
try {
    closte_add_domain('hang.customer-example.com', ['timeout' => 1, 'retries' => 0]);
} catch (Closte\TransportException $e) {
    show('Closte hangs, timeout 1 s', sprintf('%s after %.2f s: %s', get_class($e), microtime(true) - $started, $e->getMessage()));
}
sim_fault(null);

$port = (int) getenv('CLOSTE_DEMO_TLS_PORT');
if ($port > 0) {
    $ssl = closte_ssl_status('shop.customer-example.com', ['host' => '127.0.0.1', 'port' => $port, 'ca_file' => (string) getenv('CLOSTE_DEMO_CA'), 'timeout' => 5]);
    show('certificate of shop.customer-...', sprintf('valid=%s, issuer %s, %d days left', $ssl['valid'] ? 'yes' : 'no', $ssl['issuer'], $ssl['days_left']));
    $wrong = closte_ssl_status('other.customer-example.com', ['host' => '127.0.0.1', 'port' => $port, 'ca_file' => (string) getenv('CLOSTE_DEMO_CA'), 'timeout' => 5]);
    show('the same server for another name', sprintf('valid=%s, error_code %s: %s', $wrong['valid'] ? 'yes' : 'no', $wrong['error_code'], $wrong['error']));
}

show('Closte aliases at the end', closte_list_domains());

echo <<<'NEXT'

What to try next:
  bash tests/run.sh                         every test (installs what it needs)
  php -d extension=target/release/libcloste.so --ri closte   the settings and version
  php-stubs/closte.php                      every function, option and exception
  README.md, "Install on a WordPress network"   the plugin on a real network
  simulator/README.md                       every fault the simulator can play

NEXT;
