<?php
/**
 * The built-in Closte module is registered after closte-native's last
 * load-time sweep (wp_loaded at PHP_INT_MAX): the sweep at the start of each
 * domain hook must still remove it before it runs.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_STANDIN_BUILTIN_ORDER', 'late' );
define( 'CLOSTE_STANDIN_BUILTIN_CLASS', 'modern' );
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/load-order-scenarios.php';

wpt_register_load_order_scenarios( 'wp_loaded', WP_Ultimo\Integrations\Providers\Closte\Closte_Domain_Mapping::class, true );

closte_test_run();
