<?php
/**
 * The network admin page: Ultimate Multisite > Closte, or Settings > Closte.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/class-closte-native-admin-status.php';
require_once __DIR__ . '/class-closte-native-admin-domains.php';
require_once __DIR__ . '/class-closte-native-admin-errors.php';
require_once __DIR__ . '/class-closte-native-admin-certificates.php';
require_once __DIR__ . '/class-closte-native-admin-sync-summary.php';
require_once __DIR__ . '/class-closte-native-admin-ajax.php';

/**
 * Registers the page under Ultimate Multisite's menu (slug wp-ultimo) when
 * it is there, else under Network Admin > Settings; renders its frame. The
 * domain table, the connection test, certificates and the sync are filled
 * in by assets/admin.js through Closte_Native_Admin_Ajax.
 */
class Closte_Native_Admin {

	/**
	 * The page slug.
	 */
	const SLUG = 'closte-native';

	/**
	 * Ultimate Multisite's top-level network menu.
	 */
	const UM_MENU = 'wp-ultimo';

	/**
	 * Who may see the page and use its actions.
	 */
	const CAPABILITY = 'manage_network_options';

	/**
	 * The plugin.
	 *
	 * @var Closte_Native_Plugin
	 */
	private $plugin;

	/**
	 * The page's hook suffix, once registered.
	 *
	 * @var string
	 */
	private $hook = '';

	/**
	 * Keeps the plugin, for its state.
	 *
	 * @param Closte_Native_Plugin $plugin The plugin.
	 */
	public function __construct( Closte_Native_Plugin $plugin ) {
		$this->plugin = $plugin;
	}

	/**
	 * Registers the menu entry and the actions.
	 *
	 * @return void
	 */
	public function register() {
		// Late, so that Ultimate Multisite's own menu already exists.
		add_action( 'network_admin_menu', array( $this, 'add_menu' ), 100 );
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue' ) );
		$ajax = new Closte_Native_Admin_Ajax( new Closte_Native_Admin_Domains() );
		$ajax->register();
	}

	/**
	 * The parent menu the page goes under.
	 *
	 * @return string
	 */
	public static function parent_slug() {
		global $admin_page_hooks;
		return ! empty( $admin_page_hooks[ self::UM_MENU ] ) ? self::UM_MENU : 'settings.php';
	}

	/**
	 * Adds the page (hooked on network_admin_menu).
	 *
	 * @return void
	 */
	public function add_menu() {
		$hook       = add_submenu_page(
			self::parent_slug(),
			__( 'Closte', 'closte-native' ),
			__( 'Closte', 'closte-native' ),
			self::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);
		$this->hook = is_string( $hook ) ? $hook : '';
	}

	/**
	 * Loads the page's script and style, on the page only.
	 *
	 * @param string $hook_suffix The current admin page.
	 * @return void
	 */
	public function enqueue( $hook_suffix ) {
		if ( '' === $this->hook || $hook_suffix !== $this->hook ) {
			return;
		}
		$url = plugins_url( 'assets/', CLOSTE_NATIVE_FILE );
		wp_enqueue_style( 'closte-native-admin', $url . 'admin.css', array(), CLOSTE_NATIVE_VERSION );
		wp_enqueue_script( 'closte-native-admin', $url . 'admin.js', array(), CLOSTE_NATIVE_VERSION, true );
		wp_localize_script( 'closte-native-admin', 'closteNativeAdmin', $this->script_data() );
	}

