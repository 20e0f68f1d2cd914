<?php
/**
 * WP-CLI commands: wp closte status|test|list|add|remove|sync|ssl|reconcile.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

// The admin page's comparison, sync and certificate logic is reused as is;
// outside wp-admin the plugin does not load those files by itself.
require_once dirname( __DIR__ ) . '/admin/class-closte-native-admin-status.php';
require_once dirname( __DIR__ ) . '/admin/class-closte-native-admin-domains.php';
require_once dirname( __DIR__ ) . '/admin/class-closte-native-admin-errors.php';
require_once dirname( __DIR__ ) . '/admin/class-closte-native-admin-sync-summary.php';

/**
 * Manages the Closte domain aliases of this network from the command line.
 *
 * Every command but `status` needs the closte PHP extension loaded in the
 * PHP that runs WP-CLI (which is not always the web server's PHP): without
 * it they stop with exit status 1. No command ever prints the API key.
 *
 * Exit status: 0 when the command did what it says, 1 when it did not (an
 * error, a call that failed, a certificate that is not valid); the
 * subcommands' help says exactly when.
 *
 * ## EXAMPLES
 *
 *     # Where the key comes from, which PHP extension, which proxy.
 *     $ wp closte status
 *
 *     # Add what Ultimate Multisite's records want and Closte lacks; show first.
 *     $ wp closte sync --dry-run
 *     $ wp closte sync
 *
 *     # Certificates of every mapped domain, as JSON.
 *     $ wp closte ssl --all --format=json
 */
class Closte_Native_CLI extends WP_CLI_Command {

	/**
	 * Names per closte_sync_domains() call during a sync, so that the
	 * progress bar moves; the extension adds each batch concurrently.
	 */
	const ADD_BATCH = 20;

	/**
	 * Names per remove_confirmed() call: each call lists Closte's aliases
	 * again first, so this bounds both the progress steps and the lists.
	 */
	const REMOVE_BATCH = 10;

	/**
	 * The admin page's domain logic.
	 *
	 * @var Closte_Native_Admin_Domains
	 */
	private $domains;

	/**
	 * Sets up the shared domain logic.
	 */
	public function __construct() {
		$this->domains = new Closte_Native_Admin_Domains();
	}

	/**
	 * Shows how the plugin is set up; the key only as its source and last 4 characters.
	 *
	 * The extension, the plugin's state, the key's source (and its last 4
	 * characters only), the API URL, the proxy route and the pending retries.
	 * Calls nothing on Closte (see `wp closte test`), and works without the
	 * extension.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * [--fields=<fields>]
	 * : Limit the output to these fields (comma separated).
	 *
	 * ## FIELDS
	 *
	 * extension, extension_version, plugin_version, state, integration_enabled,
	 * key_source (constant, ultimate-multisite or none), key_last4, api_url,
	 * proxy_route (how the calls leave: through WordPress's proxy, past it
	 * as WordPress's bypass rules say, through the closte.proxy ini entry, or
	 * direct), proxy_address, proxy_authenticated, pending_retries.
	 *
	 * ## EXIT STATUS
	 *
	 * 0 whenever the status could be shown, whatever it says.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp closte status --fields=state,key_source,key_last4
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 * @return void
	 */
	public function status( $args, $assoc_args ) {
		$loaded    = Closte_Native_Plugin::extension_available();
		$plugin    = Closte_Native_Plugin::instance();
		$source    = Closte_Native_Key::source();
		$proxy     = Closte_Native_Request_Options::proxy_status();
		$item      = array(
			'extension'           => $loaded ? 'loaded' : 'not loaded',
			'extension_version'   => (string) Closte_Native_Admin_Status::extension_version(),
			'plugin_version'      => CLOSTE_NATIVE_VERSION,
			'state'               => $plugin ? $plugin->state() : '',
			'integration_enabled' => Closte_Native_Plugin::integration_enabled(),
			'key_source'          => '' === $source ? 'none' : $source,
			'key_last4'           => (string) Closte_Native_Key::hint(),
			'api_url'             => self::printable_url( Closte_Native_Request_Options::api_url( self::filtered_options() ) ),
			'proxy_route'         => (string) $proxy['route'],
			'proxy_address'       => (string) $proxy['address'],
			'proxy_authenticated' => (bool) $proxy['authenticated'],
			'pending_retries'     => self::pending_retries(),
		);
		$format    = self::format_of( $assoc_args );
		$formatter = new WP_CLI\Formatter( $assoc_args, array_keys( $item ) );
		$formatter->display_item( self::for_format( $item, $format ) );
	}

