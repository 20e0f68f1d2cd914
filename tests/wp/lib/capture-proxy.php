<?php
/**
 * A one-purpose HTTP proxy stand-in for tests/wp/proxy_credentials_test.php:
 * listens on a free loopback port (written to PORT_FILE), and for each
 * request appends its request line and headers as one JSON line to
 * OUT_FILE, then answers as Closte answers a connection test with an
 * accepted key. It forwards nothing. Stops after 60 s, or when killed.
 *
 * Usage: php -n capture-proxy.php PORT_FILE OUT_FILE
 */

if ( 3 !== $argc ) {
	fwrite( STDERR, "usage: php -n capture-proxy.php PORT_FILE OUT_FILE\n" );
	exit( 2 );
}
$server = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $errstr );
if ( ! $server ) {
	fwrite( STDERR, "cannot listen: $errstr\n" );
	exit( 1 );
}
$name = stream_socket_get_name( $server, false );
file_put_contents( $argv[1] . '.tmp', substr( $name, strrpos( $name, ':' ) + 1 ) );
rename( $argv[1] . '.tmp', $argv[1] );

$body  = '{"success":false,"error":"Invalid or empty domain: "}';
$until = time() + 60;
while ( time() < $until ) {
	$client = @stream_socket_accept( $server, 1 );
	if ( ! $client ) {
		continue;
	}
	stream_set_timeout( $client, 5 );
	$head = '';
	while ( false === strpos( $head, "\r\n\r\n" ) && ! feof( $client ) && strlen( $head ) < 65536 ) {
		$chunk = fread( $client, 8192 );
		if ( false === $chunk || '' === $chunk ) {
			break;
		}
		$head .= $chunk;
	}
	$lines   = explode( "\r\n", substr( $head, 0, (int) strpos( $head, "\r\n\r\n" ) ) );
	$request = array(
		'request_line' => array_shift( $lines ),
		'headers'      => array(),
	);
	foreach ( $lines as $line ) {
		$colon = strpos( $line, ':' );
		if ( false !== $colon ) {
			$request['headers'][ strtolower( trim( substr( $line, 0, $colon ) ) ) ] = trim( substr( $line, $colon + 1 ) );
		}
	}
	$length = isset( $request['headers']['content-length'] ) ? (int) $request['headers']['content-length'] : 0;
	$have   = strlen( $head ) - ( strpos( $head, "\r\n\r\n" ) + 4 );
	while ( $have < $length && ! feof( $client ) ) {
		$chunk = fread( $client, $length - $have );
		if ( false === $chunk || '' === $chunk ) {
			break;
		}
		$have += strlen( $chunk );
	}
	file_put_contents( $argv[2], json_encode( $request ) . "\n", FILE_APPEND | LOCK_EX );
	fwrite( $client, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " . strlen( $body ) . "\r\nConnection: close\r\n\r\n" . $body );
	fclose( $client );
}
