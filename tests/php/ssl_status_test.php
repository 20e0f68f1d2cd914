<?php
/**
 * closte_ssl_status() against real local TLS servers (`openssl s_server`)
 * whose certificates this file generates with the `openssl` command: a test
 * CA and an intermediate, leaves that are valid, expired, not yet valid,
 * for another name, self-signed, wildcard; plus servers that refuse,
 * stall, speak no TLS or share no cipher. Every server is stopped at exit,
 * also when a test fails.
 */

require __DIR__ . '/bootstrap.php';

// ---------------------------------------------------------------- set-up

/** Installs the Debian packages the test needs, only when one is missing. */
function ssl_ensure_packages(array $packages): void
{
    $missing = [];
    foreach ($packages as $package) {
        exec('dpkg -s ' . escapeshellarg($package) . ' >/dev/null 2>&1', $unused, $code);
        if ($code !== 0) {
            $missing[] = $package;
        }
    }
    if ($missing) {
        $sudo = function_exists('posix_geteuid') && posix_geteuid() === 0 ? '' : 'sudo ';
        $list = implode(' ', array_map('escapeshellarg', $missing));
        exec("{$sudo}apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive {$sudo}apt-get install -y -qq $list >/dev/null 2>&1", $unused, $code);
        if ($code !== 0) {
            fwrite(STDERR, "could not install $list\n");
            echo "0 passed, 1 failed\n";
            exit(1);
        }
    }
}

/** Runs a command (an argv list, no shell); dies with its output on failure. */
function ssl_run(array $argv, ?string $cwd = null): string
{
    $proc = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, $cwd);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    $code = proc_close($proc);
    if ($code !== 0) {
        fwrite(STDERR, 'command failed (' . $code . '): ' . implode(' ', $argv) . "\n" . $out);
        echo "0 passed, 1 failed\n";
        exit(1);
    }
    return $out;
}

function ssl_free_port(): int
{
    $socket = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    $name = stream_socket_get_name($socket, false);
    fclose($socket);
    return (int) substr($name, strrpos($name, ':') + 1);
}

/** `openssl ca -startdate/-enddate` wants this form. */
function ssl_asn1_time(int $unix): string
{
    return gmdate('YmdHis', $unix) . 'Z';
}

function ssl_iso(int $unix): string
{
    return gmdate('Y-m-d\TH:i:s\Z', $unix);
}

$GLOBALS['ssl_dir'] = sys_get_temp_dir() . '/closte-ssl-test-' . getmypid();
$GLOBALS['ssl_servers'] = [];

register_shutdown_function(function () {
    foreach ($GLOBALS['ssl_servers'] as $server) {
        if (is_resource($server['proc'])) {
            proc_terminate($server['proc'], 15);
            proc_close($server['proc']);
        }
    }
    exec('rm -rf ' . escapeshellarg($GLOBALS['ssl_dir']));
});

function ssl_path(string $file): string
{
    return $GLOBALS['ssl_dir'] . '/' . $file;
}

/** A key and a CSR for $cn with the given subjectAltNames. */
function ssl_csr(string $name, string $cn, array $sans): void
{
    $argv = ['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', ssl_path("$name.key"), '-out', ssl_path("$name.csr"), '-subj', "/O=Closte Tests/CN=$cn"];
    if ($sans) {
        $argv[] = '-addext';
        $argv[] = 'subjectAltName=' . implode(',', array_map(fn ($n) => "DNS:$n", $sans));
    }
    ssl_run($argv);
}

/** Signs $name.csr with the CA $issuer between $start and $end (Unix seconds). */
function ssl_sign(string $name, string $issuer, int $start, int $end, string $extensions = 'leaf_ext'): void
{
    ssl_run(['openssl', 'ca', '-batch', '-notext', '-config', ssl_path('ca.cnf'), '-extensions', $extensions,
        '-cert', ssl_path("$issuer.pem"), '-keyfile', ssl_path("$issuer.key"),
        '-startdate', ssl_asn1_time($start), '-enddate', ssl_asn1_time($end),
        '-in', ssl_path("$name.csr"), '-out', ssl_path("$name.pem")]);
}