	/**
	 * Asks Closte whether it accepts the API key.
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when Closte accepts the key; 1 when it does not, when Closte cannot
	 * be reached, or when the extension is not loaded.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp closte test
	 *     Success: Connected: Closte accepts the API key.
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options (none).
	 * @return void
	 */
	public function test( $args, $assoc_args ) {
		self::require_extension();
		try {
			$result = closte_test_connection( Closte_Native_Request_Options::build( 'test' ) );
		} catch ( Throwable $e ) {
			self::fail( $e );
			return;
		}
		if ( ! empty( $result['ok'] ) ) {
			WP_CLI::success( __( 'Connected: Closte accepts the API key.', 'closte-native' ) );
			return;
		}
		$message = isset( $result['message'] ) ? trim( (string) $result['message'] ) : '';
		/* translators: %s: why the test failed (the extension's explanation). */
		$text = sprintf( __( 'Connection test failed: %s', 'closte-native' ), '' !== $message ? $message : __( 'no details', 'closte-native' ) );
		$said = isset( $result['api_error'] ) ? Closte_Native_Admin_Errors::closte_words( (string) $result['api_error'] ) : '';
		if ( '' !== $said ) {
			/* translators: 1: the failure as the extension explains it, 2: Closte's own error text. */
			$text = sprintf( __( '%1$s; Closte said: %2$s', 'closte-native' ), $text, $said );
		}
		WP_CLI::error( Closte_Native_Logger::redact( $text ) );
	}

	/**
	 * Lists Ultimate Multisite's domain records next to Closte's aliases.
	 *
	 * One row per name, as the network admin page shows them.
	 *
	 * ## OPTIONS
	 *
	 * [--state=<state>]
	 * : Only the rows in this state.
	 * ---
	 * options:
	 *   - in-sync
	 *   - missing-on-closte
	 *   - only-on-closte
	 *   - kept
	 * ---
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * [--fields=<fields>]
	 * : Limit the output to these fields (comma separated).
	 *
	 * ## FIELDS
	 *
	 * domain, state (in-sync, missing-on-closte, only-on-closte, or kept: an
	 * alias that is one of the network's own names), in_um, site_id, stage,
	 * on_closte.
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when the list was shown; 1 when Closte's aliases could not be listed.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp closte list --state=missing-on-closte --format=csv
	 *
	 * @subcommand list
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 * @return void
	 */
	public function list_( $args, $assoc_args ) {
		self::require_extension();
		$state = isset( $assoc_args['state'] ) ? (string) $assoc_args['state'] : '';
		try {
			$rows = $this->domains->rows( $this->domains->records(), $this->domains->aliases() );
		} catch ( Throwable $e ) {
			self::fail( $e );
			return;
		}
		$items = array();
		foreach ( $rows as $row ) {
			if ( '' !== $state && $state !== $row['state'] ) {
				continue;
			}
			$items[] = array(
				'domain'    => $row['domain'],
				'state'     => $row['state'],
				'in_um'     => (bool) $row['in_um'],
				'site_id'   => (int) $row['site_id'],
				'stage'     => (string) $row['stage'],
				'on_closte' => (bool) $row['on_closte'],
			);
		}
		self::display_rows( $assoc_args, $items, array( 'domain', 'state', 'in_um', 'site_id', 'stage', 'on_closte' ) );
	}

	/**
	 * Adds a domain alias on Closte, directly.
	 *
	 * No Ultimate Multisite record is needed or made, and nothing is queued
	 * for a retry.
	 *
	 * ## OPTIONS
	 *
	 * <domain>
	 * : The domain name (a leading "*." adds a wildcard alias).
	 *
	 * [--format=<format>]
	 * : Print the call's result (ok, domain, wildcard, status, attempts,
	 * elapsed_ms) in this format instead of one sentence.
	 * ---
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when Closte added the alias (or already had it); 1 when it did not:
	 * a bad name, Closte unreachable or refusing, a name Closte manages
	 * itself, or the extension not loaded.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp closte add shop.example.com
	 *     Success: Added Closte alias shop.example.com: HTTP 200, 1 attempt(s), 41 ms.
	 *
	 * @param array $args       The domain.
	 * @param array $assoc_args Options.
	 * @return void
	 */
	public function add( $args, $assoc_args ) {
		$this->change( 'add', (string) $args[0], $assoc_args );
	}

	/**
	 * Removes a domain alias from Closte, directly.
	 *
	 * Whatever Ultimate Multisite's records say, and with no retry.
	 *
	 * ## OPTIONS
	 *
	 * <domain>
	 * : The domain name.
	 *
	 * [--format=<format>]
	 * : Print the call's result (ok, domain, wildcard, status, attempts,
	 * elapsed_ms) in this format instead of one sentence.
	 * ---
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when Closte removed the alias; 1 when it did not: a bad name, Closte
	 * unreachable or refusing, or the extension not loaded.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp closte remove old-shop.example.com
	 *     Success: Removed Closte alias old-shop.example.com: HTTP 200, 1 attempt(s), 38 ms.
	 *
	 * @param array $args       The domain.
	 * @param array $assoc_args Options.
	 * @return void
	 */
	public function remove( $args, $assoc_args ) {
		$this->change( 'remove', (string) $args[0], $assoc_args );
	}

