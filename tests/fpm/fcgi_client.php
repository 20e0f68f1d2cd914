<?php
/**
 * A small FastCGI client (responder role) that drives PHP-FPM directly, with
 * no web server in between: N requests, C connections in flight, one new
 * connection per request (so FPM hands each to whichever worker accepts
 * first), then a JSON summary on stdout.
 *
 *   php -n tests/fpm/fcgi_client.php --port 9001 --script /abs/app.php \
 *       --requests 10000 --concurrency 8 --query 'op=add' [--timeout 30] \
 *       [--bodies FILE]
 *
 * The query string gets `&n=<request number>` appended. When a response body
 * is JSON with a `pid` field (tests/fpm/app.php answers so), the summary
 * counts requests per worker pid; any other JSON fields named in --sum are
 * added up per pid (e.g. --sum calls). Exit code 0 when every request got
 * HTTP 200, 1 otherwise.
 */

declare(strict_types=1);

const FCGI_BEGIN_REQUEST = 1;
const FCGI_END_REQUEST = 3;
const FCGI_PARAMS = 4;
const FCGI_STDIN = 5;
const FCGI_STDOUT = 6;
const FCGI_STDERR = 7;
const FCGI_RESPONDER = 1;

function fcgi_record(int $type, string $content, int $id = 1): string
{
    $out = '';
    // A record carries at most 65535 bytes; longer content is split.
    foreach ($content === '' ? [''] : str_split($content, 65535) as $chunk) {
        $padding = (8 - strlen($chunk) % 8) % 8;
        $out .= pack('CCnnCx', 1, $type, $id, strlen($chunk), $padding) . $chunk . str_repeat("\0", $padding);
    }
    return $out;
}

function fcgi_length(int $length): string
{
    return $length < 128 ? chr($length) : pack('N', $length | 0x80000000);
}

function fcgi_params(array $params): string
{
    $body = '';
    foreach ($params as $name => $value) {
        $name = (string) $name;
        $value = (string) $value;
        $body .= fcgi_length(strlen($name)) . fcgi_length(strlen($value)) . $name . $value;
    }
    return $body;
}

/** The bytes of one complete request (no keep-alive: FPM closes after it). */
function fcgi_request(string $script, string $query, string $host, int $port): string
{
    $params = [
        'GATEWAY_INTERFACE' => 'FastCGI/1.0',
        'REQUEST_METHOD' => 'GET',
        'SCRIPT_FILENAME' => $script,
        'SCRIPT_NAME' => '/' . basename($script),
        'REQUEST_URI' => '/' . basename($script) . '?' . $query,
        'QUERY_STRING' => $query,
        'SERVER_SOFTWARE' => 'closte-fcgi-client',
        'SERVER_PROTOCOL' => 'HTTP/1.1',
        'SERVER_NAME' => 'localhost',
        'SERVER_ADDR' => $host,
        'SERVER_PORT' => (string) $port,
        'REMOTE_ADDR' => '127.0.0.1',
        'REMOTE_PORT' => '0',
        'CONTENT_LENGTH' => '0',
    ];
    return pack('CCnnCx', 1, FCGI_BEGIN_REQUEST, 1, 8, 0) . pack('nCx5', FCGI_RESPONDER, 0)
        . fcgi_record(FCGI_PARAMS, fcgi_params($params)) . fcgi_record(FCGI_PARAMS, '')
        . fcgi_record(FCGI_STDIN, '');
}

/**
 * Parses what FPM sent on one connection. Returns null while incomplete,
 * else [status, headers, body, stderr, app status].
 */
function fcgi_parse(string $buffer): ?array
{
    $stdout = '';
    $stderr = '';
    $offset = 0;
    while (strlen($buffer) - $offset >= 8) {
        $header = unpack('Cversion/Ctype/nid/nlength/Cpadding', substr($buffer, $offset, 8));
        $total = 8 + $header['length'] + $header['padding'];
        if (strlen($buffer) - $offset < $total) {
            return null;
        }
        $content = substr($buffer, $offset + 8, $header['length']);
        $offset += $total;
        if ($header['type'] === FCGI_STDOUT) {
            $stdout .= $content;
        } elseif ($header['type'] === FCGI_STDERR) {
            $stderr .= $content;
        } elseif ($header['type'] === FCGI_END_REQUEST) {
            $app_status = unpack('N', substr($content, 0, 4))[1];
            [$head, $body] = array_pad(explode("\r\n\r\n", $stdout, 2), 2, '');
            $status = 200;
            $headers = [];
            foreach (explode("\r\n", $head) as $line) {
                if (strpos($line, ':') === false) {
                    continue;
                }
                [$name, $value] = array_map('trim', explode(':', $line, 2));
                $headers[strtolower($name)] = $value;
                if (strtolower($name) === 'status') {
                    $status = (int) $value;
                }
            }
            return [$status, $headers, $body, $stderr, $app_status];
        }
    }
    return null;
}

function percentile(array $sorted, float $p): float
{
    if ($sorted === []) {
        return 0.0;
    }
    $index = (int) min(count($sorted) - 1, floor($p * count($sorted)));
    return $sorted[$index];
}

