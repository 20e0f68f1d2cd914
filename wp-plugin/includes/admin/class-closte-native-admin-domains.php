<?php
/**
 * Ultimate Multisite's domain records next to Closte's aliases.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Joins the domain records with the aliases Closte reports, finds the drift
 * (a name on one side only), adds the missing aliases, removes the extra
 * ones an admin confirmed, and checks certificates. Methods that call Closte
 * let the extension's Closte\Exception through.
 */
class Closte_Native_Admin_Domains {

	/**
	 * Row states.
	 */
	const IN_SYNC           = 'in-sync';
	const MISSING_ON_CLOSTE = 'missing-on-closte';
	const ONLY_ON_CLOSTE    = 'only-on-closte';
	const KEPT              = 'kept';

	/**
	 * Why remove_confirmed() left a confirmed name alone.
	 */
	const SKIP_NOT_ON_CLOSTE = 'not-on-closte';
	const SKIP_HAS_RECORD    = 'has-record';
	const SKIP_KEPT          = 'kept';
	const SKIP_INVALID       = 'invalid';

	/**
	 * Records read per wu_get_domains() call.
	 */
	const PAGE_SIZE = 200;

	/**
	 * Ultimate Multisite's domain records, by normalised name.
	 *
	 * @return array<string, array{site_id: int, stage: string, active: bool|null}>
	 */
	public function records() {
		$records = array();
		if ( ! function_exists( 'wu_get_domains' ) ) {
			return $records;
		}
		for ( $offset = 0; $offset < 100000; $offset += self::PAGE_SIZE ) {
			$page = wu_get_domains(
				array(
					'number' => self::PAGE_SIZE,
					'offset' => $offset,
				)
			);
			foreach ( (array) $page as $domain ) {
				if ( ! is_object( $domain ) || ! method_exists( $domain, 'get_domain' ) ) {
					continue;
				}
				$name = self::canonical( $domain->get_domain() );
				if ( '' === $name ) {
					continue;
				}
				$records[ $name ] = array(
					'site_id' => method_exists( $domain, 'get_site_id' ) ? (int) $domain->get_site_id() : 0,
					'stage'   => method_exists( $domain, 'get_stage' ) ? (string) $domain->get_stage() : '',
					'active'  => method_exists( $domain, 'is_active' ) ? (bool) $domain->is_active() : null,
				);
			}
			if ( count( (array) $page ) < self::PAGE_SIZE ) {
				break;
			}
		}
		ksort( $records );
		return $records;
	}

	/**
	 * The aliases Closte has.
	 *
	 * @return string[]
	 * @throws Closte\Exception When Closte cannot be asked.
	 */
	public function aliases() {
		$names = array();
		foreach ( (array) closte_list_domains( Closte_Native_Request_Options::build( 'list' ) ) as $alias ) {
			$name = self::normalise( $alias );
			if ( '' !== $name ) {
				$names[ $name ] = true;
			}
		}
		$names = array_keys( $names );
		sort( $names );
		return $names;
	}

	/**
	 * The networks' own domains, normalised.
	 *
	 * @var string[]|null
	 */
	private $bases = null;

	/**
	 * Names on Closte that the sync must never remove although no record has
	 * them: the networks' own domains and, on subdomain networks, their
	 * subdomains (Closte serves those itself).
	 *
	 * @param string $name A normalised name.
	 * @return bool
	 */
	public function is_kept( $name ) {
		if ( null === $this->bases ) {
			$this->bases = array();
			foreach ( get_networks( array( 'number' => 100 ) ) as $network ) {
				$this->bases[] = self::normalise( $network->domain );
			}
		}
		foreach ( $this->bases as $base ) {
			if ( $base === $name || 'www.' . $base === $name ) {
				return true;
			}
			if ( is_subdomain_install() && substr( $name, -strlen( '.' . $base ) ) === '.' . $base ) {
				return true;
			}
		}

		/**
		 * Filters whether an alias with no domain record stays on Closte when
		 * the admin page syncs.
		 *
		 * @param bool   $kept Default: the network's own domains.
		 * @param string $name The alias.
		 */
		return (bool) apply_filters( 'closte_native_keep_alias', false, $name );
	}

