<?php
/**
 * Drift repair, the last line: Closte's aliases brought back to what
 * Ultimate Multisite says.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Compares Ultimate Multisite's domain records with Closte's aliases: adds
 * what is missing (bulk, through closte_sync_domains, never removing), and
 * removes only the aliases this plugin itself added whose domain Ultimate
 * Multisite no longer has (each through the domain handler, so under the
 * domain's lock and with Ultimate Multisite's last word). Aliases added by
 * hand, by another tool or before this plugin kept track are left alone.
 * Runs daily as an Action Scheduler job of its own, and on demand.
 */
final class Closte_Native_Reconcile {

	/**
	 * The recurring job's hook.
	 */
	const HOOK = 'closte_native_reconcile';

	/**
	 * Its Action Scheduler group, apart from the domain jobs' (a test or an
	 * operator draining those must not run a reconcile each time).
	 */
	const GROUP = 'closte-native-reconcile';

	/**
	 * Network option: set once the schedule is in place (so the check is one cached read).
	 */
	const SCHEDULED_OPTION = 'closte_native_reconcile_scheduled';

	/**
	 * The domain event handler.
	 *
	 * @var Closte_Native_Domain_Handler
	 */
	private $handler;

	/**
	 * Logger.
	 *
	 * @var Closte_Native_Logger
	 */
	private $logger;

	/**
	 * Keeps what it works with.
	 *
	 * @param Closte_Native_Domain_Handler $handler The domain event handler.
	 * @param Closte_Native_Logger         $logger  Logger.
	 */
	public function __construct( Closte_Native_Domain_Handler $handler, Closte_Native_Logger $logger ) {
		$this->handler = $handler;
		$this->logger  = $logger;
	}

	/**
	 * Registers the job's callback, and the daily schedule once.
	 *
	 * @return void
	 */
	public function register() {
		add_action( self::HOOK, array( $this, 'run_job' ) );
		add_action( 'init', array( $this, 'ensure_schedule' ), 20 );
	}

	/**
	 * Schedules the daily run when it is not in place yet.
	 *
	 * @return void
	 */
	public function ensure_schedule() {
		if ( get_network_option( null, self::SCHEDULED_OPTION ) || ! function_exists( 'as_schedule_recurring_action' ) ) {
			return;
		}
		/**
		 * Filters how often the reconcile runs, in seconds (default a day).
		 *
		 * @param int $seconds Seconds.
		 */
		$every = max( HOUR_IN_SECONDS, (int) apply_filters( 'closte_native_reconcile_interval', DAY_IN_SECONDS ) );
		if ( ! as_has_scheduled_action( self::HOOK, array(), self::GROUP ) ) {
			as_schedule_recurring_action( time() + $every, $every, self::HOOK, array(), self::GROUP );
		}
		update_network_option( null, self::SCHEDULED_OPTION, 1 );
	}

	/**
	 * Removes the recurring job (deactivation, uninstall); the next
	 * activation schedules it again.
	 *
	 * @return void
	 */
	public static function unschedule() {
		if ( function_exists( 'as_unschedule_all_actions' ) && class_exists( 'ActionScheduler', false ) && ActionScheduler::is_initialized() ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
		delete_network_option( null, self::SCHEDULED_OPTION );
	}

	/**
	 * The job's callback.
	 *
	 * @return void
	 */
	public function run_job() {
		$this->run();
	}

	/**
	 * Brings Closte's aliases back to Ultimate Multisite's records.
	 *
	 * @return array{added: string[], removed: string[], failed: array<string,string>, left_alone: string[], error: string}
	 *         left_alone: aliases Ultimate Multisite has no record of that this plugin did not add.
	 */
	public function run() {
		$report = array(
			'added'      => array(),
			'removed'    => array(),
			'failed'     => array(),
			'left_alone' => array(),
			'error'      => '',
		);
		$wanted = Closte_Native_Um_State::mapped_domains();
		if ( null === $wanted ) {
			$report['error'] = 'Ultimate Multisite\'s domain records could not be read.';
			$this->logger->error( 'Reconcile skipped: ' . $report['error'] );
			return $report;
		}
		$valid = array();
		foreach ( $wanted as $name ) {
			try {
				$valid[] = closte_validate_domain( $name );
			} catch ( Closte\InvalidDomainException $e ) {
				$report['failed'][ $name ] = 'not a valid domain name';
			}
		}
		try {
			$on_closte = closte_list_domains( Closte_Native_Request_Options::build( 'list' ) );
			$missing   = array_values( array_diff( $valid, $on_closte ) );
			if ( $missing ) {
				$sync = closte_sync_domains( $missing, Closte_Native_Request_Options::build( 'sync' ) );
				foreach ( $sync['added'] as $name ) {
					Closte_Native_Um_State::remember_added( $name );
				}
				$report['added']  = $sync['added'];
				$report['failed'] = array_merge( $report['failed'], $sync['failed'] );
			}
		} catch ( Closte\Exception $e ) {
			$report['error'] = get_class( $e ) . ': ' . $e->getMessage();
			$this->logger->error( 'Reconcile stopped: ' . $report['error'] );
			return $report;
		}
		$ours = Closte_Native_Um_State::added_domains();
		foreach ( array_diff( $on_closte, $valid ) as $extra ) {
			if ( ! in_array( $extra, $ours, true ) ) {
				$report['left_alone'][] = $extra;
				continue;
			}
			if ( $this->handler->process( 'remove', $extra, 0, 1 ) ) {
				$report['removed'][] = $extra;
			} else {
				$report['failed'][ $extra ] = 'the removal did not go through (see the lines above)';
			}
		}
		$this->logger->info(
			sprintf(
				'Reconcile: %d record(s) in Ultimate Multisite, %d alias(es) on Closte; added %d, removed %d (aliases this plugin had added), %d failed, %d other alias(es) left alone.',
				count( $valid ),
				count( $on_closte ),
				count( $report['added'] ),
				count( $report['removed'] ),
				count( $report['failed'] ),
				count( $report['left_alone'] )
			)
		);
		return $report;
	}
}