	/**
	 * What admin.js needs: the endpoint, the nonces and its texts.
	 *
	 * @return array
	 */
	private function script_data() {
		return array(
			'ajaxUrl'        => admin_url( 'admin-ajax.php' ),
			'nonce'          => wp_create_nonce( Closte_Native_Admin_Ajax::NONCE ),
			'nonces'         => array(
				'preview'   => wp_create_nonce( Closte_Native_Admin_Ajax::PREVIEW_NONCE ),
				'remove'    => wp_create_nonce( Closte_Native_Admin_Ajax::REMOVE_NONCE ),
				'reconcile' => wp_create_nonce( Closte_Native_Admin_Ajax::RECONCILE_NONCE ),
			),
			'sslConcurrency' => 3,
			'i18n'           => array(
				'testing'       => __( 'Testing the connection…', 'closte-native' ),
				'loading'       => __( 'Loading domains…', 'closte-native' ),
				'noDomains'     => __( 'No domain records and no aliases on Closte.', 'closte-native' ),
				/* translators: %d: number of domains out of sync. */
				'drift'         => __( '%d domain(s) out of sync.', 'closte-native' ),
				/* translators: %d: number of domain records without an alias. */
				'driftMissing'  => __( '%d domain record(s) without an alias on Closte: "Sync now" adds them.', 'closte-native' ),
				/* translators: %d: number of aliases without a domain record. */
				'driftExtra'    => __( '%d alias(es) on Closte with no domain record: "Review extra aliases…" lists them before anything is removed.', 'closte-native' ),
				'noDrift'       => __( 'Ultimate Multisite and Closte agree.', 'closte-native' ),
				'inSync'        => __( 'In sync', 'closte-native' ),
				'missing'       => __( 'Missing on Closte', 'closte-native' ),
				'onlyOnCloste'  => __( 'Only on Closte', 'closte-native' ),
				'kept'          => __( 'Network domain (kept)', 'closte-native' ),
				'unknown'       => __( 'Unknown', 'closte-native' ),
				'yes'           => __( 'Yes', 'closte-native' ),
				'no'            => __( 'No', 'closte-native' ),
				/* translators: %d: site id. */
				'site'          => __( 'Site %d', 'closte-native' ),
				'checking'      => __( 'Checking…', 'closte-native' ),
				'notChecked'    => __( 'Not checked', 'closte-native' ),
				'syncCollect'   => __( 'Step 1 of 2: adding the missing aliases on Closte…', 'closte-native' ),
				'syncRefresh'   => __( 'Step 2 of 2: reading Closte\'s aliases again…', 'closte-native' ),
				'reviewing'     => __( 'Looking for aliases that no domain record wants…', 'closte-native' ),
				'removeCollect' => __( 'Step 1 of 2: removing the confirmed aliases from Closte…', 'closte-native' ),
				'cancelled'     => __( 'Nothing was removed.', 'closte-native' ),
				'reconciling'   => __( 'Reconciling Ultimate Multisite\'s records and Closte\'s aliases…', 'closte-native' ),
				'added'         => __( 'Added', 'closte-native' ),
				'removed'       => __( 'Removed', 'closte-native' ),
				'skipped'       => __( 'Skipped', 'closte-native' ),
				'failed'        => __( 'Failed', 'closte-native' ),
				/* translators: %d: HTTP status code. */
				'requestFailed' => __( 'The request failed (HTTP %d).', 'closte-native' ),
			),
		);
	}

	/**
	 * This page's URL.
	 *
	 * @return string
	 */
	public static function url() {
		$base = 'settings.php' === self::parent_slug() ? 'settings.php' : 'admin.php';
		return network_admin_url( $base . '?page=' . self::SLUG );
	}

	/**
	 * Prints the page.
	 *
	 * @return void
	 */
	public function render() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'closte-native' ), '', array( 'response' => 403 ) );
		}
		$view = array(
			'state'         => $this->plugin->state(),
			'version'       => Closte_Native_Admin_Status::extension_version(),
			'integration'   => Closte_Native_Plugin::integration_enabled(),
			'key_set'       => Closte_Native_Plugin::key_defined(),
			'key_hint'      => Closte_Native_Admin_Status::key_hint(),
			'key_source'    => Closte_Native_Key::source(),
			'api_url'       => Closte_Native_Admin_Status::api_url(),
			'proxy'         => Closte_Native_Request_Options::proxy_status(),
			'interval'      => Closte_Native_Admin_Status::dns_check_interval(),
			'ssl_available' => Closte_Native_Admin_Status::ssl_check_available(),
			'log_file'      => Closte_Native_Admin_Status::log_file(),
			'log_lines'     => Closte_Native_Admin_Status::log_tail(),
		);
		include __DIR__ . '/views/page.php';
	}
}
