#!/usr/bin/env bash
# The main job on a fresh machine: install PHP's CLI and headers if needed
# (nothing else: no WordPress, no database), build the extension and the
# simulator, start the simulator on loopback and a local TLS server, then
# map and unmap domains from PHP through the real .so, ride out a simulated
# outage, hold a timeout, and check a certificate.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --build
echo "building the extension and the simulator (first build takes a few minutes)..."
bash scripts/build.sh
# shellcheck source=sim.sh
source scripts/sim.sh
start_simulator
echo "closte-sim listening on $CLOSTE_SIM_URL"

# A certificate for shop.customer-example.com from a CA made here, served by
# openssl on loopback: what closte_ssl_status() sees once Closte issued it.
tls="$(mktemp -d /tmp/closte-demo.XXXXXX)"
tls_pid=""
trap 'kill "$CLOSTE_SIM_PID" ${tls_pid:+"$tls_pid"} 2>/dev/null || true; rm -rf "$tls"' EXIT
{
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj '/CN=closte demo CA' -keyout "$tls/ca.key" -out "$tls/ca.pem" &&
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -subj '/CN=shop.customer-example.com' -keyout "$tls/leaf.key" -out "$tls/leaf.csr" &&
        openssl x509 -req -in "$tls/leaf.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
            -days 30 -extfile <(printf 'subjectAltName=DNS:shop.customer-example.com\nextendedKeyUsage=serverAuth\n') \
            -out "$tls/leaf.pem"
} >"$tls/openssl.log" 2>&1 || { cat "$tls/openssl.log" >&2; exit 1; }
tls_port="$(php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);')"
openssl s_server -quiet -accept "127.0.0.1:$tls_port" -cert "$tls/leaf.pem" -key "$tls/leaf.key" \
    </dev/null >"$tls/s_server.log" 2>&1 &
tls_pid=$!
for _ in $(seq 1 50); do
    php -n -r 'exit(@fsockopen("127.0.0.1", (int) $argv[1]) ? 0 : 1);' "$tls_port" && break
    sleep 0.1
done
echo
CLOSTE_DEMO_TLS_PORT="$tls_port" CLOSTE_DEMO_CA="$tls/ca.pem" \
    php -n -d extension="$root/target/release/libcloste.so" examples/map-and-unmap.php
