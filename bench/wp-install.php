<?php
/**
 * Installs a throwaway single-site WordPress (the fixtures' 7.0.1, copied by
 * scripts/bench.sh next to a private MariaDB) so that the benchmark can load
 * the real wp-load.php and call the real wp_remote_post().
 * Usage: php bench/wp-install.php WP_DIR
 */

declare(strict_types=1);

$dir = $argv[1] ?? '';
if ($dir === '' || !is_file("$dir/wp-load.php")) {
    fwrite(STDERR, "usage: php wp-install.php WP_DIR\n");
    exit(2);
}
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
error_reporting(E_ALL & ~E_DEPRECATED);
require "$dir/wp-load.php";
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
if (is_blog_installed()) {
    echo "already installed\n";
    exit(0);
}
$result = wp_install('closte bench', 'admin', 'bench@example.com', true, '', wp_generate_password(24));
if (!is_array($result) || empty($result['user_id'])) {
    fwrite(STDERR, "wp_install failed\n");
    exit(1);
}
echo "installed\n";