	/**
	 * Brings Closte's aliases in line with Ultimate Multisite's domain records.
	 *
	 * Adds the aliases the records want and Closte lacks. With --remove-extra
	 * it also removes the aliases no record wants (never the network's own
	 * domains), after listing them and asking.
	 *
	 * ## OPTIONS
	 *
	 * [--dry-run]
	 * : Print what would be added and removed; change nothing.
	 *
	 * [--remove-extra]
	 * : Also remove the aliases on Closte that no domain record wants.
	 *
	 * [--yes]
	 * : Remove them without asking.
	 *
	 * [--format=<format>]
	 * : Render the rows in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * [--fields=<fields>]
	 * : Limit the output to these fields (comma separated).
	 *
	 * ## FIELDS
	 *
	 * domain, action (add or remove), result (planned on a dry run, else
	 * added, unchanged, removed, skipped or failed; invalid for a record
	 * whose name is not a valid domain), reason.
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when every planned change was made (or, with --dry-run, when the plan
	 * was shown); 1 when any failed, a record holds an invalid name, or
	 * Closte's aliases could not be listed. Declining the confirmation ends
	 * the command at once with nothing changed and exit status 0 (WP-CLI's
	 * own confirmation; with no terminal, stdin closed, that is the answer).
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp closte sync --remove-extra --dry-run
	 *     $ wp closte sync --remove-extra --yes --format=json
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 * @return void
	 */
	public function sync( $args, $assoc_args ) {
		self::require_extension();
		$dry_run      = (bool) WP_CLI\Utils\get_flag_value( $assoc_args, 'dry-run', false );
		$remove_extra = (bool) WP_CLI\Utils\get_flag_value( $assoc_args, 'remove-extra', false );
		$format       = self::format_of( $assoc_args );
		$fields       = array( 'domain', 'action', 'result', 'reason' );
		$started      = microtime( true );

		try {
			$records = $this->domains->records();
			$aliases = $this->domains->aliases();
		} catch ( Throwable $e ) {
			self::fail( $e );
			return;
		}
		$on_closte = array_fill_keys( $aliases, true );
		$to_add    = array();
		$invalid   = array();
		foreach ( array_keys( $records ) as $name ) {
			if ( isset( $on_closte[ $name ] ) ) {
				continue;
			}
			try {
				$name = (string) closte_validate_domain( $name );
			} catch ( Throwable $e ) {
				$invalid[ $name ] = Closte_Native_Admin_Errors::describe( $e );
				continue;
			}
			if ( ! isset( $on_closte[ $name ] ) ) {
				$to_add[ $name ] = true;
			}
		}
		$to_add = array_keys( $to_add );
		$extra  = $this->domains->extra( $records, $aliases );
		$remove = $remove_extra ? $extra : array();

		if ( ! $to_add && ! $remove && ! $invalid ) {
			self::note_extra( $format, $remove_extra ? array() : $extra );
			if ( 'table' === $format ) {
				/* translators: %d: number of domain records. */
				WP_CLI::success( sprintf( _n( 'Nothing to do: Closte has the alias of the %d domain record.', 'Nothing to do: Closte has the aliases of all %d domain records.', count( $records ), 'closte-native' ), count( $records ) ) );
			} else {
				self::display_rows( $assoc_args, array(), $fields );
			}
			return;
		}

		if ( $dry_run ) {
			$rows = self::invalid_rows( $invalid );
			foreach ( $to_add as $name ) {
				$rows[] = self::sync_row( $name, 'add', 'planned', __( 'a domain record wants it; Closte lacks it', 'closte-native' ) );
			}
			foreach ( $remove as $name ) {
				$rows[] = self::sync_row( $name, 'remove', 'planned', __( 'on Closte; no domain record wants it', 'closte-native' ) );
			}
			self::display_rows( $assoc_args, $rows, $fields );
			self::note_extra( $format, $remove_extra ? array() : $extra );
			if ( 'table' === $format ) {
				/* translators: 1: aliases to add, 2: aliases to remove. */
				WP_CLI::success( sprintf( __( 'Dry run: %1$d to add, %2$d to remove; nothing was changed.', 'closte-native' ), count( $to_add ), count( $remove ) ) );
			}
			return;
		}

		if ( $remove && ! WP_CLI\Utils\get_flag_value( $assoc_args, 'yes', false ) ) {
			/* translators: %d: number of aliases, listed below. */
			WP_CLI::log( sprintf( _n( 'No domain record wants %d alias on Closte:', 'No domain record wants these %d aliases on Closte:', count( $remove ), 'closte-native' ), count( $remove ) ) );
			foreach ( $remove as $name ) {
				WP_CLI::log( '  ' . $name );
			}
			/* translators: %d: number of aliases. */
			WP_CLI::confirm( sprintf( _n( 'Remove %d alias from Closte? Closte stops serving the name.', 'Remove these %d aliases from Closte? Closte stops serving those names.', count( $remove ), 'closte-native' ), count( $remove ) ), $assoc_args );
		}

		$bar  = self::progress_bar( $format, __( 'Syncing Closte aliases', 'closte-native' ), count( $to_add ) + count( $remove ) );
		$rows = array_merge( self::invalid_rows( $invalid ), $this->add_batches( $to_add, $bar ), $this->remove_batches( $remove, $bar ) );
		$bar->finish();

		$counts = array_fill_keys( array( 'added', 'unchanged', 'removed', 'skipped', 'failed', 'invalid' ), 0 );
		foreach ( $rows as $row ) {
			++$counts[ $row['result'] ];
		}
		self::logger()->log(
			$counts['failed'] + $counts['invalid'] ? 'warning' : 'info',
			sprintf(
				'Sync from WP-CLI%s: %s, %d ms.',
				$remove_extra ? ' (removing extra aliases)' : '',
				self::log_lists( $rows ),
				(int) round( ( microtime( true ) - $started ) * 1000 )
			)
		);
		self::display_rows( $assoc_args, $rows, $fields );
		self::note_extra( $format, $remove_extra ? array() : $extra );
		$summary = sprintf(
			/* translators: 1: added, 2: already there, 3: removed, 4: skipped, 5: failed (including invalid names). */
			__( 'Sync: %1$d added, %2$d already there, %3$d removed, %4$d skipped, %5$d failed.', 'closte-native' ),
			$counts['added'],
			$counts['unchanged'],
			$counts['removed'],
			$counts['skipped'],
			$counts['failed'] + $counts['invalid']
		);
		self::finish( $format, 0 === $counts['failed'] + $counts['invalid'], $summary );
	}

