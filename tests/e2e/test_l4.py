"""End to end at layer 4: TCPRoute, UDPRoute and TLSRoute through nginx's
stream module, against echo backends that say who they are."""
import json
import socket
import tempfile
import unittest

from gwtest import client
from scenario import Backend, Scenario
from test_tls import tls_peer, tls_secret

from gwtest.certs import CertificateAuthority


def gateway(*listeners, ns="l4"):
    return ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            "metadata: {name: gw, namespace: %s}\n"
            "spec:\n  gatewayClassName: nginx\n  listeners:\n%s"
            % (ns, "".join("    - %s\n" % l for l in listeners)))


def route(kind, name, body, version="v1alpha2", ns="l4", created=None):
    stamp = ", creationTimestamp: \"%s\"" % created if created else ""
    return ("---\napiVersion: gateway.networking.k8s.io/%s\nkind: %s\n"
            "metadata: {name: %s, namespace: %s%s}\nspec:\n%s"
            % (version, kind, name, ns, stamp, body))


def served_by(exchange):
    return exchange.json()["service"]


class TCP(unittest.TestCase):
    MANIFESTS = gateway("{name: db, protocol: TCP, port: 5000}") + route("TCPRoute", "db", """
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
""", version="v1")

    def test_tcp_echo_through_tcproute(self):
        with Scenario(self.MANIFESTS, [Backend("l4", "db", port=5432, mode="tcp")],
                      listener_ports=(5000,)) as s:
            x = client.tcp_exchange(s.port(5000), ["PING", "IS_TLS", "TEST"])
            self.assertEqual(x.welcome, "Gateway API Test TCP Server")
            self.assertEqual(x.replies[:2], ["PONG", "false"])
            self.assertEqual(served_by(x), "db")

    def test_only_the_oldest_route_on_a_listener_carries_traffic(self):
        manifests = self.MANIFESTS.replace("name: db, namespace: l4",
                                           'name: db, namespace: l4, '
                                           'creationTimestamp: "2026-01-02T00:00:00Z"')
        manifests += route("TCPRoute", "old", """
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: old, port: 5432}]}]
""", created="2026-01-01T00:00:00Z")
        backends = [Backend("l4", "db", port=5432, mode="tcp"),
                    Backend("l4", "old", port=5432, mode="tcp")]
        with Scenario(manifests, backends, listener_ports=(5000,)) as s:
            for _ in range(5):
                self.assertEqual(served_by(client.tcp_exchange(s.port(5000), ["TEST"])), "old")
            self.assertIn("shares listener 'db' with the older TCPRoute l4/old",
                          s.compile_stderr)

    def test_weighted_split_per_connection(self):
        manifests = gateway("{name: db, protocol: TCP, port: 5000}") + route("TCPRoute", "db", """
  parentRefs: [{name: gw}]
  rules:
    - backendRefs:
        - {name: primary, port: 5432, weight: 3}
        - {name: replica, port: 5432, weight: 1}
""")
        backends = [Backend("l4", "primary", port=5432, mode="tcp"),
                    Backend("l4", "replica", port=5432, mode="tcp")]
        n = 400
        with Scenario(manifests, backends, listener_ports=(5000,)) as s:
            counts = {"primary": 0, "replica": 0}
            for _ in range(n):
                counts[served_by(client.tcp_exchange(s.port(5000), ["TEST"]))] += 1
        self.assertAlmostEqual(counts["primary"] / n, 0.75, delta=0.07, msg=counts)

    def test_missing_backend_closes_the_connection(self):
        manifests = gateway("{name: db, protocol: TCP, port: 5000}") + route("TCPRoute", "db", """
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: nowhere, port: 5432}]}]
""")
        with Scenario(manifests, [], listener_ports=(5000,),
                      extra_args=["--strict-refs"]) as s:
            self.assertIn("Service 'l4/nowhere' is not in the input (BackendNotFound)",
                          s.compile_stderr)
            with socket.create_connection(("127.0.0.1", s.port(5000)), timeout=5) as c:
                self.assertEqual(c.recv(100), b"")  # closed, nothing sent


class UDP(unittest.TestCase):
    def test_udp_echo_through_udproute(self):
        manifests = gateway("{name: dns, protocol: UDP, port: 5353}") + route("UDPRoute", "dns", """
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: dns, port: 53}]}]
""", version="v1")
        backend = Backend("l4", "dns", port=53, mode="udp", port_name="dns")
        with Scenario(manifests, [backend], listener_ports=(),
                      udp_listener_ports=(5353,)) as s:
            self.assertIn("udp", s.output("stream.conf"))
            for i in range(3):
                reply = json.loads(client.udp_exchange(s.port(5353), "hello %d" % i))
                self.assertEqual(reply["request"], "hello %d" % i)
                self.assertEqual(reply["service"], "dns")


