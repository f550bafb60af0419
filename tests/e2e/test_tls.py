"""End to end: HTTPS listeners, certificates by SNI, unknown SNI refused."""
import base64
import ssl
import tempfile
import unittest

from gwtest import client
from gwtest.certs import CertificateAuthority
from scenario import Scenario, served_by
from test_routing import backends


def tls_secret(ns, name, pair):
    with open(pair.cert) as c, open(pair.key) as k:
        crt, key = c.read(), k.read()
    return ("---\napiVersion: v1\nkind: Secret\nmetadata: {name: %s, namespace: %s}\n"
            "type: kubernetes.io/tls\ndata:\n  tls.crt: %s\n  tls.key: %s\n"
            % (name, ns, base64.b64encode(crt.encode()).decode(),
               base64.b64encode(key.encode()).decode()))


class HTTPS(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        ca = CertificateAuthority(cls.tmp.name)
        cls.ca = ca
        shop = ca.issue("shop", ["shop.example.com"])
        wild = ca.issue("wild", ["*.wild.example.com"])
        manifests = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: nginx
  listeners:
    - name: shop
      protocol: HTTPS
      port: 443
      hostname: shop.example.com
      tls: {certificateRefs: [{name: shop-cert}]}
    - name: wild
      protocol: HTTPS
      port: 443
      hostname: "*.wild.example.com"
      tls: {certificateRefs: [{name: wild-cert}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: shop}]
  rules: [{backendRefs: [{name: shop, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wild, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: wild}]
  rules: [{backendRefs: [{name: wild, port: 8080}]}]
""" + tls_secret("shop", "shop-cert", shop) + tls_secret("shop", "wild-cert", wild)
        cls.s = Scenario(manifests, backends("shop", "wild"), listener_ports=(443,))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        cls.tmp.cleanup()

    def peer_names(self, sni):
        ctx = ssl.create_default_context(cafile=self.ca.cert)
        import socket
        with socket.create_connection(("127.0.0.1", self.s.port(443)), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname=sni) as tls:
                return tls.getpeercert()["subjectAltName"]

    def test_certificate_chosen_by_sni_and_verified(self):
        self.assertEqual(self.peer_names("shop.example.com"), (("DNS", "shop.example.com"),))
        self.assertEqual(self.peer_names("a.wild.example.com"), (("DNS", "*.wild.example.com"),))

    def test_requests_route_by_host(self):
        r = self.s.get("/", "shop.example.com", listener=443, scheme="https",
                       sni="shop.example.com")
        self.assertEqual(served_by(r), "shop")
        r = self.s.get("/", "x.wild.example.com", listener=443, scheme="https",
                       sni="x.wild.example.com")
        self.assertEqual(served_by(r), "wild")
        self.assertEqual(r.echo["headers"]["X-Forwarded-Proto"], ["https"])

    def test_host_of_another_listener_is_misdirected(self):
        # Listener.hostname (apis/v1/gateway_types.go): when the listener SNI
        # chose does not match the Host and another listener does, 421.
        for sni, host in (("shop.example.com", "a.wild.example.com"),
                          ("a.wild.example.com", "shop.example.com")):
            for send in (self.s.get, self.h2_get):
                r = send("/", host, listener=443, scheme="https", sni=sni)
                self.assertEqual(r.status, 421, (send, sni, host))
                self.assertIsNone(served_by(r))

    def test_host_of_no_listener_is_404(self):
        # ... and when no listener of the Gateway matches the Host, it MUST
        # be 404, not 421.
        for sni in ("shop.example.com", "a.wild.example.com"):
            for host in ("nowhere.example.com", "wild.example.com", "10.0.0.1"):
                for send in (self.s.get, self.h2_get):
                    r = send("/", host, listener=443, scheme="https", sni=sni)
                    self.assertEqual(r.status, 404, (send, sni, host))
                    self.assertIsNone(served_by(r))

    def h2_get(self, path, host, listener, scheme, sni):
        return client.h2_request(self.s.port(listener), host, path, scheme=scheme, sni=sni)

    def test_unknown_sni_is_refused(self):
        self.assertFalse(client.tls_handshake(self.s.port(443), "unknown.example.com"))

    def test_http2_by_alpn(self):
        dial = client.tls_dial(self.s.port(443), "shop.example.com", alpn=["h2", "http/1.1"])
        self.assertTrue(dial.ok)
        self.assertEqual(dial.alpn, "h2")


if __name__ == "__main__":
    unittest.main()
