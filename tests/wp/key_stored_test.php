<?php
/**
 * No CLOSTE_CLIENT_API_KEY constant, the key stored in Ultimate Multisite's
 * credential store for the Closte integration (what its wizard saves and
 * Integration::get_credential() reads): closte-native uses that key, says
 * so, and never shows or logs it.
 *
 * The plugin decides its state while WordPress loads, so the key is stored
 * first and the tests run in a second process of this file.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_TEST_NO_KEY', true );

if ( '2' !== getenv( 'WPT_KEY_PHASE' ) ) {
	require __DIR__ . '/lib/load-wordpress.php';
	$wpt_integration = WP_Ultimo\Integrations\Integration_Registry::get_instance()->get( 'closte' );
	$wpt_integration->save_credentials( array( 'CLOSTE_CLIENT_API_KEY' => wpt_env( 'CLOSTE_TEST_KEY' ) ) );
	$wpt_command = array( PHP_BINARY );
	foreach ( array( 'extension' => wpt_env( 'CLOSTE_SO' ), 'closte.api_url' => ini_get( 'closte.api_url' ), 'closte.timeout' => ini_get( 'closte.timeout' ) ) as $wpt_ini => $wpt_value ) {
		array_push( $wpt_command, '-d', "$wpt_ini=$wpt_value" );
	}
	$wpt_command[] = __FILE__;
	$wpt_process   = proc_open( $wpt_command, array( 1 => STDOUT, 2 => STDOUT ), $wpt_pipes, null, array( 'WPT_KEY_PHASE' => '2' ) + getenv() );
	$wpt_status    = proc_close( $wpt_process );
	$wpt_integration->delete_credentials();
	exit( $wpt_status );
}

require __DIR__ . '/lib/proxy.php';
define( 'WP_ADMIN', true );
require __DIR__ . '/lib/load-wordpress.php';

closte_test( 'the stored key is found: state active, source Ultimate Multisite, last 4 characters only', function () {
	assert_false( defined( 'CLOSTE_CLIENT_API_KEY' ), 'constant defined' );
	assert_same( 'active', Closte_Native_Plugin::instance()->state(), 'plugin state' );
	assert_same( 'ultimate-multisite', Closte_Native_Key::source(), 'key source' );
	assert_same( substr( wpt_env( 'CLOSTE_TEST_KEY' ), -4 ), Closte_Native_Key::hint(), 'hint' );
	assert_same( 'Closte_Native_Um_Integration', get_class( WP_Ultimo\Integrations\Integration_Registry::get_instance()->get( 'closte' ) ), 'integration' );
	$html = wpt_render_admin_page();
	$key  = wpt_env( 'CLOSTE_TEST_KEY' );
	assert_same( 'Set, ending in …' . substr( $key, -4 ) . " (saved in Ultimate Multisite's Closte integration settings)", wpt_element_text( $html, 'closte-status-key' ), 'key row' );
	assert_not_contains( substr( $key, 0, 8 ), $html, 'admin page' );
} );

closte_test( 'map and unmap go to Closte with the stored key', function () {
	wpt_sim_reset();
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'stored-key' );
	$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	wpt_run_jobs();
	assert_same( array( $domain ), wpt_sim_aliases(), 'aliases' );
	wpt_delete_domain( $record );
	wpt_run_jobs();
	$requests = wpt_sim_requests();
	assert_same( array( 'add', 'delete' ), wpt_request_kinds( $requests ), 'requests' );
	foreach ( $requests as $request ) {
		assert_true( $request['key_ok'], 'key accepted' );
	}
	assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
	assert_not_contains( wpt_env( 'CLOSTE_TEST_KEY' ), wpt_log_since( $mark ), 'log' );
} );

closte_test( "the wizard's Test connection goes through the extension, with the stored key", function () {
	wpt_sim_reset();
	$result = WP_Ultimo\Integrations\Integration_Registry::get_instance()->get( 'closte' )->test_connection();
	assert_same( true, $result, 'test_connection()' );
	assert_same( 1, count( wpt_sim_requests() ), 'requests to the simulator' );
	assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
} );

closte_test( 'a failing call with the stored key: no piece of it in the message or the trace', function () {
	$options = Closte_Native_Request_Options::build( 'add', 'a.example' );
	assert_same( wpt_env( 'CLOSTE_TEST_KEY' ), $options['api_key'], 'the key handed to the extension' );
	$e = assert_throws( 'Closte\\TransportException', function () use ( $options ) {
		closte_add_domain( 'trace.example', array( 'api_url' => wpt_dead_api_url(), 'retries' => 0 ) + $options );
	}, 'dead API' );
	$text = $e->getMessage() . "\n" . $e->getTraceAsString() . "\n" . print_r( $e->getTrace(), true );
	$key  = wpt_env( 'CLOSTE_TEST_KEY' );
	for ( $i = 0; $i + 8 <= strlen( $key ); $i++ ) {
		assert_not_contains( substr( $key, $i, 8 ), $text, 'a piece of the key' );
	}
} );

closte_test_run();
