<?php
/**
 * Helpers of the proxy tests: WordPress's WP_PROXY_* constants pointed at
 * the tinyproxy that tests/wp/run.sh started, what that proxy forwarded,
 * the admin page and its admin-ajax actions run in-process.
 *
 * Include after lib/bootstrap.php, before lib/load-wordpress.php; call
 * wpt_define_wordpress_proxy() (or define WP_PROXY_* yourself) before
 * WordPress loads, as wp-config.php would, and define WP_ADMIN for the
 * admin page (it is only wired in wp-admin).
 */

/**
 * The credentials of proxy_credentials_test.php: everything a URL's user
 * info must escape. zz_secret_absent_test.php looks for the password too.
 */
const WPT_ODD_PROXY_USER     = 'closte user@corp';
const WPT_ODD_PROXY_PASSWORD = 'p@ss:w/rd %41#?&=+SECRETX';

/**
 * WP_PROXY_HOST/PORT/USERNAME/PASSWORD for run.sh's tinyproxy.
 */
function wpt_define_wordpress_proxy() {
	define( 'WP_PROXY_HOST', '127.0.0.1' );
	define( 'WP_PROXY_PORT', wpt_env( 'CLOSTE_PROXY_PORT' ) );
	define( 'WP_PROXY_USERNAME', wpt_env( 'CLOSTE_PROXY_USER' ) );
	define( 'WP_PROXY_PASSWORD', wpt_env( 'CLOSTE_PROXY_PASSWORD' ) );
}

/**
 * The simulator's "host:port", as the proxy sees it in a forwarded URL.
 */
function wpt_sim_authority() {
	$parts = parse_url( wpt_env( 'CLOSTE_SIM_URL' ) );
	return $parts['host'] . ':' . $parts['port'];
}

/**
 * Where tinyproxy's log ends now; pass it to wpt_proxy_requests().
 */
function wpt_proxy_mark() {
	clearstatcache();
	$log = wpt_env( 'CLOSTE_PROXY_LOG' );
	return is_file( $log ) ? filesize( $log ) : 0;
}

/**
 * The requests tinyproxy forwarded since $mark, as "METHOD path" with the
 * query string cut (a getdomains URL carries the key), e.g.
 * "POST /api/client/adddomainalias". Only requests for the simulator.
 */
function wpt_proxy_requests( $mark ) {
	clearstatcache();
	$log   = wpt_env( 'CLOSTE_PROXY_LOG' );
	$text  = is_file( $log ) ? (string) file_get_contents( $log, false, null, $mark ) : '';
	$found = array();
	$url   = 'http://' . wpt_sim_authority();
	foreach ( explode( "\n", $text ) as $line ) {
		if ( ! preg_match( '/Request \(file descriptor \d+\): (\S+) (\S+) HTTP/', $line, $m ) ) {
			continue;
		}
		if ( 0 !== strpos( $m[2], $url . '/' ) ) {
			continue;
		}
		$path    = substr( $m[2], strlen( $url ) );
		$query   = strpos( $path, '?' );
		$found[] = $m[1] . ' ' . ( false === $query ? $path : substr( $path, 0, $query ) );
	}
	return $found;
}

/**
 * Every line tinyproxy logged since $mark.
 */
function wpt_proxy_log_since( $mark ) {
	clearstatcache();
	$log = wpt_env( 'CLOSTE_PROXY_LOG' );
	return is_file( $log ) ? (string) file_get_contents( $log, false, null, $mark ) : '';
}

final class WPT_Ajax_Done extends Exception {
}

/**
 * Runs one of the admin page's admin-ajax actions as the network admin;
 * returns the decoded answer (success, data) and its raw text.
 */
function wpt_ajax( $action, array $post = array() ) {
	wp_set_current_user( 1 );
	$_POST    = $post + array( 'nonce' => wp_create_nonce( 'closte_native_admin' ) );
	$_REQUEST = $_POST;
	$stop     = function () {
		return function () {
			throw new WPT_Ajax_Done();
		};
	};
	add_filter( 'wp_doing_ajax', '__return_true' );
	add_filter( 'wp_die_ajax_handler', $stop );
	ob_start();
	try {
		do_action( 'wp_ajax_' . $action );
	} catch ( WPT_Ajax_Done $e ) {
		// wp_send_json_*() ended the action.
	} finally {
		$raw = (string) ob_get_clean();
		remove_filter( 'wp_doing_ajax', '__return_true' );
		remove_filter( 'wp_die_ajax_handler', $stop );
		$_POST    = array();
		$_REQUEST = array();
	}
	$answer        = json_decode( $raw, true );
	$answer        = is_array( $answer ) ? $answer : array();
	$answer['raw'] = $raw;
	return $answer;
}

/**
 * The network admin page's HTML, as the network admin sees it.
 */
function wpt_render_admin_page() {
	wp_set_current_user( 1 );
	$admin = Closte_Native_Plugin::instance()->admin;
	if ( ! $admin ) {
		closte_fail( 'the admin page is not wired (is WP_ADMIN defined?)' );
	}
	ob_start();
	$admin->render();
	do_action( 'network_admin_notices' );
	return (string) ob_get_clean();
}

/**
 * The text of one element of the page, by id, tags stripped, spaces folded.
 */
function wpt_element_text( $html, $id ) {
	if ( ! preg_match( '/<(\w+)[^>]*\bid="' . preg_quote( $id, '/' ) . '"[^>]*>(.*?)<\/\1>/s', $html, $m ) ) {
		closte_fail( "no element #$id in the page" );
	}
	return trim( preg_replace( '/\s+/', ' ', html_entity_decode( wp_strip_all_tags( $m[2] ) ) ) );
}
