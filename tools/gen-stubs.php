<?php
/**
 * Writes php-stubs/closte.php from what the loaded `closte` extension
 * registers (Reflection), so the stubs cannot claim what the .so does not do.
 * The prose lives here; the signatures come from the extension. A function,
 * class or ini entry without prose here is an error, so nothing new ships
 * undocumented.
 *
 *   php -d extension=target/release/libcloste.so tools/gen-stubs.php > php-stubs/closte.php
 */

declare(strict_types=1);

if (!extension_loaded('closte')) {
    fwrite(STDERR, "gen-stubs: the closte extension is not loaded\n");
    exit(2);
}

$options_doc = [
    '@param array{api_key?: string, api_url?: string, timeout?: int|float, connect_timeout?: int|float, retries?: int, proxy?: string, ca_file?: string} $options',
    '       Per-call overrides. The key defaults to the CLOSTE_CLIENT_API_KEY constant; the',
    '       others to the closte.* ini entries. proxy: "http://[user:pass@]host:port", empty',
    '       for none (the environment\'s proxy variables are never read); ca_file: a PEM bundle',
    '       to trust instead of the system roots. Hidden from traces (#[\SensitiveParameter]).',
];
$alias_return = '@return array{ok: bool, domain: string, wildcard: bool, status: int, attempts: int, elapsed_ms: int}';
$throws_network = [
    '@throws \Closte\ConfigurationException no or empty key, bad option or ini value',
    '@throws \Closte\TransportException Closte unreachable, timeout or TLS failure, after the retries',
    '@throws \Closte\ApiException HTTP status >= 300, unexpected body, or success:false',
    '@throws \Closte\ManagedDomainException Closte manages the name itself (an ApiException)',
];

$functions = [
    'closte_add_domain' => array_merge(
        ['Adds $domain as an alias of the Closte app; Closte then issues its certificate.', ''],
        ['@param string $domain Validated and normalised first (lower case, punycode, no trailing dot).'],
        $options_doc,
        [$alias_return, '@throws \Closte\InvalidDomainException bad domain; nothing was sent'],
        $throws_network
    ),
    'closte_remove_domain' => array_merge(
        ['Removes the alias $domain from the Closte app.', ''],
        ['@param string $domain Validated and normalised first.'],
        $options_doc,
        [$alias_return, '@throws \Closte\InvalidDomainException bad domain; nothing was sent'],
        $throws_network
    ),
    'closte_list_domains' => array_merge(
        ['The aliases Closte has for the app, as normalised domain names.', ''],
        $options_doc,
        ['@return list<string>'],
        $throws_network
    ),
    'closte_test_connection' => array_merge(
        ['Tells whether Closte accepts the API key (an adddomainalias call without a domain).', ''],
        $options_doc,
        [
            '@return array{ok: bool, message: string, api_error: ?string} ok is true when the key is',
            '        accepted; network failures are reported here, not thrown. api_error: Closte\'s own',
            '        words when it refused, never part of message.',
            '@throws \Closte\ConfigurationException no or empty key, bad option or ini value',
        ]
    ),
    'closte_sync_domains' => array_merge(
        [
            'Makes Closte\'s aliases match $domains: adds the missing ones and, with remove_extra,',
            'removes the others, `concurrency` calls at a time (default 8, at most 64).',
            'Every domain is validated before anything is sent.',
            '',
            '@param list<string> $domains',
            '@param array{api_key?: string, api_url?: string, timeout?: int|float, connect_timeout?: int|float, retries?: int, proxy?: string, ca_file?: string, concurrency?: int, remove_extra?: bool} $options',
            '       Hidden from traces (#[\SensitiveParameter]).',
            '@return array{added: list<string>, removed: list<string>, unchanged: list<string>, failed: array<string, string>, elapsed_ms: int}',
            '        failed maps a domain to the reason its call failed.',
            '@throws \Closte\InvalidDomainException a bad domain in $domains; nothing was sent',
        ],
        $throws_network
    ),
    'closte_validate_domain' => [
        'The normalised form of $domain: lower case, IDN as punycode, no trailing dot,',
        '`*.` allowed only as the first label.',
        '',
        '@throws \Closte\InvalidDomainException saying what is wrong',
    ],
    'closte_version' => ['The extension\'s version and the git revision it was built from.'],
    'closte_ssl_status' => [
        'Checks the certificate $domain presents: a TLS handshake on port 443 with SNI, the chain',
        'verified against the system\'s trusted roots (or $options[\'ca_file\']), the name and the',
        'dates. An expired, untrusted or wrong-name certificate is still described. A failed check',
        'is reported in the result (ok/valid false and error), never thrown. Needs no API key.',
        '',
        '@param string $domain A host name (not a wildcard); validated and normalised first.',
        '@param array{host?: string, port?: int, ca_file?: string, timeout?: int|float} $options',
        '       host: connect to this IP address or host name instead of resolving $domain (SNI and',
        '       the name check still use $domain); port: default 443; ca_file: a PEM bundle to trust',
        '       instead of the system roots; timeout: seconds for the whole check, default 10.',
        '@return array{domain: string, ok: bool, valid: bool, error: ?string, error_code: ?string, names: list<string>, ip_addresses: list<string>, other_names: list<string>, subject: ?string, issuer: ?string, serial: ?string, key_algorithm: ?string, signature_algorithm: ?string, not_before: ?string, not_after: ?string, days_left: ?int, self_signed: ?bool, address: ?string, protocol: ?string, checked_at: string, elapsed_ms: int}',
        '        ok: the handshake completed. valid: ok, and the certificate is trusted, valid for',
        '        $domain and within its dates. error: null when valid, else a sentence for a person.',
        '        error_code: null when valid, else one of expired, not_yet_valid, name_mismatch,',
        '        self_signed, unknown_issuer, bad_certificate, refused, timeout, dns, handshake:',
        '        switch on this, never on error.',
        '        names: the DNS names of the certificate (subjectAltName); ip_addresses its IP',
        '        entries; other_names the rest ("email:...", "URI:..."). serial: hex bytes',
        '        ("03:A1:..."). key_algorithm: "RSA 2048", "EC P-256", "Ed25519".',
        '        signature_algorithm: "sha256WithRSAEncryption", "ecdsa-with-SHA256". subject, issuer: DNs,',
        '        most specific part first ("CN=R11, O=Let\'s Encrypt, C=US"). not_before, not_after,',
        '        checked_at: ISO 8601 UTC ("2026-01-31T23:59:59Z"). days_left: whole days until',
        '        not_after, negative once expired. address: the "ip:port" connected to. protocol:',
        '        "TLSv1.3" or "TLSv1.2". The certificate fields are null (names empty) when the',
        '        server sent no certificate.',
        '@throws \Closte\InvalidDomainException bad domain, or a wildcard; nothing was sent',
        '@throws \Closte\ConfigurationException bad option, or a ca_file that cannot be read or holds no certificate',
    ],
];

