<?php
/**
 * Router for PHP's built-in server in the browser tests: serves the
 * WordPress copy given with -t as Apache's multisite rewrite rules would.
 *
 * Test switch: the cookie closte_test_no_um_menu=1 defines
 * CLOSTE_BROWSER_NO_UM_MENU, so the fixture mu-plugin removes Ultimate
 * Multisite's 'wp-ultimo' menu for that request.
 */

$closte_root = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
$closte_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
if ( false !== strpos( $closte_path, '..' ) ) {
	http_response_code( 400 );
	exit;
}

// Sub-directory sites: /site/wp-admin/..., /site/wp-login.php -> the shared files.
if ( ! file_exists( $closte_root . $closte_path ) ) {
	if ( preg_match( '#^/[_0-9a-zA-Z-]+(/wp-(?:content|admin|includes)/.*)$#', $closte_path, $m )
		|| preg_match( '#^/[_0-9a-zA-Z-]+(/[^/]+\.php)$#', $closte_path, $m ) ) {
		$closte_path = $m[1];
	}
}

$closte_file = $closte_root . $closte_path;
if ( is_dir( $closte_file ) ) {
	$closte_path = rtrim( $closte_path, '/' ) . '/index.php';
	$closte_file = $closte_root . $closte_path;
}
if ( is_file( $closte_file ) && '.php' !== substr( $closte_file, -4 ) ) {
	if ( $closte_path === parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) ) {
		return false; // The server sends static files itself.
	}
	$closte_types = array( 'css' => 'text/css', 'js' => 'application/javascript', 'svg' => 'image/svg+xml', 'png' => 'image/png' );
	$closte_ext   = pathinfo( $closte_file, PATHINFO_EXTENSION );
	header( 'Content-Type: ' . ( isset( $closte_types[ $closte_ext ] ) ? $closte_types[ $closte_ext ] : 'application/octet-stream' ) );
	readfile( $closte_file );
	return true;
}
if ( ! is_file( $closte_file ) ) {
	$closte_path = '/index.php'; // Pretty permalinks.
	$closte_file = $closte_root . $closte_path;
}

if ( isset( $_COOKIE['closte_test_no_um_menu'] ) && '1' === $_COOKIE['closte_test_no_um_menu'] ) {
	define( 'CLOSTE_BROWSER_NO_UM_MENU', true );
}

$_SERVER['SCRIPT_FILENAME'] = $closte_file;
$_SERVER['SCRIPT_NAME']     = $closte_path;
$_SERVER['PHP_SELF']        = $closte_path;
chdir( dirname( $closte_file ) );
unset( $closte_root, $closte_path, $closte_types, $closte_ext, $m );
require $closte_file;
