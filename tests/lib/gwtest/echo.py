"""Local imitations of the Gateway API conformance echo backend.

Upstream runs registry.k8s.io/gateway-api/conformance/echo-basic in pods
behind Kubernetes Services; the harness identifies who answered from the
echoed `namespace` and `pod` (pods are named `<service>-<hash>-<hash>`), and
mirror tests count "Echoing back request made to ..." lines in pod logs.
Here every backend is a listening socket on 127.0.0.1 served by threads of
the current process, so one test can run dozens of "Services" cheaply:

    pool = EchoPool()
    b = pool.start(service="infra-backend-v1",
                   namespace="gateway-conformance-infra", mode="http")
    ... nginx upstream -> 127.0.0.1:b.port ...
    b.log(); b.clear_log(); b.wait_for_log("/mirror")
    pool.stop()

Modes (see MODES): "http" (HTTP/1.1 echo, WebSocket at /ws), "https" (same
over TLS, HTTP/2 when ALPN selects h2), "h2c" (echo-basic's H2C_PORT: HTTP/2
with prior knowledge or via Upgrade: h2c), "grpc" and "grpcs" (the gRPC echo
server, cleartext and TLS), "tcp" and "tls" (the TCP echo server), "udp" (UDP
echo) and "dns" (a stand-in for CoreDNS). HTTPEchoBackend.respond() is
transport-independent: HTTP/1.1 and HTTP/2 front ends share it.

The behaviour follows echo-basic's Go source (gateway-api-conformance-images),
including Go net/http details that leak into the echoed JSON: canonical
header names, Host and Transfer-Encoding removed from `headers`, ServeMux's
301 redirects for unclean paths and for "/status" -> "/status/".

Run as a program (`python3 -m gwtest.echo --spec spec.json`) it starts the
backends listed in a JSON file, prints their ports as one JSON line on stdout
and serves until SIGTERM/SIGINT (or stdin EOF with --exit-on-stdin-eof).
"""

import argparse
import base64
import binascii
import dataclasses
import email.utils
import hashlib
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.parse

from . import _grpc as grpcwire
from . import _websocket as ws
from . import dns, h2, procs
from ._gocompat import (as_utf8, go_atoi, go_clean_path, go_json, go_status_line,
                        http_tls_assertions, parse_go_duration, query_first,
                        tcp_tls_assertions)
from ._server import (LOCALHOST, STOP_TIMEOUT, Backend, DatagramBackend, StreamBackend,
                      reset_on_close)
from ._wire import (ProtocolError, canonical_header_key, header_values, is_chunked,
                    is_token, parse_header_lines, read_head, read_request_body,
                    response_has_body)

__all__ = ["Backend", "DNSBackend", "EchoPool", "EchoProcess", "GRPCEchoBackend", "GRPCReply",
           "HTTPEchoBackend", "Identity", "MODES", "Reply", "Request", "TCPEchoBackend",
           "UDPEchoBackend", "main", "pod_name"]

ECHO_LOG_LINE = "Echoing back request made to %s to client (%s)"
TCP_WELCOME = b"Gateway API Test TCP Server\n"
UDP_READ_SIZE = 1024  # echo-basic reads datagrams into a 1024-byte buffer

# Kubernetes' rand.SafeEncodeString alphabet (no vowels, no look-alikes),
# used for ReplicaSet template hashes and pod name suffixes.
_POD_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


# --------------------------------------------------------------------------
# Identity


def _safe_hash(text, length):
    """`length` characters of _POD_ALPHABET derived from sha256(text)."""
    n = int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
    chars = []
    for _ in range(length):
        n, i = divmod(n, len(_POD_ALPHABET))
        chars.append(_POD_ALPHABET[i])
    return "".join(chars)


def pod_name(service, namespace="", seed=0, replica=0):
    """A pod name as a Deployment named after the Service would produce.

    `<service>-<template hash>-<suffix>`: the template hash depends on
    (seed, namespace, service) and is shared by all replicas, the suffix also
    on `replica`. Deterministic, so test output is reproducible, and the
    harness's "strip the last two dash-separated parts" recovers the service.
    """
    base = "%s/%s/%s" % (seed, namespace, service)
    return "%s-%s-%s" % (service, _safe_hash(base, 10), _safe_hash("%s/%d" % (base, replica), 5))


@dataclasses.dataclass(frozen=True)
class Identity:
    """What echo-basic reads from NAMESPACE, INGRESS_NAME, SERVICE_NAME, POD_NAME."""
    service: str
    namespace: str
    pod: str
    ingress: str = ""

    def context(self):
        """The identity fields in echo-basic's JSON order."""
        return {"namespace": self.namespace, "ingress": self.ingress,
                "service": self.service, "pod": self.pod}


# --------------------------------------------------------------------------
# HTTP echo


@dataclasses.dataclass
class Request:
    """A parsed request, independent of the transport that carried it."""
    method: str
    target: str  # raw request URI (HTTP/2: :path), exactly as received
    proto: str  # "HTTP/1.1", "HTTP/2.0"
    headers: list  # [(name, value)] as received
    body: bytes
    peer: str  # "127.0.0.1:54321"
    tls: dict = None  # http_tls_assertions() for HTTPS connections

    @property
    def host(self):
        hosts = header_values(self.headers, "Host")
        return hosts[0] if hosts else ""

    def header_map(self):
        """Go's Request.Header: canonical name -> values. Host is promoted to
        Request.Host and Transfer-Encoding consumed by the body reader (and
        Content-Length dropped for chunked bodies), as in net/http."""
        chunked = is_chunked(self.headers)
        result = {}
        for name, value in self.headers:
            key = canonical_header_key(name)
            if key in ("Host", "Transfer-Encoding") or (chunked and key == "Content-Length"):
                continue
            result.setdefault(key, []).append(value)
        return result

    def keep_alive(self):
        tokens = {t.strip().lower() for v in header_values(self.headers, "Connection")
                  for t in v.split(",")}
        if self.proto == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens


