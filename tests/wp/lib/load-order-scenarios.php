<?php
/**
 * Whichever plugin WordPress loaded first, closte-native has replaced
 * Ultimate Multisite's Closte integration and capability in its registry,
 * and every domain event reaches Closte once, through the extension.
 *
 * @param string $first 'closte-native' or 'ultimate-multisite'.
 */
function wpt_register_load_order_scenarios( $first ) {
	closte_test( "$first loaded first", function () use ( $first ) {
		$included = array_map( 'basename', get_included_files() );
		$um       = array_search( 'ultimate-multisite.php', $included, true );
		$native   = array_search( 'closte-native.php', $included, true );
		assert_true( false !== $um && false !== $native, 'both loaded' );
		assert_same( $first, $native < $um ? 'closte-native' : 'ultimate-multisite', 'which loaded first' );
	} );

	closte_test( 'the registry holds closte-native\'s integration and capability', function () {
		$registry = WP_Ultimo\Integrations\Integration_Registry::get_instance();
		assert_same( 'Closte_Native_Um_Integration', get_class( $registry->get( 'closte' ) ), 'integration' );
		assert_same( 'Closte_Native_Um_Domain_Mapping', get_class( $registry->get_capability( 'closte', 'domain-mapping' ) ), 'capability' );
		assert_same( 'active', Closte_Native_Plugin::instance()->state(), 'plugin state' );
	} );

	closte_test( 'every domain event reaches Closte once; the built-in integration sends nothing', function () {
		wpt_sim_reset();
		$domain = wpt_domain( 'order-' . substr( md5( __FILE__ . $GLOBALS['argv'][0] ), 0, 6 ) );
		$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
		wpt_run_jobs();
		assert_same( array( $domain ), wpt_sim_aliases(), 'aliases after map' );
		wpt_delete_domain( $record );
		wpt_run_jobs();
		$ssl = new WP_Ultimo\Models\Domain( array( 'id' => 1, 'domain' => $domain, 'blog_id' => 1, 'stage' => 'checking-ssl-cert' ) );
		assert_same( 20, apply_filters( 'wu_async_process_domain_stage_max_tries', 5, $ssl ), 'ssl tries' );
		assert_same( array(), wpt_sim_aliases(), 'aliases after unmap' );
		assert_same( array( 'add', 'delete' ), wpt_request_kinds( wpt_sim_requests() ), 'requests' );
		assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
	} );

	closte_test( "the wizard's Test connection goes through the extension", function () {
		wpt_sim_reset();
		assert_same( true, WP_Ultimo\Integrations\Integration_Registry::get_instance()->get( 'closte' )->test_connection(), 'test_connection()' );
		assert_same( 1, count( wpt_sim_requests() ), 'requests to the simulator' );
		assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
	} );
}
