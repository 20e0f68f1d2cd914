<?php
/**
 * WP_PROXY_* defined, but the Closte API host is in WP_PROXY_BYPASS_HOSTS:
 * WordPress's WP_HTTP_Proxy says "direct", so the calls go direct (the
 * proxy option is '', which also overrides closte.proxy) and tinyproxy
 * forwards nothing.
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/proxy.php';
define( 'WP_ADMIN', true );
wpt_define_wordpress_proxy();
define( 'WP_PROXY_BYPASS_HOSTS', '*.corp.example, 127.0.0.1' );
require __DIR__ . '/lib/load-wordpress.php';

closte_test( 'the API host is bypassed: the calls get proxy "" (direct)', function () {
	assert_same( '127.0.0.1', parse_url( Closte_Native_Request_Options::api_url(), PHP_URL_HOST ), 'API host' );
	foreach ( array( 'add', 'remove', 'list', 'sync', 'test' ) as $operation ) {
		$options = Closte_Native_Request_Options::build( $operation, 'add' === $operation ? 'a.example' : '' );
		assert_same( '', isset( $options['proxy'] ) ? $options['proxy'] : null, "proxy option of $operation" );
	}
} );

closte_test( 'map, unmap and the connection test go direct: tinyproxy forwards nothing', function () {
	wpt_sim_reset();
	$pmark  = wpt_proxy_mark();
	$domain = wpt_domain( 'bypass' );
	$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	wpt_run_jobs();
	assert_same( array( $domain ), wpt_sim_aliases(), 'aliases after map' );
	wpt_delete_domain( $record );
	wpt_run_jobs();
	$answer = wpt_ajax( 'closte_native_test_connection' );
	assert_true( ! empty( $answer['success'] ), 'test connection succeeded: ' . $answer['raw'] );
	assert_same( array( 'add', 'delete', 'add' ), wpt_request_kinds( wpt_sim_requests() ), 'requests the simulator saw' );
	assert_same( array(), wpt_proxy_requests( $pmark ), 'requests tinyproxy forwarded' );
} );

closte_test( 'a host not in the list still goes through the proxy', function () {
	$remote = function ( $options ) {
		return array_merge( $options, array( 'api_url' => 'https://app.closte.com/api/client' ) );
	};
	add_filter( 'closte_native_request_options', $remote );
	$options = Closte_Native_Request_Options::build( 'add', 'a.example' );
	remove_filter( 'closte_native_request_options', $remote );
	assert_same( 'http://' . rawurlencode( WP_PROXY_USERNAME ) . ':' . rawurlencode( WP_PROXY_PASSWORD ) . '@127.0.0.1:' . WP_PROXY_PORT, $options['proxy'], 'proxy option for app.closte.com' );
} );

closte_test( 'the status page says the proxy is bypassed', function () {
	$html = wpt_render_admin_page();
	assert_same( 'None: WordPress bypasses its proxy (127.0.0.1:' . WP_PROXY_PORT . ') for the Closte API host (WP_PROXY_BYPASS_HOSTS)', wpt_element_text( $html, 'closte-status-proxy' ), 'proxy row' );
	assert_not_contains( WP_PROXY_PASSWORD, $html, 'admin page' );
} );

closte_test_run();
