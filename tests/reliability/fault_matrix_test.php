<?php
/**
 * The fault matrix: every fault the network, Closte or a stranger can throw
 * at a call, and what PHP sees. For each: the exception class, the number of
 * attempts (counted at the server, not taken from the extension), the
 * elapsed time against the bound the settings allow, the message (built
 * from the kind of failure, its attempt count the one the server saw, never
 * quoting what the server sent), what getApiError() says, and the key
 * absent from everything printed. A redirect to another host is checked at that
 * host (a second simulator on 127.0.0.2): it must receive nothing. The
 * untrusted-certificate server is Debian's `openssl s_server` with a
 * self-signed certificate made at test time.
 *
 * Prints the table; with CLOSTE_FAULT_TABLE=FILE also writes it there as
 * markdown (scripts/reliability.sh puts it into docs/RELIABILITY.md).
 */

require __DIR__ . '/bootstrap.php';

const TIMEOUT_S = 1.0;
const RETRIES = 2;
/** Backoff before retry k is at most 200 ms * 2^(k-1) (core/src/retry.rs). */
const MAX_BACKOFF_MS = 200 + 400;
/** Scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 750;

$GLOBALS['matrix_rows'] = [];

function matrix_options(array $extra = []): array
{
    return sim_options($extra + ['timeout' => TIMEOUT_S, 'connect_timeout' => TIMEOUT_S, 'retries' => RETRIES]);
}

/**
 * Runs $call, returns [throwable or null, result or null, elapsed ms,
 * everything printed about it].
 */
function observe(callable $call): array
{
    $start = microtime(true);
    $error = null;
    $result = null;
    try {
        $result = $call();
    } catch (\Throwable $e) {
        $error = $e;
    }
    $elapsed = ms_since($start);
    if ($error !== null) {
        $printed = printed_forms($error);
    } else {
        ob_start();
        var_dump($result);
        print_r($result);
        $printed = (string) ob_get_clean();
    }
    return [$error, $result, $elapsed, $printed];
}

/** "host:port" of a URL, as the extension's messages name it. */
function host_of(string $url): string
{
    $parts = parse_url($url);
    return $parts['host'] . (isset($parts['port']) ? ':' . $parts['port'] : '');
}

/** " (1 attempt)", " (3 attempts)": how the messages count attempts. */
function attempts_text(int $n): string
{
    return " ($n attempt" . ($n === 1 ? '' : 's') . ')';
}

/**
 * One row: asserts class, attempts, time and message, records the row.
 * $expect: class (or 'ok'), attempts, bound_ms, bound (text), min_ms;
 * message (the exact text, with {host} for the API's host:port; host
 * defaults to the simulator's), api_error (what getApiError() must
 * return; ApiException only), not_quoted (texts the server sent, which
 * the message may not carry).
 */
function matrix_row(string $fault, array $observed, int $attempts, array $expect): void
{
    [$error, $result, $elapsed, $printed] = $observed;
    $class = $error === null ? 'ok' : get_class($error);
    $short = $class === 'ok' ? 'none (success)' : '`' . $class . '`';
    if ($error instanceof Closte\ApiException) {
        $short .= ' (' . $error->getStatusCode() . ')';
    }
    $host = $expect['host'] ?? host_of(api_url());
    $message = $error === null ? '' : $error->getMessage();
    // The table shows the message with the test's port replaced.
    $shown = $message === '' ? '' : str_replace($host, preg_replace('/:\d+$/', ':PORT', $host), $message);
    $GLOBALS['matrix_rows'][] = [$fault, $short, $attempts, (int) round($elapsed), $expect['bound'], $shown];
    assert_same($expect['class'], $class, "$fault: outcome" . ($error ? ' (' . $message . ')' : ''));
    assert_same($expect['attempts'], $attempts, "$fault: attempts counted at the server");
    assert_less_than($expect['bound_ms'], $elapsed, "$fault: elapsed ms");
    if (isset($expect['min_ms'])) {
        assert_true($elapsed >= $expect['min_ms'], "$fault: took at least {$expect['min_ms']} ms ($elapsed)");
    }
    assert_key_absent($printed, "$fault: printed forms");
    if ($error instanceof Closte\Exception) {
        assert_contains('SensitiveParameterValue', $error->getTraceAsString(), "$fault: options hidden in the trace");
        assert_same(false, (bool) preg_match('/[\r\n]/', $message), "$fault: one-line message");
        assert_true(isset($expect['message']), "$fault: the row names its expected message");
        assert_same(str_replace('{host}', $host, $expect['message']), $message, "$fault: message");
        foreach ($expect['not_quoted'] ?? [] as $sent) {
            assert_not_contains($sent, $message, "$fault: the message does not quote the server");
        }
    }
    if ($error instanceof Closte\ApiException) {
        assert_same($expect['api_error'] ?? null, $error->getApiError(), "$fault: getApiError()");
    }
}

