"""Tests of the gwtest harness itself: echo backends, clients, nginx runner.

Run from tests/lib: python3 -m unittest -v test_gwtest
"""

import base64
import contextlib
import json
import os
import socket
import ssl
import tempfile
import threading
import time
import unittest

from gwtest import _gocompat, _grpc, certs, client, dns, echo, h2, nginx, procs
from gwtest._websocket import WebSocketError
from gwtest._wire import ProtocolError, read_head

INFRA = "gateway-conformance-infra"
GRPC_SERVICE = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho"


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
        self.assertEqual(dial.alpn, "h2")
        with socket.socket() as listener:  # accepts, then closes: a "rejected" dial
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            closer = threading.Thread(target=lambda: listener.accept()[0].close())
            closer.start()
            dial = client.tls_dial(listener.getsockname()[1], "unknown.example.com")
            closer.join()
        self.assertFalse(dial.ok)
        self.assertTrue(dial.rejected, dial)


    def test_h2_negotiated_with_alpn(self):
        self.assertEqual(client.alpn_negotiated(self.backend.port, "abc.example.com"), "h2")
        self.assertEqual(client.alpn_negotiated(self.backend.port, "abc.example.com",
                                                offer=("http/1.1",)), "http/1.1")
        r = client.h2_request(self.backend.port, "abc.example.com", "/h2?x", scheme="https",
                              sni="abc.example.com")
        self.assertEqual((r.status, r.proto, r.echo["proto"]), (200, "HTTP/2.0", "HTTP/2.0"))
        self.assertEqual(r.echo["tls"]["negotiatedProtocol"], "h2")
        self.assertEqual(r.echo["tls"]["serverName"], "abc.example.com")
        self.assertEqual(r.echo["host"], "abc.example.com")

    def test_h2_uses_the_same_handlers(self):
        def get(path, **kwargs):
            return client.h2_request(self.backend.port, None, path, scheme="https", **kwargs)
        self.assertEqual(get("/status/418").status, 418)
        self.assertEqual(get("/status/103").status, 200)  # 103 sent first, as an interim HEADERS
        self.assertEqual(get("/health").body, b"OK")
        self.assertEqual((get("/", method="HEAD").status, get("/", method="HEAD").body),
                         (200, b""))
        with self.assertRaises(h2.StreamReset):  # the retry simulator's connection reset
            get("/retry/x?uuid=h2&succeedAfter=1")
        self.assertEqual(get("/retry/x?uuid=h2&succeedAfter=1").status, 200)


def unhex(text):
    return bytes.fromhex(text.replace(" ", ""))


