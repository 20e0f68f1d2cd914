<?php
/**
 * What Ultimate Multisite says now, and which aliases this plugin added.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * The last word on a domain is Ultimate Multisite's: whether it has a
 * record of it, read from its table when a call is about to be made (not
 * through an object cache, which on several web nodes can be another
 * node's past), and whether this plugin added the domain's alias (one
 * network option per domain, so that parallel runners never overwrite each
 * other's rows).
 */
final class Closte_Native_Um_State {

	/**
	 * Prefix of the network options that mark an alias this plugin added.
	 */
	const ADDED_PREFIX = 'closte_native_alias_';

	/**
	 * Whether Ultimate Multisite has a domain record of this name now, or
	 * null when that cannot be known (no Ultimate Multisite tables).
	 *
	 * @param string $domain The domain.
	 * @return bool|null
	 */
	public static function is_mapped( $domain ) {
		global $wpdb;
		$table = $wpdb->base_prefix . 'wu_domain_mappings';
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- a fresh read is the point: no cache may answer for another node.
		$count = $wpdb->get_var( $wpdb->prepare( 'SELECT COUNT(*) FROM %i WHERE domain = %s', $table, strtolower( trim( (string) $domain ) ) ) );
		if ( null === $count || '' !== $wpdb->last_error ) {
			return function_exists( 'wu_get_domain_by_domain' ) ? (bool) wu_get_domain_by_domain( $domain ) : null;
		}
		return (int) $count > 0;
	}

	/**
	 * Every domain name Ultimate Multisite has a record of, lower-cased.
	 *
	 * @return string[]|null Null when that cannot be known.
	 */
	public static function mapped_domains() {
		global $wpdb;
		$table = $wpdb->base_prefix . 'wu_domain_mappings';
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- see is_mapped().
		$names = $wpdb->get_col( $wpdb->prepare( 'SELECT DISTINCT LOWER(domain) FROM %i', $table ) );
		if ( '' !== $wpdb->last_error ) {
			return null;
		}
		return array_values( array_map( 'strval', $names ) );
	}

	/**
	 * Records that this plugin added the domain's alias.
	 *
	 * @param string $domain The domain (normalized by the extension).
	 * @return void
	 */
	public static function remember_added( $domain ) {
		update_network_option( null, self::option( $domain ), strtolower( (string) $domain ) );
	}

	/**
	 * Forgets it once the alias is removed.
	 *
	 * @param string $domain The domain.
	 * @return void
	 */
	public static function forget_added( $domain ) {
		delete_network_option( null, self::option( $domain ) );
	}

	/**
	 * The aliases this plugin added and has not removed since.
	 *
	 * @return string[]
	 */
	public static function added_domains() {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- one row per domain, read fresh.
		$names = $wpdb->get_col(
			$wpdb->prepare(
				"SELECT meta_value FROM {$wpdb->sitemeta} WHERE site_id = %d AND meta_key LIKE %s",
				get_current_network_id(),
				$wpdb->esc_like( self::ADDED_PREFIX ) . '%'
			)
		);
		return array_values( array_unique( array_map( 'strval', $names ) ) );
	}

	/**
	 * The option of one domain.
	 *
	 * @param string $domain The domain.
	 * @return string
	 */
	private static function option( $domain ) {
		return self::ADDED_PREFIX . md5( strtolower( trim( (string) $domain ) ) );
	}
}
