<?php
/**
 * Site creation and duplication with an Ultimate Multisite that does not
 * create the site's domain record: closte-native creates it, once.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_STANDIN_CREATES_RECORDS', false );
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/site-scenarios.php';

wpt_register_site_scenarios( false, 'backfill' );

closte_test_run();