class HPACKTest(unittest.TestCase):
    """RFC 7541 Appendix C: exact bytes both ways, and the tables after each block."""

    AUTHORITY = (":authority", "www.example.com")
    REQUESTS = [
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), AUTHORITY],
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), AUTHORITY,
         ("cache-control", "no-cache")],
        [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), AUTHORITY,
         ("custom-key", "custom-value")],
    ]
    REQUEST_TABLES = [
        ([AUTHORITY], 57),
        ([("cache-control", "no-cache"), AUTHORITY], 110),
        ([("custom-key", "custom-value"), ("cache-control", "no-cache"), AUTHORITY], 164),
    ]
    C3 = ["8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
          "8286 84be 5808 6e6f 2d63 6163 6865",
          "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"]
    C4 = ["8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
          "8286 84be 5886 a8eb 1064 9cbf",
          "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"]

    DATE1 = ("date", "Mon, 21 Oct 2013 20:13:21 GMT")
    DATE2 = ("date", "Mon, 21 Oct 2013 20:13:22 GMT")
    LOCATION = ("location", "https://www.example.com")
    PRIVATE = ("cache-control", "private")
    COOKIE = ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")
    RESPONSES = [
        [(":status", "302"), PRIVATE, DATE1, LOCATION],
        [(":status", "307"), PRIVATE, DATE1, LOCATION],
        [(":status", "200"), PRIVATE, DATE2, LOCATION, ("content-encoding", "gzip"), COOKIE],
    ]
    RESPONSE_TABLES = [
        ([LOCATION, DATE1, PRIVATE, (":status", "302")], 222),
        ([(":status", "307"), LOCATION, DATE1, PRIVATE], 222),
        ([COOKIE, ("content-encoding", "gzip"), DATE2], 215),
    ]
    C5 = ["4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 "
          "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 "
          "6c65 2e63 6f6d",
          "4803 3330 37c1 c0bf",
          "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d "
          "54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 "
          "5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e "
          "3d31"]
    C6 = ["4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 "
          "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
          "4883 640e ffc1 c0bf",
          "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab "
          "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f "
          "9587 3160 65c0 03ed 4ee5 b106 3d50 07"]

    def check_sequence(self, header_lists, blocks, tables, table_size, huffman):
        encoder = h2.Encoder(table_size, huffman=huffman)
        decoder = h2.Decoder(table_size)
        for headers, block, (entries, size) in zip(header_lists, blocks, tables, strict=True):
            self.assertEqual(encoder.encode(headers).hex(), unhex(block).hex())
            self.assertEqual(decoder.decode(unhex(block)), headers)
            for table in (encoder.table, decoder.table):
                self.assertEqual((list(table.entries), table.size), (entries, size))

    def test_c3_requests_without_huffman(self):
        self.check_sequence(self.REQUESTS, self.C3, self.REQUEST_TABLES, 4096, False)

    def test_c4_requests_with_huffman(self):
        self.check_sequence(self.REQUESTS, self.C4, self.REQUEST_TABLES, 4096, True)

    def test_c5_responses_without_huffman_evict(self):
        self.check_sequence(self.RESPONSES, self.C5, self.RESPONSE_TABLES, 256, False)

    def test_c6_responses_with_huffman_evict(self):
        self.check_sequence(self.RESPONSES, self.C6, self.RESPONSE_TABLES, 256, True)

    def test_integer_representation(self):  # RFC 7541 C.1
        self.assertEqual(h2.encode_integer(10, 5), b"\x0a")
        self.assertEqual(h2.encode_integer(1337, 5), b"\x1f\x9a\x0a")
        self.assertEqual(h2.decode_integer(b"\x1f\x9a\x0a", 0, 5), (1337, 3))
        self.assertEqual(h2.encode_integer(42, 8), b"\x2a")

    def test_huffman_table_is_a_complete_canonical_code(self):
        # A transcription error in Appendix B would break one of these.
        codes = [h2.huffman_code(symbol) for symbol in range(257)]
        self.assertEqual(sum(2 ** (30 - length) for _, length in codes), 2 ** 30)  # Kraft
        expected = None
        previous_length = 0
        for symbol in sorted(range(257), key=lambda s: (codes[s][1], s)):
            code, length = codes[symbol]
            expected = 0 if expected is None else (expected + 1) << (length - previous_length)
            self.assertEqual(code, expected, symbol)
            previous_length = length
        self.assertEqual(codes[h2.HUFFMAN_EOS], ((1 << 30) - 1, 30))
        every_byte = bytes(range(256)) * 2
        self.assertEqual(h2.huffman_decode(h2.huffman_encode(every_byte)), every_byte)

    def test_huffman_decoding_errors(self):
        for bad, reason in ((b"\xff\xff\xff\xff", "EOS"), (b"\x1f\xff", "longer than 7"),
                            (b"\x18", "not a prefix of EOS")):
            with self.assertRaisesRegex(h2.HPACKError, reason):
                h2.huffman_decode(bad)
        self.assertEqual(h2.huffman_decode(b"\x1f"), b"a")  # 00011 + 111 padding

    def test_decoding_errors_are_compression_errors(self):
        too_big = h2.encode_integer(8192, 5, 0x20)
        for block, reason in ((b"\x80", "index 0"), (b"\xbe", "beyond the dynamic table"),
                              (too_big, "exceeds the announced"),
                              (b"\x82\x20", "after a header field"),
                              (b"\x40\x05ab", "runs past"), (b"\x1f", "truncated integer"),
                              (b"\x1f\xff\xff\xff\xff\xff", "larger than 2\\^32")):
            with self.assertRaisesRegex(h2.HPACKError, reason) as raised:
                h2.Decoder().decode(block)
            self.assertEqual(raised.exception.code, h2.COMPRESSION_ERROR)

    def test_table_size_updates_and_representations(self):
        encoder, decoder = h2.Encoder(huffman=False), h2.Decoder()
        decoder.decode(encoder.encode([("x-a", "1")]))
        encoder.set_max_table_size(0)  # e.g. the peer announced SETTINGS_HEADER_TABLE_SIZE 0
        encoder.set_max_table_size(100)
        block = encoder.encode([("x-b", "2")])
        self.assertEqual(block[:2], b"\x20\x3f")  # smallest size (0), then the final one (100)
        self.assertEqual(decoder.decode(block), [("x-b", "2")])
        self.assertEqual(list(decoder.table.entries), [("x-b", "2")])
        # Never-indexed and not-indexed literals leave the table alone.
        self.assertEqual(decoder.decode(b"\x10\x01k\x01v\x00\x01k\x01w"), [("k", "v"), ("k", "w")])
        self.assertEqual(len(decoder.table), 1)
        # A field larger than the table is sent without indexing.
        huge = encoder.encode([("x-huge", "v" * 200)])
        self.assertEqual(huge[0] & 0xF0, 0)
        self.assertEqual(decoder.decode(huge), [("x-huge", "v" * 200)])


