<?php
/** Where the key and settings come from; https only; the connection test. */

require __DIR__ . '/bootstrap.php';

closte_test('without a key: ConfigurationException and no traffic', function () {
    sim_reset();
    $e = assert_throws(Closte\ConfigurationException::class, function () {
        closte_add_domain('a.example.com', ['api_url' => api_url()]);
    });
    assert_contains('CLOSTE_CLIENT_API_KEY', $e->getMessage(), 'message names the constant');
    assert_throws(Closte\ConfigurationException::class, function () {
        closte_list_domains(['api_url' => api_url(), 'api_key' => '']);
    }, 'empty key');
    assert_same(0, sim_request_count(), 'requests');
});

closte_test('the key comes from the CLOSTE_CLIENT_API_KEY constant, read at call time', function () {
    sim_reset();
    define('CLOSTE_CLIENT_API_KEY', 'constant-key');
    closte_add_domain('const.example.com', ['api_url' => api_url()]);
    assert_same(['const.example.com'], sim_aliases('constant-key'), 'alias stored under the constant key');
    assert_same([], sim_aliases(TEST_KEY), 'nothing under the other key');
});

closte_test('$options[api_key] wins over the constant', function () {
    sim_reset();
    closte_add_domain('opt.example.com', sim_options());
    assert_same(['opt.example.com'], sim_aliases(TEST_KEY), 'under the options key');
    assert_same([], sim_aliases('constant-key'), 'not under the constant key');
});

closte_test('ini closte.api_url is used when no option overrides it', function () {
    sim_reset();
    $original = ini_get('closte.api_url');
    ini_set('closte.api_url', api_url());
    try {
        closte_add_domain('ini.example.com', ['api_key' => TEST_KEY]);
        assert_same(['ini.example.com'], sim_aliases(), 'reached the simulator through the ini URL');
    } finally {
        ini_set('closte.api_url', $original);
    }
});

closte_test('bad options and ini values are ConfigurationExceptions', function () {
    $cases = [
        [['timeout' => 0], 'more than 0'],
        [['retries' => 99], 'between 0 and 10'],
        [['timeot' => 3], "Unknown option 'timeot'"],
        [['api_url' => 'ftp://127.0.0.1/'], 'not https'],
        [['api_key' => ['x']], 'must be a string'],
    ];
    foreach ($cases as [$override, $expected]) {
        $e = assert_throws(Closte\ConfigurationException::class, function () use ($override) {
            closte_list_domains(array_merge(sim_options(), $override));
        }, json_encode($override));
        assert_contains($expected, $e->getMessage(), 'message');
    }
    $original = ini_get('closte.retries');
    ini_set('closte.retries', 'lots');
    try {
        $e = assert_throws(Closte\ConfigurationException::class, function () {
            closte_list_domains(['api_key' => TEST_KEY, 'api_url' => api_url()]);
        });
        assert_contains('closte.retries in php.ini', $e->getMessage(), 'ini message');
    } finally {
        ini_set('closte.retries', $original);
    }
});

closte_test('plain http to a non-loopback host is refused before any traffic', function () {
    // A listener on a non-loopback name would be needed to see traffic; none
    // is reachable here, so the proof is the time: refusal is immediate, and
    // the error is a ConfigurationException, not a TransportException.
    $start = microtime(true);
    $e = assert_throws(Closte\ConfigurationException::class, function () {
        closte_add_domain('a.example.com', ['api_key' => TEST_KEY, 'api_url' => 'http://app.closte.com/api/client']);
    });
    assert_contains('only allowed to a loopback host', $e->getMessage(), 'message');
    assert_less_than(50, ms_since($start), 'ms spent');
    foreach (['http://127.0.0.1:1/x', 'http://localhost:1/x', 'http://[::1]:1/x'] as $loopback) {
        assert_throws(Closte\TransportException::class, function () use ($loopback) {
            closte_list_domains(['api_key' => TEST_KEY, 'api_url' => $loopback, 'retries' => 0]);
        }, "$loopback is allowed (and refused by the OS)");
    }
});

closte_test('test_connection: good key ok, bad key not ok, nothing added', function () {
    sim_reset();
    $good = closte_test_connection(sim_options());
    assert_same(true, $good['ok'], 'good key: ' . $good['message']);
    $bad = closte_test_connection(sim_options(['api_key' => 'not-a-valid-key']));
    assert_same(false, $bad['ok'], 'bad key');
    assert_contains('did not accept the API key', $bad['message'], 'bad key message');
    assert_same('Invalid API key', $bad['api_error'], "Closte's own words, beside the message");
    assert_same(null, $good['api_error'], 'no api_error when accepted');
    assert_not_contains('not-a-valid-key', $bad['message'], 'bad key message');
    $down = closte_test_connection(['api_key' => TEST_KEY, 'api_url' => 'http://127.0.0.1:1/api/client', 'retries' => 0]);
    assert_same(false, $down['ok'], 'unreachable');
    assert_contains('Could not reach Closte', $down['message'], 'unreachable message');
    assert_same([], sim_aliases(), 'no alias added by a connection test');
});

closte_test_run();
