"""Clients that talk to nginx the way the conformance harness does.

The upstream harness is Go's net/http client plus small TCP/UDP/TLS dialers.
These helpers reproduce what the comparison depends on:

- the request target is sent byte for byte ("/a%20b", "//x", "/../" reach
  nginx unchanged), with an explicit Host header;
- like Go's client, User-Agent "Go-http-client/1.1" and "Accept-Encoding:
  gzip" are added unless the caller sets them, and a gzip body is then
  decompressed transparently (Content-Encoding/Content-Length removed);
- redirects are never followed; the echo JSON is parsed only when
  Content-Type is exactly "application/json";
- TLS never verifies the server and sends SNI only when `sni` is given;
  no ALPN is offered unless asked for (the harness's HTTP/1.1 transport
  does not negotiate h2).

HTTP/2 (h2_request, h2_connection) speaks cleartext h2c with prior knowledge
or TLS with ALPN h2, sending the header list Go's HTTP/2 transport sends.
grpc_call makes one unary gRPC call like the harness's grpc-go client and
reports the status grpc-go would report.

The harness also sends "X-Echo-Set-Header" on every request; callers
running conformance cases add it to `headers` themselves.
"""

import contextlib
import dataclasses
import gzip
import json
import socket
import ssl
import typing

from . import _grpc as grpcwire
from . import _websocket as ws
from . import dns, h2
from ._gocompat import go_status_line
from ._wire import (ProtocolError, header_values, parse_header_lines, read_head,
                    read_response_body, encode_chunked)

LOCALHOST = "127.0.0.1"
GO_USER_AGENT = "Go-http-client/1.1"
GO_H2_USER_AGENT = "Go-http-client/2.0"
GRPC_USER_AGENT = "grpc-go/1.64.0"  # the harness's grpc-go client; the version is nominal
_BODY_METHODS = ("POST", "PUT", "PATCH")
_IDEMPOTENT = ("GET", "HEAD", "OPTIONS", "TRACE")


def default_host(port, scheme="http", address=LOCALHOST):
    """The Host the harness sends when a case has no host: the dialled
    address, with ":port" unless it is the scheme's default port."""
    default = {"http": 80, "ws": 80, "https": 443, "wss": 443}.get(scheme)
    return address if port == default else "%s:%d" % (address, port)


def service_from_pod(pod):
    """Strip the last two dash-separated parts, as the weight tests do."""
    return pod.rsplit("-", 2)[0] if pod.count("-") >= 2 else pod