	/**
	 * Checks the certificate each domain presents on port 443.
	 *
	 * Through the extension, with the admin page's options (a 3 s timeout
	 * unless the closte_native_ssl_options filter says otherwise). Needs no
	 * API key.
	 *
	 * ## OPTIONS
	 *
	 * [<domain>...]
	 * : The domains to check.
	 *
	 * [--all]
	 * : Check every domain record of Ultimate Multisite instead (wildcards
	 * have no certificate of their own and are left out).
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * [--fields=<fields>]
	 * : Limit the output to these fields (comma separated).
	 *
	 * ## FIELDS
	 *
	 * domain, valid, error_code (expired, not_yet_valid, name_mismatch,
	 * self_signed, unknown_issuer, bad_certificate, refused, timeout, dns,
	 * handshake, or invalid_domain for a name the check refused), error,
	 * days_left, expires (ISO 8601 UTC), issuer. In JSON and YAML a value
	 * that does not apply (no error, no certificate seen) is null.
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when every certificate checked is valid (also when --all finds no
	 * record); 1 when any is not, or cannot be checked.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp closte ssl shop.example.com www.shop.example.com
	 *     $ wp closte ssl --all --format=json
	 *
	 * @param array $args       The domains.
	 * @param array $assoc_args Options.
	 * @return void
	 */
	public function ssl( $args, $assoc_args ) {
		self::require_extension();
		if ( ! Closte_Native_Admin_Status::ssl_check_available() ) {
			WP_CLI::error( __( 'This version of the closte extension cannot check certificates.', 'closte-native' ) );
		}
		$all = (bool) WP_CLI\Utils\get_flag_value( $assoc_args, 'all', false );
		if ( $all && $args ) {
			WP_CLI::error( __( 'Give domain names or --all, not both.', 'closte-native' ) );
		}
		if ( ! $all && ! $args ) {
			WP_CLI::error( __( 'Give at least one domain name, or --all.', 'closte-native' ) );
		}
		$format  = self::format_of( $assoc_args );
		$domains = array();
		if ( $all ) {
			foreach ( array_keys( $this->domains->records() ) as $name ) {
				if ( 0 !== strpos( $name, '*.' ) ) {
					$domains[] = $name;
				}
			}
		} else {
			foreach ( $args as $name ) {
				$domains[] = Closte_Native_Admin_Domains::normalise( $name );
			}
			$domains = array_values( array_unique( $domains ) );
		}

		$bar   = self::progress_bar( $all ? $format : 'none', __( 'Checking certificates', 'closte-native' ), count( $domains ) );
		$rows  = array();
		$valid = 0;
		foreach ( $domains as $domain ) {
			try {
				$status = $this->domains->ssl_status( $domain );
				$row    = array(
					'domain'     => isset( $status['domain'] ) ? (string) $status['domain'] : $domain,
					'valid'      => ! empty( $status['valid'] ),
					'error_code' => isset( $status['error_code'] ) ? (string) $status['error_code'] : null,
					'error'      => isset( $status['error'] ) ? Closte_Native_Logger::redact( (string) $status['error'] ) : null,
					'days_left'  => isset( $status['days_left'] ) ? (int) $status['days_left'] : null,
					'expires'    => isset( $status['not_after'] ) ? (string) $status['not_after'] : null,
					'issuer'     => isset( $status['issuer'] ) ? (string) $status['issuer'] : null,
				);
			} catch ( Throwable $e ) {
				$row = array(
					'domain'     => $domain,
					'valid'      => false,
					'error_code' => $e instanceof Closte\InvalidDomainException ? 'invalid_domain' : 'check_failed',
					'error'      => Closte_Native_Admin_Errors::describe( $e ),
					'days_left'  => null,
					'expires'    => null,
					'issuer'     => null,
				);
			}
			$valid += $row['valid'] ? 1 : 0;
			$rows[] = $row;
			$bar->tick();
		}
		$bar->finish();
		self::display_rows( $assoc_args, $rows, array( 'domain', 'valid', 'error_code', 'error', 'days_left', 'expires', 'issuer' ) );
		$total = count( $rows );
		if ( 0 === $total ) {
			if ( 'table' === $format ) {
				WP_CLI::success( __( 'No domain record to check.', 'closte-native' ) );
			}
			return;
		}
		/* translators: 1: valid certificates, 2: certificates checked. */
		self::finish( $format, $valid === $total, sprintf( __( '%1$d of %2$d certificates valid.', 'closte-native' ), $valid, $total ) );
	}

