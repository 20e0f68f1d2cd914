<?php
/**
 * The admin page's actions, over admin-ajax.php.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Four POST actions, each checking the nonce and manage_network_options
 * first: closte_native_test_connection, closte_native_domains (the joined
 * table), closte_native_ssl (one certificate) and closte_native_sync.
 * Answers are wp_send_json_success() / wp_send_json_error() with a readable
 * 'message'; the API key is never in them.
 */
class Closte_Native_Admin_Ajax {

	/**
	 * The nonce action shared by the page's requests.
	 */
	const NONCE = 'closte_native_admin';

	/**
	 * Where the last alias list is kept, so the certificate check accepts
	 * only names the table showed.
	 */
	const ALIASES_TRANSIENT = 'closte_native_admin_aliases';

	/**
	 * Domain records and aliases.
	 *
	 * @var Closte_Native_Admin_Domains
	 */
	private $domains;

	/**
	 * Certificate results as text.
	 *
	 * @var Closte_Native_Admin_Certificates
	 */
	private $certificates;

	/**
	 * @param Closte_Native_Admin_Domains $domains Domain records and aliases.
	 */
	public function __construct( Closte_Native_Admin_Domains $domains ) {
		$this->domains      = $domains;
		$this->certificates = new Closte_Native_Admin_Certificates();
	}

	/**
	 * Registers the actions (logged-in users only).
	 */
	public function register() {
		add_action( 'wp_ajax_closte_native_test_connection', array( $this, 'test_connection' ) );
		add_action( 'wp_ajax_closte_native_domains', array( $this, 'domains' ) );
		add_action( 'wp_ajax_closte_native_ssl', array( $this, 'ssl' ) );
		add_action( 'wp_ajax_closte_native_sync', array( $this, 'sync' ) );
	}

	/**
	 * Action: is the key accepted?
	 */
	public function test_connection() {
		$this->authorise( true );
		try {
			$result = closte_test_connection( Closte_Native_Request_Options::build( 'test' ) );
		} catch ( Throwable $e ) {
			$this->fail( Closte_Native_Admin_Errors::describe( $e ) );
		}
		if ( ! empty( $result['ok'] ) ) {
			wp_send_json_success( array( 'message' => __( 'Connected: Closte accepts the API key.', 'closte-native' ) ) );
		}
		$message = isset( $result['message'] ) ? trim( (string) $result['message'] ) : '';
		/* translators: %s: why the test failed (the extension's explanation). */
		$text = sprintf( __( 'Connection test failed: %s', 'closte-native' ), '' !== $message ? $message : __( 'no details', 'closte-native' ) );
		$said = isset( $result['api_error'] ) ? Closte_Native_Admin_Errors::closte_words( (string) $result['api_error'] ) : '';
		if ( '' !== $said ) {
			/* translators: 1: the failure as the extension explains it, 2: Closte's own error text. */
			$text = sprintf( __( '%1$s; Closte said: %2$s', 'closte-native' ), $text, $said );
		}
		$this->fail( $text );
	}

	/**
	 * Action: the joined domain table.
	 */
	public function domains() {
		$this->authorise( false );
		$records = $this->domains->records();
		$aliases = null;
		$error   = '';
		if ( Closte_Native_Plugin::extension_available() ) {
			try {
				$aliases = $this->domains->aliases();
				set_site_transient( self::ALIASES_TRANSIENT, $aliases, HOUR_IN_SECONDS );
			} catch ( Throwable $e ) {
				$error = Closte_Native_Admin_Errors::describe( $e );
			}
		} else {
			$error = __( 'The closte extension is not loaded: Closte\'s aliases cannot be listed.', 'closte-native' );
		}
		$rows  = $this->domains->rows( $records, $aliases );
		$drift = 0;
		foreach ( $rows as $row ) {
			if ( in_array( $row['state'], array( Closte_Native_Admin_Domains::MISSING_ON_CLOSTE, Closte_Native_Admin_Domains::ONLY_ON_CLOSTE ), true ) ) {
				++$drift;
			}
		}
		wp_send_json_success(
			array(
				'rows'          => $rows,
				'drift'         => $drift,
				'error'         => $error,
				'ssl_available' => Closte_Native_Admin_Status::ssl_check_available(),
				'ssl_note'      => Closte_Native_Plugin::extension_available()
					? __( 'Not available in this extension version', 'closte-native' )
					: __( 'Extension not loaded', 'closte-native' ),
			)
		);
	}