function ssl_make_certificates(): void
{
    $dir = $GLOBALS['ssl_dir'];
    mkdir("$dir/newcerts", 0700, true);
    file_put_contents("$dir/index.txt", '');
    file_put_contents("$dir/serial", "1000\n");
    file_put_contents("$dir/ca.cnf", <<<CNF
        [ ca ]
        default_ca = test_ca
        [ test_ca ]
        database = $dir/index.txt
        new_certs_dir = $dir/newcerts
        serial = $dir/serial
        default_md = sha256
        policy = policy_any
        copy_extensions = copy
        unique_subject = no
        email_in_dn = no
        [ policy_any ]
        organizationName = optional
        commonName = supplied
        [ leaf_ext ]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [ intermediate_ext ]
        basicConstraints = critical,CA:TRUE,pathlen:0
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        CNF);

    // The test root CA (self-signed, CA:TRUE from openssl's defaults).
    ssl_run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', ssl_path('root.key'), '-out', ssl_path('root.pem'), '-days', '3650',
        '-subj', '/O=Closte Tests/CN=Closte Test Root CA']);

    $now = time();
    $GLOBALS['ssl_times'] = [
        'start' => $now - 86400,
        'end' => $now + 30 * 86400 + 3600,
        'expired_start' => gmmktime(0, 0, 0, 1, 1, 2020),
        'expired_end' => gmmktime(12, 0, 0, 1, 1, 2021),
        'future_start' => $now + 10 * 86400,
        'future_end' => $now + 100 * 86400,
    ];
    $t = $GLOBALS['ssl_times'];

    ssl_csr('intermediate', 'Closte Test Intermediate', []);
    ssl_sign('intermediate', 'root', $t['start'], $now + 365 * 86400, 'intermediate_ext');

    ssl_csr('valid', 'valid.test', ['valid.test', 'www.valid.test', 'xn--bcher-kva.test', 'localhost']);
    ssl_sign('valid', 'root', $t['start'], $t['end']);

    ssl_csr('expired', 'expired.test', ['expired.test']);
    ssl_sign('expired', 'root', $t['expired_start'], $t['expired_end']);

    ssl_csr('future', 'future.test', ['future.test']);
    ssl_sign('future', 'root', $t['future_start'], $t['future_end']);

    ssl_csr('other', 'other.test', ['other.test', 'www.other.test']);
    ssl_sign('other', 'root', $t['start'], $t['end']);

    ssl_csr('wildcard', '*.wild.test', ['*.wild.test']);
    ssl_sign('wildcard', 'root', $t['start'], $t['end']);

    ssl_csr('chained', 'chained.test', ['chained.test']);
    ssl_sign('chained', 'intermediate', $t['start'], $t['end']);

    // A critical extension nobody understands, copied from the CSR.
    ssl_run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', ssl_path('critical.key'), '-out', ssl_path('critical.csr'), '-subj', '/O=Closte Tests/CN=critical.test',
        '-addext', 'subjectAltName=DNS:critical.test', '-addext', '1.3.6.1.4.1.55555.1=critical,ASN1:UTF8String:unknown']);
    ssl_sign('critical', 'root', $t['start'], $t['end']);

    // Every SAN type but DNS: IP addresses, e-mail, URI.
    ssl_run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', ssl_path('ipsan.key'), '-out', ssl_path('ipsan.csr'), '-subj', '/O=Closte Tests/CN=ipsan.test',
        '-addext', 'subjectAltName=DNS:ipsan.test,IP:127.0.0.1,IP:::1,email:ops@ipsan.test,URI:https://ipsan.test/']);
    ssl_sign('ipsan', 'root', $t['start'], $t['end']);

    // A version 1 certificate (no extensions at all): what `openssl x509 -req` makes.
    ssl_run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', ssl_path('v1.key'), '-out', ssl_path('v1.csr'), '-subj', '/O=Closte Tests/CN=v1.test']);
    ssl_run(['openssl', 'x509', '-req', '-in', ssl_path('v1.csr'), '-CA', ssl_path('root.pem'), '-CAkey', ssl_path('root.key'),
        '-set_serial', '4097', '-days', '30', '-out', ssl_path('v1.pem')]);

    ssl_run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', ssl_path('self.key'), '-out', ssl_path('self.pem'), '-days', '30',
        '-subj', '/O=Closte Tests/CN=self.test', '-addext', 'subjectAltName=DNS:self.test']);
}

