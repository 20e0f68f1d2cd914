<?php
/**
 * Loads the WordPress install named by CLOSTE_WP_DIR as a request to the
 * network's main site. Include it at file scope (WordPress needs its globals).
 */

$_SERVER['HTTP_HOST']       = wpt_env( 'CLOSTE_WP_DOMAIN' );
$_SERVER['SERVER_NAME']     = $_SERVER['HTTP_HOST'];
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PORT']     = '80';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

require wpt_env( 'CLOSTE_WP_DIR' ) . '/wp-load.php';