/** The simulator case: reset, set $fault, call add (and list), count. */
function sim_case(string $label, array $fault, array $expect, array $options = []): void
{
    sim_reset();
    sim_fault($fault);
    $observed = observe(function () use ($options) {
        return closte_add_domain('fault.example.com', matrix_options($options));
    });
    $attempts = sim_request_count();
    sim_request('DELETE', '/_sim/fault');
    matrix_row($label, $observed, $attempts, $expect);

    // The same fault on getdomains, whose query string carries the key.
    sim_reset();
    sim_fault($fault);
    [$error, , , $printed] = observe(function () use ($options) {
        return closte_list_domains(matrix_options($options));
    });
    sim_request('DELETE', '/_sim/fault');
    $class = $error === null ? 'ok' : get_class($error);
    if ($expect['class'] !== 'ok') {
        assert_same($expect['class'], $class, "$label on getdomains");
        $host = host_of(api_url());
        assert_same(str_replace('{host}', $host, $expect['message'] ?? ''), $error ? $error->getMessage() : '', "$label on getdomains: message");
    }
    assert_key_absent($printed, "$label on getdomains");
}

/** Bounds, named the way the table shows them. */
function bound_fast(int $attempts): array
{
    $ms = ($attempts - 1 > 0 ? MAX_BACKOFF_MS : 0) + SLACK_MS;
    $text = $attempts > 1 ? 'backoff 0.6 s + slack' : 'one answer + slack';
    return ['bound_ms' => $ms, 'bound' => "< $ms ms ($text)"];
}

const REASONS = [500 => 'Internal Server Error', 502 => 'Bad Gateway', 503 => 'Service Unavailable', 504 => 'Gateway Timeout'];

closte_test('HTTP status faults: 500 fails at once; 502/503/504 after 1 + retries attempts', function () {
    // The simulator's body is {"success":false,"error":"Simulated <status>"}:
    // Closte's words, which only getApiError() returns.
    foreach ([500 => 1, 502 => 3, 503 => 3, 504 => 3] as $status => $attempts) {
        sim_case("HTTP $status", ['kind' => 'status', 'status' => $status], ['class' => 'Closte\ApiException', 'attempts' => $attempts,
            'message' => "Closte answered HTTP $status (" . REASONS[$status] . ')' . attempts_text($attempts),
            'api_error' => "Simulated $status", 'not_quoted' => ['Simulated']] + bound_fast($attempts));
    }
});

closte_test('429 with Retry-After: honoured on each retry; longer than the timeout: no retry', function () {
    $bound = 2 * 1000 + SLACK_MS;
    sim_case('HTTP 429, Retry-After: 1', ['kind' => 'rate_limit', 'retry_after' => 1],
        ['class' => 'Closte\ApiException', 'attempts' => 3, 'bound_ms' => $bound, 'min_ms' => 1900,
         'bound' => "< $bound ms (2 x Retry-After + slack)",
         'message' => 'Closte answered HTTP 429 (Too Many Requests) (3 attempts)', 'api_error' => 'Too Many Requests']);
    sim_case('HTTP 429, Retry-After: 3600', ['kind' => 'rate_limit', 'retry_after' => 3600],
        ['class' => 'Closte\ApiException', 'attempts' => 1,
         'message' => 'Closte answered HTTP 429 and asked to retry after 3600 s, longer than this call may wait',
         'api_error' => 'Too Many Requests'] + bound_fast(1));
});

closte_test('latency past the timeout and a hung server: TransportException within (1 + retries) x timeout + backoff', function () {
    $bound = (int) ((RETRIES + 1) * TIMEOUT_S * 1000 + MAX_BACKOFF_MS + SLACK_MS);
    $expect = ['class' => 'Closte\TransportException', 'attempts' => 3, 'bound_ms' => $bound, 'min_ms' => 2900,
        'bound' => "< $bound ms (3 x 1 s timeout + backoff + slack)",
        'message' => 'Could not reach Closte at {host}: timed out, no whole answer within 1 s (3 attempts)'];
    sim_case('latency 3 s (timeout 1 s)', ['kind' => 'latency', 'ms' => 3000], $expect);
    sim_case('hang (accepts, never answers)', ['kind' => 'hang', 'ms' => 30000], $expect);
});