$classes = [
    'Closte\Exception' => 'Base of every exception the extension throws.',
    'Closte\InvalidDomainException' => 'Bad domain input; nothing was sent to Closte.',
    'Closte\ConfigurationException' => 'No API key, an empty key, a bad option or a bad ini value; nothing was sent.',
    'Closte\TransportException' => 'No HTTP answer (connect failure, timeout, TLS failure, dropped connection) after the retries.',
    'Closte\ApiException' => 'Closte answered, but not with success: HTTP status >= 300, an unexpected body, or success:false.',
    'Closte\ManagedDomainException' => 'Closte refused the name because it manages it itself (a subdomain of its own hosts): expected, not an outage. Switch on this class, never on the message.',
];
$methods = [
    'Closte\ApiException::getStatusCode' => 'The HTTP status of the answer (200 when Closte answered success:false); also getCode().',
    'Closte\ApiException::getApiError' => 'Closte\'s own "error" text (control characters escaped, at most 300 characters), or null when the answer had none or it held any 8 characters of the API key.',
];

function closte_stub_type(?ReflectionType $type): string
{
    if ($type === null) {
        return '';
    }
    $name = $type instanceof ReflectionNamedType ? $type->getName() : (string) $type;
    return ($type->allowsNull() && $name !== 'mixed' && $name !== 'null' ? '?' : '') . $name;
}

function closte_docblock(array $lines, string $indent = ''): string
{
    $out = "$indent/**\n";
    foreach ($lines as $line) {
        $out .= rtrim("$indent * $line") . "\n";
    }
    return $out . "$indent */\n";
}

function closte_params(ReflectionFunctionAbstract $fn): string
{
    $params = [];
    foreach ($fn->getParameters() as $p) {
        $text = '';
        if ($p->getAttributes('SensitiveParameter')) {
            $text .= '#[\SensitiveParameter] ';
        }
        $type = closte_stub_type($p->getType());
        $text .= ($type !== '' ? "$type " : '') . '$' . $p->getName();
        if ($p->isOptional() && $p->isDefaultValueAvailable()) {
            $default = $p->getDefaultValue();
            $text .= ' = ' . ($default === [] ? '[]' : var_export($default, true));
        }
        $params[] = $text;
    }
    return implode(', ', $params);
}

$ext = new ReflectionExtension('closte');
$problems = [];
$out = "<?php\n\n// Generated by tools/gen-stubs.php from the closte extension. Do not edit.\n";
$out .= '// php.ini entries: ' . implode(', ', array_keys($ext->getINIEntries())) . "\n";

$out .= "\nnamespace {\n\n";
foreach ($ext->getFunctions() as $name => $fn) {
    if (!isset($functions[$name])) {
        $problems[] = "function $name has no documentation in tools/gen-stubs.php";
        continue;
    }
    $out .= closte_docblock($functions[$name], '    ');
    $return = closte_stub_type($fn->getReturnType());
    $out .= "    function $name(" . closte_params($fn) . ')' . ($return !== '' ? ": $return" : '') . " {}\n\n";
}
$out = rtrim($out) . "\n}\n";

$out .= "\nnamespace Closte {\n";
foreach ($ext->getClasses() as $name => $class) {
    if (!isset($classes[$name])) {
        $problems[] = "class $name has no documentation in tools/gen-stubs.php";
        continue;
    }
    $short = $class->getShortName();
    $parent = $class->getParentClass();
    $extends = $parent ? ' extends \\' . $parent->getName() : '';
    $out .= "\n" . closte_docblock([$classes[$name]], '    ');
    $out .= "    class $short$extends\n    {\n";
    foreach ($class->getMethods() as $method) {
        if ($method->getDeclaringClass()->getName() !== $name) {
            continue;
        }
        $key = $name . '::' . $method->getName();
        if (!isset($methods[$key])) {
            $problems[] = "method $key has no documentation in tools/gen-stubs.php";
            continue;
        }
        $out .= closte_docblock([$methods[$key]], '        ');
        $return = closte_stub_type($method->getReturnType());
        $out .= '        public function ' . $method->getName() . '(' . closte_params($method) . ')'
            . ($return !== '' ? ": $return" : '') . " {}\n";
    }
    $out .= "    }\n";
}
$out .= "}\n";

if ($problems) {
    fwrite(STDERR, 'gen-stubs: ' . implode("\ngen-stubs: ", $problems) . "\n");
    exit(1);
}
echo $out;
