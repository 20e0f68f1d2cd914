<?php
/**
 * The built-in Closte handler never runs, whenever it was registered.
 *
 * @param string $registered_on Where the stand-in registered it ('file load', 'wp_loaded', ...).
 * @param string $class         The fake built-in class.
 * @param bool   $still_there   Whether it is still attached before the first event
 *                              (registered after closte-native's last sweep).
 */
function wpt_register_load_order_scenarios( $registered_on, $class, $still_there ) {
	closte_test( "the built-in handler was registered ($class on $registered_on)", function () use ( $registered_on, $class ) {
		assert_same( array( array( $class, $registered_on ) ), $GLOBALS['wu_standin_builtin_registrations'], 'registrations' );
		assert_same( 'active', Closte_Native_Plugin::instance()->state(), 'plugin state' );
	} );

	closte_test( 'before any event, the built-in handler is ' . ( $still_there ? 'still attached' : 'already gone' ), function () use ( $class, $still_there ) {
		$attached = false !== has_action( 'wu_add_domain', array( $class::get_instance(), 'on_add_domain' ) );
		assert_same( $still_there, $attached, 'attached to wu_add_domain' );
	} );

	closte_test( 'every domain event reaches Closte once; the built-in handler never runs', function () use ( $class ) {
		wpt_sim_reset();
		$domain = wpt_domain( 'order-' . substr( md5( $class . __FILE__ ), 0, 6 ) );
		$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
		wpt_run_jobs();
		assert_same( array( $domain ), wpt_sim_aliases(), 'aliases after map' );
		wu_standin_delete_domain( $record->get_id() );
		wpt_run_jobs();
		do_action( 'wu_add_subdomain', 'blog9.' . wpt_env( 'CLOSTE_WP_DOMAIN' ), 9 );
		do_action( 'wu_remove_subdomain', 'blog9.' . wpt_env( 'CLOSTE_WP_DOMAIN' ), 9 );
		$ssl = new WP_Ultimo\Models\Domain( array( 'id' => 1, 'domain' => $domain, 'blog_id' => 1, 'stage' => 'checking-ssl-cert' ) );
		assert_same( 20, apply_filters( 'wu_async_process_domain_stage_max_tries', 5, $ssl ), 'ssl tries' );
		assert_same( array(), wpt_sim_aliases(), 'aliases after unmap' );
		assert_same( array( 'add', 'delete' ), wpt_request_kinds( wpt_sim_requests() ), 'requests' );
		assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
		foreach ( Closte_Native_Builtin_Guard::HOOKS as $hook ) {
			foreach ( array( 'on_add_domain', 'on_remove_domain', 'on_add_subdomain', 'on_remove_subdomain', 'ssl_tries' ) as $method ) {
				assert_false( has_action( $hook, array( $class::get_instance(), $method ) ), "built-in $method on $hook" );
			}
		}
	} );
}