@dataclasses.dataclass
class Reply:
    """What a handler answers; serialize_reply() turns it into HTTP/1.1."""
    status: int
    headers: list = dataclasses.field(default_factory=list)
    body: bytes = b""
    interim: tuple = ()  # 1xx informational responses sent first
    bare: bool = False  # only status line + given headers (x/net/websocket style)
    close: bool = False  # close the connection afterwards
    action: str = None  # None, "websocket", "reset" (RST) or "abort" (close silently)


def text_reply(status, text):
    """A plain-text reply like Go's fmt.Fprint(w, ...) with sniffed type."""
    return Reply(status, [("Content-Type", "text/plain; charset=utf-8")], text.encode())


def error_reply(status, message):
    """echo-basic's processError: {"message": ...} as JSON."""
    return Reply(status, [("Content-Type", "application/json"),
                          ("X-Content-Type-Options", "nosniff")],
                 go_json({"message": message}))


def redirect_reply(request, location):
    """ServeMux's 301 for unclean paths and missing subtree slashes."""
    reply = Reply(301, [("Location", location)])
    if request.method in ("GET", "HEAD"):
        reply.headers.append(("Content-Type", "text/html; charset=utf-8"))
        reply.body = ('<a href="%s">Moved Permanently</a>.\n\n' % location).encode("latin-1")
    return reply


def echo_response_headers(set_header_values):
    """Response headers requested through X-Echo-Set-Header.

    Each value is a comma-separated list of name:value; a repeated name gets
    its values joined with "," (writeEchoResponseHeaders in echo-basic).
    Returns a dict keyed by the exact (non-canonicalised) name.
    """
    result = {}
    for header_list in set_header_values:
        for pair in header_list.split(","):
            name, _, value = pair.strip().partition(":")
            if name in result:
                result[name] += "," + value.strip()
            else:
                result[name] = value.strip()
    return result


def serialize_reply(reply, request, keep_alive):
    """HTTP/1.1 bytes for a reply, framed like Go's net/http server does."""
    out = [go_status_line(code) + "\r\n\r\n" for code in reply.interim]
    headers = [(n, v) for n, v in reply.headers if is_token(n)]
    body_allowed = reply.status >= 200 and reply.status not in (204, 304)
    if not reply.bare:
        headers.append(("Date", email.utils.formatdate(usegmt=True)))
        if body_allowed:
            headers.append(("Content-Length", str(len(reply.body))))
        if request.proto == "HTTP/1.0":
            if keep_alive:
                headers.append(("Connection", "keep-alive"))
        elif not keep_alive:
            headers.append(("Connection", "close"))
        headers.sort(key=lambda pair: pair[0])
    out.append(go_status_line(reply.status) + "\r\n")
    out.extend("%s: %s\r\n" % pair for pair in headers)
    out.append("\r\n")
    head = "".join(out).encode("latin-1", "replace")
    send_body = body_allowed and request.method != "HEAD"
    return head + (reply.body if send_body else b"")


_REQUEST_VERSION = re.compile(r"HTTP/([0-9])\.([0-9])")


def parse_request_line(line):
    """(method, target, proto) from a request line; errors as Go reports them."""
    method, sep1, rest = line.partition(" ")
    target, sep2, proto = rest.partition(" ")
    if not (sep1 and sep2):
        raise ProtocolError("malformed HTTP request %r" % line)
    version = _REQUEST_VERSION.fullmatch(proto)
    if not version:
        raise ProtocolError("malformed HTTP version %r" % proto)
    if version.group(1) != "1" and not is_h2_preface_line(method, target, proto):
        raise ProtocolError("unsupported protocol version", 505)
    if not is_token(method):
        raise ProtocolError("invalid method %r" % method)
    validate_request_target(target)
    return method, target, proto


def is_h2_preface_line(method, target, proto):
    """The first line of the HTTP/2 connection preface, which Go's HTTP/1
    server accepts as a request so that h2c handlers can take it over."""
    return (method, target, proto) == ("PRI", "*", "HTTP/2.0")


def validate_request_target(target):
    """What url.ParseRequestURI rejects: empty targets, control characters,
    relative references, and bad percent-escapes in the path."""
    if not target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        raise ProtocolError("invalid request URI")
    if target == "*":
        return
    path = target.partition("?")[0]
    if not path.startswith("/"):
        scheme = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target)
        if not scheme:
            raise ProtocolError("invalid request URI")
        path = urllib.parse.urlsplit(target).path
    if re.search(r"%(?![0-9A-Fa-f]{2})", path):
        raise ProtocolError("invalid URL escape in request URI")


# --------------------------------------------------------------------------
# HTTP/2 front end helpers

H2C_PREFACE_TAIL = b"SM\r\n\r\n"  # what follows "PRI * HTTP/2.0\r\n\r\n"
H2C_SWITCHING_PROTOCOLS = (b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                           b"Upgrade: h2c\r\n\r\n")


