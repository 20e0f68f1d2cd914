<?php
/**
 * Proxy credentials with characters a URL must escape reach the proxy
 * exactly: the plugin URL-encodes WP_PROXY_USERNAME and WP_PROXY_PASSWORD,
 * the extension decodes them into the Proxy-Authorization header. The proxy
 * here is lib/capture-proxy.php (tinyproxy takes only [-a-z0-9._] in its
 * BasicAuth line), which records what it is sent. Then, with that proxy
 * gone, a domain event fails and is retried, and no line carries the
 * password.
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/proxy.php';
define( 'WP_ADMIN', true );

$wpt_capture_dir = wpt_env( 'CLOSTE_WP_WORK' ) . '/capture-' . getmypid();
mkdir( $wpt_capture_dir );
$wpt_capture = proc_open(
	array( PHP_BINARY, '-n', __DIR__ . '/lib/capture-proxy.php', "$wpt_capture_dir/port", "$wpt_capture_dir/requests.jsonl" ),
	array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'file', "$wpt_capture_dir/out.txt", 'w' ), 2 => array( 'file', "$wpt_capture_dir/out.txt", 'a' ) ),
	$wpt_pipes
);
/**
 * Stops the capture proxy (also when a test fails or the file dies).
 */
function wpt_stop_capture() {
	global $wpt_capture;
	if ( is_resource( $wpt_capture ) ) {
		proc_terminate( $wpt_capture );
		proc_close( $wpt_capture );
	}
	$wpt_capture = null;
}
register_shutdown_function( 'wpt_stop_capture' );
for ( $i = 0; $i < 100 && ! is_file( "$wpt_capture_dir/port" ); $i++ ) {
	usleep( 50000 );
}
if ( ! is_file( "$wpt_capture_dir/port" ) ) {
	fwrite( STDERR, "capture-proxy.php did not start\n" );
	exit( 1 );
}

define( 'WP_PROXY_HOST', '127.0.0.1' );
define( 'WP_PROXY_PORT', trim( file_get_contents( "$wpt_capture_dir/port" ) ) );
define( 'WP_PROXY_USERNAME', WPT_ODD_PROXY_USER );
define( 'WP_PROXY_PASSWORD', WPT_ODD_PROXY_PASSWORD );
require __DIR__ . '/lib/load-wordpress.php';

function wpt_captured() {
	global $wpt_capture_dir;
	$file = "$wpt_capture_dir/requests.jsonl";
	clearstatcache();
	$rows = array();
	foreach ( is_file( $file ) ? file( $file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) : array() as $line ) {
		$rows[] = json_decode( $line, true );
	}
	return $rows;
}

function wpt_assert_no_odd_password( $text, $what ) {
	foreach ( array( WPT_ODD_PROXY_PASSWORD, rawurlencode( WPT_ODD_PROXY_PASSWORD ), urlencode( WPT_ODD_PROXY_PASSWORD ), 'SECRETX' ) as $form ) {
		assert_not_contains( $form, $text, $what );
	}
}

closte_test( 'the proxy option carries the credentials URL-encoded', function () {
	$options = Closte_Native_Request_Options::build( 'test' );
	assert_same( 'http://closte%20user%40corp:p%40ss%3Aw%2Frd%20%2541%23%3F%26%3D%2BSECRETX@127.0.0.1:' . WP_PROXY_PORT, $options['proxy'], 'proxy option' );
} );

closte_test( 'the proxy receives exactly WP_PROXY_USERNAME:WP_PROXY_PASSWORD', function () {
	$answer   = wpt_ajax( 'closte_native_test_connection' );
	$captured = wpt_captured();
	assert_true( ! empty( $answer['success'] ), 'test connection succeeded through the capture proxy: ' . $answer['raw'] );
	assert_same( 1, count( $captured ), 'requests the capture proxy got' );
	$request = $captured[0];
	assert_same( 'POST http://' . wpt_sim_authority() . '/api/client/adddomainalias HTTP/1.1', $request['request_line'], 'request line (absolute form, to the API URL)' );
	assert_true( isset( $request['headers']['proxy-authorization'] ), 'a Proxy-Authorization header was sent' );
	$auth = $request['headers']['proxy-authorization'];
	assert_same( 'Basic ', substr( $auth, 0, 6 ), 'scheme' );
	assert_same( WPT_ODD_PROXY_USER . ':' . WPT_ODD_PROXY_PASSWORD, base64_decode( substr( $auth, 6 ), true ), 'decoded credentials' );
	wpt_assert_no_odd_password( $answer['raw'], 'ajax answer' );
} );

closte_test( 'proxy unreachable: a warning and a retry, no password anywhere', function () {
	wpt_stop_capture();
	wpt_sim_reset();
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'proxy-down' );
	wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	wpt_run_jobs( 1 );
	assert_same( array(), wpt_sim_requests(), 'requests that reached the simulator' );
	$warnings = wpt_log_lines( $mark, 'WARNING' );
	assert_same( 1, count( $warnings ), 'warning lines' );
	assert_contains( "Closte unavailable to add alias $domain (site 1)", $warnings[0], 'warning' );
	assert_contains( 'via proxy http://127.0.0.1:' . WP_PROXY_PORT, $warnings[0], 'warning names the proxy' );
	assert_same( 1, count( wpt_plugin_jobs() ), 'retry queued' );
	wpt_assert_no_odd_password( wpt_log_since( $mark ), 'integration log' );
	assert_not_contains( 'closte%20user', wpt_log_since( $mark ), 'integration log (user name)' );

	$answer = wpt_ajax( 'closte_native_test_connection' );
	assert_true( empty( $answer['success'] ), 'test connection fails without the proxy' );
	assert_contains( 'Connection test failed:', $answer['data']['message'], 'message' );
	wpt_assert_no_odd_password( $answer['raw'], 'ajax answer' );
	$html = wpt_render_admin_page();
	assert_same( '127.0.0.1:' . WP_PROXY_PORT . ' (from WP_PROXY_*), with a user name and password', wpt_element_text( $html, 'closte-status-proxy' ), 'proxy row' );
	wpt_assert_no_odd_password( $html, 'admin page' );
	assert_not_contains( 'closte user', $html, 'admin page (user name)' );
	as_unschedule_all_actions( Closte_Native_Queue::HOOK, null, Closte_Native_Queue::GROUP ); // Drop the retry: the proxy stays gone.
} );

closte_test_run();
