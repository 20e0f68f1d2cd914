<?php
/**
 * WordPress's own order: network plugins load by folder name, so
 * closte-native loads before Ultimate Multisite.
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/load-order-scenarios.php';

wpt_register_load_order_scenarios( 'closte-native' );

closte_test_run();
