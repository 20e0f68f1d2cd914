<?php
/** The API key appears in no message, trace, dump or process output. */

require __DIR__ . '/bootstrap.php';

/** Everything a developer might print about an exception. */
function everything_printed(Throwable $e): string
{
    ob_start();
    var_dump($e);
    print_r($e);
    echo $e, $e->getMessage(), $e->getTraceAsString();
    var_dump($e->getTrace());
    echo json_encode($e->getTrace());
    return ob_get_clean();
}

closte_test('exceptions from every fault path carry no key', function () {
    $calls = [
        'transport' => function () {
            closte_list_domains(sim_options(['api_url' => 'http://127.0.0.1:1/api/client', 'retries' => 0]));
        },
        'api 503' => function () {
            sim_fault(['kind' => 'status', 'status' => 503]);
            closte_list_domains(sim_options(['retries' => 0]));
        },
        'api reflected key' => function () {
            // A server that echoes the request back into its error text.
            sim_fault(['kind' => 'status', 'status' => 400, 'body' => json_encode(['success' => false, 'error' => 'bad apikey ' . TEST_KEY . ' / ' . urlencode(TEST_KEY)])]);
            closte_add_domain('a.example.com', sim_options());
        },
        'timeout on getdomains (key in the query string)' => function () {
            sim_fault(['kind' => 'hang', 'ms' => 5000]);
            closte_list_domains(sim_options(['timeout' => 0.3, 'retries' => 0]));
        },
        'invalid domain' => function () {
            closte_add_domain("bad domain", sim_options());
        },
        'configuration' => function () {
            closte_add_domain('a.example.com', sim_options(['retries' => -1]));
        },
    ];
    foreach ($calls as $name => $call) {
        sim_reset();
        $e = assert_throws(Closte\Exception::class, $call, $name);
        assert_key_absent(everything_printed($e), $name);
        assert_contains('SensitiveParameterValue', $e->getTraceAsString(), "$name: options hidden in the trace");
    }
    sim_request('DELETE', '/_sim/fault');
});

closte_test('an Api error echoing the key is withheld whole, never shown in part', function () {
    sim_reset();
    sim_fault(['kind' => 'status', 'status' => 400, 'body' => json_encode(['success' => false, 'error' => 'bad apikey ' . TEST_KEY])]);
    $e = assert_throws(Closte\ApiException::class, function () {
        closte_add_domain('a.example.com', sim_options());
    });
    assert_same(null, $e->getApiError(), 'api error');
    assert_key_absent(everything_printed($e), 'api error echoing the key');
});

closte_test('results and phpinfo carry no key', function () {
    sim_reset();
    ob_start();
    var_dump(closte_add_domain('a.example.com', sim_options()));
    var_dump(closte_list_domains(sim_options()));
    var_dump(closte_test_connection(sim_options()));
    var_dump(closte_sync_domains(['b.example.com'], sim_options()));
    phpinfo();
    assert_key_absent(ob_get_clean(), 'dumps');
});

closte_test('an uncaught exception printed by PHP itself carries no key', function () {
    $code = 'closte_list_domains(["api_key" => "' . addslashes(TEST_KEY) . '", "api_url" => "http://127.0.0.1:1/api/client", "retries" => 0]);';
    [$exit, $out] = run_php($code, ['display_errors' => 'stderr', 'zend.exception_ignore_args' => '0', 'log_errors' => '1', 'error_log' => '']);
    assert_same(255, $exit, 'exit code of a fatal uncaught exception');
    assert_contains('Closte\TransportException', $out, 'output');
    assert_contains('SensitiveParameterValue', $out, 'output');
    assert_key_absent($out, 'uncaught exception output');
});

closte_test_run();
