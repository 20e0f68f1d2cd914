<?php
/**
 * Site creation and duplication with an Ultimate Multisite that creates the
 * site's domain record itself: closte-native adds nothing of its own.
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/site-scenarios.php';

wpt_register_site_scenarios( true, 'um' );

closte_test_run();