def _header_tokens(headers, name):
    return {t.strip().lower() for v in header_values(headers, name) for t in v.split(",")}


def is_h2c_upgrade(request):
    """x/net/http2/h2c's test: Upgrade lists h2c, Connection lists HTTP2-Settings."""
    return ("h2c" in _header_tokens(request.headers, "Upgrade")
            and "http2-settings" in _header_tokens(request.headers, "Connection"))


def decode_http2_settings(headers):
    """The SETTINGS payload carried by the one HTTP2-Settings header
    (base64url, RFC 7540 3.2.1); ValueError if it is missing or invalid."""
    values = header_values(headers, "HTTP2-Settings")
    if len(values) != 1:
        raise ValueError("expected one HTTP2-Settings header, got %d" % len(values))
    text = values[0].strip()
    try:
        payload = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        h2.parse_settings(payload)
    except (binascii.Error, h2.H2Error) as error:
        raise ValueError("invalid HTTP2-Settings: %s" % error) from None
    return payload


def request_from_h2(stream, peer, tls_state):
    """The Request Go's HTTP/2 server gives handlers: Host from :authority
    (or a host field), regular fields as received, and several cookie
    fields joined with "; " (RFC 9113 8.2.3)."""
    pseudo, fields = h2.split_pseudo_headers(stream.headers)
    authority = pseudo.get(":authority") or next((v for n, v in fields if n == "host"), "")
    fields = [(n, v) for n, v in fields if n != "host"]
    cookies = [v for n, v in fields if n == "cookie"]
    if len(cookies) > 1:
        fields = [(n, v) for n, v in fields if n != "cookie"] + [("cookie", "; ".join(cookies))]
    headers = ([("Host", authority)] if authority else []) + fields
    return Request(pseudo[":method"], pseudo.get(":path", ""), "HTTP/2.0", headers,
                   bytes(stream.body), peer, tls_state)


def h2_reply_fields(reply):
    """A Reply's header list as Go's HTTP/2 server writes it: :status, then
    lower-case names in sorted order, without connection-specific or invalid
    fields, plus Date and content-length."""
    fields = []
    for name, value in reply.headers:
        lower = name.lower()
        if (is_token(name) and lower not in h2.CONNECTION_SPECIFIC
                and h2.field_problem(lower, value) is None):
            fields.append((lower, value))
    if not reply.bare:
        fields.append(("date", email.utils.formatdate(usegmt=True)))
        if reply.status >= 200 and reply.status not in (204, 304):
            fields.append(("content-length", str(len(reply.body))))
    fields.sort(key=lambda field: field[0])
    return [(":status", str(reply.status))] + fields


