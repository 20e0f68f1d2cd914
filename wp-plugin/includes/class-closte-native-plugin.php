<?php
/**
 * Decides whether the native path is on, and wires the parts together.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's entry point.
 *
 * States: 'active' (extension loaded, Ultimate Multisite's closte host
 * integration enabled, API key defined), 'no-extension', 'disabled'
 * (integration off: nothing is done at all) and 'no-key'. Only 'active'
 * registers handlers and replaces the built-in Closte integration.
 */
final class Closte_Native_Plugin {

	/**
	 * Ultimate Multisite's id for the Closte host integration.
	 */
	const INTEGRATION_ID = 'closte';

	/**
	 * The single instance.
	 *
	 * @var Closte_Native_Plugin|null
	 */
	private static $instance = null;

	/**
	 * State computed once at boot.
	 *
	 * @var string
	 */
	private $state = '';

	/**
	 * The logger shared by all parts.
	 *
	 * @var Closte_Native_Logger
	 */
	public $logger;

	/**
	 * Removes the built-in Closte callbacks (only in the 'active' state).
	 *
	 * @var Closte_Native_Builtin_Guard|null
	 */
	public $guard = null;

	/**
	 * Domain event handlers (only in the 'active' state).
	 *
	 * @var Closte_Native_Domain_Handler|null
	 */
	public $handler = null;

	/**
	 * Domain records for new and duplicated sites (only in the 'active' state).
	 *
	 * @var Closte_Native_Site_Domains|null
	 */
	public $sites = null;

	/**
	 * The network-admin notice.
	 *
	 * @var Closte_Native_Notice
	 */
	public $notice;

	/**
	 * The network admin page (only in wp-admin, on multisite).
	 *
	 * @var Closte_Native_Admin|null
	 */
	public $admin = null;

	/**
	 * Creates and wires the plugin once.
	 *
	 * @return Closte_Native_Plugin
	 */
	public static function boot() {
		if ( null === self::$instance ) {
			self::$instance = new self();
			self::$instance->init();
		}
		return self::$instance;
	}

	/**
	 * The booted instance, or null before boot.
	 *
	 * @return Closte_Native_Plugin|null
	 */
	public static function instance() {
		return self::$instance;
	}

	/**
	 * Whether the closte extension is loaded in this PHP process.
	 *
	 * @return bool
	 */
	public static function extension_available() {
		return extension_loaded( 'closte' ) && function_exists( 'closte_add_domain' );
	}

	/**
	 * Whether Ultimate Multisite's closte host integration is enabled.
	 *
	 * @return bool
	 */
	public static function integration_enabled() {
		$enabled = get_network_option( null, 'wu_host_integrations_enabled', array() );
		return is_array( $enabled ) && ! empty( $enabled[ self::INTEGRATION_ID ] );
	}

	/**
	 * Whether the Closte API key constant is defined and not empty.
	 *
	 * @return bool
	 */
	public static function key_defined() {
		return defined( 'CLOSTE_CLIENT_API_KEY' ) && '' !== (string) constant( 'CLOSTE_CLIENT_API_KEY' );
	}

	/**
	 * The state computed at boot.
	 *
	 * @return string
	 */
	public function state() {
		return $this->state;
	}

	/**
	 * Whether the native path handles Closte's domain events.
	 *
	 * @return bool
	 */
	public function is_active() {
		return 'active' === $this->state;
	}

	/**
	 * Computes the state and registers what it calls for.
	 */
	private function init() {
		if ( ! self::extension_available() ) {
			$this->state = 'no-extension';
		} elseif ( ! self::integration_enabled() ) {
			$this->state = 'disabled';
		} elseif ( ! self::key_defined() ) {
			$this->state = 'no-key';
		} else {
			$this->state = 'active';
		}

		$this->logger = new Closte_Native_Logger();
		$this->notice = new Closte_Native_Notice( $this->state );
		$this->notice->register();
		add_action( 'init', array( $this, 'load_textdomain' ) );
		if ( is_multisite() && class_exists( 'Closte_Native_Admin' ) ) {
			$this->admin = new Closte_Native_Admin( $this );
			$this->admin->register();
		}

		if ( ! $this->is_active() ) {
			return;
		}
		$this->guard = new Closte_Native_Builtin_Guard();
		$this->guard->register();
		$this->handler = new Closte_Native_Domain_Handler( $this->logger, new Closte_Native_Queue() );
		$this->handler->register();
		$this->sites = new Closte_Native_Site_Domains( $this->logger );
		$this->sites->register();
	}

	/**
	 * Loads the translations.
	 */
	public function load_textdomain() {
		load_plugin_textdomain( 'closte-native', false, dirname( plugin_basename( CLOSTE_NATIVE_FILE ) ) . '/languages' );
	}
}
