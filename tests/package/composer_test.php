<?php
/**
 * composer.json, as PIE reads it, against what the build really does. PIE
 * itself cannot run here (it downloads from Packagist and GitHub): these are
 * the fields of PIE's documented php-ext section, checked one by one against
 * the loaded extension, the configure script and the ini file.
 *
 *   php -n -d extension=.../closte.so tests/package/composer_test.php BUILD_DIR
 *
 * BUILD_DIR: where phpize and ./configure ran (for ./configure --help).
 */

$root = dirname(__DIR__, 2);
$build_dir = $argv[1] ?? '';
$passed = 0;
$failed = 0;

function check(string $what, bool $ok, string $detail = ''): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
        echo "ok   - composer.json: $what\n";
    } else {
        $failed++;
        echo "FAIL - composer.json: $what" . ($detail === '' ? '' : "\n       $detail") . "\n";
    }
}

$json = json_decode((string) file_get_contents("$root/composer.json"), true);
check('is a JSON object', is_array($json), json_last_error_msg());
if (!is_array($json)) {
    echo "$passed passed, $failed failed\n";
    exit(1);
}
$ext = $json['php-ext'] ?? [];

// Composer's own package-name rule; PIE adds: not a PHP library's name.
check('name is vendor/package (' . ($json['name'] ?? '') . ')',
    preg_match('{^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$}', $json['name'] ?? '') === 1);
check('type is php-ext (a PHP module, not a Zend extension)', ($json['type'] ?? null) === 'php-ext');

$known = ['extension-name', 'priority', 'support-zts', 'support-nts', 'build-path',
    'download-url-method', 'os-families', 'os-families-exclude', 'configure-options'];
check('php-ext holds only PIE\'s documented keys', is_array($ext) && array_diff(array_keys($ext), $known) === [],
    implode(', ', array_diff(array_keys((array) $ext), $known)));

$name = $ext['extension-name'] ?? '';
check("extension-name '$name' is a valid extension name", preg_match('/^[A-Za-z][a-zA-Z0-9_]+$/', $name) === 1);
check('extension-name is the name the built module registers', extension_loaded($name)
    && (new ReflectionExtension($name))->getName() === $name && function_exists('closte_version'));

$ini = (string) file_get_contents("$root/packaging/closte.ini");
$priority = $ext['priority'] ?? null;
check("priority $priority is in 10..99 and is closte.ini's (Debian's conf.d order)",
    is_int($priority) && $priority >= 10 && $priority <= 99
    && preg_match('/^; priority=(\d+)$/m', $ini, $m) === 1 && (int) $m[1] === $priority);

check('support-zts is false: the build refuses ZTS', ($ext['support-zts'] ?? true) === false
    && str_contains((string) file_get_contents("$root/build.rs"), 'fn refuse_thread_safe_php()'));
check('support-nts is true, and this PHP is NTS', ($ext['support-nts'] ?? true) === true && !PHP_ZTS);

$families = $ext['os-families'] ?? [];
check('os-families is a non-empty list of PIE\'s families, without os-families-exclude',
    is_array($families) && $families !== [] && array_is_list($families)
    && array_diff($families, ['windows', 'bsd', 'darwin', 'solaris', 'linux', 'unknown']) === []
    && !isset($ext['os-families-exclude']));
check('os-families holds this OS (' . PHP_OS_FAMILY . ')', in_array(strtolower(PHP_OS_FAMILY), $families, true));

check('no build-path: config.m4 is at the root', !isset($ext['build-path']) && is_file("$root/config.m4"));
check('download-url-method, if any, is one PIE knows', !isset($ext['download-url-method'])
    || in_array($ext['download-url-method'], ['composer-default', 'pre-packaged-source'], true));

// Each configure option PIE may pass must be one ./configure takes, with a
// value exactly when it says needs-value.
$help = $build_dir !== '' && is_file("$build_dir/configure")
    ? (string) shell_exec('cd ' . escapeshellarg($build_dir) . ' && ./configure --help 2>&1') : '';
check('./configure --help ran in the build dir', str_contains($help, '--with-php-config'), $build_dir);
$options = $ext['configure-options'] ?? [];
check('configure-options is a list', is_array($options) && array_is_list($options));
foreach ((array) $options as $option) {
    $opt = is_array($option) ? (string) ($option['name'] ?? '') : '';
    $needs = is_array($option) && ($option['needs-value'] ?? false) === true;
    $shape = preg_match('/^\s+--' . preg_quote($opt, '/') . '(=\S+)?\s/m', $help, $m) === 1;
    check("configure option '$opt': a valid name, described, taken by ./configure" . ($needs ? ' with a value' : ''),
        preg_match('/^[a-zA-Z0-9][a-zA-Z0-9-_]*$/', $opt) === 1 && ($option['description'] ?? '') !== ''
        && $shape && (($m[1] ?? '') !== '') === $needs);
}

// require.php: the PHP versions CI tests, this one among them.
$constraint = $json['require']['php'] ?? '';
preg_match_all('/~(\d+\.\d+)\.0/', $constraint, $m);
$allowed = $m[1];
check("require.php '$constraint' names exactly the tested PHPs (8.2, 8.4)", $allowed === ['8.2', '8.4']
    && preg_replace('/~\d+\.\d+\.0|\s|\|\|/', '', $constraint) === '');
check('require.php allows this PHP (' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION . ')',
    in_array(PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION, $allowed, true));

echo "$passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