class HTTPEchoBackend(StreamBackend):
    """echo-basic's HTTP server ("http"), HTTPS server ("https") or h2c
    server ("h2c", upstream's H2C_PORT).

    "http" and "https" route like echo-basic's ServeMux: /health,
    /status/NNN, /retry/..., /ws (WebSocket echo), and the echo handler for
    everything else. HTTP/1.1 supports keep-alive, chunked request bodies,
    Expect: 100-continue and HEAD. Over TLS, ALPN offers h2 and http/1.1 as
    Go's server does, and HTTP/2 is served when the client picks h2.

    "h2c" is upstream's h2c server: HTTP/2 with prior knowledge, or after an
    HTTP/1.1 "Upgrade: h2c" request (answered on stream 1), on the same port
    as HTTP/1.1. Every request goes to the echo handler, without ServeMux;
    HTTP/1.1 requests without "Upgrade: h2c" get 400 "Expected h2c request",
    so a gateway that cannot speak h2c to the backend fails as upstream.
    """

    modes = ("http", "https", "h2c")
    tls_modes = ("https",)
    alpn = ["h2", "http/1.1"]

    def __init__(self, identity, mode, **options):
        super().__init__(identity, mode, **options)
        self._retry_attempts = {}
        self._retry_lock = threading.Lock()

    @property
    def http_port(self):
        """The `httpPort` echoed in the JSON (upstream: HTTP_PORT, "3000")."""
        return str(self._http_port or self.port)

    # HTTP/1.1 transport ---------------------------------------------------

    def handle_connection(self, sock, peer, tls_sock):
        tls_state = None
        if tls_sock is not None:
            tls_state = http_tls_assertions(tls_sock, getattr(tls_sock, "gwtest_server_name", ""))
        rfile = sock.makefile("rb")
        try:
            if tls_sock is not None and tls_sock.selected_alpn_protocol() == "h2":
                self._serve_h2(sock, rfile, peer, tls_state)
                return
            while not self._stopping.is_set() and self._serve_one(sock, rfile, peer, tls_state):
                pass
        finally:
            rfile.close()

    def _serve_one(self, sock, rfile, peer, tls_state):
        """Read one request and answer it; False when the connection ends."""
        try:
            request = self._read_request(sock, rfile, peer, tls_state)
        except ProtocolError as error:
            status = error.status
            body = go_status_line(status)[len("HTTP/1.1 "):]
            sock.sendall(("%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                          "Connection: close\r\n\r\n%s" % (go_status_line(status), body)).encode())
            return False
        if request is None:
            return False
        if self.mode == "h2c" and self._h2c_takeover(sock, rfile, request, peer):
            return False
        reply = self.respond(request)
        if reply.action == "reset":
            reset_on_close(sock)
            return False
        if reply.action == "abort":
            return False
        keep_alive = request.keep_alive() and not reply.close
        sock.sendall(serialize_reply(reply, request, keep_alive))
        if reply.action == "websocket":
            self._websocket_session(sock, rfile, peer)
            return False
        return keep_alive

    def _read_request(self, sock, rfile, peer, tls_state):
        lines = read_head(rfile)
        if lines is None:
            return None
        method, target, proto = parse_request_line(lines[0])
        headers = parse_header_lines(lines[1:])
        hosts = header_values(headers, "Host")
        if len(hosts) > 1:
            raise ProtocolError("too many Host headers")
        if proto != "HTTP/1.0" and not hosts and not is_h2_preface_line(method, target, proto):
            raise ProtocolError("missing required Host header")
        expect = [v.lower() for v in header_values(headers, "Expect")]
        if "100-continue" in expect and proto != "HTTP/1.0":
            sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = read_request_body(rfile, headers)
        return Request(method, target, proto, headers, body, peer, tls_state)

    # HTTP/2 transport --------------------------------------------------------

    def _h2c_takeover(self, sock, rfile, request, peer):
        """What x/net/http2/h2c does before the handler: the preface
        "request" (PRI * HTTP/2.0, no headers) or an Upgrade: h2c request
        switches the connection to HTTP/2. True if it did; the connection is
        then finished."""
        if is_h2_preface_line(request.method, request.target, request.proto) \
                and not request.headers:
            if rfile.read(len(H2C_PREFACE_TAIL)) != H2C_PREFACE_TAIL:
                self._log.add("h2c: invalid client preface from %s" % peer)
                return True
            self._serve_h2(sock, rfile, peer, None, preface_read=True)
            return True
        if not is_h2c_upgrade(request):
            return False
        try:
            settings = decode_http2_settings(request.headers)
        except ValueError as error:
            self._log.add("h2c: error h2c upgrade from %s: %s" % (peer, error))
            sock.sendall(serialize_reply(Reply(500), request, keep_alive=False))
            return True
        sock.sendall(H2C_SWITCHING_PROTOCOLS)
        self._serve_h2(sock, rfile, peer, None, upgrade=(settings, request))
        return True

    def _serve_h2(self, sock, rfile, peer, tls_state, preface_read=False, upgrade=None):
        """Serve HTTP/2 until the client closes the connection. upgrade:
        (HTTP2-Settings payload, HTTP/1.1 request) of an h2c Upgrade, whose
        response goes on stream 1 (the request is echoed as received, like
        Go's h2c handler passes it on)."""
        conn = h2.H2Connection(sock, rfile, client=False, log=self._log.add)
        try:
            if upgrade is None:
                conn.start_server(preface_read=preface_read)
            else:
                settings, request = upgrade
                self._answer_h2(conn, conn.start_server(upgrade_settings=settings), request)
            conn.serve(lambda stream: self._answer_h2(
                conn, stream, request_from_h2(stream, peer, tls_state)))
        except h2.H2Error as error:
            self._log.add("HTTP/2 connection error with %s: %s" % (peer, error))

    def _answer_h2(self, conn, stream, request):
        reply = self.respond(request)
        if reply.action is not None or reply.status == 101:
            # HTTP/2 has no connection hijacking and no 101; Go's HTTP/2
            # server resets the stream of a handler that aborts.
            conn.reset_stream(stream, h2.INTERNAL_ERROR)
            return
        for code in reply.interim:
            conn.send_headers(stream, [(":status", str(code))])
        body = reply.body if response_has_body(request.method, reply.status) else b""
        conn.send_headers(stream, h2_reply_fields(reply), end_stream=not body)
        if body:
            conn.send_data(stream, body, end_stream=True)

    # Handlers (transport independent) ---------------------------------------

    def respond(self, request):
        """Answer a request, whatever transport carried it: upstream's h2c
        handler in mode "h2c", echo-basic's ServeMux otherwise."""
        if self.mode == "h2c":
            return self._h2c_handler(request)
        return self._route(request)

    def _h2c_handler(self, request):
        """runH2CServer's handler: echo HTTP/2 requests and h2c upgrades."""
        upgrade = header_values(request.headers, "Upgrade")
        if not request.proto.startswith("HTTP/2") and upgrade[:1] != ["h2c"]:
            return text_reply(400, "Expected h2c request")
        return self._echo(request)

    def _route(self, request):
        """Route a request like echo-basic's ServeMux and run the handler."""
        if request.target == "*":
            return Reply(400, close=True)  # ServeMux's answer to "OPTIONS *" and "PRI *"
        target = request.target
        path, _, query = target.partition("?")
        if not path.startswith("/"):
            path = urllib.parse.urlsplit(target).path or "/"
        collapsed = path.replace("//", "/")  # echo-basic's preserveSlashes
        cleaned = go_clean_path(collapsed)
        suffix = "?" + query if query else ""
        if cleaned in ("/status", "/retry"):
            return redirect_reply(request, cleaned + "/" + suffix)
        if cleaned != collapsed:
            return redirect_reply(request, cleaned + suffix)
        route = urllib.parse.unquote(cleaned)
        if route == "/health":
            return text_reply(200, "OK")
        if route == "/ws":
            return self._websocket_handshake(request)
        if route.startswith("/status/"):
            return self._status(request)
        if route.startswith("/retry/"):
            return self._retry(request)
        return self._echo(request)

    def _status(self, request):
        """/status/NNN: empty reply with that status; 400 unless the whole
        request URI (query included) is exactly /status/NNN."""
        match = re.fullmatch(r"/status/([0-9]{3})", request.target)
        if not match:
            return Reply(400)
        return self._bare_status(int(match.group(1)))

    @staticmethod
    def _bare_status(code):
        if code < 100:
            return Reply(500, action="abort")  # Go panics; the connection drops
        if code < 200 and code != 101:
            return Reply(200, interim=(code,))  # informational, then Go's 200
        return Reply(code, close=code == 101)

    def _retry(self, request):
        """echo-basic's retry simulator: fail `succeedAfter` times per uuid
        (RST, or `responseCode`), optionally after `delayRetry`, then echo."""
        uuid = query_first(request.target, "uuid")
        if not uuid:
            return text_reply(400, "uuid is required")
        succeed_after = go_atoi(query_first(request.target, "succeedAfter"))
        if succeed_after is None:
            return text_reply(400, "succeedAfter is required")
        response_code = go_atoi(query_first(request.target, "responseCode"))
        # Count the attempt on arrival; sleep outside the lock, so that a
        # retry sent while an earlier attempt still sleeps counts at once.
        with self._retry_lock:
            attempts = self._retry_attempts.get(uuid, 0)
            failing = attempts < succeed_after
            if failing:
                self._retry_attempts[uuid] = attempts + 1
        if not failing:
            return self._echo(request)
        failure = self._delay(request, "delayRetry")
        if failure:
            return failure
        if response_code is None:
            return Reply(0, action="reset")
        return self._bare_status(response_code)

    def _delay(self, request, key):
        """Sleep for the Go duration in query parameter `key`; returns an
        error reply for an invalid duration. stop() interrupts the sleep."""
        value = query_first(request.target, key)
        if not value:
            return None
        try:
            seconds = parse_go_duration(value)
        except ValueError as error:
            return error_reply(500, str(error))
        if seconds > 0 and self._stopping.wait(seconds):
            return Reply(503, action="abort")
        return None

    def _echo(self, request):
        self._log.add(ECHO_LOG_LINE % (request.target, request.peer))
        failure = self._delay(request, "delay")
        if failure:
            return failure
        headers = request.header_map()
        response_headers = echo_response_headers(headers.get("X-Echo-Set-Header", []))
        response_headers["Content-Type"] = "application/json"
        response_headers["X-Content-Type-Options"] = "nosniff"
        return Reply(200, list(response_headers.items()),
                     go_json(self.echo_assertions(request, headers), indent=1))

    def echo_assertions(self, request, headers):
        """echo-basic's RequestAssertions, fields in its JSON order."""
        body = {
            "path": as_utf8(request.target),
            "host": as_utf8(request.host),
            "method": request.method,
            "proto": request.proto,
            "headers": {k: [as_utf8(v) for v in headers[k]] for k in sorted(headers)},
            "httpPort": self.http_port,
        }
        body.update(self.identity.context())
        if request.tls is not None:
            body["tls"] = request.tls
        return body

    # WebSocket ------------------------------------------------------------------

    def _websocket_handshake(self, request):
        """Accept an RFC 6455 upgrade the way golang.org/x/net/websocket does
        (including its 403 for requests without an Origin header)."""
        def first(name):
            values = header_values(request.headers, name)
            return values[0] if values else ""
        if request.method != "GET":
            return Reply(405, bare=True, close=True)
        if (first("Upgrade").lower() != "websocket"
                or "upgrade" not in first("Connection").lower()):
            return Reply(400, bare=True, close=True)
        key = first("Sec-WebSocket-Key")
        if not key:
            return Reply(400, bare=True, close=True)
        if first("Sec-WebSocket-Version") != "13":
            return Reply(400, [("Sec-WebSocket-Version", "13")], bare=True, close=True)
        if not first("Origin"):
            return Reply(403, bare=True, close=True)
        return Reply(101, [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                           ("Sec-WebSocket-Accept", ws.accept_key(key))],
                     bare=True, action="websocket")

    def _websocket_session(self, sock, rfile, peer):
        """Echo every text/binary message with its opcode; answer pings and
        the closing handshake."""
        self._log.add("established websocket connection %s" % peer)

        def on_control(opcode, payload):
            if opcode == ws.PING:
                sock.sendall(ws.encode_frame(ws.PONG, payload, mask=False))
                return True
            if opcode == ws.PONG:
                return True
            sock.sendall(ws.encode_frame(ws.CLOSE, payload[:2], mask=False))
            return False

        while not self._stopping.is_set():
            try:
                opcode, message = ws.read_message(rfile, True, on_control)
            except (EOFError, ws.WebSocketError):
                return
            if opcode == ws.CLOSE:
                return
            sock.sendall(ws.encode_frame(opcode, message, mask=False))


# --------------------------------------------------------------------------
# gRPC echo


@dataclasses.dataclass
class GRPCReply:
    """What the gRPC echo answers for one RPC; payload None means a
    Trailers-Only response (the status travels in the only HEADERS frame)."""
    status: int = grpcwire.OK
    message: str = ""
    payload: bytes = None  # the serialized response message
    http_status: int = 200


def send_grpc_reply(conn, stream, reply):
    """HEADERS, DATA (one length-prefixed message) and trailers, or a single
    Trailers-Only HEADERS frame, with the fields grpc-go writes
    (grpc-message is always present, percent-encoded)."""
    head = [(":status", str(reply.http_status)), ("content-type", grpcwire.CONTENT_TYPE)]
    status = [("grpc-status", str(reply.status)),
              ("grpc-message", grpcwire.encode_grpc_message(reply.message))]
    if reply.payload is None:
        conn.send_headers(stream, head + status, end_stream=True)
        return
    conn.send_headers(stream, head)
    conn.send_data(stream, grpcwire.frame_message(reply.payload))
    conn.send_headers(stream, status, end_stream=True)


def _first(headers, name, default=None):
    return next((v for n, v in headers if n == name), default)


class GRPCEchoBackend(StreamBackend):
    """echo-basic's gRPC server (GRPC_ECHO_SERVER): the service
    gateway_api_conformance.echo_basic.grpcecho.GrpcEcho over HTTP/2 with
    prior knowledge ("grpc", what nginx's grpc_pass speaks) or over TLS
    with ALPN h2 ("grpcs").

    Echo and EchoTwo answer EchoResponse{assertions}: the fully qualified
    method, the request metadata as grpc-go exposes it (":authority",
    "content-type", "user-agent" and custom keys), the authority, the pod
    context and, over TLS, the TLS state. EchoThree, unknown services and
    unknown methods answer UNIMPLEMENTED; malformed requests get grpc-go's
    answers. The reflection service upstream also registers is absent.
    """

    modes = ("grpc", "grpcs")
    tls_modes = ("grpcs",)
    alpn = ["h2"]

    def handle_connection(self, sock, peer, tls_sock):
        rfile = sock.makefile("rb")
        conn = h2.H2Connection(sock, rfile, client=False, log=self._log.add)
        try:
            conn.start_server()
            conn.serve(lambda stream: send_grpc_reply(
                conn, stream, self.respond(stream.headers, bytes(stream.body), peer, tls_sock)))
        except h2.H2Error as error:  # e.g. an HTTP/1.1 client: "bogus greeting"
            self._log.add("grpc: connection error with %s: %s" % (peer, error))
        finally:
            rfile.close()

    def respond(self, headers, body, peer="", tls_sock=None):
        """Answer one RPC given its HTTP/2 header list and body (transport
        independent); returns a GRPCReply."""
        try:
            metadata = self._check_headers(headers)
            method = self._resolve_method(_first(headers, ":path", ""))
            self._read_request_message(headers, body)
        except grpcwire.GRPCError as error:
            return GRPCReply(error.code, error.message, None, error.http_status)
        if method == "EchoThree":
            return GRPCReply(grpcwire.UNIMPLEMENTED, "method EchoThree not implemented")
        self._log.add("Received over %s: /%s/%s from %s" % (
            "TLS" if tls_sock is not None else "plaintext", grpcwire.ECHO_SERVICE, method, peer))
        try:
            response = {"assertions": self._assertions(method, metadata, tls_sock)}
        except UnicodeDecodeError:
            # proto3 strings must be UTF-8: Go's proto.Marshal fails the RPC.
            return GRPCReply(grpcwire.INTERNAL, "grpc: error while marshaling: string field "
                             "contains invalid UTF-8")
        return GRPCReply(payload=grpcwire.encode_message("EchoResponse", response))

    @staticmethod
    def _check_headers(headers):
        """grpc-go's header checks, in its order; returns the metadata."""
        grpcwire.check_single_authority(headers)
        content_type = _first(headers, "content-type", "")
        if not grpcwire.valid_content_type(content_type):
            raise grpcwire.GRPCError(grpcwire.INVALID_ARGUMENT, "invalid gRPC request content-type "
                                     + grpcwire.go_quote(content_type), 415)
        metadata = grpcwire.incoming_metadata(headers)
        timeout = _first(headers, "grpc-timeout")
        if timeout is not None:
            grpcwire.check_timeout(timeout)
        method = _first(headers, ":method", "")
        if method != "POST":
            raise grpcwire.GRPCError(grpcwire.INTERNAL, "Received a HEADERS frame with :method %s "
                                     "which should be POST" % grpcwire.go_quote(method), 405)
        return metadata

    @staticmethod
    def _resolve_method(path):
        """The method name for a :path of this service (grpc-go's handleStream)."""
        name = path[1:] if path.startswith("/") else path
        service, slash, method = name.rpartition("/")
        if not slash:
            raise grpcwire.GRPCError(grpcwire.UNIMPLEMENTED,
                                     "malformed method name: " + grpcwire.go_quote(path))
        if service != grpcwire.ECHO_SERVICE:
            raise grpcwire.GRPCError(grpcwire.UNIMPLEMENTED, "unknown service " + service)
        if method not in grpcwire.ECHO_METHODS:
            raise grpcwire.GRPCError(grpcwire.UNIMPLEMENTED, "unknown method %s for service %s"
                                     % (method, service))
        return method

    @staticmethod
    def _read_request_message(headers, body):
        """Check that the body holds exactly one uncompressed EchoRequest."""
        encoding = _first(headers, "grpc-encoding", "")
        if encoding not in ("", "identity"):
            raise grpcwire.GRPCError(grpcwire.UNIMPLEMENTED, "grpc: Decompressor is not installed "
                                     "for grpc-encoding " + grpcwire.go_quote(encoding))
        messages = grpcwire.split_messages(body)
        if not messages:
            raise grpcwire.GRPCError(grpcwire.UNKNOWN, "EOF")  # grpc-go: status.Convert(io.EOF)
        if len(messages) > 1:
            raise grpcwire.GRPCError(grpcwire.INTERNAL, "grpc: unary request carried %d messages"
                                     % len(messages))
        compressed, payload = messages[0]
        if compressed:
            raise grpcwire.GRPCError(grpcwire.INTERNAL,
                                     "grpc: compressed flag set with identity or empty encoding")
        try:
            grpcwire.decode_message("EchoRequest", payload)
        except grpcwire.ProtobufError as error:
            raise grpcwire.GRPCError(grpcwire.INTERNAL,
                                     "grpc: error unmarshalling request: %s" % error) from None

    def _assertions(self, method, metadata, tls_sock):
        """echo-basic's Assertions message as a dict; UnicodeDecodeError if
        a metadata value is not UTF-8."""
        def text(wire_value):
            return wire_value.encode("latin-1").decode("utf-8")
        context = self.identity.context()
        assertions = {
            "fully_qualified_method": "/%s/%s" % (grpcwire.ECHO_SERVICE, method),
            "headers": [{"key": key, "value": text(value)}
                        for key, values in metadata.items() for value in values],
            "authority": text(metadata.get(":authority", [""])[-1]),
            "context": {"namespace": context["namespace"], "ingress": context["ingress"],
                        "service_name": context["service"], "pod": context["pod"]},
        }
        if tls_sock is not None:
            state = http_tls_assertions(tls_sock, getattr(tls_sock, "gwtest_server_name", ""))
            assertions["tls_assertions"] = {
                "version": state["version"],
                "negotiated_protocol": state.get("negotiatedProtocol", ""),
                "server_name": state["serverName"], "cipher_suite": state["cipherSuite"],
                "peer_certificates": state.get("peerCertificates", [])}
        return assertions


# --------------------------------------------------------------------------
# TCP, UDP and DNS


class TCPEchoBackend(StreamBackend):
    """echo-basic's TCP server: plain ("tcp") or TLS-terminating ("tls").

    Writes a welcome line, then answers PING, IS_TLS and TEST lines; other
    lines are ignored.
    """

    modes = ("tcp", "tls")
    tls_modes = ("tls",)

    def __init__(self, identity, mode, *, tcp_port=None, tls_port=None, **options):
        super().__init__(identity, mode, **options)
        self._tcp_port, self._tls_port = tcp_port, tls_port

    def test_answer(self, tls_sock):
        """The TEST answer (TCPAssertions). tcpport/tlsport report this
        backend's port for its own mode and the given peer port otherwise."""
        own = str(self.port)
        tcp_port = own if self.mode == "tcp" else str(self._tcp_port or "")
        tls_port = own if self.mode == "tls" else str(self._tls_port or "")
        answer = self.identity.context()
        answer["tcpport"] = tcp_port
        if tls_port:
            answer["tlsport"] = tls_port
        answer["isTLS"] = tls_sock is not None
        if tls_sock is not None:
            server_name = getattr(tls_sock, "gwtest_server_name", "")
            answer["tls"] = tcp_tls_assertions(tls_sock, server_name)
        return go_json(answer)

    def handle_connection(self, sock, peer, tls_sock):
        self._log.add("Accepted %s connection from %s" % (self.mode, peer))
        answers = {b"PING": b"PONG\n",
                   b"IS_TLS": b"true\n" if tls_sock is not None else b"false\n",
                   b"TEST": self.test_answer(tls_sock) + b"\n"}
        sock.sendall(TCP_WELCOME)
        with sock.makefile("rb") as rfile:
            for line in rfile:  # like bufio.Scanner: "\n" or "\r\n" separated
                answer = answers.get(line.rstrip(b"\n").removesuffix(b"\r"))
                if answer:
                    sock.sendall(answer)


class UDPEchoBackend(DatagramBackend):
    """echo-basic's UDP server: each datagram answered with JSON
    {request, namespace, ingress, service, pod}."""

    modes = ("udp",)
    read_size = UDP_READ_SIZE

    def answer(self, payload, peer):
        request = payload.decode("utf-8", "replace")
        self._log.add("Received UDP %s from %s" % (request, peer))
        body = {"request": request}
        body.update(self.identity.context())
        return go_json(body)


class DNSBackend(DatagramBackend):
    """Stand-in for the CoreDNS backend: every A query -> 127.0.0.1."""

    modes = ("dns",)

    def __init__(self, identity, mode, *, answer_address=LOCALHOST, **options):
        super().__init__(identity, mode, **options)
        self.answer_address = answer_address

    def answer(self, payload, peer):
        reply = dns.build_answer(payload, self.answer_address)
        if reply is not None:
            question = dns.parse(payload).questions[0]
            self._log.add("DNS query %s type %d from %s" % (question[0], question[1], peer))
        return reply


MODES = {
    "http": HTTPEchoBackend,
    "https": HTTPEchoBackend,
    "h2c": HTTPEchoBackend,
    "grpc": GRPCEchoBackend,
    "grpcs": GRPCEchoBackend,
    "tcp": TCPEchoBackend,
    "tls": TCPEchoBackend,
    "udp": UDPEchoBackend,
    "dns": DNSBackend,
}


# --------------------------------------------------------------------------
# Pool


class EchoPool:
    """Many backends in this process; stop() ends them all.

    Pod names are derived from `seed`, so the same spec yields the same names
    in every run. Usable as a context manager.
    """

    def __init__(self, seed=0, host=LOCALHOST, log_sink=None):
        self.seed = seed
        self.host = host
        self._log_sink = log_sink
        self._backends = []
        self._lock = threading.Lock()

    def start(self, service, namespace="", mode="http", *, replica=0, pod=None, ingress="",
              **options):
        """Start one backend and return it (its .port is then known).

        options: port (0 = any free port), cert/key (https, tls, grpcs),
        client_ca (https: request and verify client certificates), http_port
        (echoed httpPort), tcp_port/tls_port (tcp, tls), answer_address (dns).
        """
        try:
            cls = MODES[mode]
        except KeyError:
            known = ", ".join(MODES)
            raise ValueError("unknown echo mode %r (known: %s)" % (mode, known)) from None
        identity = Identity(service, namespace,
                            pod or pod_name(service, namespace, self.seed, replica), ingress)
        backend = cls(identity, mode, host=self.host, log_sink=self._log_sink, **options)
        backend.start()
        with self._lock:
            self._backends.append(backend)
        return backend

    def start_all(self, specs):
        """Start backends from dicts with the keyword arguments of start()."""
        return [self.start(**spec) for spec in specs]

    @property
    def backends(self):
        with self._lock:
            return list(self._backends)

    def find(self, service, namespace=None, mode=None):
        """Backends of a Service (optionally filtered by namespace and mode)."""
        return [b for b in self.backends if b.service == service
                and namespace in (None, b.namespace) and mode in (None, b.mode)]

    def stop(self):
        """Stop every backend; returns once all their threads ended."""
        with self._lock:
            backends, self._backends = self._backends, []
        for backend in backends:
            backend.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------
# The same pool in a child process (the CLI), with a safety net


class EchoProcess:
    """Runs `python3 -m gwtest.echo` in a child process.

    For tests that want backends outside their own interpreter (e.g. so a
    heavy load test does not compete for the GIL). The child exits when its
    stdin closes, so it cannot outlive this process even after SIGKILL; it is
    also registered with gwtest.procs.
    """

    def __init__(self, specs, seed=0, startup_timeout=10.0, log_stderr=False):
        self.specs = list(specs)
        self.seed = seed
        self.startup_timeout = startup_timeout
        self.log_stderr = log_stderr
        self.proc = None
        self.backends = []

    def start(self):
        """Start the child; returns (and stores) the backends it reports."""
        fd, spec_path = tempfile.mkstemp(prefix="gwtest-echo-", suffix=".json")
        try:
            with os.fdopen(fd, "w") as f:
                json.dump({"seed": self.seed, "backends": self.specs}, f)
            self.proc = subprocess.Popen(self._command(spec_path), stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, env=self._environment())
            procs.register(self.proc.pid, self._emergency_stop)
            line = self._read_first_line()
        finally:
            os.unlink(spec_path)
        if not line:
            self.stop()
            raise RuntimeError("echo process exited or timed out before reporting its ports")
        self.backends = json.loads(line)["backends"]
        return self.backends

    def _command(self, spec_path):
        command = [sys.executable, "-m", "gwtest.echo", "--spec", spec_path,
                   "--exit-on-stdin-eof"]
        return command + (["--log-stderr"] if self.log_stderr else [])

    @staticmethod
    def _environment():
        env = dict(os.environ)
        lib = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (lib, env.get("PYTHONPATH")) if p)
        return env

    def _read_first_line(self):
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            if not selector.select(self.startup_timeout):
                return b""
        return self.proc.stdout.readline()

    def stop(self, timeout=STOP_TIMEOUT):
        """Close the child's stdin (it exits), escalating to SIGTERM/SIGKILL."""
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout)
        except (OSError, subprocess.TimeoutExpired):
            procs.terminate(self.proc, signal.SIGTERM, timeout)
        self.proc.stdout.close()
        procs.unregister(self.proc.pid)

    def _emergency_stop(self):
        procs.terminate(self.proc, signal.SIGTERM, 1.0)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------
