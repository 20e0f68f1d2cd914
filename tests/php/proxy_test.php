<?php
/**
 * Egress proxies (SPEC 2: closte.proxy, $options['proxy']) through a real
 * proxy on loopback, Debian's tinyproxy, started by this file with a
 * configuration of its own: plain HTTP forwarded, HTTPS tunnelled with
 * CONNECT, proxy credentials (BasicAuth) accepted and never shown, the
 * environment's proxy variables never read, a proxy that is down an honest
 * TransportException.
 */

require __DIR__ . '/bootstrap.php';
require __DIR__ . '/lib/hostile.php';

const PROXY_USER = 'closte-proxy-user';
const PROXY_PASSWORD = 'pr0xy-Pa55word-9c1e';

function proxy_ensure_tinyproxy(): void
{
    if (is_executable('/usr/bin/tinyproxy')) {
        return;
    }
    exec('apt-get install -y -qq tinyproxy >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq tinyproxy >/dev/null 2>&1)', $unused, $code);
    if ($code !== 0) {
        fwrite(STDERR, "could not install tinyproxy\n");
        echo "0 passed, 1 failed\n";
        exit(1);
    }
}

function proxy_free_port(): int
{
    $socket = stream_socket_server('tcp://127.0.0.1:0');
    $name = stream_socket_get_name($socket, false);
    fclose($socket);
    return (int) substr($name, strrpos($name, ':') + 1);
}

/** Starts tinyproxy in the foreground; returns [port, log file]. */
function proxy_start(string $name, bool $auth): array
{
    $dir = $GLOBALS['hostile_dir'];
    $port = proxy_free_port();
    $log = "$dir/$name.log";
    $conf = "Port $port\nListen 127.0.0.1\nTimeout 30\nLogFile \"$log\"\nLogLevel Info\nMaxClients 20\n"
        . "Allow 127.0.0.1\nDisableViaHeader Yes\n" . ($auth ? 'BasicAuth ' . PROXY_USER . ' ' . PROXY_PASSWORD . "\n" : '');
    file_put_contents("$dir/$name.conf", $conf);
    touch($log);
    $proc = proc_open(['/usr/bin/tinyproxy', '-d', '-c', "$dir/$name.conf"], [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $GLOBALS['hostile_procs'][] = $proc;
    for ($i = 0; $i < 200; $i++) {
        $probe = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 0.1);
        if ($probe) {
            fclose($probe);
            return [$port, $log];
        }
        usleep(25000);
    }
    closte_fail("tinyproxy ($name) did not start");
}

/** Requests tinyproxy logged since the test began ("Request (file descriptor ...)" lines). */
function proxy_requests(string $log): array
{
    $lines = preg_grep('/Request \(file descriptor \d+\): (GET|POST|CONNECT) /', file($log, FILE_IGNORE_NEW_LINES) ?: []);
    return array_values(array_map(fn ($l) => preg_replace('/^.*Request \(file descriptor \d+\): /', '', $l), $lines));
}

proxy_ensure_tinyproxy();
[$open_port, $open_log] = proxy_start('open', false);
[$auth_port, $auth_log] = proxy_start('auth', true);
$tls_front = hostile('front:' . parse_url(sim_url(), PHP_URL_PORT), true);

function tls_options(array $extra = []): array
{
    return $extra + sim_options([
        'api_url' => 'https://127.0.0.1:' . $GLOBALS['tls_front'] . '/api/client',
        'ca_file' => fixture('fixture-ca.pem'),
    ]);
}

closte_test('plain HTTP through the proxy: forwarded, and it really went through it', function () use ($open_port, $open_log) {
    sim_reset();
    $before = count(proxy_requests($open_log));
    $result = closte_add_domain('via-proxy.example.com', sim_options(['proxy' => "http://127.0.0.1:$open_port"]));
    assert_same(true, $result['ok'], 'ok');
    assert_same(['via-proxy.example.com'], sim_aliases(), 'alias added');
    $seen = array_slice(proxy_requests($open_log), $before);
    assert_same(1, count($seen), 'requests the proxy forwarded: ' . json_encode($seen));
    assert_contains('POST http://127.0.0.1:', $seen[0], 'an absolute-form request');
});

closte_test('HTTPS through the proxy: a CONNECT tunnel, TLS end to end', function () use ($open_port, $open_log) {
    sim_reset();
    $before = count(proxy_requests($open_log));
    $result = closte_add_domain('tunnel.example.com', tls_options(['proxy' => "http://127.0.0.1:$open_port"]));
    assert_same(true, $result['ok'], 'ok');
    $list = closte_list_domains(tls_options(['proxy' => "http://127.0.0.1:$open_port"]));
    assert_same(['tunnel.example.com'], $list, 'listed through the tunnel');
    $seen = array_slice(proxy_requests($open_log), $before);
    assert_true(count($seen) >= 1, 'the proxy saw the tunnel');
    foreach ($seen as $line) {
        assert_contains('CONNECT 127.0.0.1:' . $GLOBALS['tls_front'], $line, 'only CONNECT: the proxy sees no request inside');
    }
    assert_not_contains('getdomains', (string) file_get_contents($open_log), 'the key-carrying query stays inside TLS');
});

closte_test('the ini entry closte.proxy works like the option; an empty option turns it off', function () use ($open_port, $open_log) {
    sim_reset();
    $before = count(proxy_requests($open_log));
    ini_set('closte.proxy', "http://127.0.0.1:$open_port");
    try {
        closte_add_domain('ini-proxy.example.com', sim_options());
        closte_add_domain('no-proxy.example.com', sim_options(['proxy' => '']));
    } finally {
        ini_set('closte.proxy', '');
    }
    assert_same(1, count(proxy_requests($open_log)) - $before, 'only the call without proxy => "" went through it');
    assert_same(['ini-proxy.example.com', 'no-proxy.example.com'], sim_aliases(), 'both added');
});

closte_test('proxy credentials: accepted, and never in a message, trace or phpinfo', function () use ($auth_port, $auth_log) {
    sim_reset();
    $with = 'http://' . PROXY_USER . ':' . PROXY_PASSWORD . "@127.0.0.1:$auth_port";
    $result = closte_add_domain('auth.example.com', sim_options(['proxy' => $with]));
    assert_same(true, $result['ok'], 'ok with credentials');
    $result = closte_add_domain('auth-tls.example.com', tls_options(['proxy' => $with]));
    assert_same(true, $result['ok'], 'ok with credentials, through a tunnel');
    assert_same(['auth.example.com', 'auth-tls.example.com'], sim_aliases(), 'both added');

    // Direct try/catch, not assert_throws(): a closure capturing the URL would
    // sit in the trace's arguments and print the password itself.
    try {
        closte_add_domain('denied.example.com', sim_options(['proxy' => 'http://' . PROXY_USER . ':wrong-' . PROXY_PASSWORD . "@127.0.0.1:$auth_port", 'retries' => 0]));
        closte_fail('wrong password, plain HTTP: no exception');
    } catch (Closte\Exception $plain) {
        // tinyproxy answers 407 and may close before the request body is
        // in: an ApiException 407 or a closed connection, either is honest.
        if ($plain instanceof Closte\ApiException) {
            assert_same(407, $plain->getStatusCode(), 'the proxy answered 407');
        } else {
            assert_true($plain instanceof Closte\TransportException, get_class($plain));
            assert_contains('via proxy', $plain->getMessage(), 'names the proxy');
        }
    }
    try {
        closte_add_domain('denied.example.com', tls_options(['proxy' => 'http://' . PROXY_USER . ':wrong-' . PROXY_PASSWORD . "@127.0.0.1:$auth_port"]));
        closte_fail('wrong password, tunnel: no exception');
    } catch (Closte\TransportException $tunnel) {
        assert_contains('via proxy http://127.0.0.1:' . $auth_port, $tunnel->getMessage(), 'names the proxy');
    }
    foreach ([$plain, $tunnel] as $e) {
        $text = $e->getMessage() . $e->getTraceAsString() . print_r($e, true);
        foreach ([PROXY_PASSWORD, urlencode(PROXY_PASSWORD), PROXY_USER] as $secret) {
            assert_not_contains($secret, $text, get_class($e));
        }
    }
    ini_set('closte.proxy', $with);
    try {
        ob_start();
        phpinfo(INFO_MODULES);
        $info = ob_get_clean();
    } finally {
        ini_set('closte.proxy', '');
    }
    assert_contains("http://127.0.0.1:$auth_port", $info, 'phpinfo shows the proxy');
    assert_not_contains(PROXY_PASSWORD, $info, 'phpinfo');
    assert_not_contains(PROXY_USER, $info, 'phpinfo');
});

closte_test("the environment's proxy variables are never read", function () use ($open_port, $open_log) {
    sim_reset();
    $before = count(proxy_requests($open_log));
    $proxy = "http://127.0.0.1:$open_port";
    $code = 'echo json_encode(closte_add_domain("env.example.com", ' . var_export(sim_options(), true) . '));';
    $env = ['HTTP_PROXY' => $proxy, 'http_proxy' => $proxy, 'HTTPS_PROXY' => $proxy, 'https_proxy' => $proxy, 'ALL_PROXY' => $proxy];
    $proc = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . getenv('CLOSTE_SO'), '-r', $code], [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env + getenv());
    $output = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    assert_same(0, proc_close($proc), 'child: ' . $output);
    assert_contains('"ok":true', $output, 'child result');
    assert_same($before, count(proxy_requests($open_log)), 'nothing went through the proxy');
});

