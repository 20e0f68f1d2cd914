<?php
/**
 * Bad input from PHP code: random bytes as domains, wrong types and odd
 * values as options, huge strings. Every outcome is a valid normalised name
 * or a Closte exception with a one-line message; no other throwable, no
 * crash, and nothing reaches the network unless the input was valid.
 */

require __DIR__ . '/bootstrap.php';

/** SPEC 3 rules, checked independently of the extension's own code. */
function follows_the_rules(string $name): bool
{
    if ($name === '' || strlen($name) > 253 || substr($name, -1) === '.') {
        return false;
    }
    $rest = strncmp($name, '*.', 2) === 0 ? substr($name, 2) : $name;
    $labels = explode('.', $rest);
    if (count($labels) < 2 || preg_match('/^[0-9]+$/D', end($labels))) {
        return false;
    }
    foreach ($labels as $label) {
        if (!preg_match('/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/D', $label)) {
            return false;
        }
    }
    return true;
}

function random_input(int $i): string
{
    $alphabet = ['a', 'b', 'Z', '0', '9', '-', '.', '*', ' ', "\r", "\n", "\0", '&', '/', ':', '@', '%', '_', 'ü', 'ß', '例', "\xff", "\xc3", "\u{200b}", "\u{ff0e}", 'xn--'];
    switch ($i % 3) {
        case 0: // raw bytes
            $length = mt_rand(0, 64);
            return $length === 0 ? '' : random_bytes($length);
        case 1: // domain-like pieces
            $s = '';
            for ($k = mt_rand(0, 30); $k > 0; $k--) {
                $s .= $alphabet[mt_rand(0, count($alphabet) - 1)];
            }
            return $s;
        default: // mostly valid names with one mutation
            $labels = [];
            for ($k = mt_rand(1, 4); $k > 0; $k--) {
                $labels[] = substr(md5((string) mt_rand()), 0, mt_rand(1, 20));
            }
            $name = implode('.', $labels) . '.example.com';
            $at = mt_rand(0, strlen($name));
            return substr($name, 0, $at) . $alphabet[mt_rand(0, count($alphabet) - 1)] . substr($name, $at);
    }
}

closte_test('30,000 random inputs to closte_validate_domain: valid+idempotent or InvalidDomainException', function () {
    mt_srand(20240601);
    $valid = 0;
    $invalid = 0;
    for ($i = 0; $i < 30000; $i++) {
        $input = random_input($i);
        try {
            $name = closte_validate_domain($input);
        } catch (Closte\InvalidDomainException $e) {
            $invalid++;
            $message = $e->getMessage();
            if (preg_match('/[\x00-\x1f\x7f]/', $message) || strlen($message) > 600) {
                closte_fail('message not one bounded line for ' . bin2hex($input) . ': ' . json_encode($message));
            }
            continue;
        }
        $valid++;
        if (!follows_the_rules($name)) {
            closte_fail('accepted ' . bin2hex($input) . " as '$name', which breaks a rule");
        }
        if (closte_validate_domain($name) !== $name) {
            closte_fail("not idempotent: $name");
        }
    }
    record_figure('bad_input_validate', "$valid valid, $invalid invalid of 30000");
    assert_true($valid > 1000 && $invalid > 1000, "both outcomes exercised ($valid/$invalid)");
});

closte_test('invalid domains never reach the network; valid ones do, once each', function () {
    sim_reset();
    mt_srand(99);
    $sent = 0;
    for ($i = 0; $i < 600; $i++) {
        $input = random_input($i);
        try {
            closte_add_domain($input, sim_options(['retries' => 0]));
            $sent++;
        } catch (Closte\InvalidDomainException $e) {
        } catch (Closte\ApiException $e) {
            // Closte refuses some valid names (e.g. its own hosts): still sent.
            $sent++;
        }
    }
    assert_same($sent, sim_request_count(), 'requests at the simulator');
    $log = sim_requests();
    assert_same(min($sent, 1000), count($log), 'requests in the simulator log');
    foreach ($log as $request) {
        $domain = $request['fields']['domain'] ?? null;
        if (!is_string($domain) || !follows_the_rules($domain)) {
            closte_fail('the simulator received ' . json_encode($request['fields']));
        }
    }
});

