<?php
/**
 * The admin page's actions, over admin-ajax.php.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Six POST actions, each checking its nonce and manage_network_options
 * first: closte_native_test_connection, closte_native_domains (the joined
 * table), closte_native_ssl (one certificate), closte_native_sync (adds the
 * missing aliases, never removes one), and the two steps of removing extra
 * aliases, each with a nonce of its own: closte_native_extra_preview (the
 * names that would go) and closte_native_remove_extra (removes the names
 * the admin confirmed, those still extra). Answers are wp_send_json_success()
 * / wp_send_json_error() with a readable 'message'; the API key is never in
 * them.
 */
class Closte_Native_Admin_Ajax {

	/**
	 * The nonce action shared by the page's reading and adding requests.
	 */
	const NONCE = 'closte_native_admin';

	/**
	 * The nonce action of the removal preview.
	 */
	const PREVIEW_NONCE = 'closte_native_extra_preview';

	/**
	 * The nonce action of the confirmed removal: a nonce of its own, so that
	 * no request made with the page's general nonce can remove an alias.
	 */
	const REMOVE_NONCE = 'closte_native_remove_extra';

	/**
	 * The reconcile's nonce action: it may remove aliases (only those this
	 * plugin added), so the general nonce does not do.
	 */
	const RECONCILE_NONCE = 'closte_native_reconcile';

	/**
	 * Names per preview and per confirmed removal, at most: each one is a
	 * call to Closte, one after the other, within one PHP request.
	 */
	const REMOVE_MAX = 100;

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
	 * Takes the domain records' reader; makes the certificate describer.
	 *
	 * @param Closte_Native_Admin_Domains $domains Domain records and aliases.
	 */
	public function __construct( Closte_Native_Admin_Domains $domains ) {
		$this->domains      = $domains;
		$this->certificates = new Closte_Native_Admin_Certificates();
	}

	/**
	 * Registers the actions (logged-in users only).
	 *
	 * @return void
	 */
	public function register() {
		add_action( 'wp_ajax_closte_native_test_connection', array( $this, 'test_connection' ) );
		add_action( 'wp_ajax_closte_native_domains', array( $this, 'domains' ) );
		add_action( 'wp_ajax_closte_native_ssl', array( $this, 'ssl' ) );
		add_action( 'wp_ajax_closte_native_sync', array( $this, 'sync' ) );
		add_action( 'wp_ajax_closte_native_extra_preview', array( $this, 'extra_preview' ) );
		add_action( 'wp_ajax_closte_native_remove_extra', array( $this, 'remove_extra' ) );
		add_action( 'wp_ajax_closte_native_reconcile', array( $this, 'reconcile' ) );
	}

	/**
	 * Action: the daily reconcile, now (Closte_Native_Reconcile::run()).
	 *
	 * @return void
	 */
	public function reconcile() {
		$this->authorise( true, self::RECONCILE_NONCE );
		$plugin = Closte_Native_Plugin::instance();
		if ( ! $plugin || ! $plugin->is_active() || ! $plugin->reconcile ) {
			$this->fail( __( 'The reconcile runs only while the native path is active.', 'closte-native' ), 409 );
		}
		$report = $plugin->reconcile->run();
		if ( '' !== $report['error'] ) {
			/* translators: %s: why the reconcile stopped. */
			$this->fail( sprintf( __( 'The reconcile stopped: %s', 'closte-native' ), $report['error'] ) );
		}
		$failed = array();
		foreach ( $report['failed'] as $domain => $reason ) {
			$failed[] = $domain . ': ' . $reason;
		}
		wp_send_json_success(
			array(
				'message'    => sprintf(
					/* translators: 1: aliases added, 2: aliases removed, 3: failures, 4: aliases left alone. */
					__( 'Reconcile: %1$d added, %2$d removed (aliases this plugin had added whose domain record is gone), %3$d failed, %4$d other aliases left alone.', 'closte-native' ),
					count( $report['added'] ),
					count( $report['removed'] ),
					count( $report['failed'] ),
					count( $report['left_alone'] )
				),
				'added'      => array_values( $report['added'] ),
				'removed'    => array_values( $report['removed'] ),
				'failed'     => $failed,
				'left_alone' => array_values( $report['left_alone'] ),
			)
		);
	}

