<?php
/**
 * Keeps Ultimate Multisite's built-in PHP Closte integration from also firing.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Removes other callbacks on the domain hooks whose class name contains
 * "Closte" (the legacy WP_Ultimo\Integrations\Host_Providers\Closte_Host_Provider,
 * the newer WP_Ultimo\Integrations\Providers\Closte\* classes), never this
 * plugin's own (Closte_Native_*).
 *
 * Ultimate Multisite may register them before or after this plugin loads, so
 * the sweep runs now, at the very end of plugins_loaded, init and wp_loaded,
 * and once more at the very start of each hook, right before any handler runs.
 */
class Closte_Native_Builtin_Guard {

	/**
	 * The hooks swept.
	 *
	 * @var string[]
	 */
	const HOOKS = array(
		'wu_add_domain',
		'wu_remove_domain',
		'wu_add_subdomain',
		'wu_remove_subdomain',
		'wu_async_process_domain_stage_max_tries',
	);

	/**
	 * What was removed so far: "Class on hook" strings.
	 *
	 * @var string[]
	 */
	private $removed = array();

	/**
	 * Sweeps now and registers the later sweeps.
	 */
	public function register() {
		$this->remove_builtin_callbacks();
		add_action( 'plugins_loaded', array( $this, 'remove_builtin_callbacks' ), PHP_INT_MAX );
		add_action( 'init', array( $this, 'remove_builtin_callbacks' ), PHP_INT_MAX );
		add_action( 'wp_loaded', array( $this, 'remove_builtin_callbacks' ), PHP_INT_MAX );
		foreach ( self::HOOKS as $hook ) {
			add_filter( $hook, array( $this, 'sweep_before_handlers' ), PHP_INT_MIN, 1 );
		}
	}

	/**
	 * Runs first on each domain hook; passes a filtered value through.
	 *
	 * @param mixed $value The first hook argument.
	 * @return mixed
	 */
	public function sweep_before_handlers( $value = null ) {
		$this->remove_builtin_callbacks();
		return $value;
	}

	/**
	 * Removes every built-in Closte callback from the domain hooks.
	 *
	 * @return int How many were removed by this call.
	 */
	public function remove_builtin_callbacks() {
		global $wp_filter;
		$count = 0;
		foreach ( self::HOOKS as $hook ) {
			if ( ! isset( $wp_filter[ $hook ] ) || ! ( $wp_filter[ $hook ] instanceof WP_Hook ) ) {
				continue;
			}
			foreach ( $wp_filter[ $hook ]->callbacks as $priority => $callbacks ) {
				foreach ( $callbacks as $callback ) {
					$class = self::callback_class( $callback['function'] );
					if ( self::is_builtin_closte( $class, $hook ) ) {
						remove_filter( $hook, $callback['function'], $priority );
						$this->removed[] = $class . ' on ' . $hook;
						++$count;
					}
				}
			}
		}
		return $count;
	}

	/**
	 * What was removed during this request.
	 *
	 * @return string[]
	 */
	public function removed() {
		return $this->removed;
	}

	/**
	 * The class a callback belongs to, or '' for plain functions.
	 *
	 * @param mixed $callback A callable as stored by WP_Hook.
	 * @return string
	 */
	public static function callback_class( $callback ) {
		if ( is_array( $callback ) && isset( $callback[0] ) ) {
			return is_object( $callback[0] ) ? get_class( $callback[0] ) : (string) $callback[0];
		}
		if ( is_string( $callback ) ) {
			$pos = strpos( $callback, '::' );
			return false === $pos ? '' : substr( $callback, 0, $pos );
		}
		if ( $callback instanceof Closure ) {
			$reflection = new ReflectionFunction( $callback );
			$bound      = $reflection->getClosureThis();
			if ( $bound ) {
				return get_class( $bound );
			}
			$scope = $reflection->getClosureScopeClass();
			return $scope ? $scope->getName() : '';
		}
		return is_object( $callback ) ? get_class( $callback ) : '';
	}

	/**
	 * Whether a class is a built-in Closte integration (not this plugin's).
	 *
	 * @param string $class Class name, possibly namespaced.
	 * @param string $hook  The hook it is attached to.
	 * @return bool
	 */
	public static function is_builtin_closte( $class, $hook = '' ) {
		$class   = ltrim( (string) $class, '\\' );
		$builtin = '' !== $class
			&& 0 !== strpos( $class, 'Closte_Native_' )
			&& false !== stripos( $class, 'closte' );

		/**
		 * Filters whether a callback's class counts as the built-in Closte integration.
		 *
		 * @param bool   $builtin Whether it is removed.
		 * @param string $class   The callback's class.
		 * @param string $hook    The hook.
		 */
		return (bool) apply_filters( 'closte_native_is_builtin_callback', $builtin, $class, $hook );
	}
}