closte_test('huge domains (up to 10 MB) are refused quickly with a short message', function () {
    $start = microtime(true);
    foreach ([str_repeat('a', 10 << 20), str_repeat('a.', 5 << 20) . 'com', str_repeat('a', 1 << 20) . '.com', str_repeat('ü', 1 << 20) . '.de'] as $huge) {
        $e = assert_throws(Closte\InvalidDomainException::class, function () use ($huge) {
            closte_validate_domain($huge);
        });
        assert_less_than(600, strlen($e->getMessage()), 'message length');
    }
    assert_less_than(3000, ms_since($start), 'ms for four huge inputs');
});

closte_test('options of every wrong type or value: ConfigurationException, nothing sent', function () {
    sim_reset();
    $bad = [
        ['timeout' => 'soon'], ['timeout' => 0], ['timeout' => -1], ['timeout' => NAN], ['timeout' => INF], ['timeout' => 1e9],
        ['timeout' => null], ['timeout' => []], ['timeout' => true], ['connect_timeout' => '5'], ['connect_timeout' => -0.0],
        ['retries' => -1], ['retries' => 11], ['retries' => 1.5], ['retries' => PHP_INT_MAX], ['retries' => '2'],
        ['api_key' => ''], ['api_key' => '   '], ['api_key' => 42], ['api_key' => null], ['api_key' => ['k']], ['api_key' => new stdClass()],
        ['api_url' => 'http://example.com/api/client'], ['api_url' => 'ftp://127.0.0.1/api'], ['api_url' => 'file:///etc/passwd'],
        ['api_url' => 'https://user:pass@app.closte.com/api/client'], ['api_url' => 'https://app.closte.com/api/client?x=1'],
        ['api_url' => 'not a url'], ['api_url' => ''], ['api_url' => 42],
        ['unknown_option' => 1], [0 => 'positional'], ['API_KEY' => 'x'],
    ];
    foreach ($bad as $i => $override) {
        // The closure must not capture the key itself: it shows up in the
        // trace as an argument of assert_throws(), which is the test's own
        // frame, not the extension's.
        $e = assert_throws(Closte\ConfigurationException::class, function () use ($override) {
            closte_add_domain('fine.example.com', $override + sim_options());
        }, 'case ' . $i . ' ' . json_encode(array_keys($override)));
        assert_same(false, (bool) preg_match('/[\r\n]/', $e->getMessage()), "case $i: one-line message");
        assert_key_absent(printed_forms($e), "case $i");
    }
    assert_same(0, sim_request_count(), 'requests at the simulator');
});

closte_test('CR/LF in api_url cannot inject a header: URL parsing drops them', function () {
    sim_reset();
    // WHATWG URL parsing removes tabs and line breaks, so this is the path
    // /api/client/X-Injected:%201 on the simulator: an HTTP 404, one line.
    $url = api_url() . "/\r\nX-Injected: 1";
    $e = assert_throws(Closte\ApiException::class, function () use ($url) {
        closte_add_domain('fine.example.com', sim_options(['api_url' => $url, 'retries' => 0]));
    });
    assert_same(404, $e->getStatusCode(), 'status');
    assert_same(false, (bool) preg_match('/[\r\n]/', $e->getMessage()), 'one-line message');
    $paths = json_encode(sim_requests());
    assert_not_contains("\n", (string) $paths, 'request log');
});

closte_test('wrong PHP types for the domain: engine TypeError whose trace hides $options', function () {
    foreach ([42, null, ['a.com'], new stdClass(), 1.5] as $value) {
        try {
            closte_add_domain($value, sim_options());
            closte_fail('accepted ' . gettype($value));
        } catch (TypeError $e) {
            assert_key_absent(printed_forms($e), gettype($value));
        }
    }
});

closte_test('closte_sync_domains with 20,000 entries, one bad: refused before any request', function () {
    sim_reset();
    $domains = [];
    for ($i = 0; $i < 20000; $i++) {
        $domains[] = "s$i.example.com";
    }
    $domains[12345] = "bad\r\nname.example.com";
    $e = assert_throws(Closte\InvalidDomainException::class, function () use ($domains) {
        closte_sync_domains($domains, sim_options());
    });
    assert_contains('carriage return', $e->getMessage(), 'message names the problem');
    $domains[12345] = ['nested'];
    assert_throws(Closte\InvalidDomainException::class, function () use ($domains) {
        closte_sync_domains($domains, sim_options());
    }, 'non-string entry');
    assert_same(0, sim_request_count(), 'requests');
});

reliability_run();
