<?php
/**
 * Domain jobs that died with their worker are scheduled again.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * A web node killed in the middle of a call (PHP-FPM killed, an OOM, a
 * deploy) leaves its Action Scheduler job "in progress" until the queue
 * cleaner marks it failed (action_scheduler_failed_action, after 5 minutes
 * by default); a job that threw fails at once
 * (action_scheduler_failed_execution). Nothing would run it again. For the
 * domain hooks of Ultimate Multisite and this plugin's own job, the same
 * call is scheduled again as this plugin's job, within the same bounded
 * attempts, and a warning says so.
 */
final class Closte_Native_Recovery {

	/**
	 * Hooks whose failed jobs are scheduled again, and the operation each means.
	 */
	const HOOKS = array(
		'wu_add_domain'           => 'add',
		'wu_remove_domain'        => 'remove',
		Closte_Native_Queue::HOOK => '',
	);

	/**
	 * Logger.
	 *
	 * @var Closte_Native_Logger
	 */
	private $logger;

	/**
	 * Queue.
	 *
	 * @var Closte_Native_Queue
	 */
	private $queue;

	/**
	 * Keeps what it works with.
	 *
	 * @param Closte_Native_Logger $logger Logger.
	 * @param Closte_Native_Queue  $queue  Queue.
	 */
	public function __construct( Closte_Native_Logger $logger, Closte_Native_Queue $queue ) {
		$this->logger = $logger;
		$this->queue  = $queue;
	}

	/**
	 * Registers on Action Scheduler's failure actions.
	 *
	 * @return void
	 */
	public function register() {
		add_action( 'action_scheduler_failed_action', array( $this, 'on_timed_out' ), 10, 2 );
		add_action( 'action_scheduler_failed_execution', array( $this, 'on_failed_execution' ), 10, 2 );
	}

	/**
	 * A job the cleaner found running for too long: its worker is gone.
	 *
	 * @param int $action_id The job.
	 * @param int $timeout   The cleaner's limit, in seconds.
	 * @return void
	 */
	public function on_timed_out( $action_id, $timeout = 0 ) {
		$this->reschedule( (int) $action_id, sprintf( 'it was still running after %d s, so its worker died', (int) $timeout ) );
	}

	/**
	 * A job that threw.
	 *
	 * @param int            $action_id The job.
	 * @param Throwable|null $error     What it threw.
	 * @return void
	 */
	public function on_failed_execution( $action_id, $error = null ) {
		$this->reschedule( (int) $action_id, 'it failed: ' . ( $error instanceof Throwable ? get_class( $error ) : 'an error' ) );
	}

	/**
	 * Schedules the failed job's call again, when it is one of ours.
	 *
	 * @param int    $action_id The job.
	 * @param string $why       What happened to it, for the log.
	 * @return bool Whether it was scheduled again.
	 */
	public function reschedule( $action_id, $why ) {
		$call = $this->call_of( $action_id );
		if ( null === $call ) {
			return false;
		}
		list( $hook, $operation, $domain, $site_id, $attempt ) = $call;
		$verb = 'add' === $operation ? 'add' : 'remove';
		$max  = max( 1, (int) apply_filters( 'closte_native_max_attempts', 6 ) );
		if ( $attempt >= $max ) {
			$this->logger->error( sprintf( 'Gave up: the job %d (%s) to %s Closte alias %s (site %d) failed (%s) at attempt %d of %d.', $action_id, $hook, $verb, $domain, $site_id, $why, $attempt, $max ) );
			return false;
		}
		$delay = $this->queue->backoff( $attempt + 1 );
		if ( ! $this->queue->schedule( $operation, $domain, $site_id, $attempt + 1, $delay ) ) {
			$this->logger->error( sprintf( 'The job %d (%s) to %s Closte alias %s (site %d) failed (%s), and could not be scheduled again.', $action_id, $hook, $verb, $domain, $site_id, $why ) );
			return false;
		}
		$this->logger->warning( sprintf( 'The job %d (%s) to %s Closte alias %s (site %d) failed (%s): scheduled again as attempt %d of %d, in %d s.', $action_id, $hook, $verb, $domain, $site_id, $why, $attempt + 1, $max, $delay ) );
		return true;
	}

	/**
	 * The call a job stands for: [hook, operation, domain, site id, attempt], or null.
	 *
	 * @param int $action_id The job.
	 * @return array|null
	 */
	private function call_of( $action_id ) {
		if ( ! class_exists( 'ActionScheduler' ) ) {
			return null;
		}
		$action = ActionScheduler::store()->fetch_action( $action_id );
		if ( ! $action instanceof ActionScheduler_Action ) {
			return null;
		}
		$hook = $action->get_hook();
		if ( ! isset( self::HOOKS[ $hook ] ) ) {
			return null;
		}
		$args = array_values( (array) $action->get_args() );
		if ( Closte_Native_Queue::HOOK === $hook ) {
			$job = Closte_Native_Queue::parse_payload( isset( $args[0] ) ? $args[0] : null );
			return null === $job ? null : array( $hook, $job['operation'], $job['domain'], $job['site_id'], $job['attempt'] );
		}
		if ( ! isset( $args[0] ) || '' === (string) $args[0] ) {
			return null;
		}
		return array( $hook, self::HOOKS[ $hook ], (string) $args[0], isset( $args[1] ) ? (int) $args[1] : 0, 1 );
	}
}
