"""Sending one conformance request case and judging the answer the way the
upstream harness does (suite/cases/INDEX.md, "How the harness compares").

Each check returns None when the case holds, else a short description of the
first field that differs.
"""
import base64
import collections
import concurrent.futures
import json
import os
import re
import ssl
import time
import urllib.parse
import uuid

from gwtest import _grpc as grpcwire
from gwtest import client

TIMEOUT_STATUSES = (408, 504)


class Target:
    """Where a case's request goes: the Gateway's address and the local port
    its listener port is mapped to, plus the listener port itself (the
    harness's Host header and redirect expectations are in listener ports)."""

    def __init__(self, address, port, listener_port):
        self.address, self.port, self.listener_port = address, port, listener_port


def default_host(target, scheme):
    """The Host the harness sends when the case gives none: the Gateway
    address as dialled, with the port unless it is the scheme's default."""
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(scheme)
    if target.listener_port == default:
        return target.address
    return "%s:%d" % (target.address, target.listener_port)


def echo_set_header(request):
    pairs = (request.get("echo_set_response_headers") or {}).items()
    return ",".join("%s:%s" % kv for kv in pairs)


def _values(headers, name):
    name = name.lower()
    return [v for k, v in headers if k.lower() == name]


def _canonical(value, ignore_whitespace):
    return re.sub(r"\s+", "", value) if ignore_whitespace else value


# ---- HTTP ----

class HTTPCase:
    def __init__(self, request, target, secrets, workdir):
        self.request = request
        self.target = target
        self.scheme = request.get("scheme") or "http"
        self.host = request.get("host")
        if self.host is None:
            self.host = default_host(target, self.scheme)
        self.headers = dict(request.get("headers") or {})
        self.headers["X-Echo-Set-Header"] = echo_set_header(request)
        self.sni = request.get("sni")
        if self.scheme == "https" and self.sni is None:
            self.sni = self.host.rsplit(":", 1)[0] if not self.host.startswith("[") else None
        self.client_cert = None
        ref = request.get("client_certificate")
        if ref:
            self.client_cert = secrets.key_pair(ref, workdir)
        self.alpn = request.get("protocol") in ("H2", "H2C_PRIOR_KNOWLEDGE")

    def send(self, path=None):
        path = path or self.request.get("path") or "/"
        if "{uuid}" in path:  # a fresh one per attempt, as the harness does
            self.uuid = uuid.uuid4().hex
            path = path.replace("{uuid}", self.uuid)
        if self.alpn:
            return client.h2_request(
                self.target.port, self.host, path, method=self.request.get("method") or "GET",
                headers=self.headers, scheme=self.scheme, sni=self.sni,
                address=self.target.address, client_cert=self.client_cert)
        return client.http_request(
            self.target.port, self.host, path, method=self.request.get("method") or "GET",
            headers=self.headers, scheme=self.scheme, sni=self.sni,
            address=self.target.address, client_cert=self.client_cert)


def check_http(case, expect, topology):
    must_fail = expect.get("must_fail")
    try:
        response = case.send()
    except (OSError, ssl.SSLError, client.ProtocolError) as error:
        if must_fail == "tls_or_connection_error":
            return None
        return "request failed: %s" % error
    if must_fail == "tls_or_connection_error":
        return "request succeeded (%d), want a TLS or connection error" % response.status
    if must_fail == "http_status_not_200":
        if response.status == 200 or response.status in TIMEOUT_STATUSES:
            return "status %d, want a failure other than 200/408/504" % response.status
        return None
    return compare_response(response, expect, case)


def _status_ok(got, expect):
    want = expect.get("status_any_of") or [expect.get("status")]
    if got in want:
        return True
    return got in TIMEOUT_STATUSES and any(w in TIMEOUT_STATUSES for w in want)


def compare_response(response, expect, case):
    if not _status_ok(response.status, expect):
        want = expect.get("status_any_of") or expect.get("status")
        return "status %d, want %s" % (response.status, want)
    echo = response.echo or {}
    if expect.get("answered_by_gateway") and response.echo is not None:
        return "answered by backend pod %r, want an answer from the gateway" % echo.get("pod")
    if response.status in (200, 204) and not expect.get("answered_by_gateway"):
        seen = expect.get("request_seen_by_backend")
        if seen and "{uuid}" in seen.get("path", ""):
            expect = _with_path(expect, seen["path"].replace("{uuid}", case.uuid))
        err = compare_echo(echo, expect)
        if err:
            return err
    err = compare_response_headers(response, expect)
    if err:
        return err
    if expect.get("redirect"):
        return compare_redirect(response, expect["redirect"], case)
    return None