def _client_tls_context(client_cert=None, alpn=None):
    """A TLS client context that trusts anything, as the harness effectively
    does for these checks; optionally presents a client certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if client_cert:
        context.load_cert_chain(*client_cert)
    if alpn:
        context.set_alpn_protocols(list(alpn))
    return context


def _connect(port, address, timeout, tls=False, sni=None, client_cert=None, alpn=None):
    """A connected (and, with tls, handshaken) socket."""
    sock = socket.create_connection((address, port), timeout=timeout)
    if not tls:
        return sock
    try:
        return _client_tls_context(client_cert, alpn).wrap_socket(sock, server_hostname=sni)
    except BaseException:
        sock.close()
        raise


def _header_pairs(headers):
    """Normalise a dict (values may be lists) or a list of pairs to pairs."""
    if headers is None:
        return []
    items = headers.items() if isinstance(headers, dict) else headers
    pairs = []
    for name, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs.extend((name, str(v)) for v in values)
    return pairs


# --------------------------------------------------------------------------
# HTTP


@dataclasses.dataclass
class Response:
    status: int
    reason: str
    proto: str
    headers: list  # [(name, value)] with names as received
    body: bytes
    echo: dict = None  # parsed echo JSON (Content-Type exactly application/json)
    uncompressed: bool = False  # body was gunzipped (Go's Response.Uncompressed)
    trailers: list = dataclasses.field(default_factory=list)  # HTTP/2 trailer fields

    def header(self, name, default=None):
        """First value of a header (case-insensitive name), like Header.Get."""
        values = header_values(self.headers, name)
        return values[0] if values else default

    def header_values(self, name):
        return header_values(self.headers, name)

    @property
    def pod(self):
        return (self.echo or {}).get("pod", "")

    @property
    def namespace(self):
        return (self.echo or {}).get("namespace", "")


def _parse_status_line(line):
    proto, _, rest = line.partition(" ")
    code, _, reason = rest.partition(" ")
    if not proto.startswith("HTTP/") or not code.isdigit():
        raise ProtocolError("malformed status line %r" % line)
    return proto, int(code), reason


def _parse_echo(headers, body):
    """The echo JSON, only when Content-Type is exactly application/json
    (otherwise the harness treats every echoed field as empty)."""
    content_types = header_values(headers, "Content-Type")
    if not content_types or content_types[0] != "application/json":
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


class HTTPConnection:
    """One client connection reused for several requests (keep-alive).

    If the server ends the connection, the next request transparently opens
    a new one; `connects` counts how many were opened, so tests can check
    that keep-alive really happened.
    """

    def __init__(self, port, *, address=LOCALHOST, scheme="http", sni=None, timeout=5.0,
                 client_cert=None, alpn=None):
        if scheme not in ("http", "https"):
            raise ValueError("scheme must be http or https")
        self.port, self.address, self.scheme, self.sni = port, address, scheme, sni
        self.timeout, self.client_cert, self.alpn = timeout, client_cert, alpn
        self.connects = 0
        self._sock = self._rfile = None

    def _ensure_connected(self):
        if self._sock is None:
            self._sock = _connect(self.port, self.address, self.timeout, self.scheme == "https",
                                  self.sni, self.client_cert, self.alpn)
            self._rfile = self._sock.makefile("rb")
            self.connects += 1

    @property
    def tls_version(self):
        return self._sock.version() if isinstance(self._sock, ssl.SSLSocket) else None

    def request(self, path, host=None, method="GET", headers=None, body=None,
                go_defaults=True, chunked=False):
        """Send one request and read the whole response (never redirects).

        path: str (UTF-8 encoded) or bytes, sent exactly as given.
        host: Host header value; None = default_host(port, scheme).
        body: bytes/str; sent with Content-Length, or chunked if chunked=True.
        """
        retry_allowed = self._sock is not None and method in _IDEMPOTENT and not body
        try:
            response, reusable, added_gzip = self._exchange(
                path, host, method, headers, body, go_defaults, chunked)
        except ConnectionError:
            self.close()
            if not retry_allowed:
                raise
            # The server closed the reused idle connection first; like Go,
            # retry an idempotent request once on a new connection.
            response, reusable, added_gzip = self._exchange(
                path, host, method, headers, body, go_defaults, chunked)
        if not reusable or _wants_close(response.headers):
            self.close()
        if added_gzip:
            _gunzip(response)
        response.echo = _parse_echo(response.headers, response.body)
        return response

    def _exchange(self, *request):
        """Send and read one request; closes the connection on any error."""
        self._ensure_connected()
        try:
            added_gzip = self._send(*request)
            response, reusable = self._read_response(request[2])
        except BaseException:
            self.close()
            raise
        return response, reusable, added_gzip

    def _send(self, path, host, method, headers, body, go_defaults, chunked):
        """Write the request; returns True if Accept-Encoding: gzip was added."""
        pairs = _header_pairs(headers)
        names = {n.lower() for n, _ in pairs}
        if host is None:
            host = default_host(self.port, self.scheme, self.address)
        added_gzip = False
        if go_defaults:
            if "user-agent" not in names:
                pairs.append(("User-Agent", GO_USER_AGENT))
            if "accept-encoding" not in names and "range" not in names and method != "HEAD":
                pairs.append(("Accept-Encoding", "gzip"))
                added_gzip = True
        data = body.encode() if isinstance(body, str) else body
        if chunked:
            pairs.append(("Transfer-Encoding", "chunked"))
            data = encode_chunked(data or b"")
        elif "content-length" not in names and (data or method in _BODY_METHODS):
            pairs.append(("Content-Length", str(len(data or b""))))
        target = path if isinstance(path, bytes) else path.encode("utf-8")
        head = b"%s %s HTTP/1.1\r\n" % (method.encode("ascii"), target)
        head += ("Host: %s\r\n" % host).encode("utf-8")
        head += "".join("%s: %s\r\n" % pair for pair in pairs).encode("utf-8")
        self._sock.sendall(head + b"\r\n" + (data or b""))
        return added_gzip

    def _read_response(self, method):
        """Read a final response, skipping 1xx interim ones (except 101)."""
        while True:
            lines = read_head(self._rfile)
            if lines is None:
                raise ConnectionError("server closed the connection without a response")
            proto, status, reason = _parse_status_line(lines[0])
            headers = parse_header_lines(lines[1:])
            if 100 <= status < 200 and status != 101:
                continue
            body, reusable = read_response_body(self._rfile, headers, method, status)
            return Response(status, reason, proto, headers, body), reusable and status != 101

    def close(self):
        if self._sock is not None:
            self._rfile.close()
            self._sock.close()
            self._sock = self._rfile = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _wants_close(headers):
    return any(t.strip().lower() == "close"
               for v in header_values(headers, "Connection") for t in v.split(","))


def _gunzip(response):
    """Go's transparent decompression when the client itself asked for gzip."""
    if (response.header("Content-Encoding") or "").lower() != "gzip" or not response.body:
        return
    response.body = gzip.decompress(response.body)
    response.headers = [(n, v) for n, v in response.headers
                        if n.lower() not in ("content-encoding", "content-length")]
    response.uncompressed = True


