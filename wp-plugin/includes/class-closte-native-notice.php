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
 * then keeps working as before), or that the API key is missing. A
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
	 * The plugin state: the notice is for 'no-extension' and 'no-key'.
	 *
	 * @var string
	 */
	private $reason;

	/**
	 * @param string $state Closte_Native_Plugin::state().
	 */
	public function __construct( $state ) {
		$this->reason = in_array( $state, array( 'no-extension', 'no-key' ), true ) ? $state : '';
	}

	/**
	 * Registers the notice and its dismissal when there is something to say.
	 */
	public function register() {
		if ( '' === $this->reason ) {
			return;
		}
		add_action( 'network_admin_notices', array( $this, 'render' ) );
		add_action( 'network_admin_edit_' . self::ACTION, array( $this, 'handle_dismiss' ) );
	}

	/**
	 * Whether the current user should see the notice.
	 *
	 * @return bool
	 */
	public function should_show() {
		return '' !== $this->reason
			&& is_multisite()
			&& current_user_can( 'manage_network_options' )
			&& get_user_meta( get_current_user_id(), self::META, true ) !== $this->reason;
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
	 */
	public function render() {
		if ( ! $this->should_show() ) {
			return;
		}
		echo '<div class="notice notice-warning"><p><strong>' . esc_html__( 'Closte Native for Ultimate Multisite', 'closte-native' ) . '</strong></p>';
		if ( 'no-extension' === $this->reason ) {
			echo '<p>' . esc_html__( 'The closte PHP extension is not loaded, so this plugin does nothing and Ultimate Multisite\'s built-in Closte integration keeps handling domains.', 'closte-native' ) . '</p>';
			$text = sprintf(
				/* translators: 1: file name, 2: PHP extension directory, 3: php.ini line. */
				esc_html__( 'To install it, copy %1$s into PHP\'s extension directory (%2$s), add the line %3$s to php.ini, then restart PHP (PHP-FPM or the web server).', 'closte-native' ),
				'<code>closte.so</code>',
				'<code>' . esc_html( (string) ini_get( 'extension_dir' ) ) . '</code>',
				'<code>extension=closte.so</code>'
			);
		} else {
			$text = sprintf(
				/* translators: %s: constant name. */
				esc_html__( 'The closte extension is loaded and the Closte integration is enabled, but %s is not defined in wp-config.php, so Ultimate Multisite\'s built-in integration keeps handling domains.', 'closte-native' ),
				'<code>CLOSTE_CLIENT_API_KEY</code>'
			);
		}
		echo '<p>' . wp_kses( $text, array( 'code' => array() ) ) . '</p>';
		echo '<p><a href="' . esc_url( $this->dismiss_url() ) . '">' . esc_html__( 'Dismiss this notice', 'closte-native' ) . '</a></p></div>';
	}

	/**
	 * Dismisses the notice for the current user, then goes back.
	 */
	public function handle_dismiss() {
		check_admin_referer( self::ACTION );
		if ( ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'closte-native' ), '', array( 'response' => 403 ) );
		}
		update_user_meta( get_current_user_id(), self::META, $this->reason );
		$back = wp_get_referer();
		wp_safe_redirect( $back ? $back : network_admin_url() );
		exit;
	}
}
