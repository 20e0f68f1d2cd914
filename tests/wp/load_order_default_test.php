<?php
/**
 * Ultimate Multisite's own order: closte-native loads first (plugin folders
 * load alphabetically), the newer built-in Closte module is registered on
 * plugins_loaded.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_STANDIN_BUILTIN_CLASS', 'modern' );
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/load-order-scenarios.php';

wpt_register_load_order_scenarios( 'plugins_loaded', WP_Ultimo\Integrations\Providers\Closte\Closte_Domain_Mapping::class, false );

closte_test_run();
