<?php
/**
 * Per-call benchmark, one PHP process, warm: WordPress is loaded (the real
 * wp-load.php of a throwaway install) and then N add + remove cycles run
 * back to back, either through the extension or the way Ultimate
 * Multisite's built-in Closte integration makes the same calls
 * (wp_remote_post, 45 s timeout, form body, then the status, the body and
 * json_decode). The same process set-up for both; only the call differs.
 *
 * Usage: php bench/percall.php ext|wp WP_DIR API_URL KEY CYCLES WARMUP OUT_FILE
 * Writes `add <µs>` / `remove <µs>` lines, one per measured call.
 */

declare(strict_types=1);

[$_, $mode, $wp_dir, $api_url, $key, $cycles, $warmup, $out] = $argv + array_fill(0, 8, '');
$cycles = (int) $cycles;
$warmup = (int) $warmup;
if (!in_array($mode, ['ext', 'wp'], true) || $cycles < 1 || $out === '') {
    fwrite(STDERR, "usage: php percall.php ext|wp WP_DIR API_URL KEY CYCLES WARMUP OUT_FILE\n");
    exit(2);
}

// wp-config.php on Closte hosting defines the key; so does this process.
define('CLOSTE_CLIENT_API_KEY', $key);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
error_reporting(E_ALL & ~E_DEPRECATED);
require "$wp_dir/wp-load.php";

/** What Closte_Host_Provider::send_closte_api_request does around the HTTP call (its logging left out). */
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

function ext_call(string $endpoint, string $domain): bool
{
    $result = $endpoint === '/adddomainalias' ? closte_add_domain($domain) : closte_remove_domain($domain);
    return $result['ok'] === true;
}

if ($mode === 'ext' && !function_exists('closte_add_domain')) {
    fwrite(STDERR, "the closte extension is not loaded\n");
    exit(2);
}

$lines = [];
$failures = 0;
for ($i = 0; $i < $warmup + $cycles; $i++) {
    $domain = "$mode-$i.example.com";
    foreach (['add' => '/adddomainalias', 'remove' => '/deletedomainalias'] as $label => $endpoint) {
        $t0 = hrtime(true);
        $ok = $mode === 'ext' ? ext_call($endpoint, $domain) : wp_path_call($api_url, $endpoint, $domain);
        $ns = hrtime(true) - $t0;
        if (!$ok) {
            $failures++;
        }
        if ($i >= $warmup) {
            $lines[] = sprintf("%s %.1f", $label, $ns / 1000);
        }
    }
}
file_put_contents($out, implode("\n", $lines) . "\n");
fprintf(STDERR, "percall %s: %d cycles, %d failure(s)\n", $mode, $cycles, $failures);
exit($failures === 0 ? 0 : 1);