class TLS(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.ca = CertificateAuthority(cls.tmp.name)
        cls.alpha = cls.ca.issue("alpha", ["alpha.example.com"])
        cls.beta = cls.ca.issue("beta", ["beta.example.com"])
        cls.edge = cls.ca.issue("edge", ["*.example.com"])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def tls_backend(self, name, pair):
        return Backend("l4", name, port=8443, mode="tls", port_name="tls",
                       cert=pair.cert, key=pair.key)

    PASSTHROUGH = gateway('{name: pt, protocol: TLS, port: 443, hostname: "*.example.com", '
                          'tls: {mode: Passthrough}}') + route("TLSRoute", "alpha", """
  parentRefs: [{name: gw}]
  hostnames: [alpha.example.com]
  rules: [{backendRefs: [{name: alpha, port: 8443}]}]
""") + route("TLSRoute", "beta", """
  parentRefs: [{name: gw}]
  hostnames: [beta.example.com]
  rules: [{backendRefs: [{name: beta, port: 8443}]}]
""")

    def test_passthrough_chooses_the_backend_by_sni(self):
        backends = [self.tls_backend("alpha", self.alpha), self.tls_backend("beta", self.beta)]
        with Scenario(self.PASSTHROUGH, backends, listener_ports=(443,)) as s:
            port = s.port(443)
            for name in ("alpha", "beta"):
                sni = name + ".example.com"
                # The backend's own certificate: nginx never decrypted.
                self.assertEqual(tls_peer(port, sni, self.ca.cert), (("DNS", sni),))
                x = client.tcp_exchange(port, ["IS_TLS", "TEST"], tls=True, sni=sni)
                self.assertEqual(x.replies[0], "true")
                self.assertEqual(served_by(x), name)
                self.assertEqual(x.json()["tls"]["serverName"], sni)

    def test_passthrough_refuses_an_unknown_sni(self):
        backends = [self.tls_backend("alpha", self.alpha), self.tls_backend("beta", self.beta)]
        with Scenario(self.PASSTHROUGH, backends, listener_ports=(443,)) as s:
            self.assertFalse(client.tls_handshake(s.port(443), "gamma.example.com"))
            self.assertFalse(client.tls_handshake(s.port(443), None))
            self.assertTrue(client.tls_handshake(s.port(443), "alpha.example.com"))

    def test_terminate_decrypts_with_the_listener_certificate(self):
        manifests = gateway('{name: tls, protocol: TLS, port: 443, hostname: "*.example.com", '
                            'tls: {mode: Terminate, certificateRefs: [{name: edge}]}}') + \
            route("TLSRoute", "db", """
  parentRefs: [{name: gw}]
  hostnames: [db.example.com]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
""") + tls_secret("l4", "edge", self.edge)
        with Scenario(manifests, [Backend("l4", "db", port=5432, mode="tcp")],
                      listener_ports=(443,)) as s:
            port = s.port(443)
            self.assertEqual(tls_peer(port, "db.example.com", self.ca.cert),
                             (("DNS", "*.example.com"),))
            x = client.tcp_exchange(port, ["IS_TLS", "TEST"], tls=True, sni="db.example.com")
            self.assertEqual(x.replies[0], "false")  # plaintext behind nginx
            self.assertEqual(served_by(x), "db")
            # Another name under the listener, but no route claims it.
            with self.assertRaises((ConnectionError, OSError)):
                client.tcp_exchange(port, ["PING"], tls=True, sni="other.example.com")

    def test_https_and_passthrough_share_a_port(self):
        manifests = gateway(
            '{name: web, protocol: HTTPS, port: 443, hostname: www.example.com, '
            'tls: {certificateRefs: [{name: edge}]}}',
            '{name: vault, protocol: TLS, port: 443, hostname: alpha.example.com, '
            'tls: {mode: Passthrough}}') + route("HTTPRoute", "web", """
  parentRefs: [{name: gw, sectionName: web}]
  rules: [{backendRefs: [{name: web, port: 8080}]}]
""", version="v1") + route("TLSRoute", "vault", """
  parentRefs: [{name: gw, sectionName: vault}]
  rules: [{backendRefs: [{name: alpha, port: 8443}]}]
""") + tls_secret("l4", "edge", self.edge)
        backends = [Backend("l4", "web"), self.tls_backend("alpha", self.alpha)]
        with Scenario(manifests, backends, listener_ports=(443,)) as s:
            port = s.port(443)
            r = client.http_request(port, "www.example.com", "/x", scheme="https",
                                    sni="www.example.com")
            self.assertEqual(r.status, 200)
            self.assertEqual(r.echo["service"], "web")
            # The PROXY protocol hop keeps the client's address.
            self.assertEqual(r.echo["headers"].get("X-Forwarded-For"), ["127.0.0.1"])
            self.assertEqual(tls_peer(port, "alpha.example.com", self.ca.cert),
                             (("DNS", "alpha.example.com"),))
            x = client.tcp_exchange(port, ["TEST"], tls=True, sni="alpha.example.com")
            self.assertEqual(served_by(x), "alpha")
            self.assertFalse(client.tls_handshake(port, "unknown.example.com"))


if __name__ == "__main__":
    unittest.main()
