<?php
/**
 * The network-admin notice shown when the native path cannot run.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Tells network admins (capability manage_network_options) that the closte
 * extension is not loaded (Ultimate Multisite's built-in Closte integration
 * then keeps working as before), that no API key is configured, or that the
 * Ultimate Multisite version is too old to take over. A
 * nonce-checked request through wp-admin/network/edit.php dismisses it for
 * the current user (user meta closte_native_notice_dismissed).
 */
class Closte_Native_Notice {

	/**
	 * User meta holding the reason the user dismissed.
	 */
	const META = 'closte_native_notice_dismissed';

	/**
	 * The dismissal action (network/edit.php?action=...) and nonce action.
	 */
	const ACTION = 'closte_native_dismiss_notice';

	/**
	 * The states the notice speaks of.
	 */
	const REASONS = array( 'no-extension', 'no-key', 'um-unsupported' );

	/**
	 * The plugin, whose state decides (it is final only after plugins_loaded).
	 *
	 * @var Closte_Native_Plugin
	 */
	private $plugin;

	/**
	 * Keeps what it works with.
	 *
	 * @param Closte_Native_Plugin $plugin The plugin.
	 */
	public function __construct( Closte_Native_Plugin $plugin ) {
		$this->plugin = $plugin;
	}

	/**
	 * The state the notice is about, or '' when there is nothing to say.
	 *
	 * @return string
	 */
	public function reason() {
		$state = $this->plugin->state();
		return in_array( $state, self::REASONS, true ) ? $state : '';
	}

	/**
	 * Registers the notice and its dismissal.
	 *
	 * @return void
	 */
	public function register() {
		add_action( 'network_admin_notices', array( $this, 'render' ) );
		add_action( 'network_admin_edit_' . self::ACTION, array( $this, 'handle_dismiss' ) );
	}

	/**
	 * Whether the current user should see the notice.
	 *
	 * @return bool
	 */
	public function should_show() {
		$reason = $this->reason();
		return '' !== $reason
			&& is_multisite()
			&& current_user_can( 'manage_network_options' )
			&& get_user_meta( get_current_user_id(), self::META, true ) !== $reason;
	}

	/**
	 * The dismissal URL, with its nonce.
	 *
	 * @return string
	 */
	public function dismiss_url() {
		return wp_nonce_url( network_admin_url( 'edit.php?action=' . self::ACTION ), self::ACTION );
	}

	/**
	 * Prints the notice (hooked on network_admin_notices).
	 *
	 * @return void
	 */
	public function render() {
		if ( ! $this->should_show() ) {
			return;
		}
		echo '<div class="notice notice-warning"><p><strong>' . esc_html__( 'Closte Native for Ultimate Multisite', 'closte-native' ) . '</strong></p>';
		$reason = $this->reason();
		if ( 'no-extension' === $reason ) {
			echo '<p>' . esc_html__( 'The closte PHP extension is not loaded, so this plugin does nothing and Ultimate Multisite\'s built-in Closte integration keeps handling domains.', 'closte-native' ) . '</p>';
			$text = sprintf(
				/* translators: 1: file name, 2: PHP extension directory, 3: php.ini line. */
				esc_html__( 'To install it, copy %1$s into PHP\'s extension directory (%2$s), add the line %3$s to php.ini, then restart PHP (PHP-FPM or the web server).', 'closte-native' ),
				'<code>closte.so</code>',
				'<code>' . esc_html( (string) ini_get( 'extension_dir' ) ) . '</code>',
				'<code>extension=closte.so</code>'
			);
		} elseif ( 'um-unsupported' === $reason ) {
			$text = esc_html__( 'This version of Ultimate Multisite has no integration registry (version 2.5 or later has one), so this plugin does nothing and Ultimate Multisite\'s own Closte integration keeps handling domains. Update Ultimate Multisite to use the closte extension.', 'closte-native' );
		} else {
			$text = sprintf(
				/* translators: %s: constant name. */
				esc_html__( 'The closte extension is loaded and the Closte integration is enabled, but no Closte API key is configured: neither %s in wp-config.php nor a key saved in Ultimate Multisite\'s Closte integration settings. Nothing is sent to Closte until one is.', 'closte-native' ),
				'<code>CLOSTE_CLIENT_API_KEY</code>'
			);
		}
		echo '<p>' . wp_kses( $text, array( 'code' => array() ) ) . '</p>';
		echo '<p><a href="' . esc_url( $this->dismiss_url() ) . '">' . esc_html__( 'Dismiss this notice', 'closte-native' ) . '</a></p></div>';
	}

	/**
	 * Dismisses the notice for the current user, then goes back.
	 *
	 * @return void
	 */
	public function handle_dismiss() {
		check_admin_referer( self::ACTION );
		if ( ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'closte-native' ), '', array( 'response' => 403 ) );
		}
		update_user_meta( get_current_user_id(), self::META, $this->reason() );
		$back = wp_get_referer();
		wp_safe_redirect( $back ? $back : network_admin_url() );
		exit;
	}
}