	/**
	 * The joined table: one row per name, records first-class.
	 *
	 * @param array<string, array> $records From records().
	 * @param string[]|null        $aliases From aliases(), or null when unknown.
	 * @return array[] Rows: domain, site_id, site_url, stage, in_um, on_closte (bool|null), state.
	 */
	public function rows( array $records, $aliases ) {
		$on_closte = null === $aliases ? array() : array_fill_keys( $aliases, true );
		$names     = array_unique( array_merge( array_keys( $records ), array_keys( $on_closte ) ) );
		sort( $names );
		$rows = array();
		foreach ( $names as $name ) {
			$record = isset( $records[ $name ] ) ? $records[ $name ] : null;
			$closte = null === $aliases ? null : isset( $on_closte[ $name ] );
			if ( null === $closte ) {
				$state = '';
			} elseif ( $record && $closte ) {
				$state = self::IN_SYNC;
			} elseif ( $record ) {
				$state = self::MISSING_ON_CLOSTE;
			} else {
				$state = $this->is_kept( $name ) ? self::KEPT : self::ONLY_ON_CLOSTE;
			}
			$rows[] = array(
				'domain'    => $name,
				'in_um'     => null !== $record,
				'site_id'   => $record ? $record['site_id'] : 0,
				'site_url'  => $record && $record['site_id'] ? network_admin_url( 'site-info.php?id=' . $record['site_id'] ) : '',
				'stage'     => $record ? $record['stage'] : '',
				'on_closte' => $closte,
				'state'     => $state,
				'ssl'       => 0 !== strpos( $name, '*.' ),
			);
		}
		return $rows;
	}

	/**
	 * Adds the aliases the domain records want and Closte lacks. Never
	 * removes anything: removals go through extra() and remove_confirmed().
	 *
	 * @return array closte_sync_domains()'s result plus 'total' (names in the wanted set).
	 * @throws Closte\Exception When Closte cannot be asked, or a record holds a bad name.
	 */
	public function sync() {
		$wanted                  = array_keys( $this->records() );
		$options                 = Closte_Native_Request_Options::build( 'sync' );
		$options['remove_extra'] = false; // Whatever a filter put there: this sync only adds.
		$result                  = closte_sync_domains( $wanted, $options );
		$result['total']         = count( $wanted );
		return $result;
	}

	/**
	 * The aliases that would go if the admin confirmed: on Closte, wanted by
	 * no domain record, and not one of the network's own names (is_kept()).
	 *
	 * @param array<string, array> $records From records().
	 * @param string[]             $aliases From aliases().
	 * @return string[] Sorted.
	 */
	public function extra( array $records, array $aliases ) {
		$extra = array();
		foreach ( $aliases as $alias ) {
			if ( ! isset( $records[ $alias ] ) && ! $this->is_kept( $alias ) ) {
				$extra[] = $alias;
			}
		}
		sort( $extra );
		return array_values( array_unique( $extra ) );
	}