def compare_echo(echo, expect):
    seen = expect.get("request_seen_by_backend")
    if seen is not None:
        if echo.get("path", "") != seen["path"]:
            return "backend saw path %r, want %r" % (echo.get("path"), seen["path"])
        if seen.get("host") is not None and echo.get("host") != seen["host"]:
            return "backend saw host %r, want %r" % (echo.get("host"), seen["host"])
        if seen.get("method") and echo.get("method") != seen["method"]:
            return "backend saw method %r, want %r" % (echo.get("method"), seen["method"])
        got_headers = {k.lower(): v for k, v in (echo.get("headers") or {}).items()}
        for name, value in (seen.get("headers") or {}).items():
            got = got_headers.get(name.lower())
            if got is None:
                return "backend did not see header %s (want %r)" % (name, value)
            if ",".join(got) != value:
                return "backend saw %s: %r, want %r" % (name, ",".join(got), value)
        for name in seen.get("absent_headers") or []:
            if name.lower() in got_headers:
                return "backend saw header %s: %r, want it absent" % (name, got_headers[name.lower()])
        if seen.get("sni") is not None:
            got = (echo.get("tls") or {}).get("serverName")
            if got != seen["sni"]:
                return "backend saw SNI %r, want %r" % (got, seen["sni"])
        if seen.get("client_cert") is not None:
            if not (echo.get("tls") or {}).get("peerCertificates"):
                return "backend was presented no client certificate"
    if echo.get("namespace", "") != (expect.get("namespace") or ""):
        return "answered from namespace %r, want %r" % (echo.get("namespace"), expect.get("namespace"))
    backend = expect.get("backend")
    if backend and not echo.get("pod", "").startswith(backend):
        return "answered by pod %r, want %s-*" % (echo.get("pod"), backend)
    return None


def compare_response_headers(response, expect):
    ignore_ws = expect.get("response_header_ignore_whitespace")
    for name, value in (expect.get("response_headers") or {}).items():
        got = _values(response.headers, name)
        if not got:
            return "response lacks header %s (want %r)" % (name, value)
        if _canonical(",".join(got), ignore_ws) != _canonical(value, ignore_ws):
            return "response header %s: %r, want %r" % (name, ",".join(got), value)
    for name in expect.get("absent_response_headers") or []:
        if _values(response.headers, name):
            return "response has header %s, want it absent" % name
    for name, choices in (expect.get("response_headers_any_of") or {}).items():
        got = _values(response.headers, name)
        if not got:
            return "response lacks header %s (want one of %r)" % (name, choices)
        joined = _canonical(",".join(got), ignore_ws)
        if joined not in [_canonical(c, ignore_ws) for c in choices]:
            return "response header %s: %r, want one of %r" % (name, ",".join(got), choices)
    return None


def compare_redirect(response, want, case):
    location = response.header("Location")
    if not location:
        return "no Location header in the %d answer" % response.status
    url = urllib.parse.urlsplit(location)
    scheme = want.get("scheme") or case.scheme
    if url.scheme != scheme:
        return "redirect scheme %r, want %r (Location %s)" % (url.scheme, scheme, location)
    if want.get("host") and url.hostname != want["host"]:
        return "redirect host %r, want %r (Location %s)" % (url.hostname, want["host"], location)
    port = want.get("port")
    port = int(port) if port not in (None, "") else None
    if port is None:
        allowed = {None, 80} if scheme == "http" else {None, 443}
    else:
        allowed = {port}
        if (scheme, port) in (("http", 80), ("https", 443)):
            allowed.add(None)
    if url.port not in allowed:
        return "redirect port %r, want %s (Location %s)" % (url.port, sorted(allowed, key=str), location)
    path = want.get("path") or urllib.parse.urlsplit(case.request.get("path") or "/").path
    if url.path != path:
        return "redirect path %r, want %r (Location %s)" % (url.path, path, location)
    return None