	/**
	 * Action: is the key accepted?
	 *
	 * @return void
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
	 *
	 * @return void
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
		$rows    = $this->domains->rows( $records, $aliases );
		$missing = 0;
		$extra   = 0;
		foreach ( $rows as $row ) {
			if ( Closte_Native_Admin_Domains::MISSING_ON_CLOSTE === $row['state'] ) {
				++$missing;
			} elseif ( Closte_Native_Admin_Domains::ONLY_ON_CLOSTE === $row['state'] ) {
				++$extra;
			}
		}
		wp_send_json_success(
			array(
				'rows'          => $rows,
				'drift'         => $missing + $extra,
				'missing'       => $missing,
				'extra'         => $extra,
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
	 *
	 * @return void
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
	 * Action: add the aliases the domain records want and Closte lacks. It
	 * never removes one, whatever the request says.
	 *
	 * @return void
	 */
	public function sync() {
		$this->authorise( true );
		$logger = $this->logger();
		try {
			$result = $this->domains->sync();
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
	 * Action: the aliases a removal would take away, for the admin to
	 * confirm. Changes nothing on Closte.
	 *
	 * @return void
	 */
	public function extra_preview() {
		$this->authorise( true, self::PREVIEW_NONCE );
		try {
			$aliases = $this->domains->aliases();
		} catch ( Throwable $e ) {
			$this->fail( Closte_Native_Admin_Errors::describe( $e ) );
		}
		set_site_transient( self::ALIASES_TRANSIENT, $aliases, HOUR_IN_SECONDS );
		$extra = $this->domains->extra( $this->domains->records(), $aliases );
		$count = count( $extra );
		if ( 0 === $count ) {
			wp_send_json_success(
				array(
					'domains' => array(),
					'count'   => 0,
					'message' => __( 'No alias to remove: every alias on Closte has a domain record or is one of the network\'s own domains.', 'closte-native' ),
				)
			);
		}
		$shown = array_slice( $extra, 0, self::REMOVE_MAX );
		$note  = '';
		if ( $count > self::REMOVE_MAX ) {
			/* translators: 1: names shown, 2: names found. */
			$note = sprintf( __( 'Only the first %1$d of %2$d are listed: remove them, then review again for the rest.', 'closte-native' ), self::REMOVE_MAX, $count );
		}
		$shown_count = count( $shown );
		wp_send_json_success(
			array(
				'domains' => $shown,
				'count'   => $shown_count,
				/* translators: %d: number of aliases, listed below the question. */
				'message' => sprintf( _n( 'Remove %d alias from Closte?', 'Remove these %d aliases from Closte?', $shown_count, 'closte-native' ), $shown_count ),
				'detail'  => __( 'No Ultimate Multisite domain record wants these aliases. Closte stops serving a name once its alias is removed.', 'closte-native' ),
				'note'    => $note,
				/* translators: %d: number of aliases. */
				'confirm' => sprintf( _n( 'Remove %d alias', 'Remove %d aliases', $shown_count, 'closte-native' ), $shown_count ),
			)
		);
	}

	/**
	 * Action: remove the aliases the admin confirmed (the 'domains' field,
	 * one name a line). Only names still extra now are removed; the others
	 * are reported as skipped. Never "whatever is extra now".
	 *
	 * @return void
	 */
	public function remove_extra() {
		$this->authorise( true, self::REMOVE_NONCE );
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked in authorise().
		$field     = isset( $_POST['domains'] ) ? sanitize_textarea_field( wp_unslash( $_POST['domains'] ) ) : '';
		$confirmed = array();
		foreach ( explode( "\n", $field ) as $line ) {
			$name = Closte_Native_Admin_Domains::normalise( $line );
			if ( '' !== $name && ! in_array( $name, $confirmed, true ) ) {
				$confirmed[] = $name;
			}
		}
		if ( ! $confirmed ) {
			$this->fail( __( 'No alias was confirmed: nothing was removed.', 'closte-native' ), 400 );
		}
		if ( count( $confirmed ) > self::REMOVE_MAX ) {
			/* translators: %d: the most names one removal accepts. */
			$this->fail( sprintf( __( 'Too many names at once (at most %d): nothing was removed.', 'closte-native' ), self::REMOVE_MAX ), 400 );
		}
		$logger = $this->logger();
		try {
			$result = $this->domains->remove_confirmed( $confirmed );
		} catch ( Throwable $e ) {
			$message = Closte_Native_Admin_Errors::describe( $e );
			$logger->error( 'Removing extra aliases from the admin page failed before any removal: ' . $message );
			$this->fail( $message );
		}
		delete_site_transient( self::ALIASES_TRANSIENT );
		$summary = new Closte_Native_Admin_Sync_Summary( $result, Closte_Native_Admin_Sync_Summary::REMOVE );
		$logger->log( $summary->failed_count() ? 'warning' : 'info', $summary->log_line( wp_get_current_user()->user_login ) );
		$answer        = $summary->to_array();
		$answer['log'] = Closte_Native_Admin_Status::log_tail();
		wp_send_json_success( $answer );
	}

	/**
	 * The plugin's logger, or a new one before the plugin booted.
	 *
	 * @return Closte_Native_Logger
	 */
	private function logger() {
		$plugin = Closte_Native_Plugin::instance();
		return $plugin ? $plugin->logger : new Closte_Native_Logger();
	}

	/**
	 * Stops with 403 unless the nonce and the capability are right; with
	 * $needs_extension, stops with 503 when the extension is not loaded.
	 *
	 * @param bool   $needs_extension Whether the action calls the extension.
	 * @param string $nonce_action    The nonce action the request must carry.
	 * @return void
	 */
	private function authorise( $needs_extension, $nonce_action = self::NONCE ) {
		if ( ! check_ajax_referer( $nonce_action, 'nonce', false ) ) {
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
	 * @return never
	 */
	private function fail( $message, $status = 502 ) {
		wp_send_json_error( array( 'message' => Closte_Native_Logger::redact( $message ) ), $status );
		// wp_send_json_error() ends the request (through wp_die()); this says so to readers and tools.
		exit;
	}
}
