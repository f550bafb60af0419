"""Socket plumbing for the echo backends: one listening socket per backend,
threads for its connections, a clean stop.

Backend holds identity, log and the start/stop contract; StreamBackend
accepts TCP connections (each served by its own thread, optionally after a
TLS handshake) and DatagramBackend answers UDP datagrams. Protocol classes
in echo.py implement handle_connection() or answer().
"""

import selectors
import socket
import ssl
import threading

LOCALHOST = "127.0.0.1"
TLS_HANDSHAKE_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


def server_tls_context(cert, key, client_ca, alpn, on_sni):
    """A TLS server context like echo-basic's: TLS >= 1.2, client certificates
    requested only when a client CA is configured (Go's
    VerifyClientCertIfGiven), SNI recorded through `on_sni`."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    if client_ca:
        context.verify_mode = ssl.CERT_OPTIONAL
        context.load_verify_locations(client_ca)
    if alpn:
        context.set_alpn_protocols(alpn)
    context.sni_callback = on_sni
    return context


class _Log:
    """Thread-safe list of log lines that tests can wait on (no polling)."""

    def __init__(self, prefix, sink=None):
        self._prefix = prefix
        self._sink = sink
        self._lines = []
        self._cond = threading.Condition()

    def add(self, line):
        with self._cond:
            self._lines.append(line)
            self._cond.notify_all()
        if self._sink:
            self._sink(self._prefix + line)

    def lines(self):
        with self._cond:
            return list(self._lines)

    def clear(self):
        with self._cond:
            self._lines.clear()

    def wait_for(self, text, count, timeout):
        """Wait until `count` lines contain `text`; returns those lines
        (fewer if the timeout expired first)."""
        def matching():
            return [line for line in self._lines if text in line]
        with self._cond:
            self._cond.wait_for(lambda: len(matching()) >= count, timeout)
            return matching()


class _Connection:
    """An accepted socket, which may be swapped for its TLS wrapper, and which
    stop() must be able to shut down from another thread at any moment."""

    def __init__(self, sock):
        self.sock = sock
        self._lock = threading.Lock()
        self._closed = False

    def wrap(self, wrapper):
        """Replace the socket by wrapper(socket); None if already shut down."""
        with self._lock:
            if self._closed:
                return None
            self.sock = wrapper(self.sock)
            return self.sock

    def shutdown(self):
        """Wake any thread blocked on this connection (reads then see EOF)."""
        with self._lock:
            self._closed = True
            try:
                # The plain-socket shutdown, also for SSLSocket (whose own
                # shutdown() would tear down the TLS object under the reader).
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        with self._lock:
            self._closed = True
            self.sock.close()


def reset_on_close(sock):
    """Abort a TCP connection with RST instead of FIN (SO_LINGER 0)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
    except OSError:
        pass


def peer_name(address):
    """"host:port", as Go formats RemoteAddr."""
    return "%s:%d" % address[:2]


