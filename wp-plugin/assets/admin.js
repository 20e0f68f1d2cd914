/**
 * Closte Native: the network admin page (Closte_Native_Admin).
 *
 * Fills the domain table, checks certificates a few rows at a time, tests
 * the connection, runs the sync (which only adds), and removes extra
 * aliases in two steps: a preview listing the names, then, once the admin
 * confirms, a removal request carrying exactly those names. All through
 * admin-ajax.php with the page's nonces. Every text from the server goes
 * into the page as text, never as HTML.
 *
 * @package Closte_Native
 */
( function () {
	'use strict';

	var config = window.closteNativeAdmin;
	var root = document.getElementById( 'closte-native-admin' );
	if ( ! config || ! root ) {
		return;
	}
	var i18n = config.i18n;
	var generation = 0;

	function $( id ) {
		return document.getElementById( id );
	}

	function format( text, value ) {
		return String( text ).replace( '%d', String( value ) );
	}

	function element( tag, className, text ) {
		var node = document.createElement( tag );
		if ( className ) {
			node.className = className;
		}
		if ( undefined !== text && null !== text ) {
			node.textContent = String( text );
		}
		return node;
	}

	/**
	 * POSTs an action with the page's nonce, or the one given; resolves with
	 * the answer's data, rejects with an Error carrying the server's readable
	 * message.
	 */
	function post( action, fields, nonce ) {
		var body = new FormData();
		body.append( 'action', action );
		body.append( 'nonce', nonce || config.nonce );
		Object.keys( fields || {} ).forEach( function ( name ) {
			body.append( name, fields[ name ] );
		} );
		return fetch( config.ajaxUrl, { method: 'POST', credentials: 'same-origin', body: body } ).then( function ( response ) {
			return response.json().catch( function () {
				return null;
			} ).then( function ( answer ) {
				if ( answer && answer.success ) {
					return answer.data;
				}
				var message = answer && answer.data && answer.data.message ? answer.data.message : format( i18n.requestFailed, response.status );
				throw new Error( message );
			} );
		} );
	}

	/** Replaces a container's content with a WordPress notice. */
	function notice( container, level, text, details ) {
		container.textContent = '';
		if ( ! text ) {
			return;
		}
		var box = element( 'div', 'notice inline notice-' + level );
		box.appendChild( element( 'p', '', text ) );
		if ( details && details.length ) {
			var list = element( 'ul', 'closte-details' );
			details.forEach( function ( line ) {
				list.appendChild( element( 'li', '', line ) );
			} );
			box.appendChild( list );
		}
		container.appendChild( box );
	}

	function busy( button, on ) {
		button.disabled = on;
		button.classList.toggle( 'closte-busy', on );
	}

	var stateLabels = {
		'in-sync': i18n.inSync,
		'missing-on-closte': i18n.missing,
		'only-on-closte': i18n.onlyOnCloste,
		kept: i18n.kept,
		'': i18n.unknown
	};

	function recordCell( row ) {
		var cell = element( 'td', 'closte-um' );
		if ( ! row.in_um ) {
			cell.textContent = i18n.no;
			return cell;
		}
		cell.appendChild( document.createTextNode( i18n.yes + ' · ' ) );
		var site = row.site_url ? element( 'a', '', format( i18n.site, row.site_id ) ) : element( 'span', '', format( i18n.site, row.site_id ) );
		if ( row.site_url ) {
			site.href = row.site_url;
		}
		cell.appendChild( site );
		if ( row.stage ) {
			cell.appendChild( document.createTextNode( ' · ' ) );
			cell.appendChild( element( 'code', '', row.stage ) );
		}
		return cell;
	}

	function renderRow( row, data ) {
		var sslAvailable = data.ssl_available;
		var drift = 'missing-on-closte' === row.state || 'only-on-closte' === row.state;
		var tr = element( 'tr', 'closte-row closte-state-' + ( row.state || 'unknown' ) + ( drift ? ' closte-drift' : '' ) );
		tr.dataset.domain = row.domain;
		tr.dataset.state = row.state;
		var name = element( 'td', 'closte-domain' );
		name.appendChild( element( 'strong', '', row.domain ) );
		tr.appendChild( name );
		tr.appendChild( recordCell( row ) );
		var closte = null === row.on_closte ? i18n.unknown : ( row.on_closte ? i18n.yes : i18n.no );
		tr.appendChild( element( 'td', 'closte-alias', closte ) );
		var cert = element( 'td', 'closte-cert', sslAvailable && row.ssl ? i18n.checking : ( sslAvailable ? '—' : data.ssl_note ) );
		tr.appendChild( cert );
		var state = element( 'td', 'closte-state' );
		state.appendChild( element( 'span', 'closte-badge closte-badge-' + ( row.state || 'unknown' ), stateLabels[ row.state ] || row.state ) );
		tr.appendChild( state );
		return { tr: tr, cert: sslAvailable && row.ssl ? cert : null, domain: row.domain };
	}

	/** Checks certificates, config.sslConcurrency at a time. */
	function checkCertificates( jobs, mine ) {
		var next = 0;
		function worker() {
			if ( mine !== generation || next >= jobs.length ) {
				return Promise.resolve();
			}
			var job = jobs[ next++ ];
			return post( 'closte_native_ssl', { domain: job.domain } ).then( function ( result ) {
				if ( mine !== generation ) {
					return;
				}
				job.cell.textContent = result.label;
				job.cell.title = result.detail;
				job.cell.className = 'closte-cert closte-cert-' + result.level;
				job.cell.dataset.valid = result.valid ? '1' : '0';
			}, function ( error ) {
				if ( mine === generation ) {
					job.cell.textContent = error.message;
					job.cell.className = 'closte-cert closte-cert-error';
				}
			} ).then( worker );
		}
		var workers = [];
		for ( var n = 0; n < Math.max( 1, config.sslConcurrency ); n++ ) {
			workers.push( worker() );
		}
		return Promise.all( workers );
	}

	function loadDomains() {
		var mine = ++generation;
		var tbody = $( 'closte-domains' ).tBodies[ 0 ];
		root.dataset.domainsLoaded = '0';
		return post( 'closte_native_domains' ).then( function ( data ) {
			if ( mine !== generation ) {
				return;
			}
			tbody.textContent = '';
			var jobs = [];
			data.rows.forEach( function ( row ) {
				var built = renderRow( row, data );
				tbody.appendChild( built.tr );
				if ( built.cert ) {
					jobs.push( { domain: built.domain, cell: built.cert } );
				}
			} );
			if ( ! data.rows.length ) {
				var empty = element( 'tr' );
				var cell = element( 'td', '', i18n.noDomains );
				cell.colSpan = 5;
				empty.appendChild( cell );
				tbody.appendChild( empty );
			}
			if ( data.error ) {
				notice( $( 'closte-domains-notice' ), 'error', data.error );
			} else if ( data.drift ) {
				var driftDetails = [];
				if ( data.missing ) {
					driftDetails.push( format( i18n.driftMissing, data.missing ) );
				}
				if ( data.extra ) {
					driftDetails.push( format( i18n.driftExtra, data.extra ) );
				}
				notice( $( 'closte-domains-notice' ), 'warning', format( i18n.drift, data.drift ), driftDetails );
			} else {
				notice( $( 'closte-domains-notice' ), 'success', i18n.noDrift );
			}
			root.dataset.domainsLoaded = '1';
			root.dataset.drift = String( data.drift );
			checkCertificates( jobs, mine ).then( function () {
				if ( mine === generation ) {
					root.dataset.certificatesChecked = '1';
				}
			} );
		}, function ( error ) {
			if ( mine === generation ) {
				tbody.textContent = '';
				notice( $( 'closte-domains-notice' ), 'error', error.message );
				root.dataset.domainsLoaded = '1';
			}
		} );
	}

	function testConnection() {
		var button = $( 'closte-test-connection' );
		busy( button, true );
		notice( $( 'closte-connection-result' ), 'info', i18n.testing );
		post( 'closte_native_test_connection' ).then( function ( data ) {
			notice( $( 'closte-connection-result' ), 'success', data.message );
		}, function ( error ) {
			notice( $( 'closte-connection-result' ), 'error', error.message );
		} ).then( function () {
			busy( button, false );
		} );
	}

	function renderLog( lines ) {
		var log = $( 'closte-log' );
		if ( ! log || ! lines ) {
			return;
		}
		var pre = element( 'pre', 'closte-log' );
		pre.id = 'closte-log';
		lines.forEach( function ( line ) {
			// The level right after the time: "[time] [LEVEL] " (older Ultimate Multisite: "time - LEVEL - ").
			var match = /^\[[^\]]*\] \[([A-Za-z]+)\] |^.*? - ([A-Z]+) - /.exec( line );
			var name = match ? String( match[ 1 ] || match[ 2 ] ).toUpperCase() : '';
			var level = -1 !== [ 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY' ].indexOf( name ) ? 'closte-log-error' : ( 'WARNING' === name ? 'closte-log-warning' : 'closte-log-line' );
			pre.appendChild( element( 'span', level, line ) );
			pre.appendChild( document.createTextNode( '\n' ) );
		} );
		log.parentNode.replaceChild( pre, log );
	}

	function summaryDetails( data ) {
		var details = [];
		if ( data.added.length ) {
			details.push( i18n.added + ': ' + data.added.join( ', ' ) );
		}
		if ( data.removed.length ) {
			details.push( i18n.removed + ': ' + data.removed.join( ', ' ) );
		}
		data.skipped.forEach( function ( skip ) {
			details.push( i18n.skipped + ': ' + skip.domain + ' (' + skip.reason + ')' );
		} );
		data.failed.forEach( function ( failure ) {
			details.push( i18n.failed + ': ' + failure.domain + ' (' + failure.reason + ')' );
		} );
		return details;
	}

	var actionButtons = [ 'closte-sync', 'closte-refresh', 'closte-extra-review' ];

	/**
	 * Runs a change on Closte with the progress bar: step 1 the request,
	 * step 2 the table read again. `flag` is the root's data attribute set
	 * to '1' once everything is done.
	 */
	function runChange( flag, firstStep, request ) {
		var buttons = actionButtons.map( $ );
		var progress = $( 'closte-sync-progress' );
		var bar = progress.querySelector( 'progress' );
		var text = progress.querySelector( '.closte-progress-text' );
		var result = $( 'closte-sync-result' );
		buttons.forEach( function ( button ) {
			busy( button, true );
		} );
		root.dataset[ flag ] = '0';
		notice( result, 'info', '' );
		progress.hidden = false;
		bar.value = 0;
		text.textContent = firstStep;
		return request().then( function ( data ) {
			bar.value = 1;
			text.textContent = i18n.syncRefresh;
			notice( result, data.failed.length ? 'warning' : 'success', data.message, summaryDetails( data ) );
			renderLog( data.log );
			return loadDomains();
		}, function ( error ) {
			notice( result, 'error', error.message );
		} ).then( function () {
			bar.value = 2;
			progress.hidden = true;
			root.dataset[ flag ] = '1';
			buttons.forEach( function ( button ) {
				busy( button, false );
			} );
		} );
	}

	/** Sync now: adds the missing aliases, never removes one. */
	function sync() {
		hideConfirmation();
		runChange( 'syncDone', i18n.syncCollect, function () {
			return post( 'closte_native_sync' );
		} );
	}

	// The names the confirmation box shows: exactly what a removal sends.
	var confirmed = [];

	function hideConfirmation() {
		confirmed = [];
		$( 'closte-extra-confirm' ).hidden = true;
		$( 'closte-extra-list' ).textContent = '';
		root.dataset.extraPreview = '0';
	}

	function showConfirmation( data ) {
		confirmed = data.domains.slice();
		$( 'closte-extra-question' ).textContent = data.message;
		$( 'closte-extra-detail' ).textContent = data.detail || '';
		$( 'closte-extra-note' ).textContent = data.note || '';
		var list = $( 'closte-extra-list' );
		list.textContent = '';
		confirmed.forEach( function ( name ) {
			list.appendChild( element( 'li', '', name ) );
		} );
		$( 'closte-extra-remove' ).textContent = data.confirm;
		$( 'closte-extra-confirm' ).hidden = false;
		root.dataset.extraPreview = '1';
		$( 'closte-extra-cancel' ).focus();
	}

	/** Step 1 of a removal: ask the server which aliases would go. */
	function reviewExtra() {
		var button = $( 'closte-extra-review' );
		var result = $( 'closte-sync-result' );
		hideConfirmation();
		busy( button, true );
		root.dataset.extraPreview = 'loading';
		notice( result, 'info', i18n.reviewing );
		post( 'closte_native_extra_preview', {}, config.nonces.preview ).then( function ( data ) {
			if ( ! data.count ) {
				notice( result, 'success', data.message );
				root.dataset.extraPreview = 'none';
				return;
			}
			notice( result, 'info', '' );
			showConfirmation( data );
			// The table too, so that it shows what the question is about.
			loadDomains();
		}, function ( error ) {
			notice( result, 'error', error.message );
			root.dataset.extraPreview = 'error';
		} ).then( function () {
			busy( button, false );
		} );
	}

	/** Step 2: remove the names shown, and only those. */
	function removeConfirmed() {
		var names = confirmed.slice();
		hideConfirmation();
		if ( ! names.length ) {
			return;
		}
		runChange( 'removeDone', i18n.removeCollect, function () {
			return post( 'closte_native_remove_extra', { domains: names.join( '\n' ) }, config.nonces.remove );
		} );
	}

	$( 'closte-test-connection' ).addEventListener( 'click', testConnection );
	$( 'closte-refresh' ).addEventListener( 'click', function () {
		notice( $( 'closte-sync-result' ), 'info', '' );
		loadDomains();
	} );
	$( 'closte-sync' ).addEventListener( 'click', sync );
	$( 'closte-reconcile' ).addEventListener( 'click', function () {
		var result = $( 'closte-sync-result' );
		var button = $( 'closte-reconcile' );
		button.disabled = true;
		notice( result, 'info', i18n.reconciling );
		post( 'closte_native_reconcile', {}, config.nonces.reconcile ).then( function ( data ) {
			var details = [];
			data.added.forEach( function ( name ) {
				details.push( i18n.added + ': ' + name );
			} );
			data.removed.forEach( function ( name ) {
				details.push( i18n.removed + ': ' + name );
			} );
			data.failed.forEach( function ( line ) {
				details.push( i18n.failed + ': ' + line );
			} );
			notice( result, data.failed.length ? 'warning' : 'success', data.message, details );
			loadDomains();
		} ).catch( function ( error ) {
			notice( result, 'error', error.message );
		} ).then( function () {
			button.disabled = false;
		} );
	} );
	$( 'closte-extra-review' ).addEventListener( 'click', reviewExtra );
	$( 'closte-extra-remove' ).addEventListener( 'click', removeConfirmed );
	$( 'closte-extra-cancel' ).addEventListener( 'click', function () {
		hideConfirmation();
		notice( $( 'closte-sync-result' ), 'info', i18n.cancelled );
	} );
	loadDomains();
}() );
