<?php
/**
 * One domain at a time across web nodes.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * A named lock of the network's database (MySQL / MariaDB GET_LOCK), one per
 * domain: every web node shares the database, so two queue runners never
 * decide and call for the same domain at once, while different domains go
 * in parallel. The server releases a lock by itself when the connection
 * that holds it ends, so a node that dies never leaves one behind.
 */
final class Closte_Native_Domain_Lock {

	/**
	 * The lock's name for a domain: a fixed prefix and a hash, within the
	 * server's 64 characters whatever the domain's length.
	 *
	 * @param string $domain The domain.
	 * @return string
	 */
	public static function name( $domain ) {
		return 'closte-native:' . md5( strtolower( trim( (string) $domain ) ) );
	}

	/**
	 * Waits up to $seconds for the domain's lock.
	 *
	 * @param string $domain  The domain.
	 * @param int    $seconds How long to wait at most.
	 * @return bool Whether this connection holds it now.
	 */
	public static function acquire( $domain, $seconds ) {
		global $wpdb;
		$got = $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, %d)', self::name( $domain ), max( 0, (int) $seconds ) ) );
		return '1' === (string) $got;
	}

	/**
	 * Releases the domain's lock (held by this connection).
	 *
	 * @param string $domain The domain.
	 * @return void
	 */
	public static function release( $domain ) {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', self::name( $domain ) ) );
	}
}
