<?php
/**
 * The daily reconcile: Closte's aliases brought back to Ultimate
 * Multisite's records. It adds what a record wants and Closte lacks, and
 * removes only aliases closte-native itself added whose domain Ultimate
 * Multisite no longer has; aliases added by hand stay.
 *
 * @closte-run subdomain-only
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/proxy.php';
define( 'WP_ADMIN', true );
require __DIR__ . '/lib/load-wordpress.php';

closte_test( 'the reconcile job is scheduled daily, in a group of its own', function () {
	$next = as_next_scheduled_action( Closte_Native_Reconcile::HOOK, array(), Closte_Native_Reconcile::GROUP );
	assert_true( is_int( $next ) && $next > time() + DAY_IN_SECONDS - HOUR_IN_SECONDS, 'next run about a day from now' );
	assert_same( array(), array_keys( wpt_pending_actions( Closte_Native_Reconcile::HOOK ) ), 'not among the domain jobs' );
} );

closte_test( 'drift repaired: the missing alias added, the orphan of ours removed, the hand-made one left alone', function () {
	// Closte in step with the records the earlier tests left on this network.
	wpt_sim_reset();
	foreach ( Closte_Native_Um_State::mapped_domains() as $name ) {
		closte_add_domain( $name );
	}
	$mark = wpt_log_mark();
	// Ours, then its record gone without an event (a removal that never ran).
	$orphan = 'orphan.reconcile.example';
	wu_create_domain( array( 'domain' => $orphan, 'blog_id' => 1 ) );
	wpt_run_jobs();
	assert_true( in_array( $orphan, wpt_sim_aliases(), true ), 'our alias' );
	wpt_drop_raw_record( $orphan );
	// Added on Closte by hand: closte-native never added it.
	$by_hand = 'by-hand.reconcile.example';
	closte_add_domain( $by_hand );
	// A record whose add never reached Closte.
	$missing = 'missing.reconcile.example';
	wpt_raw_record( $missing );

	$report = Closte_Native_Plugin::instance()->reconcile->run();
	assert_same( '', $report['error'], 'error' );
	assert_same( array( $missing ), $report['added'], 'added' );
	assert_same( array( $orphan ), $report['removed'], 'removed' );
	assert_true( in_array( $by_hand, $report['left_alone'], true ), 'the hand-made alias left alone' );
	$aliases = wpt_sim_aliases();
	assert_true( in_array( $missing, $aliases, true ), 'missing alias now on Closte' );
	assert_false( in_array( $orphan, $aliases, true ), 'orphan gone' );
	assert_true( in_array( $by_hand, $aliases, true ), 'hand-made alias still there' );
	assert_contains( 'Reconcile: ', wpt_log_since( $mark ), 'summary line' );

	// A second run finds nothing to do.
	wpt_sim_reset();
	foreach ( Closte_Native_Um_State::mapped_domains() as $name ) {
		closte_add_domain( $name );
	}
	closte_add_domain( $by_hand );
	$again = Closte_Native_Plugin::instance()->reconcile->run();
	assert_same( array(), $again['added'], 'added the second time' );
	assert_same( array(), $again['removed'], 'removed the second time' );
	wpt_drop_raw_record( $missing );
} );

closte_test( 'the admin page runs it on demand, with a nonce of its own', function () {
	wpt_sim_reset();
	foreach ( Closte_Native_Um_State::mapped_domains() as $name ) {
		closte_add_domain( $name );
	}
	$missing = 'on-demand.reconcile.example';
	wpt_raw_record( $missing );
	$refused = wpt_ajax( 'closte_native_reconcile' );
	assert_true( empty( $refused['success'] ), 'refused with the page\'s general nonce' );
	assert_false( in_array( $missing, wpt_sim_aliases(), true ), 'nothing done when refused' );
	$answer = wpt_ajax( 'closte_native_reconcile', array( 'nonce' => wp_create_nonce( Closte_Native_Admin_Ajax::RECONCILE_NONCE ) ) );
	assert_true( ! empty( $answer['success'] ), 'answer: ' . $answer['raw'] );
	assert_same( array( $missing ), $answer['data']['added'], 'added' );
	assert_contains( 'Reconcile: 1 added, 0 removed', $answer['data']['message'], 'message' );
	assert_true( in_array( $missing, wpt_sim_aliases(), true ), 'the alias is on Closte' );
	assert_contains( 'id="closte-reconcile"', wpt_render_admin_page(), 'the button on the page' );
	wpt_drop_raw_record( $missing );
} );

closte_test_run();
