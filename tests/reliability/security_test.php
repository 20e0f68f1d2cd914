<?php
/**
 * Where the key may go: only to the configured Closte URL, over HTTPS (or
 * plain HTTP to loopback), never through a proxy from the environment,
 * never after a redirect.
 */

require __DIR__ . '/bootstrap.php';

closte_test('HTTP_PROXY / HTTPS_PROXY / ALL_PROXY in the environment are ignored', function () {
    sim_reset();
    $proxy = stream_socket_server('tcp://127.0.0.1:0');
    $proxy_url = 'http://' . stream_socket_get_name($proxy, false);
    $env = ['HTTP_PROXY' => $proxy_url, 'http_proxy' => $proxy_url, 'HTTPS_PROXY' => $proxy_url,
        'https_proxy' => $proxy_url, 'ALL_PROXY' => $proxy_url, 'all_proxy' => $proxy_url, 'NO_PROXY' => '', 'no_proxy' => ''];
    $code = sprintf('$o = ["api_key" => %s, "api_url" => %s, "timeout" => 3, "retries" => 0];'
        . ' closte_add_domain("proxied.example.com", $o); echo count(closte_list_domains($o));',
        var_export(TEST_KEY, true), var_export(api_url(), true));
    $args = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('CLOSTE_SO'), '-r', $code];
    $proc = proc_open($args, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env + getenv());
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    assert_same(0, proc_close($proc), "child exit ($out)");
    assert_same('1', trim($out), 'the child reached the simulator directly');
    stream_set_blocking($proxy, false);
    $pending = @stream_socket_accept($proxy, 0);
    assert_same(false, $pending, 'a connection reached the proxy');
    assert_same(2, sim_request_count(), 'requests at the simulator');
});

closte_test('every redirect status is refused, the Location host gets nothing', function () {
    $other = start_extra_simulator('127.0.0.3:0', 'redirect-statuses');
    foreach ([301, 302, 303, 307, 308] as $status) {
        sim_reset();
        sim_fault(['kind' => 'redirect', 'status' => $status, 'location' => "$other/api/client/adddomainalias"]);
        $e = assert_throws(Closte\ApiException::class, function () {
            closte_add_domain('redirected.example.com', sim_options(['retries' => 2]));
        }, "redirect $status");
        assert_same($status, $e->getStatusCode(), 'status');
        assert_same(1, sim_request_count(), "requests for $status (no retry)");
        assert_key_absent(printed_forms($e), "redirect $status");
    }
    sim_request('DELETE', '/_sim/fault');
    assert_same(0, (int) sim_at($other, 'GET', '/_sim/state')['requests'], 'requests at the Location host');
});

closte_test('plain http:// to a non-loopback host is refused before any connection', function () {
    foreach (['http://app.closte.com/api/client', 'http://10.0.0.1/api/client', 'http://[::ffff:7f00:1]/api/client', 'http://127.0.0.1.nip.io/api/client'] as $url) {
        $e = assert_throws(Closte\ConfigurationException::class, function () use ($url) {
            closte_list_domains(sim_options(['api_url' => $url]));
        }, $url);
        assert_contains('https', $e->getMessage(), "$url: message says why");
    }
    // ini_set('closte.api_url') follows the same rule.
    ini_set('closte.api_url', 'http://example.com/api/client');
    assert_throws(Closte\ConfigurationException::class, function () {
        closte_list_domains(['api_key' => TEST_KEY]);
    }, 'ini api_url');
    ini_restore('closte.api_url');
});

closte_test('what the simulator saw: the key once per request, in the form (POST) or the getdomains query, nothing else', function () {
    sim_reset();
    closte_add_domain('seen.example.com', sim_options());
    closte_remove_domain('seen.example.com', sim_options());
    closte_list_domains(sim_options());
    closte_test_connection(sim_options());
    $log = sim_requests();
    assert_same(4, count($log), 'requests');
    $expected = [
        ['POST', 'adddomainalias', ['domain' => 'seen.example.com', 'wildcard' => '0']],
        ['POST', 'deletedomainalias', ['domain' => 'seen.example.com', 'wildcard' => '0']],
        ['GET', 'getdomains', []],
        ['POST', 'adddomainalias', []],
    ];
    foreach ($expected as $i => [$method, $endpoint, $fields]) {
        assert_same($method, $log[$i]['method'], "request $i method");
        assert_same($endpoint, $log[$i]['endpoint'], "request $i endpoint");
        assert_same($fields, $log[$i]['fields'], "request $i fields besides the key");
        assert_same(true, $log[$i]['key_ok'], "request $i carried the key");
    }
    assert_key_absent((string) json_encode($log), 'simulator request log');
});

reliability_run();
