<?php
/**
 * What PHPStan cannot read from the sources it scans: constants WordPress
 * and the plugin define at run time (wp-plugin/phpstan.neon.dist).
 */

define('HOUR_IN_SECONDS', 3600);
define('DAY_IN_SECONDS', 86400);
define('MINUTE_IN_SECONDS', 60);
define('CLOSTE_NATIVE_VERSION', '0.0.0');
define('CLOSTE_NATIVE_FILE', dirname(__DIR__, 2) . '/wp-plugin/closte-native.php');
