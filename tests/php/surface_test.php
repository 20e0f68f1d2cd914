<?php
/** What the extension registers: functions, types, classes, ini, phpinfo, stubs. */

require __DIR__ . '/bootstrap.php';

closte_test('every SPEC function exists with typed parameters and return', function () {
    $expected = [
        'closte_add_domain' => ['string $domain', 'array $options = []', 'array'],
        'closte_remove_domain' => ['string $domain', 'array $options = []', 'array'],
        'closte_list_domains' => ['array $options = []', 'array'],
        'closte_test_connection' => ['array $options = []', 'array'],
        'closte_sync_domains' => ['array $domains', 'array $options = []', 'array'],
        'closte_validate_domain' => ['string $domain', 'string'],
        'closte_version' => ['string'],
        'closte_ssl_status' => ['string $domain', 'array $options = []', 'array'],
    ];
    foreach ($expected as $name => $signature) {
        $fn = new ReflectionFunction($name);
        $params = array_map(function (ReflectionParameter $p) {
            $text = $p->getType() . ' $' . $p->getName();
            return $p->isDefaultValueAvailable() ? $text . ' = ' . json_encode($p->getDefaultValue()) : $text;
        }, $fn->getParameters());
        $params[] = (string) $fn->getReturnType();
        assert_same($signature, $params, $name);
    }
    assert_same(array_keys($expected), array_keys((new ReflectionExtension('closte'))->getFunctions()), 'function list');
});

closte_test('exception tree: Closte\\Exception extends RuntimeException, the rest extend it', function () {
    assert_same(['Closte\Exception' => 'Closte\Exception', 'RuntimeException' => 'RuntimeException', 'Exception' => 'Exception'],
        class_parents('Closte\ApiException'), 'ApiException parents');
    foreach (['InvalidDomainException', 'ConfigurationException', 'TransportException', 'ApiException'] as $short) {
        assert_same('Closte\Exception', get_parent_class("Closte\\$short"), $short);
    }
    assert_same('RuntimeException', get_parent_class('Closte\Exception'), 'base');
    $e = new Closte\ApiException('made by hand', 418);
    assert_same(0, $e->getStatusCode(), 'status of a hand-made ApiException');
    assert_same(null, $e->getApiError(), 'api error of a hand-made ApiException');
    assert_same(__LINE__ - 3, $e->getLine(), 'line of a hand-made exception');
});

closte_test('ini entries have the SPEC defaults', function () {
    assert_same('https://app.closte.com/api/client', ini_get('closte.api_url'), 'api_url');
    assert_same('45', ini_get('closte.timeout'), 'timeout');
    assert_same('10', ini_get('closte.connect_timeout'), 'connect_timeout');
    assert_same('2', ini_get('closte.retries'), 'retries');
});

closte_test('phpinfo shows a closte section with settings and never the key', function () {
    [$code, $out] = run_php('define("CLOSTE_CLIENT_API_KEY", "' . TEST_KEY . '"); phpinfo(INFO_MODULES);');
    assert_same(0, $code, 'exit code');
    assert_contains('closte support => enabled', $out, 'phpinfo');
    assert_contains('closte.api_url => https://app.closte.com/api/client', $out, 'phpinfo');
    assert_contains('CLOSTE_CLIENT_API_KEY => defined (hidden)', $out, 'phpinfo');
    assert_not_contains(TEST_KEY, $out, 'phpinfo');
    assert_not_contains('sk_test_SECRET', $out, 'phpinfo');
});

closte_test('version carries the crate version and the git revision', function () {
    assert_true(preg_match('/^\d+\.\d+\.\d+\+[0-9a-f]{7,}(\.dirty)?$|^\d+\.\d+\.\d+\+unknown$/', closte_version()) === 1, 'version ' . closte_version());
});

closte_test('checked-in stubs match what the .so registers', function () {
    $root = dirname(__DIR__, 2);
    [$code, $generated] = run_php('require "' . $root . '/tools/gen-stubs.php";');
    assert_same(0, $code, 'gen-stubs exit code: ' . $generated);
    $checked_in = file_get_contents("$root/php-stubs/closte.php");
    if ($generated !== $checked_in) {
        closte_fail('php-stubs/closte.php drifted from the extension; regenerate it with tools/gen-stubs.php');
    }
});

closte_test_run();