def raw_h2_connection(port):
    """A socket that has sent the client preface, and a reader for frames."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(h2.PREFACE + h2.serialize_frame(h2.SETTINGS, 0, 0))
    return sock, sock.makefile("rb")


def read_frames_until(rfile, frame_type):
    """Frames up to and including the first of `frame_type` (or EOF)."""
    frames = []
    while True:
        frame = h2.read_frame(rfile, h2.MAX_FRAME_SIZE_LIMIT)
        if frame is None:
            return frames
        frames.append(frame)
        if frame.type == frame_type:
            return frames


class H2ConnectionTest(unittest.TestCase):
    """Framing, flow control and error handling, against the h2c echo and
    against bytes written by hand."""

    @classmethod
    def setUpClass(cls):
        cls.pool = echo.EchoPool()
        cls.backend = cls.pool.start("infra-backend-v1", INFRA, "h2c")

    @classmethod
    def tearDownClass(cls):
        cls.pool.stop()

    def test_large_bodies_and_header_blocks_use_flow_control_and_continuation(self):
        body = bytes(range(256)) * 1200  # 300 KiB: > the 64 KiB windows
        big_headers = {"x-big-%d" % i: "v" * 2000 for i in range(60)}  # > 16 KiB block
        r = client.h2_request(self.backend.port, "h", "/upload", "POST", headers=big_headers,
                              body=body)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.echo["headers"]["Content-Length"], [str(len(body))])
        self.assertEqual(r.echo["headers"]["X-Big-59"], ["v" * 2000])
        self.assertGreater(len(r.body), 65535)  # the echo itself needed a WINDOW_UPDATE

    def test_several_requests_and_ping_on_one_connection(self):
        fields, _ = client.h2_request_fields("GET", "http", "h", "/one")
        with client.h2_connection(self.backend.port) as conn:
            first = conn.wait_for_response(conn.send_request(fields))
            conn.ping()
            second = conn.wait_for_response(conn.send_request(fields))
        self.assertEqual((first.id, second.id), (1, 3))
        self.assertEqual(client.response_from_h2(second).echo["path"], "/one")

    def test_malformed_request_resets_only_its_stream(self):
        with client.h2_connection(self.backend.port) as conn:
            bad = conn.send_request([(":method", "GET"), (":scheme", "http"), (":path", "/"),
                                     (":authority", "h"), ("X-Upper", "1")])
            with self.assertRaises(h2.StreamReset) as raised:
                conn.wait_for_response(bad)
            self.assertEqual(raised.exception.code, h2.PROTOCOL_ERROR)
            fields, _ = client.h2_request_fields("GET", "http", "h", "/after")
            good = conn.wait_for_response(conn.send_request(fields))
        self.assertEqual(good.status, 200)

    def test_invalid_frame_gets_goaway_and_close(self):
        sock, rfile = raw_h2_connection(self.backend.port)
        with sock, rfile:
            sock.sendall(h2.serialize_frame(h2.SETTINGS, 0, 0, b"\x00\x04\x00\x00\x01"))
            frames = read_frames_until(rfile, h2.GOAWAY)
            goaway = frames[-1]
            self.assertEqual(goaway.type, h2.GOAWAY)
            self.assertEqual(int.from_bytes(goaway.payload[4:8], "big"), h2.FRAME_SIZE_ERROR)
            self.assertIn(b"multiple of 6", goaway.payload[8:])
            self.assertEqual(rfile.read(1), b"")  # the server closed the connection
        self.assertTrue(any("FRAME_SIZE_ERROR" in line for line in self.backend.log()))

    def test_client_rejects_protocol_violations_with_goaway(self):
        server_end, client_end = socket.socketpair()
        with server_end, client_end, client_end.makefile("rb") as rfile:
            conn = h2.H2Connection(client_end, rfile, client=True)
            conn.start_client()
            server_end.sendall(h2.serialize_frame(h2.SETTINGS, 0, 0)
                               + h2.serialize_frame(h2.PING, 0, 0, b"short"))
            self.assertTrue(conn.receive_frame())  # SETTINGS (and our ACK)
            with self.assertRaisesRegex(client.ProtocolError, "PING payload must be 8 bytes"):
                conn.receive_frame()  # an h2.H2Error, caught like HTTP/1.1 parse errors
            with server_end.makefile("rb") as peer:
                self.assertEqual(peer.read(len(h2.PREFACE)), h2.PREFACE)
                sent = read_frames_until(peer, h2.GOAWAY)
        self.assertEqual([f.type for f in sent], [h2.SETTINGS, h2.SETTINGS, h2.GOAWAY])
        self.assertEqual(int.from_bytes(sent[-1].payload[4:8], "big"), h2.FRAME_SIZE_ERROR)

    def test_stream_reset_interrupts_only_its_response(self):
        encoder = h2.Encoder()
        request = [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "h")]

        def headers_frame(stream_id):
            return h2.serialize_frame(h2.HEADERS, h2.END_HEADERS | h2.END_STREAM, stream_id,
                                      encoder.encode(request))
        server_end, client_end = socket.socketpair()
        with server_end, client_end, server_end.makefile("rb") as rfile:
            client_end.sendall(
                h2.PREFACE + h2.serialize_frame(h2.SETTINGS, 0, 0) + headers_frame(1)
                + h2.serialize_frame(h2.RST_STREAM, 0, 1, h2.CANCEL.to_bytes(4, "big"))
                + headers_frame(3) + h2.serialize_frame(h2.PING, h2.ACK, 0, b"gwtest!!"))
            client_end.shutdown(socket.SHUT_WR)
            conn = h2.H2Connection(server_end, rfile, client=False)
            conn.start_server()
            answered = []

            def handle(stream):
                if stream.id == 1:
                    conn.ping()  # handles the RST_STREAM that arrived meanwhile
                conn.send_headers(stream, [(":status", "204")], end_stream=True)
                answered.append(stream.id)
            conn.serve(handle)
        self.assertEqual(answered, [3])

    def test_first_frame_must_be_settings(self):
        server_end, client_end = socket.socketpair()
        with server_end, client_end, client_end.makefile("rb") as rfile:
            conn = h2.H2Connection(client_end, rfile, client=True)
            server_end.sendall(h2.serialize_frame(h2.PING, 0, 0, bytes(8)))
            with self.assertRaisesRegex(h2.H2Error, "must start with SETTINGS"):
                conn.receive_frame()


class EchoH2CTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pool = echo.EchoPool(seed=1)
        cls.backend = cls.pool.start("infra-backend-v1", INFRA, "h2c")

    @classmethod
    def tearDownClass(cls):
        cls.pool.stop()

    def test_echo_over_prior_knowledge_h2c(self):
        r = client.h2_request(self.backend.port, "example.com", "/a%20b?x=1",
                              headers={"X-Echo-Set-Header": "X-A:1,X-A:2", "x-custom": "one",
                                       "Cookie": ["a=1", "b=2"]})
        self.assertEqual((r.status, r.proto), (200, "HTTP/2.0"))
        self.assertEqual(r.header("content-type"), "application/json")
        self.assertEqual(r.header_values("x-a"), ["1,2"])  # HTTP/2 field names are lower case
        e = r.echo
        self.assertEqual((e["path"], e["host"], e["method"], e["proto"]),
                         ("/a%20b?x=1", "example.com", "GET", "HTTP/2.0"))
        self.assertEqual(e["headers"]["X-Custom"], ["one"])
        self.assertEqual(e["headers"]["User-Agent"], ["Go-http-client/2.0"])
        self.assertEqual(e["headers"]["Cookie"], ["a=1; b=2"])  # joined, like Go's server
        self.assertNotIn("Host", e["headers"])
        self.assertEqual((e["service"], e["pod"]), ("infra-backend-v1", self.backend.pod))
        self.assertIn("Echoing back request made to /a%20b?x=1 to client", self.backend.log()[-1])

    def test_http11_on_the_same_port_needs_upgrade(self):
        r = client.http_request(self.backend.port, "example.com", "/")
        self.assertEqual((r.status, r.body), (400, b"Expected h2c request"))

    def test_every_path_goes_to_the_echo_handler(self):
        r = client.h2_request(self.backend.port, "h", "/status/418")  # no ServeMux upstream
        self.assertEqual((r.status, r.echo["path"]), (200, "/status/418"))

    def test_http11_upgrade_to_h2c(self):
        settings = base64.urlsafe_b64encode(h2.serialize_settings({h2.ENABLE_PUSH: 0}))
        with socket.create_connection(self.backend.address, timeout=5) as sock, \
                sock.makefile("rb") as rfile:
            sock.sendall(b"GET /up HTTP/1.1\r\nHost: example.com\r\n"
                         b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                         b"HTTP2-Settings: " + settings.rstrip(b"=") + b"\r\n\r\n")
            self.assertEqual(read_head(rfile)[0], "HTTP/1.1 101 Switching Protocols")
            conn = h2.H2Connection(sock, rfile, client=True)
            upgraded = conn.wait_for_response(conn.start_client(upgraded=True))
            fields, _ = client.h2_request_fields("GET", "http", "example.com", "/next")
            following = conn.wait_for_response(conn.send_request(fields))
        first = client.response_from_h2(upgraded).echo
        self.assertEqual((first["path"], first["proto"]), ("/up", "HTTP/1.1"))
        self.assertEqual(first["headers"]["Upgrade"], ["h2c"])
        self.assertEqual(client.response_from_h2(following).echo["proto"], "HTTP/2.0")


class EchoGRPCTest(TLSTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = cls.ca.issue("grpc-server", ["grpc.example.com"])
        cls.plain = cls.pool.start("grpc-infra-backend-v1", INFRA, "grpc")
        cls.secure = cls.pool.start("grpc-infra-backend-v1", INFRA, "grpcs",
                                    cert=cls.server.cert, key=cls.server.key)

    def call(self, method, service=GRPC_SERVICE, backend=None, **options):
        backend = backend or self.plain
        return client.grpc_call(backend.port, "grpc.example.com", service, method, **options)

    def test_echo_and_echo_two(self):
        for method in ("Echo", "EchoTwo"):
            status, message, headers, response = self.call(
                method, metadata={"X-Custom": "v", "x-blob-bin": b"\x00\x01"})
            self.assertEqual((status, message), (0, ""))
            self.assertEqual(headers[0], ("content-type", "application/grpc"))
            self.assertEqual(headers[-2:], [("grpc-status", "0"), ("grpc-message", "")])
            a = response["assertions"]
            self.assertEqual(a["fully_qualified_method"], "/%s/%s" % (GRPC_SERVICE, method))
            self.assertEqual(a["authority"], "grpc.example.com")
            metadata = [(h["key"], h["value"]) for h in a["headers"]]
            self.assertEqual(metadata, [(":authority", "grpc.example.com"),
                                        ("content-type", "application/grpc"),
                                        ("user-agent", client.GRPC_USER_AGENT),
                                        ("x-custom", "v"), ("x-blob-bin", "\x00\x01")])
            self.assertEqual(a["context"], {"namespace": INFRA, "ingress": "",
                                            "service_name": "grpc-infra-backend-v1",
                                            "pod": self.plain.pod})
            self.assertIsNone(a["tls_assertions"])

    def test_echo_over_tls(self):
        result = self.call("Echo", backend=self.secure, tls=True, sni="grpc.example.com")
        self.assertEqual(result.status, 0)
        tls = result.response["assertions"]["tls_assertions"]
        self.assertEqual((tls["negotiated_protocol"], tls["server_name"]),
                         ("h2", "grpc.example.com"))
        self.assertIn(tls["version"], ("TLSv1.2", "TLSv1.3"))
        self.assertTrue(tls["cipher_suite"].startswith("TLS_"))
        self.assertEqual(client.alpn_negotiated(self.secure.port, "grpc.example.com"), "h2")
        self.assertEqual(self.call("EchoThree", backend=self.secure, tls=True).status, 12)

    def test_unimplemented(self):
        self.assertEqual(self.call("EchoThree")[:2], (12, "method EchoThree not implemented"))
        self.assertEqual(self.call("Echo", service="foo.Bar")[:2], (12, "unknown service foo.Bar"))
        self.assertEqual(self.call("Nope")[:2],
                         (12, "unknown method Nope for service " + GRPC_SERVICE))

    def test_invalid_requests_get_grpc_go_answers(self):
        status, message, _, _ = self.call("Echo", request=b"\x0a\x05ab")
        self.assertEqual(status, 13)
        self.assertIn("grpc: error unmarshalling request", message)
        status, message, _, _ = self.call("Echo", metadata={"x-blob-bin": b"\xff"})
        self.assertEqual((status, message[:30]), (13, "grpc: error while marshaling: "))
        r = client.h2_request(self.plain.port, "grpc.example.com", "/x")  # plain HTTP/2 GET
        self.assertEqual((r.status, r.header("grpc-status")), (415, "3"))
        http_echo = self.pool.start("infra-backend-v1", INFRA, "h2c")  # not a gRPC server
        status, message, _, _ = client.grpc_call(http_echo.port, None, GRPC_SERVICE, "Echo")
        self.assertEqual((status, message), (2, 'transport: received unexpected content-type '
                                                '"application/json"'))
        with self.assertRaises((ConnectionError, ProtocolError)):
            client.http_request(self.plain.port, "grpc.example.com", "/")
        self.assertTrue(any("bogus connection preface" in l for l in self.plain.log()))

    def test_grpc_message_and_protobuf_encoding(self):
        text = "ünknown 100% \n"
        encoded = _grpc.encode_grpc_message(text)
        self.assertEqual(encoded, "%C3%BCnknown 100%25 %0A")
        self.assertEqual(_grpc.decode_grpc_message(encoded), text)
        message = {"fully_qualified_method": "/s/m", "headers": [{"key": "k", "value": "v"}],
                   "context": {"pod": "p"}}
        data = _grpc.encode_message("Assertions", message)
        self.assertEqual(data[:6], b"\x0a\x04/s/m")  # field 1, length-delimited
        unknown = b"\x48\x96\x01" + b"\x55\x00\x00\x00\x00"  # varint field 9, fixed32 field 10
        decoded = _grpc.decode_message("Assertions", data + unknown)
        self.assertEqual(decoded["headers"], [{"key": "k", "value": "v"}])
        self.assertEqual(decoded["context"], {"namespace": "", "ingress": "", "service_name": "",
                                              "pod": "p"})
        for bad in (b"\x0a", b"\x0a\x05ab", b"\x0b", b"\x28\x01", b"\x0a\x01\xff"):
            with self.assertRaises(_grpc.ProtobufError):
                _grpc.decode_message("Assertions", bad)


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

    def test_http2_backends_stop_with_idle_connections(self):
        pool = echo.EchoPool()
        tls = {"cert": self.server.cert, "key": self.server.key}
        backends = [(pool.start("h", "ns", "h2c"), False), (pool.start("g", "ns", "grpc"), False),
                    (pool.start("s", "ns", "https", **tls), True),
                    (pool.start("gs", "ns", "grpcs", **tls), True)]
        with contextlib.ExitStack() as idle:
            for backend, use_tls in backends:
                conn = idle.enter_context(client.h2_connection(backend.port, tls=use_tls))
                conn.ping()  # the server is now waiting for the next frame
            started = time.monotonic()
            pool.stop()
            self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(gwtest_threads(), [])
        for backend, _ in backends:
            self.assertTrue(refuses_connections(backend.port), backend.label)

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

NGINX_SERVERS_CONF = """
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
    %(server)s
}
"""
NGINX_GRPC_SERVER = """server {
        listen 127.0.0.1:%(listen)d http2;
        location / { grpc_pass grpc://127.0.0.1:%(backend)d; }
    }"""
NGINX_H2_TLS_SERVER = """server {
        listen 127.0.0.1:%(listen)d ssl http2;
        ssl_certificate %(cert)s;
        ssl_certificate_key %(key)s;
        location / {
            proxy_pass http://127.0.0.1:%(backend)d;
            proxy_set_header Host $http_host;
        }
    }"""


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
        pid = proc.pid
        self.assertIn(pid, procs.registered_pids())

        with client.HTTPConnection(port) as conn:
            first = conn.request("/foo%20bar//baz?q=1", "gateway.example.com")
            second = conn.request("/second", "gateway.example.com:8080")
        # The master listens before it forks its worker, so start() may
        # return before the worker exists; an answered request proves it
        # does (the client's timeout bounds the wait).
        workers = proc.worker_pids()
        self.assertEqual(len(workers), 1)
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

    def write_server_conf(self, server_template, **values):
        self.write_conf(NGINX_SERVERS_CONF, server=server_template % values)

    def test_grpc_pass_to_the_grpc_echo(self):
        backend = self.pool.start("grpc-infra-backend-v1", INFRA, "grpc")
        port = nginx.free_port()
        self.write_server_conf(NGINX_GRPC_SERVER, listen=port, backend=backend.port)
        with nginx.NginxProcess(self.prefix, tcp_ports=[port]):
            def call(service, method):
                return client.grpc_call(port, "grpc.example.com", service, method,
                                        metadata={"x-custom": "forwarded"})
            status, message, headers, response = call(GRPC_SERVICE, "Echo")
            three = call(GRPC_SERVICE, "EchoThree")
            unknown = call("foo.Bar", "Echo")
        self.assertEqual((status, message), (0, ""))
        self.assertTrue(dict(headers)["server"].startswith("nginx/"))
        assertions = response["assertions"]
        self.assertEqual(assertions["fully_qualified_method"], "/%s/Echo" % GRPC_SERVICE)
        # A bare grpc_pass sends the upstream address as :authority, not the client's.
        self.assertEqual(assertions["authority"], "127.0.0.1:%d" % backend.port)
        self.assertIn({"key": "x-custom", "value": "forwarded"}, assertions["headers"])
        self.assertEqual(assertions["context"]["pod"], backend.pod)
        self.assertEqual(three[:2], (12, "method EchoThree not implemented"))
        self.assertEqual(unknown[:2], (12, "unknown service foo.Bar"))
        self.assertEqual(len(backend.wait_for_log("Received over plaintext")), 1)

    def test_ssl_http2_listener_negotiates_h2(self):
        ca = certs.CertificateAuthority(os.path.join(self.prefix, "certs"))
        pair = ca.issue("gateway", ["abc.example.com"])
        backend = self.pool.start("infra-backend-v1", INFRA, "http")
        port = nginx.free_port()
        self.write_server_conf(NGINX_H2_TLS_SERVER, listen=port, backend=backend.port,
                               cert=pair.cert, key=pair.key)
        with nginx.NginxProcess(self.prefix, tcp_ports=[port]):
            self.assertEqual(client.alpn_negotiated(port, "abc.example.com"), "h2")
            r = client.h2_request(port, "abc.example.com", "/h2/path?q=1", scheme="https",
                                  sni="abc.example.com", headers={"x-custom": "v"})
        self.assertEqual((r.status, r.proto), (200, "HTTP/2.0"))
        self.assertEqual(r.echo["path"], "/h2/path?q=1")
        self.assertEqual(r.echo["host"], "abc.example.com")
        self.assertEqual(r.echo["headers"]["X-Custom"], ["v"])
        self.assertEqual(r.echo["proto"], "HTTP/1.0")  # nginx's default to upstreams
        self.assertEqual(r.echo["pod"], backend.pod)

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