	/**
	 * Runs the daily drift repair (reconcile) now.
	 *
	 * Adds the aliases the domain records want and Closte lacks, removes the
	 * aliases this plugin itself added whose record is gone (each under the
	 * domain's lock, with Ultimate Multisite's last word), and leaves every
	 * other alias alone.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * [--fields=<fields>]
	 * : Limit the output to these fields (comma separated).
	 *
	 * ## FIELDS
	 *
	 * domain, result (added, removed, failed, left-alone), reason.
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when the reconcile ran and nothing failed; 1 when something failed,
	 * it could not run, or the plugin is not active (it needs the
	 * extension, the Closte integration enabled in Ultimate Multisite and a
	 * key).
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp closte reconcile
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 * @return void
	 */
	public function reconcile( $args, $assoc_args ) {
		self::require_extension();
		$plugin = Closte_Native_Plugin::instance();
		if ( ! $plugin || ! $plugin->is_active() || ! $plugin->reconcile ) {
			WP_CLI::error(
				sprintf(
					/* translators: %s: the plugin's state, e.g. "disabled" or "no-key". */
					__( 'The reconcile runs only while the native path is active; the plugin\'s state is "%s" (see wp closte status).', 'closte-native' ),
					$plugin ? $plugin->state() : ''
				)
			);
		}
		$format = self::format_of( $assoc_args );
		$report = $plugin->reconcile->run();
		$rows   = array();
		foreach ( $report['added'] as $name ) {
			$rows[] = self::reconcile_row( $name, 'added', __( 'a domain record wants it', 'closte-native' ) );
		}
		foreach ( $report['removed'] as $name ) {
			$rows[] = self::reconcile_row( $name, 'removed', __( 'added by this plugin; its domain record is gone', 'closte-native' ) );
		}
		foreach ( $report['failed'] as $name => $reason ) {
			$rows[] = self::reconcile_row( $name, 'failed', $reason );
		}
		foreach ( $report['left_alone'] as $name ) {
			$rows[] = self::reconcile_row( $name, 'left-alone', __( 'no domain record, but not added by this plugin', 'closte-native' ) );
		}
		self::display_rows( $assoc_args, $rows, array( 'domain', 'result', 'reason' ) );
		if ( '' !== $report['error'] ) {
			/* translators: %s: what stopped the reconcile. */
			WP_CLI::error( Closte_Native_Logger::redact( sprintf( __( 'The reconcile stopped: %s', 'closte-native' ), $report['error'] ) ) );
		}
		$summary = sprintf(
			/* translators: 1: added, 2: removed, 3: failed, 4: left alone. */
			__( 'Reconcile: %1$d added, %2$d removed, %3$d failed, %4$d left alone.', 'closte-native' ),
			count( $report['added'] ),
			count( $report['removed'] ),
			count( $report['failed'] ),
			count( $report['left_alone'] )
		);
		self::finish( $format, ! $report['failed'], $summary );
	}