closte_test('a proxy that is down: TransportException naming the proxy, retried, no secret', function () {
    $port = proxy_free_port();
    $start = microtime(true);
    $e = assert_throws(Closte\TransportException::class, function () use ($port) {
        closte_add_domain('down.example.com', sim_options(['proxy' => 'http://' . PROXY_USER . ':' . PROXY_PASSWORD . "@127.0.0.1:$port", 'retries' => 1]));
    });
    assert_contains("via proxy http://127.0.0.1:$port", $e->getMessage(), 'message');
    assert_contains('(2 attempts)', $e->getMessage(), 'retried');
    assert_not_contains(PROXY_PASSWORD, $e->getMessage() . $e->getTraceAsString(), 'secret');
    assert_less_than(2000, ms_since($start), 'ms');
});

closte_test('bad proxy URLs: ConfigurationException before anything is sent, no secret quoted', function () {
    sim_reset();
    foreach (['socks5://u:' . PROXY_PASSWORD . '@127.0.0.1:1080', 'not a url ' . PROXY_PASSWORD, 'http://127.0.0.1:3128/path?x=' . PROXY_PASSWORD] as $bad) {
        $e = assert_throws(Closte\ConfigurationException::class, function () use ($bad) {
            closte_add_domain('a.example.com', sim_options(['proxy' => $bad]));
        }, $bad);
        assert_not_contains(PROXY_PASSWORD, $e->getMessage(), 'message');
    }
    assert_same(0, sim_request_count(), 'nothing sent');
});

closte_test_run();
