<?php
/**
 * The main job, end to end: what the WordPress plugin does when Ultimate
 * Multisite maps and unmaps a customer's domain. Run through scripts/demo.sh,
 * which builds the extension and starts the Closte simulator on loopback.
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
show('Closte aliases at the end', closte_list_domains());