def check_mirrors(case, expect, topology):
    """Every mirror target logs the request (a unique query tells it apart)."""
    mirrors = expect.get("mirrored_to") or []
    if not mirrors:
        return None
    if any(m.get("percent") for m in mirrors):
        return check_mirror_percentage(case, expect, topology)
    path = _tagged_path(case, "m")
    response = case.send(path)
    err = compare_response(response, _with_path(expect, path), case)
    if err:
        return err
    for m in mirrors:
        backends = topology.backend_of(m["namespace"], m["name"])
        line = "Echoing back request made to %s " % path
        if not any(b.wait_for_log(line, timeout=3.0) for b in backends[:1]):
            return "mirror %s/%s did not receive %s" % (m["namespace"], m["name"], path)
    return None


def _tagged_path(case, tag):
    base = case.request.get("path") or "/"
    sep = "&" if "?" in base else "?"
    return "%s%sgateway-api-conformance-request-id=%s%s" % (
        base, sep, tag, base64.b32encode(os.urandom(10)).decode().lower())


def _with_path(expect, path):
    expect = dict(expect)
    if expect.get("request_seen_by_backend"):
        seen = dict(expect["request_seen_by_backend"])
        seen["path"] = path
        expect["request_seen_by_backend"] = seen
    return expect


def check_mirror_percentage(case, expect, topology, n=500, attempts=5):
    (m,) = expect["mirrored_to"]
    p = m["percent"] / 100.0
    spread = 3 * (n * p * (1 - p)) ** 0.5
    backends = topology.backend_of(m["namespace"], m["name"])
    result = None
    for _ in range(attempts):
        paths = [_tagged_path(case, "p") for _ in range(n)]
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            statuses = list(pool.map(lambda path: case.send(path).status, paths))
        if any(s != 200 for s in statuses):
            return "primary answered %s, want 200" % collections.Counter(statuses)
        time.sleep(0.5)  # mirrored subrequests finish after the main answer
        logged = set()
        for b in backends:
            for line in b.log():
                logged.update(x for x in paths if "made to %s " % x in line)
        result = len(logged)
        if abs(result - n * p) <= spread:
            return None
    return "%d of %d requests mirrored, want %.0f +- %.0f" % (result, n, n * p, spread)


# ---- distributions ----

def strip_pod(pod):
    return "-".join(pod.split("-")[:-2]) if pod else ""


def check_distribution(sample, expect, attempts=10):
    weights = expect["backend_weights"]
    n = expect.get("distribution_requests", 500)
    tolerance = expect.get("distribution_tolerance", 0.05)
    total = float(sum(weights.values()))
    problem = None
    for _ in range(attempts):
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            seen = collections.Counter(pool.map(lambda _: strip_pod(sample()), range(n)))
        problem = _distribution_problem(seen, weights, total, n, tolerance)
        if problem is None:
            return None
    return problem


def _distribution_problem(seen, weights, total, n, tolerance):
    for name in seen:
        if name not in weights:
            return "traffic reached %r, not a weighted backend (%s)" % (name, dict(seen))
    for name, w in weights.items():
        share = seen.get(name, 0) / n
        if w == 0 and seen.get(name):
            return "weight-0 backend %s got %d requests" % (name, seen[name])
        if abs(share - w / total) > tolerance:
            return "backend %s got %.1f%%, want %.0f%% +- %.0f (%s)" % (
                name, 100 * share, 100 * w / total, 100 * tolerance, dict(seen))
    return None


# ---- TCP, TLS, UDP, WebSocket ----

def check_stream(request, expect, target):
    tls = request.get("protocol") == "tls"
    sni = request.get("sni")
    if expect.get("connection", "").startswith("rejected"):
        dial = client.tls_dial(target.port, sni, address=target.address)
        return "TLS handshake succeeded, want it rejected" if dial.ok else None
    if expect.get("tcp_connect"):
        import socket
        try:
            socket.create_connection((target.address, target.port), timeout=5).close()
        except OSError as error:
            return "connect failed: %s" % error
        return None
    try:
        exchange = client.tcp_exchange(target.port, ["PING", "IS_TLS", "TEST"], tls=tls,
                                       sni=sni, address=target.address)
    except (OSError, ssl.SSLError) as error:
        return "exchange failed: %s" % error
    if exchange.welcome != "Gateway API Test TCP Server":
        return "welcome line %r" % exchange.welcome
    if exchange.replies[0] != "PONG":
        return "PING answered %r" % exchange.replies[0]
    answer = exchange.json(2)
    if "backend_is_tls" in expect:
        is_tls = exchange.replies[1] == "true"
        if is_tls != expect["backend_is_tls"]:
            return "backend IS_TLS %s, want %s" % (is_tls, expect["backend_is_tls"])
    if expect.get("namespace") and answer.get("namespace") != expect["namespace"]:
        return "answered from namespace %r, want %r" % (answer.get("namespace"), expect["namespace"])
    backend = expect.get("backend")
    if backend and not answer.get("pod", "").startswith(backend + "-"):
        return "answered by pod %r, want %s-*" % (answer.get("pod"), backend)
    if expect.get("tcp_echo_reply") and not answer.get("pod"):
        return "TEST answer without a pod: %r" % answer
    if expect.get("sni_seen_by_backend"):
        got = (answer.get("tls") or {}).get("serverName")
        if got != expect["sni_seen_by_backend"]:
            return "backend saw SNI %r, want %r" % (got, expect["sni_seen_by_backend"])
    return None