def http_request(port, host, path, method="GET", headers=None, scheme="http", sni=None,
                 body=None, timeout=5, *, address=LOCALHOST, client_cert=None, alpn=None,
                 go_defaults=True, chunked=False):
    """One request on a fresh connection; returns a Response.

    host None means default_host(port, scheme). client_cert is a
    (certfile, keyfile) pair presented during the TLS handshake.
    """
    with HTTPConnection(port, address=address, scheme=scheme, sni=sni, timeout=timeout,
                        client_cert=client_cert, alpn=alpn) as connection:
        return connection.request(path, host, method, headers, body, go_defaults, chunked)


# --------------------------------------------------------------------------
# HTTP/2 and gRPC


def _wire_text(text):
    """str as sent on the wire (UTF-8), in the latin-1 form h2 uses."""
    return text.decode("latin-1") if isinstance(text, bytes) else text.encode("utf-8").decode(
        "latin-1")


@contextlib.contextmanager
def h2_connection(port, *, address=LOCALHOST, tls=False, sni=None, timeout=5, client_cert=None):
    """A client h2.H2Connection on a fresh socket, preface already sent;
    closed on exit. tls=False: cleartext with prior knowledge; tls=True:
    ALPN offers only h2 and ConnectionError is raised unless it is chosen."""
    with _connect(port, address, timeout, tls, sni, client_cert, ["h2"] if tls else None) as sock:
        if tls and sock.selected_alpn_protocol() != "h2":
            raise ConnectionError("server did not select h2 in ALPN (selected %r)"
                                  % sock.selected_alpn_protocol())
        with sock.makefile("rb") as rfile:
            conn = h2.H2Connection(sock, rfile, client=True)
            conn.start_client()
            yield conn


def h2_request_fields(method, scheme, authority, path, headers=None, body=b"", go_defaults=True):
    """The header list Go's HTTP/2 transport sends, and whether it added
    "accept-encoding: gzip" (then it also decompresses).

    Pseudo-headers first; the caller's fields with lower-case names, skipping
    host and content-length (Go derives them) and connection-specific fields
    (which Go drops); content-length for bodies and for POST/PUT/PATCH;
    Go's accept-encoding and user-agent defaults. ValueError for fields
    HTTP/2 cannot carry.
    """
    fields = [(":authority", _wire_text(authority)), (":method", method),
              (":path", _wire_text(path)), (":scheme", scheme)]
    names = set()
    for name, value in _header_pairs(headers):
        lower = name.lower()
        names.add(lower)
        if lower not in ("host", "content-length") and lower not in h2.CONNECTION_SPECIFIC:
            fields.append((lower, _wire_text(value)))
    if body or method in _BODY_METHODS:
        fields.append(("content-length", str(len(body))))
    added_gzip = False
    if go_defaults:
        if "accept-encoding" not in names and "range" not in names and method != "HEAD":
            fields.append(("accept-encoding", "gzip"))
            added_gzip = True
        if "user-agent" not in names:
            fields.append(("user-agent", GO_H2_USER_AGENT))
    try:
        h2.validate_request_headers(fields)
    except h2.H2Error as error:
        raise ValueError("cannot send this request over HTTP/2: %s" % error.message) from None
    return fields, added_gzip


def response_from_h2(stream, added_gzip=False):
    """A Response for a finished client stream (proto "HTTP/2.0", header
    names lower-case as received, trailers in .trailers)."""
    status = stream.status
    reason = go_status_line(status).split(" ", 2)[2]
    response = Response(status, reason, "HTTP/2.0", stream.fields(), bytes(stream.body),
                        trailers=list(stream.trailers or []))
    if added_gzip:
        _gunzip(response)
    response.echo = _parse_echo(response.headers, response.body)
    return response