	/**
	 * Action: one domain's certificate.
	 */
	public function ssl() {
		$this->authorise( true );
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked in authorise().
		$domain = isset( $_POST['domain'] ) ? Closte_Native_Admin_Domains::normalise( sanitize_text_field( wp_unslash( $_POST['domain'] ) ) ) : '';
		if ( ! Closte_Native_Admin_Status::ssl_check_available() ) {
			$this->fail( __( 'This version of the closte extension cannot check certificates.', 'closte-native' ), 501 );
		}
		if ( ! $this->is_listed( $domain ) ) {
			$this->fail( __( 'Only domains listed on this page can be checked.', 'closte-native' ), 400 );
		}
		try {
			$status = $this->domains->ssl_status( $domain );
		} catch ( Throwable $e ) {
			$this->fail( Closte_Native_Admin_Errors::describe( $e ) );
		}
		wp_send_json_success( $this->certificates->describe( $domain, $status ) );
	}

	/**
	 * Action: make Closte match the domain records.
	 */
	public function sync() {
		$this->authorise( true );
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked in authorise().
		$remove_extra = isset( $_POST['remove_extra'] ) && '1' === sanitize_text_field( wp_unslash( $_POST['remove_extra'] ) );
		$logger       = Closte_Native_Plugin::instance() ? Closte_Native_Plugin::instance()->logger : new Closte_Native_Logger();
		try {
			$result = $this->domains->sync( $remove_extra );
		} catch ( Throwable $e ) {
			$message = Closte_Native_Admin_Errors::describe( $e );
			$logger->error( 'Sync from the admin page failed: ' . $message );
			$this->fail( $message );
		}
		delete_site_transient( self::ALIASES_TRANSIENT );
		$summary = new Closte_Native_Admin_Sync_Summary( $result );
		$logger->log( $summary->failed_count() ? 'warning' : 'info', $summary->log_line( wp_get_current_user()->user_login ) );
		$answer        = $summary->to_array();
		$answer['log'] = Closte_Native_Admin_Status::log_tail();
		wp_send_json_success( $answer );
	}

	/**
	 * Stops with 403 unless the nonce and the capability are right; with
	 * $needs_extension, stops with 503 when the extension is not loaded.
	 *
	 * @param bool $needs_extension Whether the action calls the extension.
	 */
	private function authorise( $needs_extension ) {
		if ( ! check_ajax_referer( self::NONCE, 'nonce', false ) ) {
			$this->fail( __( 'The page has expired: reload it and try again.', 'closte-native' ), 403 );
		}
		if ( ! current_user_can( 'manage_network_options' ) ) {
			$this->fail( __( 'Sorry, you are not allowed to do that.', 'closte-native' ), 403 );
		}
		if ( $needs_extension && ! Closte_Native_Plugin::extension_available() ) {
			$this->fail( __( 'The closte PHP extension is not loaded.', 'closte-native' ), 503 );
		}
	}

	/**
	 * Whether a name is a domain record or an alias the table last showed.
	 *
	 * @param string $domain A normalised name.
	 * @return bool
	 */
	private function is_listed( $domain ) {
		if ( '' === $domain ) {
			return false;
		}
		$aliases = get_site_transient( self::ALIASES_TRANSIENT );
		if ( is_array( $aliases ) && in_array( $domain, $aliases, true ) ) {
			return true;
		}
		return array_key_exists( $domain, $this->domains->records() );
	}

	/**
	 * Sends an error answer and stops.
	 *
	 * @param string $message Readable message.
	 * @param int    $status  HTTP status.
	 */
	private function fail( $message, $status = 502 ) {
		wp_send_json_error( array( 'message' => Closte_Native_Logger::redact( $message ) ), $status );
	}
}
