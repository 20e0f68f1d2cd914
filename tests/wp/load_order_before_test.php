<?php
/**
 * The stand-in loads before closte-native (through the mu-plugin early
 * loader) and registers its legacy built-in Closte handler at once.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_STANDIN_BUILTIN_ORDER', 'before' );
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/load-order-scenarios.php';

closte_test( 'the stand-in really loaded before closte-native', function () {
	$included = array_map( 'basename', get_included_files() );
	$standin  = array_search( 'ultimate-multisite-stand-in.php', $included, true );
	$native   = array_search( 'closte-native.php', $included, true );
	assert_true( false !== $standin && false !== $native && $standin < $native, 'include order' );
} );

wpt_register_load_order_scenarios( 'file load', WP_Ultimo\Integrations\Host_Providers\Closte_Host_Provider::class, false );

closte_test_run();