class Backend:
    """One imitated Service endpoint: a socket on 127.0.0.1 plus threads.

    Subclasses implement the protocol; this class holds identity, log and
    the start/stop contract (stop() returns only when every thread ended).
    """

    modes = ()
    transport = "tcp"

    def __init__(self, identity, mode, *, host=LOCALHOST, port=0, cert=None, key=None,
                 client_ca=None, http_port=None, log_sink=None):
        if mode not in self.modes:
            raise ValueError("%s does not serve mode %r" % (type(self).__name__, mode))
        self.identity = identity
        self.mode = mode
        self.host = host
        self._requested_port = port
        self.cert, self.key, self.client_ca = cert, key, client_ca
        self._http_port = http_port
        self._log = _Log("%s/%s: " % (identity.namespace, identity.pod), log_sink)
        self._stopping = threading.Event()
        self._sock = None
        self._port = None
        self._wake_r = self._wake_w = None
        self._thread = None
        self._server_names = []
        self._sni_lock = threading.Lock()

    # Identity and address ---------------------------------------------

    service = property(lambda self: self.identity.service)
    namespace = property(lambda self: self.identity.namespace)
    pod = property(lambda self: self.identity.pod)

    @property
    def port(self):
        """The port the OS chose (or the one requested); kept after stop()."""
        return self._port

    @property
    def address(self):
        return (self.host, self.port)

    @property
    def label(self):
        return "%s/%s(%s)" % (self.namespace, self.service, self.mode)

    def describe(self):
        """JSON-friendly summary, as printed by the CLI."""
        return {"service": self.service, "namespace": self.namespace, "pod": self.pod,
                "mode": self.mode, "host": self.host, "port": self.port}

    # Log ----------------------------------------------------------------

    def log(self):
        """Log lines so far (e.g. "Echoing back request made to /x to client (...)")."""
        return self._log.lines()

    def clear_log(self):
        self._log.clear()

    def wait_for_log(self, text, count=1, timeout=5.0):
        """Lines containing `text` once there are `count` of them or the
        timeout passed. Mirrored requests arrive asynchronously, so mirror
        tests wait here instead of sleeping."""
        return self._log.wait_for(text, count, timeout)

    def server_names(self):
        """SNI values of the TLS handshakes seen so far (None: no SNI sent)."""
        with self._sni_lock:
            return list(self._server_names)

    # Lifecycle ------------------------------------------------------------

    def start(self):
        self._sock = self._bind()
        self._port = self._sock.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, name="gwtest-echo " + self.label,
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=STOP_TIMEOUT):
        """Stop serving and wait for every thread of this backend to end."""
        if self._thread is None or self._stopping.is_set():
            return
        self._stopping.set()
        self._wake_w.send(b"x")
        self._thread.join(timeout)
        self._stop_workers(timeout)
        for sock in (self._sock, self._wake_r, self._wake_w):
            sock.close()

    def threads(self):
        """Live threads belonging to this backend (for leak checks)."""
        return [t for t in [self._thread] if t and t.is_alive()]

    def _bind(self):
        """Create the bound, non-blocking socket."""
        raise NotImplementedError

    def _on_readable(self):
        """Handle readiness of the socket (accept a connection, read a datagram)."""
        raise NotImplementedError

    def _stop_workers(self, timeout):
        """Stop per-connection threads, if the subclass has any."""

    def _serve(self):
        """Dispatch socket readiness until stop() writes to the wake-up pair;
        blocking in select() means no polling and an immediate stop."""
        with selectors.DefaultSelector() as selector:
            selector.register(self._sock, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self._wake_r:
                        return
                    self._on_readable()

    def _record_sni(self, tls_object, server_name, _context):
        """SSLContext.sni_callback: remember the ClientHello's server_name."""
        tls_object.gwtest_server_name = server_name
        with self._sni_lock:
            self._server_names.append(server_name)


class StreamBackend(Backend):
    """TCP listener; each connection is served by its own thread, optionally
    after a TLS handshake. Subclasses implement handle_connection()."""

    tls_modes = ()
    alpn = None

    def __init__(self, identity, mode, **options):
        super().__init__(identity, mode, **options)
        self._tls_context = None
        if mode in self.tls_modes:
            if not (self.cert and self.key):
                raise ValueError("mode %r needs cert= and key=" % mode)
            self._tls_context = server_tls_context(self.cert, self.key, self.client_ca,
                                                   self.alpn, self._record_sni)
        self._connections = {}  # _Connection -> Thread
        self._connections_lock = threading.Lock()
        self._accepted = 0

    def _bind(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        sock.listen(128)
        sock.setblocking(False)
        return sock

    def _on_readable(self):
        try:
            sock, address = self._sock.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        except OSError as error:  # e.g. EMFILE: back off instead of spinning
            self._log.add("accept error: %s" % error)
            self._stopping.wait(0.1)
            return
        sock.setblocking(True)
        with self._connections_lock:
            self._accepted += 1
        connection = _Connection(sock)
        thread = threading.Thread(target=self._run_connection, args=(connection, address),
                                  name="gwtest-echo %s %s" % (self.label, peer_name(address)),
                                  daemon=True)
        with self._connections_lock:
            self._connections[connection] = thread
        thread.start()

    def accepted(self):
        """TCP connections accepted so far, whatever they then carried: proof
        that a client was (or was never) let through to this backend."""
        with self._connections_lock:
            return self._accepted

    def _stop_workers(self, timeout):
        with self._connections_lock:
            pending = list(self._connections.items())
        for connection, _ in pending:
            connection.shutdown()
        for _, thread in pending:
            thread.join(timeout)

    def threads(self):
        with self._connections_lock:
            workers = [t for t in self._connections.values() if t.is_alive()]
        return super().threads() + workers

    def _run_connection(self, connection, address):
        peer = peer_name(address)
        try:
            sock, tls_sock = connection.sock, None
            if self._tls_context:
                sock = tls_sock = self._handshake(connection, peer)
            if sock is not None:
                self.handle_connection(sock, peer, tls_sock)
        except (OSError, ValueError, EOFError):
            pass  # peer went away or stop() shut the socket down
        finally:
            connection.close()
            with self._connections_lock:
                self._connections.pop(connection, None)

    def _handshake(self, connection, peer):
        """Server-side TLS handshake in the connection's own thread, so a slow
        or failing client never blocks accepting others."""
        def wrap(sock):
            sock.settimeout(TLS_HANDSHAKE_TIMEOUT)
            return self._tls_context.wrap_socket(sock, server_side=True,
                                                 do_handshake_on_connect=False)
        tls_sock = connection.wrap(wrap)
        if tls_sock is None:
            return None
        try:
            tls_sock.do_handshake()
        except (ssl.SSLError, OSError) as error:
            self._log.add("TLS handshake error from %s: %s" % (peer, error))
            return None
        tls_sock.settimeout(None)
        return tls_sock

    def handle_connection(self, sock, peer, tls_sock):
        """Serve one connection; `tls_sock` is the same socket when TLS is on."""
        raise NotImplementedError


class DatagramBackend(Backend):
    """UDP socket served by one thread; subclasses implement answer()."""

    transport = "udp"
    read_size = 65535  # bytes read per datagram

    def _bind(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((self.host, self._requested_port))
        sock.setblocking(False)
        return sock

    def _on_readable(self):
        try:
            payload, address = self._sock.recvfrom(self.read_size)
        except OSError:  # e.g. ICMP port unreachable from an earlier reply
            return
        reply = self.answer(payload, peer_name(address))
        if reply is not None:
            try:
                self._sock.sendto(reply, address)
            except OSError:
                pass

    def answer(self, payload, peer):
        raise NotImplementedError
