<?php
/**
 * WordPress's proxy settings (WP_PROXY_HOST, WP_PROXY_PORT,
 * WP_PROXY_USERNAME, WP_PROXY_PASSWORD) send every Closte call through that
 * proxy: run.sh's tinyproxy on loopback, which accepts only those
 * credentials and logs what it forwards. Domain events, the admin page's
 * connection test, its domain list and its sync all go through it; the
 * password is in no log line, notice, page or answer.
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/proxy.php';
define( 'WP_ADMIN', true );
wpt_define_wordpress_proxy();
require __DIR__ . '/lib/load-wordpress.php';

/**
 * Fails when the proxy password (plain or URL-encoded) is in $text.
 */
function wpt_assert_no_password( $text, $what ) {
	$password = wpt_env( 'CLOSTE_PROXY_PASSWORD' );
	assert_not_contains( $password, $text, $what );
	assert_not_contains( rawurlencode( $password ), $text, $what );
	assert_not_contains( base64_encode( wpt_env( 'CLOSTE_PROXY_USER' ) . ':' . $password ), $text, $what );
}

closte_test( 'every call gets the proxy from WP_PROXY_*, credentials URL-encoded', function () {
	$expected = 'http://' . rawurlencode( WP_PROXY_USERNAME ) . ':' . rawurlencode( WP_PROXY_PASSWORD ) . '@127.0.0.1:' . WP_PROXY_PORT;
	foreach ( array( array( 'add', 'a.example' ), array( 'remove', 'a.example' ), array( 'list', '' ), array( 'sync', '' ), array( 'test', '' ) ) as $call ) {
		$options = Closte_Native_Request_Options::build( $call[0], $call[1] );
		assert_same( $expected, isset( $options['proxy'] ) ? $options['proxy'] : null, "proxy option of $call[0]" );
	}
} );

closte_test( 'a filter that sets its own proxy (or none) wins', function () {
	$filter = function ( $options ) {
		return array_merge( $options, array( 'proxy' => '' ) );
	};
	add_filter( 'closte_native_request_options', $filter );
	$options = Closte_Native_Request_Options::build( 'add', 'a.example' );
	remove_filter( 'closte_native_request_options', $filter );
	assert_same( '', $options['proxy'], 'proxy option' );
} );

closte_test( 'map and unmap go through the proxy, once each', function () {
	wpt_sim_reset();
	$mark   = wpt_log_mark();
	$pmark  = wpt_proxy_mark();
	$domain = wpt_domain( 'via-proxy' );
	$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	wpt_run_jobs();
	assert_same( array( $domain ), wpt_sim_aliases(), 'aliases after map' );
	wpt_delete_domain( $record );
	wpt_run_jobs();
	assert_same( array(), wpt_sim_aliases(), 'aliases after unmap' );
	assert_same( array( 'add', 'delete' ), wpt_request_kinds( wpt_sim_requests() ), 'requests the simulator saw' );
	assert_same( array( 'POST /api/client/adddomainalias', 'POST /api/client/deletedomainalias' ), wpt_proxy_requests( $pmark ), 'requests tinyproxy forwarded' );
	$log = wpt_log_since( $mark );
	assert_contains( "Added Closte domain alias $domain (site 1): HTTP 200", $log, 'log' );
	assert_contains( "Removed Closte domain alias $domain (site 1): HTTP 200", $log, 'log' );
	wpt_assert_no_password( $log, 'integration log' );
} );

closte_test( 'the admin page: test connection, domain list and sync go through the proxy', function () {
	wpt_sim_reset();
	$start  = wpt_proxy_mark();
	$mark   = wpt_log_mark();
	$pmark  = wpt_proxy_mark();
	$answer = wpt_ajax( 'closte_native_test_connection' );
	assert_true( ! empty( $answer['success'] ), 'test connection succeeded: ' . $answer['raw'] );
	assert_same( array( 'POST /api/client/adddomainalias' ), wpt_proxy_requests( $pmark ), 'test connection via tinyproxy' );

	$domain = wpt_domain( 'proxy-sync' );
	wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) ); // Its job stays queued: the sync adds it.
	$pmark = wpt_proxy_mark();
	$list  = wpt_ajax( 'closte_native_domains' );
	assert_true( ! empty( $list['success'] ), 'domain list succeeded: ' . $list['raw'] );
	assert_same( '', $list['data']['error'], 'domain list error' );
	assert_same( array( 'GET /api/client/getdomains' ), wpt_proxy_requests( $pmark ), 'domain list via tinyproxy' );

	$pmark = wpt_proxy_mark();
	$sync  = wpt_ajax( 'closte_native_sync', array( 'remove_extra' => '0' ) );
	assert_true( ! empty( $sync['success'] ), 'sync succeeded: ' . $sync['raw'] );
	assert_true( in_array( $domain, $sync['data']['added'], true ), 'sync added the record: ' . $sync['raw'] );
	$through = wpt_proxy_requests( $pmark );
	assert_true( in_array( 'POST /api/client/adddomainalias', $through, true ), 'sync add via tinyproxy: ' . implode( ', ', $through ) );
	assert_same( count( wpt_sim_requests() ), count( wpt_proxy_requests( $start ) ), 'API requests the simulator saw, and tinyproxy forwarded' );
	foreach ( array( $answer, $list, $sync ) as $reply ) {
		wpt_assert_no_password( $reply['raw'], 'ajax answer' );
	}
	wpt_assert_no_password( wpt_log_since( $mark ), 'integration log' );
	wpt_run_jobs();
} );

closte_test( 'the status page names the proxy, never its password', function () {
	$html = wpt_render_admin_page();
	assert_same( '127.0.0.1:' . WP_PROXY_PORT . ' (from WP_PROXY_*), with a user name and password', wpt_element_text( $html, 'closte-status-proxy' ), 'proxy row' );
	wpt_assert_no_password( $html, 'admin page' );
	assert_not_contains( wpt_env( 'CLOSTE_TEST_KEY' ), $html, 'admin page' );
} );

closte_test( 'wrong proxy credentials: nothing reaches Closte, no password in the log', function () {
	wpt_sim_reset();
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'proxy-refused' );
	$filter = function ( $options ) {
		return array_merge( $options, array( 'proxy' => 'http://' . WP_PROXY_USERNAME . ':not-the-password@127.0.0.1:' . WP_PROXY_PORT, 'retries' => 0 ) );
	};
	add_filter( 'closte_native_request_options', $filter );
	wpt_raw_record( $domain );
	do_action( 'wu_add_domain', $domain, 1 );
	remove_filter( 'closte_native_request_options', $filter );
	assert_same( array(), wpt_sim_requests(), 'requests that reached the simulator' );
	$problems = array_merge( wpt_log_lines( $mark, 'WARNING' ), wpt_log_lines( $mark, 'ERROR' ) );
	assert_same( 1, count( $problems ), 'warning or error lines' );
	assert_contains( $domain, $problems[0], 'the line names the domain' );
	assert_not_contains( 'not-the-password', wpt_log_since( $mark ), 'log' );
	wpt_assert_no_password( wpt_log_since( $mark ), 'log' );
	// A retry, if one was queued (tinyproxy may cut the connection or answer 401), goes through the right proxy.
	wpt_run_jobs();
} );

closte_test( 'the proxy password is in no line tinyproxy logged', function () {
	wpt_assert_no_password( wpt_proxy_log_since( 0 ), 'tinyproxy log' );
	assert_true( count( wpt_proxy_requests( 0 ) ) >= 5, 'tinyproxy forwarded this file\'s requests' );
} );

closte_test_run();