/** Starts a process that listens on $port; returns once the port accepts. */
function ssl_start(string $label, array $argv, int $port): int
{
    $log = ssl_path("$label.log");
    $proc = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes);
    $GLOBALS['ssl_servers'][$label] = ['proc' => $proc, 'port' => $port];
    $deadline = microtime(true) + 10;
    while (microtime(true) < $deadline) {
        $probe = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 0.2);
        if ($probe) {
            fclose($probe);
            return $port;
        }
        if (!proc_get_status($proc)['running']) {
            break;
        }
        usleep(20000);
    }
    closte_fail("server $label did not start: " . @file_get_contents($log));
    return 0;
}

/**
 * The port of an `openssl s_server` presenting certificate $cert (started on
 * first use), with extra s_server arguments.
 */
function tls_server(string $cert, array $extra = []): int
{
    $label = $cert . ($extra ? '-' . substr(md5(implode(' ', $extra)), 0, 8) : '');
    if (isset($GLOBALS['ssl_servers'][$label])) {
        return $GLOBALS['ssl_servers'][$label]['port'];
    }
    $port = ssl_free_port();
    $argv = array_merge(['openssl', 's_server', '-quiet', '-www', '-accept', "127.0.0.1:$port",
        '-cert', ssl_path("$cert.pem"), '-key', ssl_path("$cert.key")], $extra);
    return ssl_start($label, $argv, $port);
}

/** A TCP server that answers every connection with an HTTP error, no TLS. */
function plain_server(): int
{
    if (isset($GLOBALS['ssl_servers']['plain'])) {
        return $GLOBALS['ssl_servers']['plain']['port'];
    }
    $port = ssl_free_port();
    $code = '$s = stream_socket_server("tcp://127.0.0.1:' . $port . '");'
        . 'while ($c = @stream_socket_accept($s, 60)) { fread($c, 1); '
        . 'fwrite($c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"); fclose($c); }';
    return ssl_start('plain', [PHP_BINARY, '-n', '-r', $code], $port);
}

function check(string $domain, int $port, array $extra = []): array
{
    return closte_ssl_status($domain, $extra + ['host' => '127.0.0.1', 'port' => $port, 'ca_file' => ssl_path('root.pem'), 'timeout' => 5]);
}

/** The days_left the extension should compute for $not_after, right now. */
function expected_days_left(int $not_after): array
{
    // Either side of a second boundary, so a slow run cannot make it flaky.
    return [(int) floor(($not_after - time()) / 86400), (int) floor(($not_after - time() - 2) / 86400)];
}

ssl_ensure_packages(['openssl', 'ca-certificates']);
ssl_make_certificates();

// ---------------------------------------------------------------- tests

closte_test('signature: closte_ssl_status(string $domain, array $options = []): array', function () {
    $fn = new ReflectionFunction('closte_ssl_status');
    $params = array_map(fn (ReflectionParameter $p) => $p->getType() . ' $' . $p->getName()
        . ($p->isDefaultValueAvailable() ? ' = ' . json_encode($p->getDefaultValue()) : ''), $fn->getParameters());
    assert_same(['string $domain', 'array $options = []'], $params, 'parameters');
    assert_same('array', (string) $fn->getReturnType(), 'return type');
});

