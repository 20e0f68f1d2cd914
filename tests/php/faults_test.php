<?php
/** Each exception class from a real fault of the simulator; retries only where safe. */

require __DIR__ . '/bootstrap.php';

function fast(array $extra = []): array
{
    return sim_options($extra + ['timeout' => 1, 'connect_timeout' => 1, 'retries' => 2]);
}

closte_test('503 once, then success: retried, attempts 2', function () {
    sim_reset();
    sim_fault(['kind' => 'status', 'status' => 503, 'count' => 1]);
    $result = closte_add_domain('retry.example.com', fast());
    assert_same(2, $result['attempts'], 'attempts');
    assert_same(['retry.example.com'], sim_aliases(), 'alias present once');
});

closte_test('502/503/504 persisting: ApiException after 1 + retries attempts', function () {
    foreach ([502, 503, 504] as $status) {
        sim_reset();
        sim_fault(['kind' => 'status', 'status' => $status]);
        $e = assert_throws(Closte\ApiException::class, function () {
            closte_add_domain('down.example.com', fast());
        }, "status $status");
        assert_same($status, $e->getStatusCode(), 'status code');
        assert_same($status, $e->getCode(), 'getCode');
        assert_same(3, sim_request_count(), "requests for $status");
        assert_contains('3 attempts', $e->getMessage(), 'message');
    }
});

closte_test('500 and other 4xx are not retried', function () {
    foreach ([500, 401, 403, 404] as $status) {
        sim_reset();
        sim_fault(['kind' => 'status', 'status' => $status]);
        $e = assert_throws(Closte\ApiException::class, function () {
            closte_add_domain('x.example.com', fast());
        }, "status $status");
        assert_same($status, $e->getStatusCode(), 'status');
        assert_same(1, sim_request_count(), "requests for $status");
    }
});

closte_test('429 with Retry-After: waits that long, then succeeds', function () {
    sim_reset();
    sim_fault(['kind' => 'rate_limit', 'retry_after' => 1, 'count' => 1]);
    $start = microtime(true);
    $result = closte_add_domain('limited.example.com', fast(['timeout' => 3]));
    $elapsed = ms_since($start);
    assert_same(2, $result['attempts'], 'attempts');
    assert_true($elapsed >= 950, "waited for Retry-After ($elapsed ms)");
    assert_less_than(2500, $elapsed, 'ms');
});

closte_test('429 asking for longer than the timeout: ApiException at once, no retry', function () {
    sim_reset();
    sim_fault(['kind' => 'rate_limit', 'retry_after' => 3600]);
    $start = microtime(true);
    $e = assert_throws(Closte\ApiException::class, function () {
        closte_add_domain('limited.example.com', fast());
    });
    assert_same(429, $e->getStatusCode(), 'status');
    assert_contains('3600', $e->getMessage(), 'message names the wait');
    assert_same(1, sim_request_count(), 'requests');
    assert_less_than(1000, ms_since($start), 'ms');
});

closte_test('bad JSON, HTML page, empty body, oversized body: ApiException, not retried', function () {
    $cases = [
        [['kind' => 'bad_json'], 'not JSON'],
        [['kind' => 'html'], 'not JSON'],
        [['kind' => 'empty'], 'empty body'],
        [['kind' => 'oversized', 'bytes' => 2 * 1024 * 1024], 'larger than 1048576 bytes'],
    ];
    foreach ($cases as [$fault, $expected]) {
        sim_reset();
        sim_fault($fault);
        $e = assert_throws(Closte\ApiException::class, function () {
            closte_add_domain('x.example.com', fast());
        }, $fault['kind']);
        assert_contains($expected, $e->getMessage(), $fault['kind']);
        assert_same(1, sim_request_count(), $fault['kind'] . ' requests');
    }
});

closte_test('success:false is an ApiException carrying Closte\'s error', function () {
    sim_reset();
    $e = assert_throws(Closte\ApiException::class, function () {
        closte_add_domain('x.example.com', fast(['api_key' => 'wrong-key']));
    });
    assert_same(200, $e->getStatusCode(), 'status');
    assert_same('Invalid API key', $e->getApiError(), 'api error');
});

closte_test('hang: TransportException within (retries + 1) x timeout + backoff', function () {
    sim_reset();
    sim_fault(['kind' => 'hang', 'ms' => 20000]);
    $start = microtime(true);
    $e = assert_throws(Closte\TransportException::class, function () {
        closte_add_domain('slow.example.com', fast(['timeout' => 0.5, 'retries' => 1]));
    });
    $elapsed = ms_since($start);
    assert_contains('timed out', $e->getMessage(), 'message');
    assert_true($elapsed >= 1000, "two attempts of 0.5 s ($elapsed ms)");
    assert_less_than(1000 + 200 + 500, $elapsed, 'bounded');
    sim_request('DELETE', '/_sim/fault');
});

closte_test('latency under the timeout is just slower', function () {
    sim_reset();
    sim_fault(['kind' => 'latency', 'ms' => 300]);
    $result = closte_add_domain('slowish.example.com', fast());
    assert_same(1, $result['attempts'], 'attempts');
    assert_true($result['elapsed_ms'] >= 300, 'elapsed_ms ' . $result['elapsed_ms']);
});

closte_test('dropped connection and truncated body: TransportException after retries', function () {
    foreach (['reset', 'truncated'] as $kind) {
        sim_reset();
        sim_fault(['kind' => $kind]);
        assert_throws(Closte\TransportException::class, function () {
            closte_add_domain('x.example.com', fast(['retries' => 1]));
        }, $kind);
        assert_same(2, sim_request_count(), "$kind requests");
    }
});

closte_test('a dropped connection after Closte did the work: the retry converges', function () {
    sim_reset();
    sim_fault(['kind' => 'success_after_apply', 'count' => 1]);
    $result = closte_add_domain('landed.example.com', fast());
    assert_same(2, $result['attempts'], 'attempts');
    assert_same(['landed.example.com'], sim_aliases(), 'alias present exactly once');
});

closte_test('a redirect is not followed', function () {
    sim_reset();
    sim_fault(['kind' => 'redirect', 'location' => api_url() . '/getdomains', 'count' => 1]);
    $e = assert_throws(Closte\ApiException::class, function () {
        closte_add_domain('x.example.com', fast());
    });
    assert_same(302, $e->getStatusCode(), 'status');
    assert_contains('redirect', $e->getMessage(), 'message');
    assert_same(1, sim_request_count(), 'only the redirecting request reached the simulator');
});

closte_test('connection refused: TransportException', function () {
    $start = microtime(true);
    $e = assert_throws(Closte\TransportException::class, function () {
        closte_list_domains(['api_key' => TEST_KEY, 'api_url' => 'http://127.0.0.1:1/api/client', 'retries' => 1]);
    });
    assert_contains('2 attempts', $e->getMessage(), 'message');
    assert_less_than(1500, ms_since($start), 'ms');
});

closte_test_run();