	/**
	 * One add or remove, straight to Closte.
	 *
	 * @param string $operation  'add' or 'remove'.
	 * @param string $domain     The name as typed.
	 * @param array  $assoc_args Options.
	 * @return void
	 */
	private function change( $operation, $domain, $assoc_args ) {
		self::require_extension();
		$domain = Closte_Native_Admin_Domains::normalise( $domain );
		try {
			$options = Closte_Native_Request_Options::build( $operation, $domain );
			$result  = 'add' === $operation ? closte_add_domain( $domain, $options ) : closte_remove_domain( $domain, $options );
		} catch ( Throwable $e ) {
			self::logger()->warning( sprintf( 'WP-CLI could not %s Closte alias %s: %s', $operation, $domain, Closte_Native_Admin_Errors::describe( $e ) ) );
			self::fail( $e );
			return;
		}
		$item = array(
			'ok'         => ! empty( $result['ok'] ),
			'domain'     => isset( $result['domain'] ) ? (string) $result['domain'] : $domain,
			'wildcard'   => ! empty( $result['wildcard'] ),
			'status'     => isset( $result['status'] ) ? (int) $result['status'] : 0,
			'attempts'   => isset( $result['attempts'] ) ? (int) $result['attempts'] : 0,
			'elapsed_ms' => isset( $result['elapsed_ms'] ) ? (int) $result['elapsed_ms'] : 0,
		);
		if ( 'remove' === $operation ) {
			// The mark means "added by this plugin and still there"; it is not there now.
			Closte_Native_Um_State::forget_added( $item['domain'] );
		}
		self::logger()->info( sprintf( '%s Closte domain alias %s from WP-CLI: HTTP %d, %d attempt(s), %d ms.', 'add' === $operation ? 'Added' : 'Removed', $item['domain'], $item['status'], $item['attempts'], $item['elapsed_ms'] ) );
		if ( isset( $assoc_args['format'] ) ) {
			$format    = self::format_of( $assoc_args );
			$formatter = new WP_CLI\Formatter( $assoc_args, array_keys( $item ) );
			$formatter->display_item( self::for_format( $item, $format ) );
			if ( 'table' !== $format ) {
				return;
			}
		}
		$message = 'add' === $operation
			/* translators: 1: domain, 2: HTTP status, 3: attempts, 4: milliseconds. */
			? __( 'Added Closte alias %1$s: HTTP %2$d, %3$d attempt(s), %4$d ms.', 'closte-native' )
			/* translators: 1: domain, 2: HTTP status, 3: attempts, 4: milliseconds. */
			: __( 'Removed Closte alias %1$s: HTTP %2$d, %3$d attempt(s), %4$d ms.', 'closte-native' );
		WP_CLI::success( sprintf( $message, $item['domain'], $item['status'], $item['attempts'], $item['elapsed_ms'] ) . ( $item['wildcard'] ? ' ' . __( '(wildcard)', 'closte-native' ) : '' ) );
	}

	/**
	 * Adds the names batch by batch (each batch concurrently, by the
	 * extension), never removing anything.
	 *
	 * @param string[] $names Validated names Closte lacked.
	 * @param object   $bar   Progress bar.
	 * @return array[] Rows.
	 */
	private function add_batches( array $names, $bar ) {
		$rows    = array();
		$stopped = '';
		foreach ( array_chunk( $names, self::ADD_BATCH ) as $batch ) {
			$result = array(
				'added'  => array(),
				'failed' => array(),
			);
			if ( '' === $stopped ) {
				try {
					$options                 = Closte_Native_Request_Options::build( 'sync' );
					$options['remove_extra'] = false; // Whatever a filter put there: removals are confirmed, and go below.
					$result                  = closte_sync_domains( $batch, $options );
				} catch ( Throwable $e ) {
					// Closte unreachable or the set-up wrong: the next batch would fail the same way.
					$stopped = Closte_Native_Admin_Errors::describe( $e );
				}
			}
			foreach ( $batch as $name ) {
				if ( '' !== $stopped ) {
					$rows[] = self::sync_row( $name, 'add', 'failed', $stopped );
				} elseif ( isset( $result['failed'][ $name ] ) ) {
					$rows[] = self::sync_row( $name, 'add', 'failed', (string) $result['failed'][ $name ] );
				} elseif ( in_array( $name, (array) $result['added'], true ) ) {
					$rows[] = self::sync_row( $name, 'add', 'added', '' );
				} else {
					$rows[] = self::sync_row( $name, 'add', 'unchanged', __( 'already on Closte', 'closte-native' ) );
				}
			}
			$bar->tick( count( $batch ) );
		}
		return $rows;
	}

	/**
	 * Removes the confirmed names through the admin page's removal, which
	 * checks each one again against fresh lists (a name that got a record
	 * since it was listed is skipped).
	 *
	 * @param string[] $names Confirmed names.
	 * @param object   $bar   Progress bar.
	 * @return array[] Rows.
	 */
	private function remove_batches( array $names, $bar ) {
		$rows    = array();
		$stopped = '';
		foreach ( array_chunk( $names, self::REMOVE_BATCH ) as $batch ) {
			$result = array(
				'removed' => array(),
				'skipped' => array(),
				'failed'  => array(),
			);
			if ( '' === $stopped ) {
				try {
					$result = $this->domains->remove_confirmed( $batch );
				} catch ( Throwable $e ) {
					$stopped = Closte_Native_Admin_Errors::describe( $e );
				}
			}
			foreach ( $batch as $name ) {
				if ( '' !== $stopped ) {
					$rows[] = self::sync_row( $name, 'remove', 'failed', $stopped );
				} elseif ( in_array( $name, $result['removed'], true ) ) {
					Closte_Native_Um_State::forget_added( $name );
					$rows[] = self::sync_row( $name, 'remove', 'removed', '' );
				} elseif ( isset( $result['skipped'][ $name ] ) ) {
					$rows[] = self::sync_row( $name, 'remove', 'skipped', Closte_Native_Admin_Sync_Summary::skip_reason( $result['skipped'][ $name ] ) );
				} else {
					$reason = isset( $result['failed'][ $name ] ) ? (string) $result['failed'][ $name ] : __( 'no answer for this name', 'closte-native' );
					$rows[] = self::sync_row( $name, 'remove', 'failed', $reason );
				}
			}
			$bar->tick( count( $batch ) );
		}
		return $rows;
	}