closte_test('valid certificate: every field', function () {
    $t = $GLOBALS['ssl_times'];
    $port = tls_server('valid');
    $r = check('Valid.TEST.', $port);
    assert_same('valid.test', $r['domain'], 'domain (normalised)');
    assert_same(true, $r['ok'], 'ok');
    assert_same(true, $r['valid'], 'valid');
    assert_same(null, $r['error'], 'error');
    assert_same(['valid.test', 'www.valid.test', 'xn--bcher-kva.test', 'localhost'], $r['names'], 'names');
    assert_same('CN=valid.test, O=Closte Tests', $r['subject'], 'subject');
    assert_same('CN=Closte Test Root CA, O=Closte Tests', $r['issuer'], 'issuer');
    assert_same(ssl_iso($t['start']), $r['not_before'], 'not_before');
    assert_same(ssl_iso($t['end']), $r['not_after'], 'not_after');
    assert_true(in_array($r['days_left'], expected_days_left($t['end']), true), 'days_left 30, got ' . var_export($r['days_left'], true));
    assert_same(false, $r['self_signed'], 'self_signed');
    assert_same("127.0.0.1:$port", $r['address'], 'address');
    assert_same('TLSv1.3', $r['protocol'], 'protocol');
    assert_true(is_int($r['elapsed_ms']) && $r['elapsed_ms'] < 5000, 'elapsed_ms');
    assert_true(abs(strtotime($r['checked_at']) - time()) < 10, 'checked_at is now: ' . $r['checked_at']);
    assert_same(null, $r['error_code'], 'error_code');
    assert_same([], $r['ip_addresses'], 'ip_addresses (this leaf has none)');
    assert_same([], $r['other_names'], 'other_names');
    assert_true(preg_match('/^[0-9A-F]{2}(:[0-9A-F]{2})*$/', $r['serial']) === 1, 'serial as hex bytes: ' . $r['serial']);
    assert_same('EC P-256', $r['key_algorithm'], 'key_algorithm');
    assert_same('ecdsa-with-SHA256', $r['signature_algorithm'], 'signature_algorithm');
    assert_same(
        ['domain', 'ok', 'valid', 'error', 'error_code', 'names', 'ip_addresses', 'other_names', 'subject', 'issuer',
         'serial', 'key_algorithm', 'signature_algorithm', 'not_before', 'not_after', 'days_left',
         'self_signed', 'address', 'protocol', 'checked_at', 'elapsed_ms'],
        array_keys($r),
        'keys'
    );
});

closte_test('SNI and name check use the domain: IDN, second SAN, TLS 1.2 server', function () {
    $r = check('bücher.test', tls_server('valid'));
    assert_same('xn--bcher-kva.test', $r['domain'], 'punycode domain');
    assert_same(true, $r['valid'], 'valid for the IDN SAN: ' . $r['error']);
    $r = check('www.valid.test', tls_server('valid', ['-tls1_2']));
    assert_same(true, $r['valid'], 'valid over TLS 1.2: ' . $r['error']);
    assert_same('TLSv1.2', $r['protocol'], 'protocol');
});

closte_test('host may be a name: resolved by the system (localhost)', function () {
    $port = tls_server('valid');
    $r = check('valid.test', $port, ['host' => 'LocalHost']);
    assert_same(true, $r['valid'], 'valid: ' . $r['error']);
    assert_same("127.0.0.1:$port", $r['address'], 'address');
});

closte_test('a host name that does not resolve: DNS failure (or timeout), not thrown', function () {
    $start = microtime(true);
    $r = check('valid.test', 1, ['host' => 'no-such-host.invalid', 'timeout' => 2]);
    assert_same(false, $r['ok'], 'ok');
    assert_true(strpos($r['error'], 'DNS failure') === 0 || strpos($r['error'], 'timeout') === 0, 'error: ' . $r['error']);
    assert_true(in_array($r['error_code'], ['dns', 'timeout'], true), 'error_code: ' . var_export($r['error_code'], true));
    assert_less_than(3000, ms_since($start), 'ms');
});