def stream_sample(request, target):
    def sample():
        tls = request.get("protocol") == "tls"
        x = client.tcp_exchange(target.port, ["TEST"], tls=tls, sni=request.get("sni"),
                                address=target.address)
        return x.json()["pod"]
    return sample


def check_udp(request, expect, target):
    if request.get("protocol") == "udp/dns":
        name, qtype = request["dns_query"].split()
        try:
            client.dns_query(target.port, name, qtype, address=target.address)
        except (OSError, ValueError) as error:
            return "DNS exchange failed: %s" % error
        return None
    try:
        reply = json.loads(client.udp_exchange(target.port, request.get("payload", ""),
                                               address=target.address))
    except (OSError, ValueError) as error:
        return "UDP exchange failed: %s" % error
    if reply.get("request") != request.get("payload", ""):
        return "UDP reply echoed %r" % reply.get("request")
    for key in ("service", "namespace"):
        if expect.get(key) and reply.get(key) != expect[key]:
            return "UDP reply %s %r, want %r" % (key, reply.get(key), expect[key])
    return None


def udp_sample(request, target):
    def sample():
        reply = client.udp_exchange(target.port, request.get("payload") or "x",
                                    address=target.address)
        return json.loads(reply)["pod"]
    return sample


def check_websocket(request, target):
    host = request.get("host") or default_host(target, "ws")
    messages = ["Websocket Support!", bytes([1, 2, 3, 4, 5, 6, 7])]
    try:
        echoed = client.websocket_echo(target.port, host, request.get("path", "/ws"), messages,
                                       origin=request.get("origin"), address=target.address)
    except (OSError, ConnectionError, Exception) as error:  # noqa: B902 - any refusal fails
        return "WebSocket exchange failed: %s" % error
    if echoed != messages:
        return "WebSocket echoed %r, want %r" % (echoed, messages)
    return None


# ---- gRPC ----

def grpc_call(request, target):
    host = request.get("host") or default_host(target, "http")
    return client.grpc_call(target.port, host, request["grpc_service"], request["grpc_method"],
                            metadata=request.get("headers") or {}, address=target.address)


def _grpc_context(result):
    response = result.response if isinstance(result.response, dict) else {}
    return response.get("assertions") or {}


def check_grpc(request, expect, target):
    try:
        result = grpc_call(request, target)
    except (OSError, ConnectionError) as error:
        return "gRPC call failed: %s" % error
    got, want = grpcwire.status_name(result.status), expect.get("grpc_code", "OK")
    if want.startswith("any non-OK"):
        return "gRPC status OK, want a failure" if result.status == grpcwire.OK else None
    if got.replace("_", "").lower() != want.replace("_", "").lower():
        return "gRPC status %s (%s), want %s" % (got, result.message, want)
    if result.status != grpcwire.OK:
        return None
    assertions = _grpc_context(result)
    context = assertions.get("context") or {}
    method = "/%s/%s" % (request["grpc_service"], request["grpc_method"])
    if assertions.get("fully_qualified_method") != method:
        return "backend saw method %r, want %r" % (assertions.get("fully_qualified_method"), method)
    if context.get("namespace", "") != (expect.get("namespace") or ""):
        return "answered from namespace %r, want %r" % (context.get("namespace"),
                                                        expect.get("namespace"))
    backend = expect.get("backend")
    if backend and not context.get("pod", "").startswith(backend):
        return "answered by pod %r, want %s-*" % (context.get("pod"), backend)
    return None


def grpc_sample(request, target):
    def sample():
        return (_grpc_context(grpc_call(request, target)).get("context") or {}).get("pod", "")
    return sample
