<?php
/**
 * Takes over Ultimate Multisite's Closte integration in its own registry.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Ultimate Multisite 2.5 and later keep their host integrations in a
 * registry filled on plugins_loaded (wu_register_integrations at priority 9,
 * wu_register_capabilities at 12, then the hooks of the enabled ones are
 * registered); what is registered again under an id replaces what was there.
 * Registering here replaces the built-in Closte integration and its
 * domain-mapping capability before any of their hooks exist, whichever
 * plugin WordPress loaded first: both actions fire after every plugin file
 * has loaded. Older Ultimate Multisite versions (no registry) are not
 * supported: the plugin then leaves their integration alone (state
 * 'um-unsupported').
 */
final class Closte_Native_Um_Takeover {

	/**
	 * The domain event handler the capability serves.
	 *
	 * @var Closte_Native_Domain_Handler
	 */
	private $handler;

	/**
	 * Whether the capability was attached in this request.
	 *
	 * @var bool
	 */
	private $attached = false;

	/**
	 * Keeps what it works with.
	 *
	 * @param Closte_Native_Domain_Handler $handler The domain event handler.
	 */
	public function __construct( Closte_Native_Domain_Handler $handler ) {
		$this->handler = $handler;
	}

	/**
	 * Whether this Ultimate Multisite has the registry (call on or after plugins_loaded).
	 *
	 * @return bool
	 */
	public static function registry_available() {
		return class_exists( 'WP_Ultimo\Integrations\Integration_Registry' )
			&& class_exists( 'WP_Ultimo\Integrations\Providers\Closte\Closte_Integration' )
			&& interface_exists( 'WP_Ultimo\Integrations\Capabilities\Domain_Mapping_Capability' );
	}

	/**
	 * Registers the take-over on the registry's actions.
	 *
	 * @return void
	 */
	public function register() {
		add_action( 'wu_register_integrations', array( $this, 'replace_integration' ), 10, 1 );
		add_action( 'wu_register_capabilities', array( $this, 'replace_capability' ), 10, 1 );
	}

	/**
	 * Handler of wu_register_integrations.
	 *
	 * @param object $registry Ultimate Multisite's Integration_Registry.
	 * @return void
	 */
	public function replace_integration( $registry ) {
		if ( ! self::registry_available() || ! is_object( $registry ) || ! method_exists( $registry, 'register' ) ) {
			return;
		}
		require_once __DIR__ . '/integration/class-closte-native-um-integration.php';
		$registry->register( new Closte_Native_Um_Integration() );
	}

	/**
	 * Handler of wu_register_capabilities.
	 *
	 * @param object $registry Ultimate Multisite's Integration_Registry.
	 * @return void
	 */
	public function replace_capability( $registry ) {
		if ( ! self::registry_available() || ! is_object( $registry ) || ! method_exists( $registry, 'add_capability' ) ) {
			return;
		}
		require_once __DIR__ . '/integration/class-closte-native-um-domain-mapping.php';
		$registry->add_capability( Closte_Native_Plugin::INTEGRATION_ID, new Closte_Native_Um_Domain_Mapping( $this->handler ) );
		$this->attached = true;
	}

	/**
	 * Whether the capability was attached in this request.
	 *
	 * @return bool
	 */
	public function attached() {
		return $this->attached;
	}

	/**
	 * A short slug for an extension exception, for WP_Error codes.
	 *
	 * @param Closte\Exception $error The exception.
	 * @return string
	 */
	public static function error_slug( $error ) {
		if ( $error instanceof Closte\ConfigurationException ) {
			return 'configuration';
		}
		if ( $error instanceof Closte\TransportException ) {
			return 'unreachable';
		}
		if ( $error instanceof Closte\ApiException ) {
			return 'api';
		}
		return 'error';
	}
}