	/**
	 * Rows for the records whose name the extension refuses.
	 *
	 * @param array<string, string> $invalid Name => why.
	 * @return array[]
	 */
	private static function invalid_rows( array $invalid ) {
		$rows = array();
		foreach ( $invalid as $name => $why ) {
			$rows[] = self::sync_row( $name, 'add', 'invalid', $why );
		}
		return $rows;
	}

	/**
	 * One row of the sync's table.
	 *
	 * @param string $domain The name.
	 * @param string $action 'add' or 'remove'.
	 * @param string $result What happened.
	 * @param string $reason Why, or ''.
	 * @return array
	 */
	private static function sync_row( $domain, $action, $result, $reason ) {
		return array(
			'domain' => (string) $domain,
			'action' => $action,
			'result' => $result,
			'reason' => Closte_Native_Logger::redact( (string) $reason ),
		);
	}

	/**
	 * One row of the reconcile's table.
	 *
	 * @param string $domain The name.
	 * @param string $result What happened.
	 * @param string $reason Why.
	 * @return array
	 */
	private static function reconcile_row( $domain, $result, $reason ) {
		return array(
			'domain' => (string) $domain,
			'result' => $result,
			'reason' => Closte_Native_Logger::redact( (string) $reason ),
		);
	}

	/**
	 * "added [a, b], removed [c], failed [d (why)]" for the log.
	 *
	 * @param array[] $rows Sync rows.
	 * @return string
	 */
	private static function log_lists( array $rows ) {
		$lists = array();
		foreach ( $rows as $row ) {
			$lists[ $row['result'] ][] = in_array( $row['result'], array( 'failed', 'invalid', 'skipped' ), true ) ? $row['domain'] . ' (' . $row['reason'] . ')' : $row['domain'];
		}
		$parts = array();
		foreach ( array( 'added', 'unchanged', 'removed', 'skipped', 'failed', 'invalid' ) as $key ) {
			$parts[] = $key . ' [' . ( isset( $lists[ $key ] ) ? implode( ', ', $lists[ $key ] ) : '' ) . ']';
		}
		return implode( ', ', $parts );
	}

	/**
	 * Tells, in the table format, about the aliases a plain sync leaves.
	 *
	 * @param string   $format Output format.
	 * @param string[] $extra  Aliases no record wants.
	 * @return void
	 */
	private static function note_extra( $format, array $extra ) {
		if ( 'table' !== $format || ! $extra ) {
			return;
		}
		/* translators: 1: number of aliases, 2: their names. */
		WP_CLI::log( sprintf( _n( '%1$d alias on Closte has no domain record (%2$s); --remove-extra removes it.', '%1$d aliases on Closte have no domain record (%2$s); --remove-extra removes them.', count( $extra ), 'closte-native' ), count( $extra ), implode( ', ', $extra ) ) );
	}

	/**
	 * Prints rows with WP-CLI's formatter (--format, --fields).
	 *
	 * @param array    $assoc_args Options.
	 * @param array[]  $rows       Rows.
	 * @param string[] $fields     Default fields.
	 * @return void
	 */
	private static function display_rows( $assoc_args, array $rows, array $fields ) {
		$format    = self::format_of( $assoc_args );
		$formatter = new WP_CLI\Formatter( $assoc_args, $fields );
		if ( ! $rows ) {
			// The formatter prints nothing at all for no rows; a script parsing JSON wants [].
			if ( 'json' === $format ) {
				WP_CLI::line( '[]' );
			}
			return;
		}
		$items = array();
		foreach ( $rows as $row ) {
			$items[] = self::for_format( $row, $format );
		}
		$formatter->display_items( $items );
	}

	/**
	 * The --format asked for (read before WP_CLI\Formatter takes it out of
	 * the options).
	 *
	 * @param array $assoc_args Options.
	 * @return string
	 */
	private static function format_of( $assoc_args ) {
		return isset( $assoc_args['format'] ) ? (string) $assoc_args['format'] : 'table';
	}

