<?php
/**
 * Where the Closte API key comes from.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * The key is the CLOSTE_CLIENT_API_KEY constant when it is defined and not
 * empty (Closte defines it in wp-config.php), else the key stored for the
 * Closte host integration in Ultimate Multisite's credential store, as
 * Integration::get_credential() reads it. The extension reads the constant
 * itself; a stored key is passed to it per call (Closte_Native_Request_Options).
 * Nothing here ever prints the key: hint() gives its last 4 characters.
 */
final class Closte_Native_Key {

	/**
	 * The constant, and the credential's name in Ultimate Multisite.
	 */
	const CONSTANT = 'CLOSTE_CLIENT_API_KEY';

	/**
	 * The network option Ultimate Multisite keeps the (encrypted) credential in.
	 */
	const STORED_OPTION = 'wu_hosting_credential_CLOSTE_CLIENT_API_KEY';

	/**
	 * 'constant', 'ultimate-multisite' or '' (no key).
	 *
	 * @return string
	 */
	public static function source() {
		if ( defined( self::CONSTANT ) && '' !== (string) constant( self::CONSTANT ) ) {
			return 'constant';
		}
		$stored = get_network_option( null, self::STORED_OPTION, '' );
		return empty( $stored ) ? '' : 'ultimate-multisite';
	}

	/**
	 * Whether a key is configured at all.
	 *
	 * @return bool
	 */
	public static function is_set() {
		return '' !== self::source();
	}

	/**
	 * The key itself, '' when none can be read. Never log or show it.
	 *
	 * @return string
	 */
	public static function value() {
		$source = self::source();
		if ( 'constant' === $source ) {
			return (string) constant( self::CONSTANT );
		}
		if ( 'ultimate-multisite' !== $source ) {
			return '';
		}
		$integration = self::um_integration();
		return $integration ? (string) $integration->get_credential( self::CONSTANT ) : '';
	}

	/**
	 * The last 4 characters, for the admin page; '' when there is no key or
	 * it is too short to show any of it.
	 *
	 * @return string
	 */
	public static function hint() {
		$key = self::value();
		return strlen( $key ) >= 12 ? substr( $key, -4 ) : '';
	}

	/**
	 * Ultimate Multisite's Closte integration object (2.5 and later), or null.
	 *
	 * @return object|null
	 */
	private static function um_integration() {
		if ( ! class_exists( 'WP_Ultimo\Integrations\Integration_Registry' ) ) {
			return null;
		}
		$integration = WP_Ultimo\Integrations\Integration_Registry::get_instance()->get( Closte_Native_Plugin::INTEGRATION_ID );
		return ( $integration && method_exists( $integration, 'get_credential' ) ) ? $integration : null;
	}
}