closte_test('expired certificate: ok but not valid, negative days_left, dates, error', function () {
    $t = $GLOBALS['ssl_times'];
    $r = check('expired.test', tls_server('expired'));
    assert_same(true, $r['ok'], 'ok (the handshake completes)');
    assert_same(false, $r['valid'], 'valid');
    assert_same(ssl_iso($t['expired_start']), $r['not_before'], 'not_before');
    assert_same('2021-01-01T12:00:00Z', $r['not_after'], 'not_after');
    assert_true(in_array($r['days_left'], expected_days_left($t['expired_end']), true), 'days_left, got ' . var_export($r['days_left'], true));
    assert_true($r['days_left'] < -365, 'days_left negative');
    assert_contains('expired', $r['error'], 'error');
    assert_contains('2021-01-01T12:00:00Z', $r['error'], 'error names the date');
    assert_same('expired', $r['error_code'], 'error_code');
    assert_same(['expired.test'], $r['names'], 'names still reported');
});

closte_test('not yet valid certificate', function () {
    $t = $GLOBALS['ssl_times'];
    $r = check('future.test', tls_server('future'));
    assert_same(true, $r['ok'], 'ok');
    assert_same(false, $r['valid'], 'valid');
    assert_contains('not yet valid', $r['error'], 'error');
    assert_contains(ssl_iso($t['future_start']), $r['error'], 'error names the start');
    assert_same('not_yet_valid', $r['error_code'], 'error_code');
    assert_same(ssl_iso($t['future_start']), $r['not_before'], 'not_before');
    assert_true(in_array($r['days_left'], expected_days_left($t['future_end']), true), 'days_left');
});

closte_test('wrong name: name mismatch listing the names the certificate covers', function () {
    $r = check('shop.example.test', tls_server('other'));
    assert_same(true, $r['ok'], 'ok');
    assert_same(false, $r['valid'], 'valid');
    assert_same('name mismatch: the certificate is for other.test, www.other.test, not shop.example.test', $r['error'], 'error');
    assert_same(['other.test', 'www.other.test'], $r['names'], 'names');
    assert_same('name_mismatch', $r['error_code'], 'error_code');
    assert_same('CN=other.test, O=Closte Tests', $r['subject'], 'subject');
});

closte_test('self-signed certificate: reported as such, trusted or not', function () {
    $port = tls_server('self');
    $r = check('self.test', $port);
    assert_same(true, $r['ok'], 'ok');
    assert_same(false, $r['valid'], 'valid');
    assert_same(true, $r['self_signed'], 'self_signed');
    assert_same($r['subject'], $r['issuer'], 'issuer is the subject');
    assert_contains('self-signed', $r['error'], 'error');
    assert_same('self_signed', $r['error_code'], 'error_code');
    $r = check('self.test', $port, ['ca_file' => ssl_path('self.pem')]);
    assert_same(false, $r['valid'], 'valid even with itself as the CA file');
    assert_contains('self-signed', $r['error'], 'error');
});

closte_test('wildcard certificate: valid one level down only', function () {
    $port = tls_server('wildcard');
    $r = check('shop.wild.test', $port);
    assert_same(true, $r['valid'], 'shop.wild.test: ' . $r['error']);
    assert_same(['*.wild.test'], $r['names'], 'names');
    assert_same('CN=*.wild.test, O=Closte Tests', $r['subject'], 'subject');
    foreach (['a.b.wild.test', 'wild.test'] as $name) {
        $r = check($name, $port);
        assert_same(true, $r['ok'], "$name ok");
        assert_same(false, $r['valid'], "$name valid");
        assert_contains('name mismatch', $r['error'], "$name error");
    }
});

