<?php
/**
 * Per-call benchmark, one PHP process: WordPress is loaded (the real
 * wp-load.php of a throwaway install) and then N add + remove cycles run
 * back to back, through one of:
 *   ext        the extension (URL from the ini entry closte.api_url)
 *   wp         the way Ultimate Multisite's built-in Closte integration makes
 *              the same calls (wp_remote_post, 45 s timeout, form body, then
 *              the status, the body and json_decode)
 *   curl       PHP's curl, a new handle per call
 *   curl-keep  PHP's curl, one handle for all calls (kept-alive: a reference)
 * The same process set-up for all; only the call differs. Over https, every
 * client trusts the CA in SSL_CERT_FILE (the extension reads it itself).
 *
 * Usage: php bench/percall.php MODE WP_DIR API_URL KEY CYCLES WARMUP OUT_FILE
 * Writes `add <µs>` / `remove <µs>` lines, one per measured call.
 */

declare(strict_types=1);

[$_, $mode, $wp_dir, $api_url, $key, $cycles, $warmup, $out] = $argv + array_fill(0, 8, '');
$cycles = (int) $cycles;
$warmup = (int) $warmup;
if (!in_array($mode, ['ext', 'wp', 'curl', 'curl-keep'], true) || $cycles < 1 || $out === '') {
    fwrite(STDERR, "usage: php percall.php ext|wp|curl|curl-keep WP_DIR API_URL KEY CYCLES WARMUP OUT_FILE\n");
    exit(2);
}

// wp-config.php on Closte hosting defines the key; so does this process.
define('CLOSTE_CLIENT_API_KEY', $key);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
error_reporting(E_ALL & ~E_DEPRECATED);
require "$wp_dir/wp-load.php";

$ca_file = (string) getenv('SSL_CERT_FILE');
if ($ca_file !== '') {
    // WordPress verifies against its own bundle unless told: the one
    // change to its request, made the way a plugin would.
    add_filter('http_request_args', static fn(array $args): array => ['sslcertificates' => $ca_file] + $args);
}

/** What Ultimate Multisite 2.14.2's Closte_Integration::api_call() does around the HTTP call. */
function wp_path_call(string $api_url, string $endpoint, string $domain): bool
{
    $response = wp_remote_post($api_url . $endpoint, [
        'blocking' => true,
        'timeout' => 45,
        'method' => 'POST',
        'headers' => [
            'Content-Type' => 'application/x-www-form-urlencoded',
            'User-Agent' => 'WP-Ultimo-Closte-Integration/2.0',
        ],
        'body' => [
            'apikey' => CLOSTE_CLIENT_API_KEY,
            'domain' => $domain,
            'wildcard' => str_starts_with($domain, '*.') ? '1' : '0',
        ],
    ]);
    if (is_wp_error($response)) {
        return false;
    }
    if (wp_remote_retrieve_response_code($response) >= 400) {
        return false;
    }
    $body = json_decode(wp_remote_retrieve_body($response), true);
    return is_array($body) && !empty($body['success']);
}

/** A call that took more than one attempt counts in $retried (it is slower, and not what a warm call is). */
function ext_call(string $endpoint, string $domain, int &$retried): bool
{
    try {
        $result = $endpoint === '/adddomainalias' ? closte_add_domain($domain) : closte_remove_domain($domain);
    } catch (Closte\Exception $e) {
        fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
        return false;
    }
    $retried += $result['attempts'] > 1 ? 1 : 0;
    return $result['ok'] === true;
}

/** The same POST with PHP's curl; $handle null means a new handle for this call. */
function curl_call(string $url, string $domain, ?CurlHandle $handle, string $ca_file): bool
{
    $h = $handle ?? curl_init();
    curl_setopt_array($h, [
        CURLOPT_URL => $url,
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => http_build_query(['apikey' => CLOSTE_CLIENT_API_KEY, 'domain' => $domain, 'wildcard' => '0']),
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 45,
        CURLOPT_TCP_NODELAY => true,
    ] + ($ca_file !== '' ? [CURLOPT_CAINFO => $ca_file] : []));
    $body = curl_exec($h);
    $ok = is_string($body) && curl_getinfo($h, CURLINFO_RESPONSE_CODE) < 400;
    $decoded = $ok ? json_decode($body, true) : null;
    return is_array($decoded) && !empty($decoded['success']);
}

if ($mode === 'ext' && !function_exists('closte_add_domain')) {
    fwrite(STDERR, "the closte extension is not loaded\n");
    exit(2);
}

$lines = [];
$failures = 0;
$retried = 0;
$keep = $mode === 'curl-keep' ? curl_init() : null;
for ($i = 0; $i < $warmup + $cycles; $i++) {
    $domain = "$mode-$i.example.com";
    foreach (['add' => '/adddomainalias', 'remove' => '/deletedomainalias'] as $label => $endpoint) {
        $t0 = hrtime(true);
        $ok = match ($mode) {
            'ext' => ext_call($endpoint, $domain, $retried),
            'wp' => wp_path_call($api_url, $endpoint, $domain),
            default => curl_call($api_url . $endpoint, $domain, $keep, $ca_file),
        };
        $ns = hrtime(true) - $t0;
        if (!$ok) {
            $failures++;
        }
        if ($i >= $warmup) {
            $lines[] = sprintf("%s %.1f", $label, $ns / 1000);
        }
    }
}
// Failures and retried calls go into the file too: the benchmark reports
// them instead of stopping.
file_put_contents($out, "# failures $failures retried $retried\n" . implode("\n", $lines) . "\n");
if ($failures + $retried > 0) {
    fprintf(STDERR, "percall %s: %d cycles, %d failure(s), %d retried\n", $mode, $cycles, $failures, $retried);
}
