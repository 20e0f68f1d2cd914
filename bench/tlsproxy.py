#!/usr/bin/env python3
"""A TLS front for the plain-HTTP simulator that adds a network's latency,
on loopback only (the kernels here have no netem).

  python3 bench/tlsproxy.py --upstream 127.0.0.1:PORT --dir DIR --port-file FILE
      [--delay-ms 20] [--lifetime 1800]

At start it makes a test CA and a leaf for 127.0.0.1 / localhost with
`openssl` (DIR/ca.pem is what clients trust, e.g. SSL_CERT_FILE), then
listens on two loopback ports and writes "KEEP CLOSE" to FILE:
  KEEP   keeps connections alive, as Closte's servers do;
  CLOSE  answers `Connection: close` and closes after each answer, so every
         call of a client that would reuse its connection opens a new one.

The latency model: everything sent to the client leaves DELAY after it was
ready, in order (a one-way pipe of DELAY on the return path), so every
round trip costs DELAY more, the TLS handshake's included. The kernel
completes the TCP handshake at once, so the first flight of each connection
waits DELAY twice: the round trip of SYN / SYN-ACK, then its own. A TLS 1.3
connection and one request thus take 3 x DELAY, as over a real network.
Timing uses threads and time.sleep (nanosleep), not an event loop: asyncio
rounds its timers to the millisecond, which would be 5% of a 20 ms delay.

The proxy stops by itself after --lifetime seconds, or when the process that
started it is gone.
"""

import argparse
import ctypes
import os
import queue
import socket
import ssl
import subprocess
import sys
import threading
import time

CLOSE = object()  # sentinel in a writer's queue: close the connection


def make_certs(directory):
    """An EC P-256 CA and a leaf signed by it (fast handshakes on both sides)."""
    ca, leaf, key = (os.path.join(directory, n) for n in ("ca.pem", "leaf.pem", "leaf.key"))
    if all(os.path.exists(p) for p in (ca, leaf, key)):
        return ca, leaf, key
    run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)
    ca_key = os.path.join(directory, "ca.key")
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", ca_key, "-out", ca, "-days", "2", "-subj", "/CN=closte bench test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    csr = os.path.join(directory, "leaf.csr")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    ext = os.path.join(directory, "leaf.ext")
    with open(ext, "w", encoding="ascii") as handle:
        handle.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                     "basicConstraints=critical,CA:FALSE\n"
                     "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
        "-out", leaf, "-days", "2", "-extfile", ext)
    return ca, leaf, key


class Connection:
    """One client connection: TLS in memory BIOs (so that the handshake's
    bytes are delayed like any others), one upstream connection, a writer
    thread that sends each chunk at its due time."""

    def __init__(self, client, context, upstream, delay, close_after_answer):
        self.client = client
        self.delay = delay
        self.close_after_answer = close_after_answer
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_side=True)
        self.lock = threading.Lock()  # an SSLObject is not thread-safe
        self.pending = queue.Queue()
        self.first_flight = True
        try:
            self.upstream = socket.create_connection(upstream)
        except OSError:
            client.close()
            return
        for s in (client, self.upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=self.write_loop, daemon=True).start()
        threading.Thread(target=self.answer_loop, daemon=True).start()
        self.request_loop()

    def flush(self, *, then_close=False):
        """Queues what TLS produced (call with the lock held)."""
        data = self.outgoing.read()
        if data:
            due = time.monotonic() + self.delay * (2 if self.first_flight else 1)
            self.first_flight = False
            self.pending.put((due, data))
        if then_close:
            self.pending.put((time.monotonic(), CLOSE))

    def write_loop(self):
        try:
            while True:
                due, data = self.pending.get()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if data is CLOSE:
                    break
                self.client.sendall(data)
        except OSError:
            pass
        self.shutdown()

    def request_loop(self):
        """Client bytes in: the handshake, then requests sent upstream."""
        try:
            while True:
                data = self.client.recv(65536)
                if not data:
                    break
                with self.lock:
                    self.incoming.write(data)
                    plain = self.read_plain()
                    self.flush()
                if plain:
                    self.upstream.sendall(plain)
        except (OSError, ssl.SSLError):
            pass
        self.shutdown()

    def read_plain(self):
        out = b""
        try:
            self.tls.do_handshake()
            while True:
                chunk = self.tls.read(65536)
                if not chunk:
                    break
                out += chunk
        except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
            pass
        return out

    def answer_loop(self):
        """Upstream bytes out, encrypted. In close mode, one answer (head and
        Content-Length body) per connection, marked `Connection: close`."""
        buffered, head_done, remaining = b"", False, 0
        try:
            while True:
                data = self.upstream.recv(65536)
                if not data:
                    break
                if not self.close_after_answer:
                    with self.lock:
                        self.tls.write(data)
                        self.flush()
                    continue
                if not head_done:
                    buffered += data
                    end = buffered.find(b"\r\n\r\n")
                    if end < 0:
                        continue
                    head, data = buffered[:end + 4], buffered[end + 4:]
                    head_done = True
                    remaining = content_length(head) - len(data)
                    data = head.replace(b"Connection: keep-alive", b"Connection: close") + data
                else:
                    remaining -= len(data)
                with self.lock:
                    self.tls.write(data)
                    if remaining <= 0:
                        self.close_notify()
                    self.flush(then_close=remaining <= 0)
                if remaining <= 0:
                    break
        except (OSError, ssl.SSLError):
            pass
        if not self.close_after_answer:
            with self.lock:
                self.pending.put((time.monotonic() + self.delay, CLOSE))

    def close_notify(self):
        """The TLS alert a server sends before it closes (lock held)."""
        try:
            self.tls.unwrap()
        except (ssl.SSLWantReadError, ssl.SSLError):
            pass

    def shutdown(self):
        for s in (self.client, self.upstream):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def content_length(head):
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def serve(listener, context, upstream, delay, close_after_answer):
    while True:
        client, _ = listener.accept()
        threading.Thread(target=Connection, args=(client, context, upstream, delay, close_after_answer),
                         daemon=True).start()


def precise_sleeps():
    """Linux lets a sleep end up to 50 µs late by default (timer slack); 1 ns
    makes the delay what it says."""
    try:
        ctypes.CDLL(None).prctl(29, 1, 0, 0, 0)  # PR_SET_TIMERSLACK
    except (OSError, AttributeError):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT of the plain-HTTP simulator")
    parser.add_argument("--dir", required=True, help="where the test CA and leaf are made")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--delay-ms", type=float, default=20.0)
    parser.add_argument("--lifetime", type=float, default=1800.0, help="seconds before it stops by itself")
    args = parser.parse_args()
    host, _, port = args.upstream.rpartition(":")
    if host not in ("127.0.0.1", "localhost"):
        sys.exit("tlsproxy: loopback upstreams only")
    precise_sleeps()
    _, leaf, key = make_certs(args.dir)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(leaf, key)
    ports = []
    for close_after_answer in (False, True):
        listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        ports.append(str(listener.getsockname()[1]))
        threading.Thread(target=serve, daemon=True,
                         args=(listener, context, (host, int(port)), args.delay_ms / 1000, close_after_answer)).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="ascii") as handle:
        handle.write(" ".join(ports) + "\n")
    os.replace(tmp, args.port_file)
    parent, deadline = os.getppid(), time.monotonic() + args.lifetime
    while time.monotonic() < deadline and os.getppid() == parent:
        time.sleep(0.5)


if __name__ == "__main__":
    main()