closte_test('bodies that are not Closte JSON: ApiException, not retried', function () {
    $api = ['class' => 'Closte\ApiException', 'attempts' => 1] + bound_fast(1);
    $not_json = 'Closte answered HTTP 200 with a body that is not JSON';
    sim_case('invalid JSON', ['kind' => 'bad_json'], ['message' => $not_json, 'not_quoted' => ['success']] + $api);
    sim_case('HTML error page', ['kind' => 'html'], ['message' => $not_json, 'not_quoted' => ['Something went wrong', '<']] + $api);
    sim_case('empty body', ['kind' => 'empty'], ['message' => 'Closte answered HTTP 200 with an empty body'] + $api);
    sim_case('oversized body (2 MiB, cap 1 MiB)', ['kind' => 'oversized', 'bytes' => 2 << 20],
        ['message' => "Closte's answer (HTTP 200) is larger than 1048576 bytes; not read", 'not_quoted' => ['xxxx']] + $api);
});

closte_test('a connection that breaks: TransportException after 1 + retries attempts', function () {
    // truncated: a Content-Length 200 bytes longer than the body, then the
    // connection closes; reset: closed without an answer.
    $transport = ['class' => 'Closte\TransportException', 'attempts' => 3,
        'message' => 'Could not reach Closte at {host}: the connection closed before a whole answer came (3 attempts)'] + bound_fast(3);
    sim_case('truncated body', ['kind' => 'truncated'], ['not_quoted' => ['domains']] + $transport);
    sim_case('connection reset', ['kind' => 'reset'], $transport);
});

closte_test('dropped answer after Closte applied the change: the retry converges, alias once', function () {
    sim_reset();
    sim_fault(['kind' => 'success_after_apply', 'count' => 1]);
    $observed = observe(function () {
        return closte_add_domain('landed.example.com', matrix_options());
    });
    $attempts = sim_request_count();
    matrix_row('answer lost after the change was applied', $observed, $attempts, ['class' => 'ok', 'attempts' => 2] + bound_fast(2));
    assert_same(['landed.example.com'], sim_aliases(), 'alias present exactly once');
});

closte_test('redirect to another host: refused, and the other host receives nothing', function () {
    $other = start_extra_simulator('127.0.0.2:0', 'redirect-target');
    foreach (['adddomainalias', 'getdomains'] as $endpoint) {
        $location = "$other/api/client/$endpoint";
        sim_reset();
        sim_fault(['kind' => 'redirect', 'location' => $location]);
        $observed = observe(function () use ($endpoint) {
            return $endpoint === 'getdomains'
                ? closte_list_domains(matrix_options())
                : closte_add_domain('fault.example.com', matrix_options());
        });
        $attempts = sim_request_count();
        sim_request('DELETE', '/_sim/fault');
        $expect = ['class' => 'Closte\ApiException', 'attempts' => 1,
            'message' => 'Closte answered with a redirect (HTTP 302); redirects are not followed (1 attempt)',
            'not_quoted' => ['127.0.0.2', 'redirect-target']] + bound_fast(1);
        if ($endpoint === 'adddomainalias') {
            matrix_row('redirect to another host', $observed, $attempts, $expect);
        } else {
            assert_same($expect['class'], $observed[0] ? get_class($observed[0]) : 'ok', 'getdomains redirect');
            assert_same($expect['message'], $observed[0] ? $observed[0]->getMessage() : '', 'getdomains redirect: message');
            assert_key_absent($observed[3], 'getdomains redirect');
        }
        $state = sim_at($other, 'GET', '/_sim/state');
        assert_same(0, (int) $state['requests'], "requests at the redirect target ($endpoint)");
    }
});

closte_test('connection refused: TransportException after 1 + retries attempts', function () {
    $port = free_port();
    $observed = observe(function () use ($port) {
        return closte_add_domain('fault.example.com', matrix_options(['api_url' => "http://127.0.0.1:$port/api/client"]));
    });
    // Nothing listens, so nothing counts attempts at the server: the count
    // in the message is the one checked, against 1 + retries.
    matrix_row('connection refused (nothing listening)', $observed, 3, ['class' => 'Closte\TransportException', 'attempts' => 3,
        'host' => "127.0.0.1:$port", 'message' => 'Could not reach Closte at {host}: connection refused (3 attempts)'] + bound_fast(3));
});