def h2_request(port, host, path, method="GET", headers=None, scheme="http", sni=None, body=None,
               timeout=5, *, address=LOCALHOST, client_cert=None, go_defaults=True):
    """One HTTP/2 request on a fresh connection; returns a Response like
    http_request's. scheme "http": cleartext h2c with prior knowledge;
    "https": TLS with ALPN h2. host None means default_host(port, scheme);
    it is sent as :authority. Raises h2.StreamReset if the server resets
    the stream and h2.H2Error for protocol violations."""
    if scheme not in ("http", "https"):
        raise ValueError("scheme must be http or https")
    authority = default_host(port, scheme, address) if host is None else host
    data = body.encode() if isinstance(body, str) else (body or b"")
    fields, added_gzip = h2_request_fields(method, scheme, authority, path, headers, data,
                                           go_defaults)
    with h2_connection(port, address=address, tls=scheme == "https", sni=sni, timeout=timeout,
                       client_cert=client_cert) as conn:
        stream = conn.wait_for_response(conn.send_request(fields, data))
    return response_from_h2(stream, added_gzip)


def alpn_negotiated(port, sni, offer=("h2", "http/1.1"), timeout=5, *, address=LOCALHOST):
    """The protocol the server selected from `offer` (None if it selected
    none); ConnectionError if the TLS handshake fails."""
    dial = tls_dial(port, sni, timeout, address=address, alpn=list(offer))
    if not dial.ok:
        raise ConnectionError("TLS handshake failed (%s): %s" % (dial.kind, dial.error))
    return dial.alpn


class GRPCResult(typing.NamedTuple):
    """Outcome of grpc_call, unpackable as (status, message, headers, response)."""
    status: int  # gRPC status code (0 = OK)
    message: str  # grpc-message, percent-decoded
    headers: list  # response header fields, then trailer fields; no pseudo-headers
    response: object  # EchoResponse as dict (echo service), raw message bytes, or None


def _first_field(fields, name, default=None):
    return next((v for n, v in fields if n == name), default)


def grpc_request_fields(authority, scheme, service, method, metadata=None):
    """What grpc-go's client sends: pseudo-headers, content-type, user-agent,
    te, then metadata with lower-case keys ("-bin" values, str or bytes,
    are base64-encoded)."""
    fields = [(":method", "POST"), (":scheme", scheme), (":path", "/%s/%s" % (service, method)),
              (":authority", _wire_text(authority)), ("content-type", grpcwire.CONTENT_TYPE),
              ("user-agent", GRPC_USER_AGENT), ("te", "trailers")]
    items = metadata.items() if isinstance(metadata, dict) else (metadata or [])
    for key, value in items:
        for element in value if isinstance(value, (list, tuple)) else [value]:
            key = key.lower()
            if key.endswith("-bin"):
                raw = element if isinstance(element, bytes) else element.encode("utf-8")
                element = grpcwire.encode_binary_header(raw)
            fields.append((key, _wire_text(element)))
    return fields


def _unary_response(service, body):
    """The single response message: parsed EchoResponse for the echo service,
    raw bytes otherwise. Raises GRPCError like grpc-go's client would fail."""
    messages = grpcwire.split_messages(body)
    if len(messages) != 1:
        raise grpcwire.GRPCError(grpcwire.INTERNAL, "grpc: expected 1 response message, got %d"
                                 % len(messages))
    compressed, payload = messages[0]
    if compressed:
        raise grpcwire.GRPCError(grpcwire.INTERNAL, "grpc: compressed response not requested")
    if service != grpcwire.ECHO_SERVICE:
        return payload
    try:
        return grpcwire.decode_message("EchoResponse", payload)
    except grpcwire.ProtobufError as error:
        raise grpcwire.GRPCError(grpcwire.INTERNAL, "grpc: failed to unmarshal the received "
                                 "message: %s" % error) from None