closte_test('chain through an intermediate: valid when sent, unknown issuer when not', function () {
    $r = check('chained.test', tls_server('chained', ['-cert_chain', ssl_path('intermediate.pem')]));
    assert_same(true, $r['valid'], 'with the intermediate: ' . $r['error']);
    assert_same('CN=Closte Test Intermediate, O=Closte Tests', $r['issuer'], 'issuer is the intermediate');
    $r = check('chained.test', tls_server('chained'));
    assert_same(true, $r['ok'], 'ok');
    assert_same(false, $r['valid'], 'without the intermediate');
    assert_contains('unknown issuer', $r['error'], 'error');
    assert_contains('Closte Test Intermediate', $r['error'], 'error names the issuer');
    assert_same('unknown_issuer', $r['error_code'], 'error_code');
});

closte_test('an unknown critical extension, a v1 certificate: bad_certificate, in a sentence', function () {
    foreach (['critical' => 'critical.test', 'v1' => 'v1.test'] as $leaf => $name) {
        $r = check($name, tls_server($leaf));
        // rustls cannot even check the handshake signature with a certificate
        // that has an unknown critical extension: ok may be false.
        assert_same(false, $r['valid'], "$leaf: valid");
        assert_same($name, $r['names'][0] ?? str_replace('CN=', '', explode(', ', (string) $r['subject'])[0]), "$leaf: still described");
        assert_same('bad_certificate', $r['error_code'], "$leaf: error_code");
        assert_true(strpos($r['error'], 'bad certificate: the certificate ') === 0, "$leaf: a sentence: " . $r['error']);
        assert_true(preg_match('/[A-Z][a-z]+\(|Error|::/', $r['error']) === 0, "$leaf: no Rust debug output: " . $r['error']);
    }
    $r = check('critical.test', tls_server('critical'));
    assert_contains('critical extension', $r['error'], 'which problem');
    $r = check('v1.test', tls_server('v1'));
    assert_contains('version 3', $r['error'], 'which problem');
});

closte_test('every SAN type is read: IP addresses, e-mail, URI', function () {
    $r = check('ipsan.test', tls_server('ipsan'));
    assert_same(true, $r['valid'], 'valid: ' . $r['error']);
    assert_same(['ipsan.test'], $r['names'], 'names');
    assert_same(['127.0.0.1', '::1'], $r['ip_addresses'], 'ip_addresses');
    assert_same(['email:ops@ipsan.test', 'URI:https://ipsan.test/'], $r['other_names'], 'other_names');
});

closte_test('system roots by default: the test CA is not trusted there', function () {
    $r = closte_ssl_status('valid.test', ['host' => '127.0.0.1', 'port' => tls_server('valid'), 'timeout' => 5]);
    assert_same(true, $r['ok'], 'ok');
    assert_same(false, $r['valid'], 'valid');
    assert_contains('unknown issuer', $r['error'], 'error');
    assert_same(['valid.test', 'www.valid.test', 'xn--bcher-kva.test', 'localhost'], $r['names'], 'details still there');
});

closte_test('no cipher in common: handshake failure, ok false, no certificate', function () {
    $r = check('valid.test', tls_server('valid', ['-tls1_2', '-cipher', 'AES128-SHA']));
    assert_same(false, $r['ok'], 'ok');
    assert_same(false, $r['valid'], 'valid');
    assert_contains('handshake failure', $r['error'], 'error');
    assert_same('handshake', $r['error_code'], 'error_code');
    assert_same([], $r['names'], 'names');
    assert_same(null, $r['issuer'], 'issuer');
    assert_same(null, $r['not_after'], 'not_after');
    assert_same(null, $r['days_left'], 'days_left');
    assert_same(null, $r['protocol'], 'protocol');
});

closte_test('a server that does not speak TLS: handshake failure', function () {
    $r = check('valid.test', plain_server());
    assert_same(false, $r['ok'], 'ok');
    assert_contains('handshake failure', $r['error'], 'error');
    assert_same('handshake', $r['error_code'], 'error_code');
});

