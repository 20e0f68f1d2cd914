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
 * integration enabled, an API key configured), 'no-extension', 'disabled'
 * (integration off: nothing is done at all), 'no-key' and 'um-unsupported'
 * (an Ultimate Multisite without the integration registry of 2.5 and later,
 * or none: its own integration is left alone). Only 'active' takes over the
 * built-in Closte integration; this plugin's pending retries are kept in
 * every state but 'disabled'.
 */
final class Closte_Native_Plugin {

	/**
	 * Ultimate Multisite's id for the Closte host integration.
	 */
	const INTEGRATION_ID = 'closte';

	/**
	 * How long a retry that cannot run now waits before it is tried again.
	 */
	const KEPT_JOB_DELAY = HOUR_IN_SECONDS;

	/**
	 * The single instance.
	 *
	 * @var Closte_Native_Plugin|null
	 */
	private static $instance = null;

	/**
	 * State computed at boot, refined once Ultimate Multisite registered.
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
	 * This plugin's job queue.
	 *
	 * @var Closte_Native_Queue
	 */
	public $queue;

	/**
	 * Domain event handlers (only in the 'active' state).
	 *
	 * @var Closte_Native_Domain_Handler|null
	 */
	public $handler = null;

	/**
	 * The take-over of Ultimate Multisite's registry (only in the 'active' state).
	 *
	 * @var Closte_Native_Um_Takeover|null
	 */
	public $takeover = null;

	/**
	 * Failed domain jobs scheduled again (only in the 'active' state).
	 *
	 * @var Closte_Native_Recovery|null
	 */
	public $recovery = null;

	/**
	 * The daily drift repair (only in the 'active' state).
	 *
	 * @var Closte_Native_Reconcile|null
	 */
	public $reconcile = null;

	/**
	 * The daily certificate watch (only in the 'active' state).
	 *
	 * @var Closte_Native_Cert_Watch|null
	 */
	public $cert_watch = null;

	/**
	 * The network-admin notice.
	 *
	 * @var Closte_Native_Notice
	 */
	public $notice;

	/**
	 * The Site Health tests and Info section.
	 *
	 * @var Closte_Native_Site_Health
	 */
	public $site_health;

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
	 * Whether a Closte API key is configured (the constant, or the key stored
	 * in Ultimate Multisite).
	 *
	 * @return bool
	 */
	public static function key_defined() {
		return Closte_Native_Key::is_set();
	}

	/**
	 * The current state.
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
	 *
	 * @return void
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
		$this->queue  = new Closte_Native_Queue();
		$this->notice = new Closte_Native_Notice( $this );
		$this->notice->register();
		$this->site_health = new Closte_Native_Site_Health( $this );
		$this->site_health->register();
		add_action( 'init', array( $this, 'load_textdomain' ) );
		// Registered in every state: a retry must find a callback whenever it comes due.
		add_action( Closte_Native_Queue::HOOK, array( $this, 'on_job' ), 10, 1 );
		if ( is_multisite() && class_exists( 'Closte_Native_Admin' ) ) {
			$this->admin = new Closte_Native_Admin( $this );
			$this->admin->register();
		}

		if ( ! $this->is_active() ) {
			return;
		}
		$this->handler  = new Closte_Native_Domain_Handler( $this->logger, $this->queue );
		$this->takeover = new Closte_Native_Um_Takeover( $this->handler );
		$this->takeover->register();
		$this->recovery = new Closte_Native_Recovery( $this->logger, $this->queue );
		$this->recovery->register();
		$this->reconcile = new Closte_Native_Reconcile( $this->handler, $this->logger );
		$this->reconcile->register();
		$this->cert_watch = new Closte_Native_Cert_Watch( $this->logger );
		$this->cert_watch->register();
		// After the registry attached its capabilities (priority 12).
		add_action( 'plugins_loaded', array( $this, 'check_takeover' ), 13 );
	}

	/**
	 * On plugins_loaded: without Ultimate Multisite's registry nothing was
	 * taken over, and nothing is done.
	 *
	 * @return void
	 */
	public function check_takeover() {
		if ( $this->is_active() && $this->takeover && ! $this->takeover->attached() ) {
			$this->state = 'um-unsupported';
		}
	}

	/**
	 * Handler of this plugin's job hook: runs the retry, or keeps it for
	 * later when it cannot run in this PHP (the extension not loaded, no
	 * key, an unsupported Ultimate Multisite), or drops it when the network
	 * admin switched the Closte integration off.
	 *
	 * @param mixed $payload The job's argument.
	 * @return void
	 */
	public function on_job( $payload ) {
		if ( $this->is_active() && $this->handler ) {
			$this->handler->on_job( $payload );
			return;
		}
		$job = Closte_Native_Queue::parse_payload( $payload );
		if ( null === $job ) {
			$this->logger->error( 'Ignored a malformed closte-native job.' );
			return;
		}
		$verb = 'add' === $job['operation'] ? 'add' : 'remove';
		if ( 'disabled' === $this->state ) {
			$this->logger->info( sprintf( 'Dropped the retry to %s Closte alias %s (site %d): the Closte host integration is switched off in Ultimate Multisite.', $verb, $job['domain'], $job['site_id'] ) );
			return;
		}
		$why    = array(
			'no-extension'   => 'the closte PHP extension is not loaded in this PHP',
			'no-key'         => 'no Closte API key is configured',
			'um-unsupported' => 'this Ultimate Multisite has no integration registry (2.5 or later is needed)',
		);
		$reason = isset( $why[ $this->state ] ) ? $why[ $this->state ] : $this->state;
		if ( $this->queue->schedule( $job['operation'], $job['domain'], $job['site_id'], $job['attempt'], self::KEPT_JOB_DELAY ) ) {
			$this->logger->warning( sprintf( 'Kept the retry to %s Closte alias %s (site %d) for later: %s. Next try in %d s.', $verb, $job['domain'], $job['site_id'], $reason, self::KEPT_JOB_DELAY ) );
		} else {
			$this->logger->error( sprintf( 'Could not keep the retry to %s Closte alias %s (site %d): %s, and it could not be scheduled again.', $verb, $job['domain'], $job['site_id'], $reason ) );
		}
	}

	/**
	 * Loads the translations.
	 *
	 * @return void
	 */
	public function load_textdomain() {
		load_plugin_textdomain( 'closte-native', false, dirname( plugin_basename( CLOSTE_NATIVE_FILE ) ) . '/languages' );
	}
}