	/**
	 * Booleans and nulls as words in the text formats (the table would show
	 * "1" and nothing), kept as they are in JSON and YAML.
	 *
	 * @param array  $row    A row.
	 * @param string $format Output format.
	 * @return array
	 */
	private static function for_format( array $row, $format ) {
		if ( ! in_array( $format, array( 'table', 'csv' ), true ) ) {
			return $row;
		}
		foreach ( $row as $key => $value ) {
			if ( is_bool( $value ) ) {
				$row[ $key ] = $value ? 'yes' : 'no';
			} elseif ( null === $value ) {
				$row[ $key ] = '';
			} else {
				$row[ $key ] = (string) $value;
			}
		}
		return $row;
	}

	/**
	 * Ends with exit status 1 (message on stderr) or, in the table format,
	 * with a success line; other formats print nothing more, so that their
	 * output stays parseable.
	 *
	 * @param string $format  Output format.
	 * @param bool   $ok      Whether everything went well.
	 * @param string $message The summary.
	 * @return void
	 */
	private static function finish( $format, $ok, $message ) {
		if ( ! $ok ) {
			WP_CLI::error( $message );
		}
		if ( 'table' === $format ) {
			WP_CLI::success( $message );
		}
	}

	/**
	 * WP-CLI's progress bar in the table format, else one that prints
	 * nothing (it would land in the middle of JSON or CSV on a terminal).
	 *
	 * @param string $format  Output format ('none' for no bar).
	 * @param string $message Its label.
	 * @param int    $count   Steps.
	 * @return object
	 */
	private static function progress_bar( $format, $message, $count ) {
		if ( 'table' !== $format || $count < 1 ) {
			return new WP_CLI\NoOp();
		}
		return WP_CLI\Utils\make_progress_bar( $message, $count );
	}

	/**
	 * Stops with exit status 1 unless the extension is loaded.
	 *
	 * @return void
	 */
	private static function require_extension() {
		if ( Closte_Native_Plugin::extension_available() ) {
			return;
		}
		WP_CLI::error(
			sprintf(
				/* translators: %s: the PHP binary running WP-CLI. */
				__( 'The closte PHP extension is not loaded in the PHP that runs WP-CLI (%s); only "wp closte status" works without it. Load it in this PHP\'s php.ini (extension=closte), or run WP-CLI with php -d extension=/path/to/closte.so.', 'closte-native' ),
				PHP_BINARY
			)
		);
	}

	/**
	 * Stops with exit status 1, printing what was thrown as one key-free
	 * sentence (its message; never a trace).
	 *
	 * @param Throwable $error What was thrown.
	 * @return void
	 */
	private static function fail( $error ) {
		WP_CLI::error( Closte_Native_Admin_Errors::describe( $error ) );
	}

	/**
	 * The plugin's logger, or a new one before the plugin booted.
	 *
	 * @return Closte_Native_Logger
	 */
	private static function logger() {
		$plugin = Closte_Native_Plugin::instance();
		return $plugin ? $plugin->logger : new Closte_Native_Logger();
	}

	/**
	 * The per-call options as the filter leaves them, without the key: only
	 * for telling which API URL the calls go to.
	 *
	 * @return array
	 */
	private static function filtered_options() {
		/** This filter is documented in includes/class-closte-native-request-options.php */
		return (array) apply_filters( 'closte_native_request_options', array(), 'test', '' );
	}

	/**
	 * An URL with no credentials, query or fragment (a filter might put a
	 * secret in any of them).
	 *
	 * @param string $url The URL.
	 * @return string
	 */
	private static function printable_url( $url ) {
		$parts = wp_parse_url( (string) $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return '';
		}
		$scheme = isset( $parts['scheme'] ) ? $parts['scheme'] : 'https';
		$port   = isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '';
		$path   = isset( $parts['path'] ) ? $parts['path'] : '';
		return Closte_Native_Logger::redact( $scheme . '://' . $parts['host'] . $port . $path );
	}

	/**
	 * This plugin's pending retry jobs, on the main site where they run:
	 * Action Scheduler's and any WP-Cron events of the job hook.
	 *
	 * @return int
	 */
	private static function pending_retries() {
		$switched = is_multisite() && ! is_main_site();
		if ( $switched ) {
			switch_to_blog( get_main_site_id() );
		}
		$count = 0;
		if ( function_exists( 'as_get_scheduled_actions' ) && ( ! class_exists( 'ActionScheduler', false ) || ActionScheduler::is_initialized() ) ) {
			$ids    = as_get_scheduled_actions(
				array(
					'hook'     => Closte_Native_Queue::HOOK,
					'group'    => Closte_Native_Queue::GROUP,
					'status'   => 'pending',
					'per_page' => -1,
				),
				'ids'
			);
			$count += count( (array) $ids );
		}
		foreach ( (array) _get_cron_array() as $hooks ) {
			if ( isset( $hooks[ Closte_Native_Queue::HOOK ] ) ) {
				$count += count( (array) $hooks[ Closte_Native_Queue::HOOK ] );
			}
		}
		if ( $switched ) {
			restore_current_blog();
		}
		return $count;
	}
}
