<?php
/**
 * Ultimate Multisite's closte host integration switched off: closte-native
 * registers nothing and sends nothing, and neither does the built-in one.
 */

require __DIR__ . '/lib/bootstrap.php';
wpt_prefilter(
	'pre_site_option_wu_host_integrations_enabled',
	function () {
		return array( 'closte' => false );
	}
);
require __DIR__ . '/lib/load-wordpress.php';

closte_test( 'the plugin is disabled and registers no handler', function () {
	assert_same( 'disabled', Closte_Native_Plugin::instance()->state(), 'plugin state' );
	assert_false( has_action( 'wu_add_domain' ), 'callbacks on wu_add_domain' );
	assert_false( has_action( 'wu_remove_domain' ), 'callbacks on wu_remove_domain' );
	wp_set_current_user( 1 );
	ob_start();
	do_action( 'network_admin_notices' );
	assert_same( '', ob_get_clean(), 'notice' );
} );

closte_test( 'domain and site events cause no traffic at all', function () {
	wpt_sim_reset();
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'disabled' );
	$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	do_action( 'wu_add_domain', $domain, 1 );
	wpmu_create_blog( wpt_domain( 'disabled-site' ), '/', 'Disabled', 1, array(), get_current_network_id() );
	wpt_delete_domain( $record );
	wpt_run_jobs();
	do_action( 'wu_remove_domain', $domain, 1 );
	assert_same( array(), wpt_sim_requests(), 'requests' );
	assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
	assert_same( '', wpt_log_since( $mark ), 'closte log' );
} );

closte_test_run();