# CLI


def load_spec(path):
    """Read a CLI spec: {"seed": N, "backends": [...]} or just the list."""
    with open(path) as f:
        spec = json.load(f)
    if isinstance(spec, list):
        spec = {"backends": spec}
    return spec.get("seed", 0), spec["backends"]


def _wait_for_exit_request(exit_on_stdin_eof):
    """Block until SIGTERM/SIGINT, or EOF on stdin if requested."""
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    if exit_on_stdin_eof:
        def watch_stdin():
            while sys.stdin.buffer.read1(4096):
                pass
            done.set()
        threading.Thread(target=watch_stdin, name="gwtest-echo stdin", daemon=True).start()
    done.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m gwtest.echo",
        description="Serve conformance echo backends on 127.0.0.1. Prints "
                    '{"backends": [{service, namespace, pod, mode, host, port}]} '
                    "as one line on stdout once all listen, then serves until "
                    "SIGTERM or SIGINT.")
    parser.add_argument("--spec", required=True,
                        help='JSON file: {"seed": 0, "backends": [{"service": ..., '
                             '"namespace": ..., "mode": "http", "port": 0, ...}]}')
    parser.add_argument("--seed", type=int, help="overrides the spec's seed")
    parser.add_argument("--log-stderr", action="store_true",
                        help="print every backend log line to stderr")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="also exit when stdin reaches EOF (parent died)")
    args = parser.parse_args(argv)
    seed, specs = load_spec(args.spec)

    def to_stderr(line):
        print(line, file=sys.stderr, flush=True)

    pool = EchoPool(seed=seed if args.seed is None else args.seed,
                    log_sink=to_stderr if args.log_stderr else None)
    try:
        backends = pool.start_all(specs)
        print(json.dumps({"backends": [b.describe() for b in backends]}), flush=True)
        _wait_for_exit_request(args.exit_on_stdin_eof)
    finally:
        pool.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
