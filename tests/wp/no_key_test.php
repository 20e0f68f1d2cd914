<?php
/**
 * Extension loaded and integration enabled, but no key: neither the
 * CLOSTE_CLIENT_API_KEY constant nor a key stored in Ultimate Multisite.
 * Nothing reaches Closte (the built-in integration is not set up either),
 * and network admins are told where a key goes.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_TEST_NO_KEY', true );
require __DIR__ . '/lib/load-wordpress.php';

closte_test( 'without a key nothing is sent, by either integration', function () {
	wpt_sim_reset();
	assert_same( 'no-key', Closte_Native_Plugin::instance()->state(), 'plugin state' );
	assert_same( '', Closte_Native_Key::source(), 'key source' );
	$record = wu_create_domain( array( 'domain' => wpt_domain( 'nokey' ), 'blog_id' => 1 ) );
	wpt_run_jobs();
	wpt_delete_domain( $record );
	wpt_run_jobs();
	assert_same( array(), wpt_sim_requests(), 'requests' );
	assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
} );

closte_test( 'network admins see a notice naming both places a key can be', function () {
	wp_set_current_user( 1 );
	ob_start();
	do_action( 'network_admin_notices' );
	$html = ob_get_clean();
	assert_contains( '<code>CLOSTE_CLIENT_API_KEY</code>', $html, 'notice' );
	assert_contains( 'a key saved in Ultimate Multisite&#039;s Closte integration settings', $html, 'notice' );
} );

closte_test_run();
