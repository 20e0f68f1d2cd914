<?php
/**
 * One version per product, read where it is written: the extension's from
 * Cargo.toml's [workspace.package] (closte_version() must report it), the
 * plugin's from its header, which CLOSTE_NATIVE_VERSION, readme.txt's
 * Stable tag and its changelog must repeat (WordPress reads each of those
 * places, so each must carry it); CHANGELOG.md names both.
 */

require __DIR__ . '/bootstrap.php';

$root = dirname(__DIR__, 2);

function version_in(string $file, string $pattern): string
{
    $text = (string) file_get_contents($file);
    if (!preg_match($pattern, $text, $m)) {
        closte_fail("no version in $file");
    }
    return $m[1];
}

closte_test('closte_version() reports the workspace version', function () use ($root) {
    $cargo = version_in("$root/Cargo.toml", '/^\[workspace\.package\]\s*\n(?:[^\[]*\n)*?version = "([^"]+)"/m');
    assert_same($cargo, explode('+', closte_version())[0], 'closte_version()');
});

closte_test('the plugin version: header, constant, Stable tag and changelog agree', function () use ($root) {
    $header = version_in("$root/wp-plugin/closte-native.php", '/^ \* Version:\s+(\S+)$/m');
    assert_same($header, version_in("$root/wp-plugin/closte-native.php", "/define\\( 'CLOSTE_NATIVE_VERSION', '([^']+)' \\);/"), 'CLOSTE_NATIVE_VERSION');
    assert_same($header, version_in("$root/wp-plugin/readme.txt", '/^Stable tag:\s+(\S+)$/m'), 'readme.txt Stable tag');
    assert_contains("= $header =", (string) file_get_contents("$root/wp-plugin/readme.txt"), 'readme.txt changelog');
});

closte_test('CHANGELOG.md has an entry for each current version', function () use ($root) {
    $changelog = (string) file_get_contents("$root/CHANGELOG.md");
    $cargo = explode('+', closte_version())[0];
    $plugin = version_in("$root/wp-plugin/closte-native.php", '/^ \* Version:\s+(\S+)$/m');
    assert_contains("## $cargo", $changelog, 'extension entry');
    assert_contains("plugin $plugin", $changelog, 'plugin version named');
});

closte_test_run();
