<?php
/**
 * Extension loaded and integration enabled, but CLOSTE_CLIENT_API_KEY not
 * defined: the built-in integration keeps working and admins are told.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_TEST_NO_KEY', true );
require __DIR__ . '/lib/load-wordpress.php';

closte_test( 'without the key the native path stays off, the built-in stays on', function () {
	wpt_sim_reset();
	assert_same( 'no-key', Closte_Native_Plugin::instance()->state(), 'plugin state' );
	do_action( 'wu_add_domain', wpt_domain( 'nokey' ), 1 );
	assert_same( array(), wpt_sim_requests(), 'requests' );
	assert_same( 'on_add_domain', wpt_builtin_calls()[0][1], 'built-in call' );
} );

closte_test( 'network admins see a notice naming the constant', function () {
	wp_set_current_user( 1 );
	ob_start();
	do_action( 'network_admin_notices' );
	$html = ob_get_clean();
	assert_contains( '<code>CLOSTE_CLIENT_API_KEY</code>', $html, 'notice' );
} );

closte_test_run();