/** Starts `openssl s_server` with a fresh self-signed leaf certificate. */
function start_tls_server(string $name, array $extra_args = []): array
{
    $dir = temp_dir("tls-$name");
    $cmd = ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', "$dir/key.pem", '-out', "$dir/cert.pem",
        '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-addext', 'basicConstraints=critical,CA:FALSE'];
    $proc = proc_open($cmd, [1 => ['file', '/dev/null', 'w'], 2 => ['file', "$dir/req.log", 'w']], $pipes);
    if (proc_close($proc) !== 0) {
        closte_fail('openssl req failed: ' . file_get_contents("$dir/req.log"));
    }
    $port = free_port();
    $log = "$dir/s_server.log";
    @unlink($log);
    $server = start_process(array_merge(['openssl', 's_server', '-accept', "127.0.0.1:$port", '-cert', "$dir/cert.pem",
        '-key', "$dir/key.pem", '-www'], $extra_args), $log);
    wait_for_port('127.0.0.1', $port);
    usleep(100000);
    // The port probe above was one connection without a handshake.
    return [$server, $port, $log, count_tls_failures($log)];
}

/** Failed handshakes in the s_server log: one `error:` line each (a bare
 * connect-and-close, like the port probe, logs "unexpected eof" instead). */
function count_tls_failures(string $log): int
{
    clearstatcache();
    $count = 0;
    foreach (explode("\n", (string) @file_get_contents($log)) as $line) {
        if (strpos($line, 'error:') !== false && strpos($line, 'unexpected eof') === false) {
            $count++;
        }
    }
    return $count;
}

closte_test('TLS server with an untrusted certificate: TransportException at once, not retried, nothing sent', function () {
    [$server, $port, $log, $before] = start_tls_server('untrusted');
    $observed = observe(function () use ($port) {
        return closte_add_domain('fault.example.com', matrix_options(['api_url' => "https://127.0.0.1:$port/api/client"]));
    });
    usleep(200000);
    $handshakes = count_tls_failures($log) - $before;
    matrix_row('TLS, self-signed certificate (untrusted)', $observed, $handshakes,
        ['class' => 'Closte\TransportException', 'attempts' => 1, 'host' => "127.0.0.1:$port",
         // The API client does not read the refused certificate, so a
         // self-signed one is named by what the verifier says: no trusted
         // issuer (closte_ssl_status() reads it and says self_signed).
         'message' => 'Could not reach Closte at {host}: its certificate is not issued by a trusted authority'
             . ' (behind a TLS-inspecting proxy, set closte.ca_file); not retried (1 attempt)'] + bound_fast(1));
    assert_key_absent((string) file_get_contents($log), 's_server output (nothing was decrypted)');
    assert_not_contains('apikey', (string) file_get_contents($log), 's_server output');
    stop_process($server);
});

closte_test('TLS server that only speaks TLS 1.1: TransportException (TLS >= 1.2)', function () {
    [$server, $port, $log, $before] = start_tls_server('tls11', ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']);
    $observed = observe(function () use ($port) {
        return closte_list_domains(matrix_options(['api_url' => "https://127.0.0.1:$port/api/client", 'retries' => 0]));
    });
    usleep(200000);
    $attempts = count_tls_failures($log) - $before;
    matrix_row('TLS 1.1-only server (retries 0)', $observed, $attempts,
        ['class' => 'Closte\TransportException', 'attempts' => 1, 'host' => "127.0.0.1:$port",
         'message' => 'Could not reach Closte at {host}: the TLS handshake failed (1 attempt)'] + bound_fast(1));
    stop_process($server);
});

closte_test('the table', function () {
    $lines = [
        '| fault | exception | attempts | elapsed ms | bound | message |',
        '|---|---|---:|---:|---|---|',
    ];
    foreach ($GLOBALS['matrix_rows'] as [$fault, $class, $attempts, $elapsed, $bound, $message]) {
        $message = $message === '' ? '' : '"' . str_replace('|', '\\|', $message) . '"';
        $lines[] = "| $fault | $class | $attempts | $elapsed | $bound | $message |";
    }
    $table = implode("\n", $lines) . "\n";
    echo $table;
    $file = getenv('CLOSTE_FAULT_TABLE');
    if (is_string($file) && $file !== '') {
        file_put_contents($file, $table);
    }
    assert_true(count($GLOBALS['matrix_rows']) >= 16, 'every fault has a row (' . count($GLOBALS['matrix_rows']) . ')');
});

reliability_run();