	/**
	 * Removes the confirmed names that are still extra now: each one is
	 * checked against a fresh list of aliases and of domain records, so a
	 * name that got a record, left Closte or became a kept name since the
	 * admin saw the list is skipped, and an alias that became extra since is
	 * not touched (it was not confirmed). One deletedomainalias call per name;
	 * after a transport or configuration error the rest are not attempted.
	 *
	 * @param string[] $confirmed The names the admin confirmed.
	 * @return array{removed: string[], skipped: array<string, string>, failed: array<string, string>, elapsed_ms: int}
	 *         skipped: name => one of the SKIP_* codes; failed: name => readable reason.
	 * @throws Closte\Exception When Closte's aliases cannot be listed (nothing was removed).
	 */
	public function remove_confirmed( array $confirmed ) {
		$started   = microtime( true );
		$on_closte = array_fill_keys( $this->aliases(), true );
		$records   = $this->records();
		$result    = array(
			'removed'    => array(),
			'skipped'    => array(),
			'failed'     => array(),
			'elapsed_ms' => 0,
		);
		$stopped   = '';
		foreach ( $confirmed as $name ) {
			$name = self::normalise( $name );
			if ( '' === $name || isset( $result['skipped'][ $name ] ) || isset( $result['failed'][ $name ] ) || in_array( $name, $result['removed'], true ) ) {
				continue;
			}
			if ( ! self::is_valid( $name ) ) {
				$result['skipped'][ $name ] = self::SKIP_INVALID;
			} elseif ( ! isset( $on_closte[ $name ] ) ) {
				$result['skipped'][ $name ] = self::SKIP_NOT_ON_CLOSTE;
			} elseif ( isset( $records[ $name ] ) || isset( $records[ self::canonical( $name ) ] ) ) {
				$result['skipped'][ $name ] = self::SKIP_HAS_RECORD;
			} elseif ( $this->is_kept( $name ) ) {
				$result['skipped'][ $name ] = self::SKIP_KEPT;
			} elseif ( '' !== $stopped ) {
				$result['failed'][ $name ] = $stopped;
			} else {
				try {
					closte_remove_domain( $name, Closte_Native_Request_Options::build( 'remove', $name ) );
					$result['removed'][] = $name;
				} catch ( Throwable $e ) {
					$result['failed'][ $name ] = Closte_Native_Admin_Errors::describe( $e );
					if ( $e instanceof Closte\TransportException || $e instanceof Closte\ConfigurationException ) {
						$stopped = __( 'Not attempted: the error above stopped the removal.', 'closte-native' );
					}
				}
			}
		}
		$result['elapsed_ms'] = (int) round( ( microtime( true ) - $started ) * 1000 );
		return $result;
	}

	/**
	 * Whether the extension accepts the name (so that a remove call can be sent).
	 *
	 * @param string $name A normalised name.
	 * @return bool
	 */
	private static function is_valid( $name ) {
		if ( ! function_exists( 'closte_validate_domain' ) ) {
			return '' !== $name;
		}
		try {
			closte_validate_domain( $name );
			return true;
		} catch ( Throwable $e ) {
			return false;
		}
	}

	/**
	 * The certificate a domain presents, checked with a short timeout.
	 *
	 * @param string $domain The domain.
	 * @return array closte_ssl_status()'s result.
	 * @throws Closte\Exception On a bad name or option.
	 */
	public function ssl_status( $domain ) {
		/**
		 * Filters the options of the admin page's certificate check (host,
		 * port, ca_file, timeout; default a 3 s timeout on port 443).
		 *
		 * @param array  $options Options.
		 * @param string $domain  The domain checked.
		 */
		$options = (array) apply_filters( 'closte_native_ssl_options', array( 'timeout' => 3 ), $domain );
		return closte_ssl_status( $domain, $options );
	}

	/**
	 * The name as the extension normalises it (IDN as punycode), or
	 * normalise()'s result when the extension cannot.
	 *
	 * @param string $name A domain name.
	 * @return string
	 */
	public static function canonical( $name ) {
		$name = self::normalise( $name );
		if ( '' !== $name && function_exists( 'closte_validate_domain' ) ) {
			try {
				return (string) closte_validate_domain( $name );
			} catch ( Throwable $e ) {
				return $name; // Sync reports the bad name.
			}
		}
		return $name;
	}

	/**
	 * Lower case, no surrounding space, no trailing dot.
	 *
	 * @param mixed $name A domain name, or an array with a 'domain' entry.
	 * @return string
	 */
	public static function normalise( $name ) {
		if ( is_array( $name ) ) {
			$name = isset( $name['domain'] ) ? $name['domain'] : '';
		}
		return rtrim( strtolower( trim( (string) $name ) ), '.' );
	}
}
