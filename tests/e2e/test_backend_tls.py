"""End to end: BackendTLSPolicy through real nginx.

A policy makes nginx speak TLS to its Services and verify them.  A policy
whose CA cannot be used must not be silently dropped: requests get 500 and
TCP connections are closed, and the backend never sees a cleartext
connection (BackendTLSPolicyValidation.CACertificateRefs in
backendtlspolicy_types.go: "Connections using an invalid CACertificateRef
MUST fail, and the client MUST receive an HTTP 5xx error response").
"""
import socket
import tempfile
import unittest

from gwtest import client
from gwtest.certs import CertificateAuthority
from scenario import Backend, Scenario, served_by
from test_l4 import gateway, route

MANIFESTS = gateway("{name: http, protocol: HTTP, port: 80}",
                    "{name: db, protocol: TCP, port: 5000}", ns="shop") + route("HTTPRoute", "web", """
  parentRefs: [{name: gw, sectionName: http}]
  rules:
    - matches: [{path: {value: /verified}}]
      backendRefs: [{name: verified, port: 8443}]
    - matches: [{path: {value: /missing-ca}}]
      backendRefs: [{name: missing-ca, port: 8080}]
    - matches: [{path: {value: /bad-pem}}]
      backendRefs: [{name: bad-pem, port: 8080}]
    - matches: [{path: {value: /custom-set}}]
      backendRefs: [{name: custom-set, port: 8080}]
""", version="v1", ns="shop") + route("TCPRoute", "db", """
  parentRefs: [{name: gw, sectionName: db}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
""", version="v1", ns="shop") + """---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-pem, namespace: shop}
data: {ca.crt: "no certificate here"}
"""


def policy(service, validation):
    return ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\n"
            "metadata: {name: %s, namespace: shop}\nspec:\n"
            "  targetRefs: [{group: \"\", kind: Service, name: %s}]\n"
            "  validation:\n    hostname: %s.shop.svc\n%s"
            % (service, service, service, "".join("    %s\n" % v for v in validation)))


def ca_config_map(name, pem):
    body = "".join("    %s\n" % line for line in pem.strip().splitlines())
    return ("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: shop}\n"
            "data:\n  ca.crt: |\n%s" % (name, body))


def ca_ref(name):
    return 'caCertificateRefs: [{group: "", kind: ConfigMap, name: %s}]' % name


class BackendTLS(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        ca = CertificateAuthority(cls.tmp.name)
        pair = ca.issue("verified", ["verified.shop.svc"])
        manifests = (MANIFESTS + ca_config_map("ca", ca.pair.read_cert())
                     + "---\napiVersion: v1\nkind: ConfigMap\n"
                       "metadata: {name: no-ca, namespace: shop}\ndata: {other.crt: x}\n"
                     + policy("verified", [ca_ref("ca")])
                     + policy("missing-ca", [ca_ref("no-ca")])
                     + policy("bad-pem", [ca_ref("not-pem")])
                     + policy("custom-set", ["wellKnownCACertificates: example.com/internal"])
                     + policy("db", [ca_ref("no-ca")]))
        cls.s = Scenario(manifests, [
            Backend("shop", "verified", port=8443, mode="https", cert=pair.cert, key=pair.key),
            # Cleartext servers: any connection reaching them would be the
            # fail-open this file guards against.
            Backend("shop", "missing-ca"), Backend("shop", "bad-pem"),
            Backend("shop", "custom-set"),
            Backend("shop", "db", port=5432, mode="tcp")],
            listener_ports=(80, 5000))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        cls.tmp.cleanup()

    def test_a_usable_policy_reaches_the_backend_over_verified_tls(self):
        r = self.s.get("/verified", "web.example.com")
        self.assertEqual((r.status, served_by(r)), (200, "verified"))
        self.assertEqual(r.echo["tls"]["serverName"], "verified.shop.svc")

    def test_an_unusable_ca_answers_500_and_never_connects(self):
        for path in ("/missing-ca", "/bad-pem", "/custom-set"):
            for _ in range(3):
                self.assertEqual(self.s.get(path, "web.example.com").status, 500, path)
            self.assertEqual(self.s.backend("shop", path[1:]).accepted(), 0, path)
        self.assertIn("ConfigMap 'shop/no-ca' has no ca.crt; no CA of the policy is usable",
                      self.s.compile_stderr)

    def test_an_unusable_ca_closes_tcp_connections_and_never_connects(self):
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", self.s.port(5000)), timeout=5) as c:
                self.assertEqual(c.recv(100), b"")  # closed, nothing sent
        self.assertEqual(self.s.backend("shop", "db").accepted(), 0)


if __name__ == "__main__":
    unittest.main()
