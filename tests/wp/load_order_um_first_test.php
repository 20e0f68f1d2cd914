<?php
/**
 * Ultimate Multisite loads before closte-native (the closte-test-env
 * mu-plugin includes it first, as a renamed folder or a must-use loader
 * would on a real site).
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_TEST_UM_FIRST', true );
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/load-order-scenarios.php';

wpt_register_load_order_scenarios( 'ultimate-multisite' );

closte_test_run();
