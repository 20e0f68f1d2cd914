<?php
/**
 * The extension against hostile servers of our own (tests/php/lib/
 * hostile_server.php) through real PHP: a trickled answer and a trickled
 * TLS handshake end within the timeout (plus a small slack), with and
 * without retries, for the API calls and for closte_ssl_status(); a
 * server that puts the key in headers, a redirect or error bodies never
 * gets 8 characters of it into a message, trace, dump or result.
 */

require __DIR__ . '/bootstrap.php';

require __DIR__ . '/lib/hostile.php';

/** Every 8 characters in a row of the key, raw and URL-encoded. */
function key_pieces(): array
{
    $pieces = [];
    foreach ([HOSTILE_KEY, urlencode(HOSTILE_KEY), rawurlencode(HOSTILE_KEY)] as $spelling) {
        for ($i = 0; $i + 8 <= strlen($spelling); $i++) {
            $pieces[substr($spelling, $i, 8)] = true;
        }
    }
    return array_keys($pieces);
}

function assert_no_key_piece(string $text, string $where): void
{
    foreach (key_pieces() as $piece) {
        if (strpos($text, $piece) !== false) {
            closte_fail("$where carries '$piece' of the key: " . substr($text, 0, 400));
        }
    }
}

/** What a PHP developer or a log could ever print of a value. */
function printed($value): string
{
    ob_start();
    var_dump($value);
    $dump = ob_get_clean();
    $text = $dump . print_r($value, true) . var_export($value, true) . json_encode($value);
    if ($value instanceof \Throwable) {
        $text .= $value->getMessage() . (string) $value . $value->getTraceAsString();
        if ($value instanceof Closte\ApiException) {
            $text .= (string) $value->getApiError();
        }
    }
    return $text;
}

/** The bound of SPEC 3: (retries + 1) x timeout + backoff, plus slack. */
function bound_ms(float $timeout, int $retries): float
{
    $backoff = 0;
    for ($r = 1; $r <= $retries; $r++) {
        $backoff += 200 * (2 ** ($r - 1));
    }
    return ($retries + 1) * $timeout * 1000 + $backoff + 500;
}

// --------------------------------------------------------- trickles

closte_test('a trickled answer ends within the timeout, plain and TLS, with and without retries', function () {
    foreach ([false, true] as $tls) {
        $port = hostile('trickle', $tls);
        foreach ([0, 1] as $retries) {
            $start = microtime(true);
            $e = assert_throws(Closte\TransportException::class, function () use ($port, $tls, $retries) {
                closte_add_domain('shop.example.com', hostile_options($port, $tls, ['timeout' => 1, 'retries' => $retries]));
            }, 'trickle');
            $ms = ms_since($start);
            $what = ($tls ? 'tls' : 'plain') . ", $retries retries";
            assert_contains('timed out', $e->getMessage(), $what);
            assert_true($ms >= 1000 * ($retries + 1) - 50, "$what: waited each attempt ($ms ms)");
            assert_less_than(bound_ms(1, $retries), $ms, "$what: ms");
        }
    }
});

closte_test('a trickled TLS handshake ends within the timeout, with and without retries', function () {
    $backend = hostile('refusal', true);
    $relay = hostile("relay:$backend");
    foreach ([0, 1] as $retries) {
        $start = microtime(true);
        $e = assert_throws(Closte\TransportException::class, function () use ($relay, $retries) {
            closte_add_domain('shop.example.com', hostile_options($relay, true, ['timeout' => 1, 'retries' => $retries]));
        }, 'trickled handshake');
        $ms = ms_since($start);
        assert_contains('timed out', $e->getMessage(), 'message');
        assert_less_than(bound_ms(1, $retries), $ms, "$retries retries: ms");
    }
    // The same server at full speed answers (so the relay is what was slow).
    $e = assert_throws(Closte\ApiException::class, function () use ($backend) {
        closte_add_domain('shop.example.com', hostile_options($backend, true));
    }, 'direct');
    assert_same(200, $e->getStatusCode(), 'direct: status');
});

closte_test('closte_ssl_status(): a trickled handshake ends within its timeout', function () {
    $backend = hostile('refusal', true);
    $relay = hostile("relay:$backend");
    $start = microtime(true);
    $r = closte_ssl_status('fixture.test', ['host' => '127.0.0.1', 'port' => $relay, 'timeout' => 1, 'ca_file' => fixture('fixture-ca.pem')]);
    $ms = ms_since($start);
    assert_same(false, $r['ok'], 'ok');
    assert_same('timeout', $r['error_code'], 'error_code: ' . $r['error']);
    assert_less_than(1500, $ms, 'ms');
    $direct = closte_ssl_status('fixture.test', ['host' => '127.0.0.1', 'port' => $backend, 'timeout' => 5, 'ca_file' => fixture('fixture-ca.pem')]);
    assert_same(true, $direct['valid'], 'direct: ' . $direct['error']);
});

// ------------------------------------------------------------ the key

closte_test('a server putting the key in headers, a redirect or error bodies: no piece of it anywhere', function () {
    foreach (['echo-header', 'echo-length', 'redirect', 'error-body', 'refusal'] as $mode) {
        foreach ([false, true] as $tls) {
            $port = hostile($mode, $tls);
            $what = "$mode over " . ($tls ? 'TLS' : 'plain HTTP');
            $calls = [
                'add' => fn () => closte_add_domain('shop.example.com', hostile_options($port, $tls)),
                'remove' => fn () => closte_remove_domain('shop.example.com', hostile_options($port, $tls)),
                'list' => fn () => closte_list_domains(hostile_options($port, $tls)),
                'sync' => fn () => closte_sync_domains(['a.example.com'], hostile_options($port, $tls)),
                'test' => fn () => closte_test_connection(hostile_options($port, $tls)),
            ];
            foreach ($calls as $name => $call) {
                try {
                    $result = $call();
                    assert_no_key_piece(printed($result), "$what, $name: result");
                } catch (Closte\Exception $e) {
                    assert_no_key_piece(printed($e), "$what, $name: exception");
                }
            }
        }
    }
});

closte_test('a listing with the key inside its entries drops those entries', function () {
    $port = hostile('listing');
    $list = closte_list_domains(hostile_options($port, false));
    assert_same(['fine.example.com'], $list, 'listing');
});

closte_test('an uncaught exception from a hostile server prints no piece of the key', function () {
    $port = hostile('error-body');
    $options = var_export(hostile_options($port, false), true);
    [$code, $output] = run_php("closte_add_domain('shop.example.com', $options);", ['display_errors' => '1', 'zend.exception_ignore_args' => '0']);
    assert_true($code !== 0, 'the script failed');
    assert_contains('Closte\\ApiException', $output, 'output');
    assert_no_key_piece($output, 'uncaught exception output');
});

closte_test_run();