def grpc_result(stream, service):
    """The GRPCResult of a finished stream, judged as grpc-go's client does:
    a non-200 or non-gRPC response maps to a status, grpc-status comes from
    the trailers (or from the headers of a Trailers-Only response)."""
    headers = stream.fields() + list(stream.trailers or [])
    http_problem = grpcwire.status_from_http(stream.status,
                                             _first_field(stream.fields(), "content-type"))
    if http_problem:
        return GRPCResult(*http_problem, headers, None)
    status_fields = stream.trailers if stream.trailers is not None else stream.fields()
    raw_status = _first_field(status_fields, "grpc-status")
    if raw_status is None:
        return GRPCResult(grpcwire.INTERNAL, "server closed the stream without sending trailers",
                          headers, None)
    if not raw_status.isdigit():
        return GRPCResult(grpcwire.INTERNAL, "transport: malformed grpc-status: "
                          + grpcwire.go_quote(raw_status), headers, None)
    status = int(raw_status)
    message = grpcwire.decode_grpc_message(_first_field(status_fields, "grpc-message", ""))
    if status != grpcwire.OK:
        return GRPCResult(status, message, headers, None)
    try:
        return GRPCResult(status, message, headers, _unary_response(service, bytes(stream.body)))
    except grpcwire.GRPCError as error:
        return GRPCResult(error.code, error.message, headers, None)


def grpc_call(port, authority, service, method, metadata=None, tls=False, sni=None, timeout=5,
              *, address=LOCALHOST, request=b"", client_cert=None):
    """One unary gRPC call on a fresh HTTP/2 connection (cleartext prior
    knowledge, or TLS with ALPN h2); returns GRPCResult(status, message,
    headers, response).

    authority None means "127.0.0.1:port", as grpc-go derives it from the
    dialled target. request: the serialized request message (EchoRequest{}
    is empty). Outcomes grpc-go reports as statuses (HTTP errors, missing
    trailers, RST_STREAM) are returned; connection failures and HTTP/2
    protocol violations raise.
    """
    scheme = "https" if tls else "http"
    authority = "%s:%d" % (address, port) if authority is None else authority
    fields = grpc_request_fields(authority, scheme, service, method, metadata)
    with h2_connection(port, address=address, tls=tls, sni=sni, timeout=timeout,
                       client_cert=client_cert) as conn:
        stream = conn.send_request(fields, grpcwire.frame_message(request))
        try:
            conn.wait_for_response(stream)
        except h2.StreamReset as reset:
            code = grpcwire.RST_CODE_TO_GRPC.get(reset.code, grpcwire.INTERNAL)
            return GRPCResult(code, "stream terminated by RST_STREAM with error code: %s"
                              % h2.error_name(reset.code), stream.fields(), None)
    return grpc_result(stream, service)


# --------------------------------------------------------------------------
# TCP, UDP, DNS


@dataclasses.dataclass
class TCPExchange:
    welcome: str
    replies: list  # one str per line sent, without the newline

    def json(self, index=-1):
        """A reply parsed as JSON (the answer to a TEST line)."""
        return json.loads(self.replies[index])


def tcp_exchange(port, lines, tls=False, sni=None, timeout=5, *, address=LOCALHOST,
                 alpn=None, client_cert=None):
    """Talk to the TCP echo server (through the gateway): read the welcome
    line, then send each line and read one reply line for it. Every line must
    be one the server answers (PING, IS_TLS, TEST), or the read times out."""
    with _connect(port, address, timeout, tls, sni, client_cert, alpn) as sock:
        with sock.makefile("rb") as rfile:
            welcome = _read_line(rfile)
            replies = []
            for line in lines:
                sock.sendall(line.encode() + b"\n")
                replies.append(_read_line(rfile))
    return TCPExchange(welcome, replies)


def _read_line(rfile):
    line = rfile.readline(1 << 20)
    if not line.endswith(b"\n"):
        raise ConnectionError("connection closed before a complete line: %r" % line)
    return line[:-1].decode("utf-8", "replace")


def udp_exchange(port, payload, timeout=2, *, address=LOCALHOST, bufsize=65535):
    """Send one datagram from a fresh socket and return the first reply
    (raises TimeoutError if none arrives), like the harness's UDP sampler."""
    data = payload.encode() if isinstance(payload, str) else payload
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.connect((address, port))
        sock.send(data)
        return sock.recv(bufsize)


def dns_query(port, name, qtype="A", timeout=2, *, address=LOCALHOST):
    """One DNS query over UDP; returns the parsed dns.Message."""
    query = dns.build_query(name, qtype)
    reply = dns.parse(udp_exchange(port, query, timeout, address=address))
    if reply.id != dns.parse(query).id:
        raise dns.DNSError("DNS reply for a different query id")
    return reply