closte_test('connection refused: reported, not thrown', function () {
    $port = ssl_free_port();
    $r = check('valid.test', $port);
    assert_same(false, $r['ok'], 'ok');
    assert_same(false, $r['valid'], 'valid');
    assert_same("connection refused by 127.0.0.1:$port", $r['error'], 'error');
    assert_same('refused', $r['error_code'], 'error_code');
    assert_same(null, $r['address'], 'address');
});

closte_test('a server that never answers: timeout after the timeout option', function () {
    $listener = stream_socket_server('tcp://127.0.0.1:0'); // accepted by the kernel, never served
    $name = stream_socket_get_name($listener, false);
    $port = (int) substr($name, strrpos($name, ':') + 1);
    $start = microtime(true);
    $r = check('valid.test', $port, ['timeout' => 1]);
    $ms = ms_since($start);
    fclose($listener);
    assert_same(false, $r['ok'], 'ok');
    assert_contains('timeout', $r['error'], 'error');
    assert_contains('1 s', $r['error'], 'error names the limit');
    assert_same('timeout', $r['error_code'], 'error_code');
    assert_true($ms >= 900, "waited the timeout ($ms ms)");
    assert_less_than(2500, $ms, 'ms');
});

closte_test('bad domains: InvalidDomainException, nothing connected', function () {
    foreach (['', 'bad domain', "evil.test\r\nX: 1", 'a/b', "\xff\xfe", '*.wild.test', 'a.*.test'] as $bad) {
        assert_throws(Closte\InvalidDomainException::class, function () use ($bad) {
            closte_ssl_status($bad, ['host' => '127.0.0.1', 'port' => 1]);
        }, 'domain ' . bin2hex($bad));
    }
    $e = assert_throws(Closte\InvalidDomainException::class, fn () => closte_ssl_status('*.wild.test'));
    assert_contains('wildcard', $e->getMessage(), 'wildcard message');
});

closte_test('bad options: ConfigurationException naming the option', function () {
    $cases = [
        [['port' => 0], "'port'"],
        [['port' => 65536], "'port'"],
        [['port' => '443'], "'port'"],
        [['timeout' => 0], "'timeout'"],
        [['timeout' => 'ten'], "'timeout'"],
        [['timeout' => 601], "'timeout'"],
        [['host' => 'not a host'], "'host'"],
        [['host' => 42], "'host'"],
        [['ca_file' => ''], "'ca_file'"],
        [['ca_file' => '/nonexistent/ca.pem'], 'no such file'],
        [['ca_file' => __FILE__], 'no usable certificate'],
        [['ca_file' => sys_get_temp_dir()], 'not a regular file'],
        [['api_key' => 'x'], "Unknown option 'api_key'"],
    ];
    foreach ($cases as [$options, $expected]) {
        $e = assert_throws(Closte\ConfigurationException::class, function () use ($options) {
            closte_ssl_status('valid.test', $options + ['host' => '127.0.0.1', 'port' => 1]);
        }, json_encode($options));
        assert_contains($expected, $e->getMessage(), json_encode($options));
    }
});

closte_test('host may be an IPv6 literal, with or without brackets', function () {
    foreach (['::1', '[::1]'] as $host) {
        $r = closte_ssl_status('valid.test', ['host' => $host, 'port' => ssl_free_port(), 'timeout' => 2]);
        assert_same(false, $r['ok'], "$host ok");
        assert_true(strpos($r['error'], '[::1]:') !== false, "$host error names [::1]: " . $r['error']);
    }
});

closte_test('many checks in one process stay fast and leave no server connection open', function () {
    $port = tls_server('valid');
    $start = microtime(true);
    for ($i = 0; $i < 20; $i++) {
        assert_same(true, check('valid.test', $port)['valid'], "check $i");
    }
    assert_less_than(5000, ms_since($start), '20 checks ms');
});

closte_test_run();
