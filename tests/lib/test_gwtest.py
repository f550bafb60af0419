"""Tests of the gwtest harness itself: echo backends, clients, nginx runner.

Run from tests/lib: python3 -m unittest -v test_gwtest
"""

import json
import os
import socket
import ssl
import tempfile
import threading
import time
import unittest

from gwtest import _gocompat, certs, client, dns, echo, nginx, procs
from gwtest._websocket import WebSocketError

INFRA = "gateway-conformance-infra"


def refuses_connections(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def gwtest_threads():
    return [t for t in threading.enumerate() if t.name.startswith("gwtest-echo")]


class PodNameTest(unittest.TestCase):
    def test_deterministic_and_shaped_like_a_deployment_pod(self):
        a = echo.pod_name("infra-backend-v1", INFRA, seed=7)
        self.assertEqual(a, echo.pod_name("infra-backend-v1", INFRA, seed=7))
        self.assertRegex(a, r"^infra-backend-v1-[a-z0-9]{10}-[a-z0-9]{5}$")
        self.assertEqual(client.service_from_pod(a), "infra-backend-v1")

    def test_replicas_share_the_template_hash(self):
        r0 = echo.pod_name("web", "ns", replica=0)
        r1 = echo.pod_name("web", "ns", replica=1)
        self.assertNotEqual(r0, r1)
        self.assertEqual(r0.rsplit("-", 1)[0], r1.rsplit("-", 1)[0])
        self.assertNotEqual(r0, echo.pod_name("web", "ns", seed=1))


class GoHelpersTest(unittest.TestCase):
    def test_go_durations(self):
        self.assertEqual(_gocompat.parse_go_duration("1s"), 1.0)
        self.assertAlmostEqual(_gocompat.parse_go_duration("500ms"), 0.5)
        self.assertAlmostEqual(_gocompat.parse_go_duration("1m30.5s"), 90.5)
        self.assertEqual(_gocompat.parse_go_duration("0"), 0.0)
        for bad in ("", "1", "x", "1x", "."):
            with self.assertRaises(ValueError):
                _gocompat.parse_go_duration(bad)

    def test_go_clean_path(self):
        self.assertEqual(_gocompat.go_clean_path("/a/../b/"), "/b/")
        self.assertEqual(_gocompat.go_clean_path("/a/./b"), "/a/b")
        self.assertEqual(_gocompat.go_clean_path("/.."), "/")
        self.assertEqual(_gocompat.go_clean_path("/x//y"), "/x/y")


class EchoHTTPTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pool = echo.EchoPool(seed=1)
        cls.backend = cls.pool.start("infra-backend-v1", INFRA, "http")

    @classmethod
    def tearDownClass(cls):
        cls.pool.stop()

    def setUp(self):
        self.backend.clear_log()

    def get(self, path, host="example.com", **kwargs):
        return client.http_request(self.backend.port, host, path, **kwargs)

    def test_echo_json_reports_request_and_identity(self):
        r = self.get("/a%20b?x=1&y", headers={"x-custom": "one", "X-Multi": ["1", "2"]})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        e = r.echo
        self.assertEqual(e["path"], "/a%20b?x=1&y")
        self.assertEqual(e["host"], "example.com")
        self.assertEqual((e["method"], e["proto"]), ("GET", "HTTP/1.1"))
        self.assertEqual(e["headers"]["X-Custom"], ["one"])
        self.assertEqual(e["headers"]["X-Multi"], ["1", "2"])
        self.assertEqual(e["headers"]["User-Agent"], ["Go-http-client/1.1"])
        self.assertNotIn("Host", e["headers"])  # net/http promotes Host out of the map
        self.assertEqual(e["namespace"], INFRA)
        self.assertEqual(e["service"], "infra-backend-v1")
        self.assertEqual(e["pod"], self.backend.pod)
        self.assertEqual(e["httpPort"], str(self.backend.port))
        self.assertEqual(e["ingress"], "")
        self.assertNotIn("tls", e)
        self.assertEqual(list(e), ["path", "host", "method", "proto", "headers", "httpPort",
                                   "namespace", "ingress", "service", "pod"])
        self.assertTrue(r.body.startswith(b'{\n "path": '), r.body[:40])  # MarshalIndent

    def test_raw_path_is_echoed_byte_for_byte(self):
        for path in ("//x", "/%2e%2E/y", "/a%2Fb", "/?q=a%20b&&"):
            self.assertEqual(self.get(path).echo["path"], path)

    def test_default_host_is_the_dialled_address(self):
        r = self.get("/", host=None)
        self.assertEqual(r.echo["host"], "127.0.0.1:%d" % self.backend.port)

    def test_every_request_is_logged(self):
        r = self.get("/mirror?id=42")
        self.assertEqual(r.status, 200)
        [line] = self.backend.log()
        self.assertTrue(line.startswith("Echoing back request made to /mirror?id=42 to client "
                                        "(127.0.0.1:"), line)
        self.backend.clear_log()
        self.assertEqual(self.backend.log(), [])

    def test_wait_for_log_sees_a_later_request(self):
        timer = threading.Timer(0.2, lambda: self.get("/late"))
        timer.start()
        self.addCleanup(timer.join)
        self.assertEqual(len(self.backend.wait_for_log("/late", timeout=5)), 1)
        self.assertEqual(self.backend.wait_for_log("/never", timeout=0.05), [])

    def test_echo_set_header(self):
        r = self.get("/", headers={"X-Echo-Set-Header": "X-A:1,X-A: 2, x-lower:v,X-Empty:"})
        self.assertEqual(r.header_values("X-A"), ["1,2"])
        self.assertEqual([n for n, _ in r.headers if n.lower() == "x-lower"], ["x-lower"])
        self.assertEqual(r.header("X-Empty"), "")
        r = self.get("/", headers={"X-Echo-Set-Header": ""})
        self.assertEqual(r.status, 200)

    def test_status_endpoint(self):
        r = self.get("/status/418")
        self.assertEqual((r.status, r.body, r.echo), (418, b"", None))
        self.assertEqual(self.get("/status/503").status, 503)
        self.assertEqual(self.get("/status/200?x=1").status, 400)  # regex on the whole URI
        self.assertEqual(self.get("/status/abc").status, 400)
        self.assertEqual(self.backend.log(), [])

    def test_health(self):
        r = self.get("/health")
        self.assertEqual((r.status, r.body), (200, b"OK"))

    def test_delay(self):
        start = time.monotonic()
        r = self.get("/?delay=300ms")
        self.assertGreaterEqual(time.monotonic() - start, 0.3)
        self.assertEqual(r.status, 200)
        r = self.get("/?delay=soon")
        self.assertEqual(r.status, 500)
        self.assertIn("invalid duration", r.echo["message"])

    def test_unclean_paths_redirect_like_servemux(self):
        r = self.get("/a/../b?q")
        self.assertEqual((r.status, r.header("Location")), (301, "/b?q"))
        r = self.get("/status")
        self.assertEqual((r.status, r.header("Location")), (301, "/status/"))

    def test_keep_alive_two_requests_one_connection(self):
        with client.HTTPConnection(self.backend.port) as conn:
            first = conn.request("/one", "example.com")
            second = conn.request("/two", "example.com")
        self.assertEqual((first.status, second.status), (200, 200))
        self.assertEqual(conn.connects, 1)
        peers = {line.rsplit("(", 1)[1] for line in self.backend.log()}
        self.assertEqual(len(peers), 1, self.backend.log())

    def test_bodies_are_consumed(self):
        with client.HTTPConnection(self.backend.port) as conn:
            chunked = conn.request("/upload", "h", "POST", body=b"x" * 5000, chunked=True)
            sized = conn.request("/upload", "h", "PUT", body="hello")
            after = conn.request("/after", "h")
        self.assertNotIn("Transfer-Encoding", chunked.echo["headers"])
        self.assertEqual(chunked.echo["method"], "POST")
        self.assertEqual(sized.echo["headers"]["Content-Length"], ["5"])
        self.assertEqual(after.echo["path"], "/after")
        self.assertEqual(conn.connects, 1)

    def test_http10_request_closes_the_connection(self):
        # nginx talks HTTP/1.0 to upstreams unless proxy_http_version 1.1 is set.
        with socket.create_connection(self.backend.address, timeout=5) as s:
            s.sendall(b"GET /old HTTP/1.0\r\nHost: x\r\n\r\n")
            with s.makefile("rb") as f:
                data = f.read()  # to EOF: the server closes after one reply
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 OK"), head)
        self.assertEqual(json.loads(body)["proto"], "HTTP/1.0")

    def test_expect_continue(self):
        r = self.get("/", method="POST", body=b"data", headers={"Expect": "100-continue"})
        self.assertEqual(r.status, 200)

    def test_head_has_no_body(self):
        r = self.get("/", method="HEAD")
        self.assertEqual((r.status, r.body), (200, b""))
        self.assertGreater(int(r.header("Content-Length")), 0)

    def test_malformed_requests_get_400(self):
        for raw in (b"GET / HTTP/1.1\r\n\r\n",  # no Host
                    b"GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                    b"GET / HTTP/1.1\r\nBad Header: x\r\nHost: x\r\n\r\n"):
            with socket.create_connection(self.backend.address, timeout=5) as s:
                s.sendall(raw)
                self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 400 "), raw)

    def test_retry_simulator(self):
        path = "/retry/x?uuid=u1&succeedAfter=2&responseCode=503"
        self.assertEqual([self.get(path).status for _ in range(3)], [503, 503, 200])
        path = "/retry/x?uuid=u2&succeedAfter=1"
        with self.assertRaises(ConnectionError):
            self.get(path)
        self.assertEqual(self.get(path).status, 200)

    def test_websocket_echo(self):
        echoed = client.websocket_echo(self.backend.port, None, "/ws",
                                       ["Websocket Support!", bytes([1, 2, 3, 4, 5, 6, 7])])
        self.assertEqual(echoed, ["Websocket Support!", bytes([1, 2, 3, 4, 5, 6, 7])])
        self.assertEqual(client.websocket_echo(self.backend.port, "h", "/ws", "x" * 70000),
                         "x" * 70000)
        self.assertTrue(any("established websocket" in l for l in self.backend.log()))

    def test_websocket_needs_origin_and_upgrade(self):
        upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
        self.assertEqual(self.get("/ws", headers=upgrade).status, 403)
        self.assertEqual(self.get("/ws").status, 400)
        with self.assertRaises(WebSocketError):
            client.websocket_echo(self.backend.port, None, "/not-ws", "x")


class TLSTestCase(unittest.TestCase):
    """Creates a throw-away CA, a server and a client certificate."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="gwtest-certs-")
        cls.ca = certs.CertificateAuthority(cls.tmp.name)
        cls.server = cls.ca.issue("server", ["abc.example.com"], ["127.0.0.1"])
        cls.client = cls.ca.issue("client", client=True)
        cls.pool = echo.EchoPool()

    @classmethod
    def tearDownClass(cls):
        cls.pool.stop()
        cls.tmp.cleanup()


class EchoHTTPSTest(TLSTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.pool.start("tls-backend", INFRA, "https", cert=cls.server.cert,
                                     key=cls.server.key, client_ca=cls.ca.cert)

    def test_sni_recorded(self):
        r = client.http_request(self.backend.port, "abc.example.com", "/tls?x",
                                scheme="https", sni="abc.example.com")
        self.assertEqual(r.status, 200)
        tls = r.echo["tls"]
        self.assertEqual(tls["serverName"], "abc.example.com")
        self.assertIn(tls["version"], ("TLSv1.2", "TLSv1.3"))
        self.assertTrue(tls["cipherSuite"].startswith("TLS_"), tls)
        self.assertNotIn("peerCertificates", tls)
        self.assertEqual(r.echo["path"], "/tls?x")
        self.assertIn("abc.example.com", self.backend.server_names())

    def test_no_sni(self):
        r = client.http_request(self.backend.port, None, "/", scheme="https")
        self.assertEqual(r.echo["tls"]["serverName"], "")
        self.assertIn(None, self.backend.server_names())

    def test_client_certificate_reported(self):
        r = client.http_request(self.backend.port, "abc.example.com", "/", scheme="https",
                                sni="abc.example.com",
                                client_cert=(self.client.cert, self.client.key))
        [pem] = r.echo["tls"]["peerCertificates"]
        self.assertEqual(ssl.PEM_cert_to_DER_cert(pem),
                         ssl.PEM_cert_to_DER_cert(self.client.read_cert()))

    def test_tls_handshake_helpers(self):
        self.assertTrue(client.tls_handshake(self.backend.port, "abc.example.com"))
        dial = client.tls_dial(self.backend.port, "abc.example.com", alpn=["h2", "http/1.1"])
        self.assertEqual(dial.alpn, "http/1.1")
        with socket.socket() as listener:  # accepts, then closes: a "rejected" dial
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            closer = threading.Thread(target=lambda: listener.accept()[0].close())
            closer.start()
            dial = client.tls_dial(listener.getsockname()[1], "unknown.example.com")
            closer.join()
        self.assertFalse(dial.ok)
        self.assertTrue(dial.rejected, dial)


class EchoTCPTest(TLSTestCase):
    def test_plain_tcp(self):
        b = self.pool.start("tcp-backend", INFRA, "tcp")
        ex = client.tcp_exchange(b.port, ["PING", "IS_TLS", "TEST"])
        self.assertEqual(ex.welcome, "Gateway API Test TCP Server")
        self.assertEqual(ex.replies[:2], ["PONG", "false"])
        self.assertEqual(ex.json(), {"namespace": INFRA, "ingress": "", "service": "tcp-backend",
                                     "pod": b.pod, "tcpport": str(b.port), "isTLS": False})

    def test_unknown_lines_are_ignored(self):
        b = self.pool.start("tcp-backend", INFRA, "tcp")
        with socket.create_connection(b.address, timeout=5) as s, s.makefile("rb") as f:
            f.readline()
            s.sendall(b"HELLO\r\nPING\r\n")
            self.assertEqual(f.readline(), b"PONG\n")

    def test_tls_terminating_tcp(self):
        b = self.pool.start("tcp-backend", INFRA, "tls", cert=self.server.cert,
                            key=self.server.key, tcp_port=3000)
        ex = client.tcp_exchange(b.port, ["IS_TLS", "TEST"], tls=True, sni="abc.example.com")
        self.assertEqual(ex.replies[0], "true")
        answer = ex.json()
        self.assertTrue(answer["isTLS"])
        self.assertEqual((answer["tcpport"], answer["tlsport"]), ("3000", str(b.port)))
        self.assertEqual(answer["tls"]["serverName"], "abc.example.com")
        self.assertTrue(answer["tls"]["version"].startswith("TLS 1."))
        self.assertEqual(b.server_names(), ["abc.example.com"])


class EchoDatagramTest(unittest.TestCase):
    def setUp(self):
        self.pool = echo.EchoPool()
        self.addCleanup(self.pool.stop)

    def test_udp_echo(self):
        b = self.pool.start("udp-backend-v1", INFRA, "udp")
        reply = json.loads(client.udp_exchange(b.port, "gateway-api-conformance-udp-echo"))
        self.assertEqual(reply, {"request": "gateway-api-conformance-udp-echo", "namespace": INFRA,
                                 "ingress": "", "service": "udp-backend-v1", "pod": b.pod})
        self.assertEqual(len(b.log()), 1)

    def test_dns_answers_a_queries(self):
        b = self.pool.start("coredns", INFRA, "dns")
        reply = client.dns_query(b.port, "foo.bar.com.")
        self.assertTrue(reply.is_response)
        self.assertEqual(reply.rcode, 0)
        self.assertEqual([(a.name, a.data) for a in reply.answers],
                         [("foo.bar.com.", "127.0.0.1")])
        self.assertEqual(client.dns_query(b.port, "foo.bar.com.", "AAAA").answers, [])
        self.assertIsNone(dns.build_answer(b"garbage"))


class LifecycleTest(TLSTestCase):
    def test_stop_ends_threads_and_releases_ports(self):
        pool = echo.EchoPool()
        tls = {"cert": self.server.cert, "key": self.server.key}
        backends = [pool.start("h", "ns", "http"), pool.start("s", "ns", "https", **tls),
                    pool.start("t", "ns", "tcp"), pool.start("l", "ns", "tls", **tls),
                    pool.start("u", "ns", "udp"), pool.start("d", "ns", "dns")]
        http_backend = backends[0]
        # Leave work in flight: an idle keep-alive connection, an open TCP
        # session and a request sleeping in ?delay=.
        idle = client.HTTPConnection(http_backend.port)
        idle.request("/", "h")
        self.addCleanup(idle.close)
        session = socket.create_connection(backends[2].address)
        self.addCleanup(session.close)
        slow = threading.Thread(target=self._swallow, args=(http_backend.port,))
        slow.start()
        http_backend.wait_for_log("delay=30s")

        started = time.monotonic()
        pool.stop()
        slow.join(5)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(gwtest_threads(), [])
        for b in backends:
            self.assertEqual(b.threads(), [])
            if b.transport == "tcp":
                self.assertTrue(refuses_connections(b.port), b.label)
            kind = socket.SOCK_STREAM if b.transport == "tcp" else socket.SOCK_DGRAM
            with socket.socket(socket.AF_INET, kind) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", b.port))  # raises if still bound

    @staticmethod
    def _swallow(port):
        try:
            client.http_request(port, "h", "/?delay=30s", timeout=10)
        except (OSError, ConnectionError):
            pass

    def test_echo_cli_process(self):
        specs = [{"service": "infra-backend-v1", "namespace": INFRA},
                 {"service": "udp-backend", "namespace": INFRA, "mode": "udp"}]
        with echo.EchoProcess(specs, seed=3) as process:
            pid = process.proc.pid
            self.assertIn(pid, procs.registered_pids())
            http_info, udp_info = process.backends
            self.assertEqual(http_info["pod"], echo.pod_name("infra-backend-v1", INFRA, seed=3))
            r = client.http_request(http_info["port"], None, "/cli")
            self.assertEqual(r.echo["pod"], http_info["pod"])
            reply = json.loads(client.udp_exchange(udp_info["port"], "ping"))
            self.assertEqual(reply["service"], "udp-backend")
        self.assertFalse(procs.pid_alive(pid))
        self.assertNotIn(pid, procs.registered_pids())
        self.assertTrue(refuses_connections(http_info["port"]))


NGINX_HTTP_CONF = """
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log info;
events { worker_connections 64; }
http {
    access_log logs/access.log;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    upstream echo {
        server 127.0.0.1:%(backend)d;
        keepalive 4;
    }
    server {
        listen 127.0.0.1:%(listen)d;
        location / {
            proxy_pass http://echo;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
        }
    }
}
"""

NGINX_UDP_CONF = """
load_module %(module)s;
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log info;
events { worker_connections 64; }
stream {
    server {
        listen 127.0.0.1:%(listen)d udp;
        proxy_pass 127.0.0.1:%(backend)d;
        proxy_responses 1;
        proxy_timeout 2s;
    }
}
"""
STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so"


@unittest.skipUnless(os.access(nginx.NGINX, os.X_OK), "nginx not installed")
class NginxTest(unittest.TestCase):
    def setUp(self):
        self.pool = echo.EchoPool()
        self.addCleanup(self.pool.stop)
        tmp = tempfile.TemporaryDirectory(prefix="gwtest-nginx-")
        self.addCleanup(tmp.cleanup)
        self.prefix = tmp.name

    def write_conf(self, template, **values):
        with open(os.path.join(self.prefix, "nginx.conf"), "w") as f:
            f.write(template % values)

    def test_free_ports_are_distinct_bindable_and_not_ephemeral(self):
        ports = nginx.free_ports(5) + [nginx.free_udp_port(), nginx.free_port("both")]
        self.assertEqual(len(set(ports)), len(ports))
        low, high = nginx._ephemeral_range()
        for port in ports:
            self.assertFalse(low <= port <= high, port)
            with socket.socket() as s:
                s.bind(("127.0.0.1", port))

    def test_proxies_to_echo_backend_and_stops_cleanly(self):
        backend = self.pool.start("infra-backend-v1", INFRA)
        port = nginx.free_port()
        self.write_conf(NGINX_HTTP_CONF, backend=backend.port, listen=port)
        proc = nginx.NginxProcess(self.prefix, tcp_ports=[port])
        self.addCleanup(proc.stop)
        proc.start()
        pid, workers = proc.pid, proc.worker_pids()
        self.assertIn(pid, procs.registered_pids())
        self.assertEqual(len(workers), 1)

        with client.HTTPConnection(port) as conn:
            first = conn.request("/foo%20bar//baz?q=1", "gateway.example.com")
            second = conn.request("/second", "gateway.example.com:8080")
        self.assertEqual(first.status, 200)
        self.assertEqual(first.echo["host"], "gateway.example.com")
        self.assertEqual(first.echo["path"], "/foo%20bar//baz?q=1")
        self.assertEqual(first.echo["pod"], backend.pod)
        self.assertEqual(second.echo["host"], "gateway.example.com:8080")
        self.assertEqual(conn.connects, 1)
        self.assertEqual(len(backend.log()), 2)
        upstream_peers = {line.rsplit("(", 1)[1] for line in backend.log()}
        self.assertEqual(len(upstream_peers), 1, "nginx upstream keepalive not reused")

        self.assertEqual(proc.stop(), 0)
        for gone in [pid] + workers:
            self.assertFalse(procs.pid_alive(gone), gone)
        self.assertNotIn(pid, procs.registered_pids())
        self.assertTrue(refuses_connections(port))

    def test_invalid_config_raises_with_nginx_stderr(self):
        self.write_conf("events {}\nbogus_directive on;\n")
        proc = nginx.NginxProcess(self.prefix)
        with self.assertRaises(nginx.NginxError) as raised:
            proc.start()
        self.assertIn("bogus_directive", str(raised.exception))
        self.assertIsNone(proc.pid)
        self.assertEqual(procs.registered_pids(), [])

    @unittest.skipUnless(os.path.exists(STREAM_MODULE), "nginx stream module not installed")
    def test_udp_stream_proxy(self):
        backend = self.pool.start("udp-backend-v1", INFRA, "udp")
        port = nginx.free_udp_port()
        self.write_conf(NGINX_UDP_CONF, module=STREAM_MODULE, backend=backend.port, listen=port)
        with nginx.NginxProcess(self.prefix, udp_ports=[port]) as proc:
            reply = json.loads(client.udp_exchange(port, "gateway-api-conformance-udp-echo"))
            self.assertEqual(reply["pod"], backend.pod)
            pid = proc.pid
        self.assertFalse(procs.pid_alive(pid))


if __name__ == "__main__":
    unittest.main()