# --------------------------------------------------------------------------
# WebSocket


def websocket_echo(port, host, path, message, *, origin=None, timeout=5, address=LOCALHOST,
                   tls=False, sni=None):
    """Upgrade to WebSocket, send message(s) and return what was echoed.

    message: str (text frame) or bytes (binary frame), or a list of them to
    send in order on one connection (the conformance test sends a text then
    a binary frame); the result has the same shape, text frames as str.
    Raises ws.WebSocketError if the upgrade is refused.
    """
    messages = list(message) if isinstance(message, (list, tuple)) else [message]
    host = default_host(port, "wss" if tls else "ws", address) if host is None else host
    with _connect(port, address, timeout, tls, sni) as sock, sock.makefile("rb") as rfile:
        _websocket_handshake(sock, rfile, host, path, origin or "http://%s" % host)
        echoed = [_websocket_round_trip(sock, rfile, m) for m in messages]
        _websocket_close(sock, rfile)
    return echoed if isinstance(message, (list, tuple)) else echoed[0]


def _websocket_handshake(sock, rfile, host, path, origin):
    key = ws.new_key()
    request = ("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nOrigin: %s\r\n\r\n"
               % (path, host, key, origin))
    sock.sendall(request.encode("utf-8"))
    lines = read_head(rfile)
    if lines is None:
        raise ws.WebSocketError("connection closed during the WebSocket handshake")
    _, status, reason = _parse_status_line(lines[0])
    headers = parse_header_lines(lines[1:])
    if status != 101:
        raise ws.WebSocketError("upgrade refused: %d %s" % (status, reason))
    if header_values(headers, "Sec-WebSocket-Accept") != [ws.accept_key(key)]:
        raise ws.WebSocketError("wrong Sec-WebSocket-Accept")


def _websocket_round_trip(sock, rfile, message):
    is_text = isinstance(message, str)
    payload = message.encode("utf-8") if is_text else bytes(message)
    sock.sendall(ws.encode_frame(ws.TEXT if is_text else ws.BINARY, payload, mask=True))

    def on_control(opcode, data):
        if opcode == ws.PING:
            sock.sendall(ws.encode_frame(ws.PONG, data, mask=True))
        return opcode != ws.CLOSE

    opcode, data = ws.read_message(rfile, False, on_control)
    if opcode == ws.CLOSE:
        raise ws.WebSocketError("server closed the WebSocket instead of echoing")
    return data.decode("utf-8") if opcode == ws.TEXT else data


def _websocket_close(sock, rfile):
    """Closing handshake: send CLOSE 1000 and wait for the server's CLOSE."""
    try:
        sock.sendall(ws.encode_frame(ws.CLOSE, b"\x03\xe8", mask=True))
        while ws.read_frame(rfile, False)[1] != ws.CLOSE:
            pass
    except (OSError, EOFError, ws.WebSocketError):
        pass


# --------------------------------------------------------------------------
# TLS handshakes


@dataclasses.dataclass
class TLSDial:
    ok: bool
    kind: str = None  # on failure: eof, reset, alert, timeout, refused, other
    error: str = ""
    version: str = None
    alpn: str = None

    @property
    def rejected(self):
        """The upstream criterion for "connection rejected": the dial failed
        with EOF, unexpected EOF or connection reset."""
        return not self.ok and self.kind in ("eof", "reset")


def _classify_tls_failure(error):
    if isinstance(error, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
        return "eof"
    if isinstance(error, (ConnectionResetError, BrokenPipeError)):
        return "reset"
    if isinstance(error, ssl.SSLError):
        return "eof" if "EOF" in str(error) else "alert"
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    return "other"


def tls_dial(port, sni, timeout=5, *, address=LOCALHOST, alpn=None, client_cert=None):
    """Attempt a TLS handshake and describe the outcome.

    Note that with TLS 1.3 a server rejecting the client certificate does so
    after the client finished its handshake, so that shows up on the first
    read, not here.
    """
    try:
        with _connect(port, address, timeout, True, sni, client_cert, alpn) as sock:
            return TLSDial(True, version=sock.version(), alpn=sock.selected_alpn_protocol())
    except (OSError, ssl.SSLError) as error:
        return TLSDial(False, _classify_tls_failure(error), str(error))


def tls_handshake(port, sni, timeout=5, **options):
    """True if a TLS handshake with this SNI completes (see tls_dial)."""
    return tls_dial(port, sni, timeout, **options).ok
