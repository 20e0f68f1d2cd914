<?php
/**
 * Ultimate Multisite's Closte integration, with its connection test made
 * through the extension.
 *
 * Loaded only from Closte_Native_Um_Takeover, once Ultimate Multisite's own
 * Closte_Integration class exists (2.5 and later).
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registered under the id 'closte' in place of the built-in one: the same
 * name, constants, logo, credential store and enabled switch (all
 * inherited), so Ultimate Multisite's wizard and settings see no change;
 * "Test connection" asks the extension (closte_test_connection) instead of
 * wp_remote_post.
 */
class Closte_Native_Um_Integration extends WP_Ultimo\Integrations\Providers\Closte\Closte_Integration {

	/**
	 * Whether the key is accepted by Closte; what the wizard's "Test
	 * connection" calls.
	 *
	 * @return true|WP_Error
	 */
	public function test_connection() {
		try {
			$result = closte_test_connection( Closte_Native_Request_Options::build( 'test' ) );
		} catch ( Closte\Exception $e ) {
			return new WP_Error( 'closte-native-' . Closte_Native_Um_Takeover::error_slug( $e ), $e->getMessage() );
		}
		if ( ! empty( $result['ok'] ) ) {
			return true;
		}
		return new WP_Error( 'closte-native-refused', isset( $result['message'] ) ? (string) $result['message'] : __( 'Closte did not accept the API key.', 'closte-native' ) );
	}
}
