<?php
/** Add, list, remove against the simulator; validation before any traffic. */

require __DIR__ . '/bootstrap.php';

closte_test('add, list and remove a domain', function () {
    sim_reset();
    $added = closte_add_domain('Shop.Example.COM.', sim_options());
    assert_same(true, $added['ok'], 'ok');
    assert_same('shop.example.com', $added['domain'], 'normalised domain');
    assert_same(false, $added['wildcard'], 'wildcard');
    assert_same(200, $added['status'], 'status');
    assert_same(1, $added['attempts'], 'attempts');
    assert_true(is_int($added['elapsed_ms']) && $added['elapsed_ms'] >= 0, 'elapsed_ms is an int');
    assert_same(['shop.example.com'], sim_aliases(), 'simulator state after add');
    assert_same(['shop.example.com'], closte_list_domains(sim_options()), 'list');

    $removed = closte_remove_domain('shop.example.com', sim_options());
    assert_same(true, $removed['ok'], 'remove ok');
    assert_same([], sim_aliases(), 'simulator state after remove');
    assert_same([], closte_list_domains(sim_options()), 'list after remove');
});

closte_test('the form carries domain and wildcard as 0/1', function () {
    sim_reset();
    $wild = closte_add_domain('*.Wild.example.com', sim_options());
    assert_same(true, $wild['wildcard'], 'wildcard flag in result');
    closte_add_domain('plain.example.com', sim_options());
    $requests = sim_requests();
    assert_same(2, count($requests), 'requests');
    assert_same(['domain' => '*.wild.example.com', 'wildcard' => '1'], array_intersect_key($requests[0]['fields'], ['domain' => 1, 'wildcard' => 1]), 'wildcard request');
    assert_same('0', $requests[1]['fields']['wildcard'], 'plain request wildcard');
    assert_same(true, $requests[0]['key_ok'], 'key accepted');
    assert_same('/api/client/adddomainalias', $requests[0]['path'], 'path');
});

closte_test('IDN is sent as punycode', function () {
    sim_reset();
    $result = closte_add_domain('Bücher.de', sim_options());
    assert_same('xn--bcher-kva.de', $result['domain'], 'result domain');
    assert_same(['xn--bcher-kva.de'], sim_aliases(), 'simulator');
});

closte_test('bad domains throw InvalidDomainException and send nothing', function () {
    sim_reset();
    $bad = ['', 'exa mple.com', "example.com\r\nX: y", 'a&b.com', 'a/b.com', 'a:80.com', 'me@example.com',
        'a.*.example.com', str_repeat('a', 64) . '.com', "ex\xffample.com", 'localhost', '-a.com'];
    foreach ($bad as $domain) {
        foreach (['closte_add_domain', 'closte_remove_domain'] as $fn) {
            $e = assert_throws(Closte\InvalidDomainException::class, function () use ($fn, $domain) {
                $fn($domain, sim_options());
            }, "$fn(" . json_encode($domain, JSON_INVALID_UTF8_SUBSTITUTE) . ')');
            assert_true(strpos($e->getMessage(), "\n") === false, 'message is one line');
        }
    }
    assert_same(0, sim_request_count(), 'requests reaching the simulator');
});

closte_test('validate_domain normalises or throws', function () {
    assert_same('xn--bcher-kva.de', closte_validate_domain('BÜCHER.de.'), 'idn');
    assert_same('*.example.com', closte_validate_domain('*.EXAMPLE.com'), 'wildcard');
    $e = assert_throws(Closte\InvalidDomainException::class, function () {
        closte_validate_domain("bad\0name.com");
    });
    assert_contains('NUL', $e->getMessage(), 'message');
});

closte_test('list accepts object-shaped entries too', function () {
    sim_reset();
    closte_add_domain('a.example.com', sim_options());
    closte_add_domain('b.example.com', sim_options());
    sim_request('POST', '/_sim/config', ['domains_shape' => 'object']);
    try {
        assert_same(['a.example.com', 'b.example.com'], closte_list_domains(sim_options()), 'object shape');
    } finally {
        sim_request('POST', '/_sim/config', ['domains_shape' => 'string']);
    }
});

closte_test('Closte refusing a name it manages is an ApiException with its text', function () {
    sim_reset();
    $e = assert_throws(Closte\ApiException::class, function () {
        closte_add_domain('mysite.closte.com', sim_options());
    });
    assert_same(200, $e->getStatusCode(), 'status');
    assert_same('Invalid or empty domain: mysite.closte.com', $e->getApiError(), 'api error');
    assert_same(1, sim_request_count(), 'not retried');
});

closte_test_run();