function main(array $argv): int
{
    $opts = getopt('', ['host:', 'port:', 'script:', 'requests:', 'concurrency:', 'query:', 'timeout:', 'bodies:', 'sum:']);
    $host = $opts['host'] ?? '127.0.0.1';
    $port = (int) ($opts['port'] ?? 0);
    $script = $opts['script'] ?? '';
    $requests = (int) ($opts['requests'] ?? 100);
    $concurrency = max(1, (int) ($opts['concurrency'] ?? 8));
    $query = $opts['query'] ?? '';
    $timeout = (float) ($opts['timeout'] ?? 30);
    $sum_fields = isset($opts['sum']) ? explode(',', $opts['sum']) : [];
    $bodies = isset($opts['bodies']) ? fopen($opts['bodies'], 'w') : null;
    if ($port <= 0 || $script === '') {
        fwrite(STDERR, "usage: fcgi_client.php --port P --script /abs/path.php [--requests N] [--concurrency C] [--query Q]\n");
        return 2;
    }

    $started = microtime(true);
    $next = 0;
    $done = 0;
    $in_flight = []; // id => [socket, buffer, started, n]
    $statuses = [];
    $per_pid = [];
    $sums = [];
    $latencies = [];
    $failures = [];
    $stderr_seen = 0;

    while ($done < $requests) {
        while (count($in_flight) < $concurrency && $next < $requests) {
            $n = $next++;
            $socket = @stream_socket_client("tcp://$host:$port", $errno, $errstr, $timeout);
            if ($socket === false) {
                $statuses['connect-error'] = ($statuses['connect-error'] ?? 0) + 1;
                $failures[] = "request $n: connect: $errstr";
                $done++;
                continue;
            }
            $q = ($query === '' ? '' : "$query&") . "n=$n";
            fwrite($socket, fcgi_request($script, $q, $host, $port));
            stream_set_blocking($socket, false);
            $in_flight[$n] = [$socket, '', microtime(true), $n];
        }
        if ($in_flight === []) {
            break;
        }
        $read = array_map(fn ($f) => $f[0], $in_flight);
        $write = $except = null;
        $ready = stream_select($read, $write, $except, 1);
        $now = microtime(true);
        foreach ($in_flight as $n => [$socket, $buffer, $t0]) {
            if ($now - $t0 > $timeout) {
                $statuses['timeout'] = ($statuses['timeout'] ?? 0) + 1;
                $failures[] = "request $n: no complete answer within {$timeout}s";
                fclose($socket);
                unset($in_flight[$n]);
                $done++;
            }
        }
        if (!$ready) {
            continue;
        }
        foreach ($read as $socket) {
            foreach ($in_flight as $n => $flight) {
                if ($flight[0] !== $socket) {
                    continue;
                }
                $chunk = fread($socket, 65536);
                $eof = ($chunk === '' || $chunk === false) && feof($socket);
                $in_flight[$n][1] .= (string) $chunk;
                $parsed = fcgi_parse($in_flight[$n][1]);
                if ($parsed === null && !$eof) {
                    break;
                }
                fclose($socket);
                unset($in_flight[$n]);
                $done++;
                $latencies[] = (microtime(true) - $flight[2]) * 1000;
                if ($parsed === null) {
                    $statuses['closed-early'] = ($statuses['closed-early'] ?? 0) + 1;
                    $failures[] = "request $n: connection closed before the end of the answer";
                    break;
                }
                [$status, , $body, $stderr] = $parsed;
                $statuses[(string) $status] = ($statuses[(string) $status] ?? 0) + 1;
                if ($stderr !== '') {
                    $stderr_seen++;
                }
                if ($bodies) {
                    fwrite($bodies, $body . "\n");
                }
                $json = json_decode($body, true);
                if (is_array($json) && isset($json['pid'])) {
                    $pid = (string) $json['pid'];
                    $per_pid[$pid] = ($per_pid[$pid] ?? 0) + 1;
                    foreach ($sum_fields as $field) {
                        if (isset($json[$field]) && is_numeric($json[$field])) {
                            $sums[$pid][$field] = ($sums[$pid][$field] ?? 0) + $json[$field];
                        }
                    }
                }
                if ($status !== 200 && count($failures) < 20) {
                    $failures[] = "request $n: HTTP $status: " . substr($body, 0, 300);
                }
                break;
            }
        }
    }
    $elapsed = microtime(true) - $started;
    sort($latencies);
    ksort($per_pid);
    $summary = [
        'requests' => $requests,
        'ok' => $statuses['200'] ?? 0,
        'statuses' => $statuses,
        'elapsed_s' => round($elapsed, 3),
        'per_second' => round($requests / max($elapsed, 1e-9), 1),
        'latency_ms' => [
            'p50' => round(percentile($latencies, 0.50), 2),
            'p99' => round(percentile($latencies, 0.99), 2),
            'max' => round($latencies === [] ? 0 : end($latencies), 2),
        ],
        'workers' => count($per_pid),
        'per_worker' => $per_pid,
        'sums_per_worker' => $sums,
        'stderr_records' => $stderr_seen,
        'failures' => array_slice($failures, 0, 20),
    ];
    echo json_encode($summary, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
    return ($statuses['200'] ?? 0) === $requests ? 0 : 1;
}

exit(main($argv));
