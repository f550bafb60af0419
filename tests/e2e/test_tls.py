"""End to end: HTTPS listeners, certificates by SNI, unknown SNI refused,
Secrets and ConfigMaps that are not in the input read where volumes mount
them."""
import base64
import os
import shutil
import socket
import ssl
import tempfile
import unittest

from gwtest import client
from gwtest.certs import CertificateAuthority
from scenario import Backend, Scenario, served_by
from test_routing import backends


def tls_peer(port, sni, cafile, client_cert=None):
    """The certificate names presented on port for sni, verified against
    cafile (so the answer proves who holds the key)."""
    ctx = ssl.create_default_context(cafile=cafile)
    if client_cert:
        ctx.load_cert_chain(*client_cert)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname=sni) as tls:
            return tls.getpeercert()["subjectAltName"]


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

    def test_certificate_chosen_by_sni_and_verified(self):
        port = self.s.port(443)
        self.assertEqual(tls_peer(port, "shop.example.com", self.ca.cert),
                         (("DNS", "shop.example.com"),))
        self.assertEqual(tls_peer(port, "a.wild.example.com", self.ca.cert),
                         (("DNS", "*.wild.example.com"),))

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


class MountedSecrets(unittest.TestCase):
    """Secrets and ConfigMaps that cert-manager or external-secrets create in
    the cluster are not in the input: gwc assumes they exist (a note each)
    and nginx reads them where volumes mount them, --secrets-dir/NS/NAME/
    tls.crt and tls.key, --configmaps-dir/NS/NAME/ca.crt."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        ca = cls.ca = CertificateAuthority(os.path.join(cls.tmp.name, "ca"))
        cls.client = ca.issue("client", client=True)
        secrets = os.path.join(cls.tmp.name, "secrets")
        configmaps = os.path.join(cls.tmp.name, "configmaps")
        for name, hosts in (("shop-cert", ["shop.example.com"]), ("a-cert", ["a.example.com"]),
                            ("b-cert", ["b.example.com"])):
            pair = ca.issue(name, hosts)
            os.makedirs(os.path.join(secrets, "shop", name))
            shutil.copy(pair.cert, os.path.join(secrets, "shop", name, "tls.crt"))
            shutil.copy(pair.key, os.path.join(secrets, "shop", name, "tls.key"))
        os.makedirs(os.path.join(configmaps, "shop", "client-ca"))
        shutil.copy(ca.cert, os.path.join(configmaps, "shop", "client-ca", "ca.crt"))
        manifests = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: nginx
  tls:
    frontend:
      default:
        validation:
          caCertificateRefs: [{group: "", kind: ConfigMap, name: client-ca}]
  listeners:
    - name: shop
      protocol: HTTPS
      port: 443
      hostname: shop.example.com
      tls: {certificateRefs: [{name: shop-cert}]}
    - name: a
      protocol: TLS
      port: 8443
      hostname: a.example.com
      tls: {mode: Terminate, certificateRefs: [{name: a-cert}]}
    - name: b
      protocol: TLS
      port: 8443
      hostname: b.example.com
      tls: {mode: Terminate, certificateRefs: [{name: b-cert}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: shop}]
  rules: [{backendRefs: [{name: shop, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: db, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: a}, {name: gw, sectionName: b}]
  hostnames: [a.example.com, b.example.com]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
"""
        cls.s = Scenario(manifests, [Backend("shop", "shop"),
                                     Backend("shop", "db", port=5432, mode="tcp")],
                         listener_ports=(443, 8443),
                         extra_args=["--secrets-dir", secrets, "--configmaps-dir", configmaps])
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        cls.tmp.cleanup()

    def test_assumed_objects_are_noted_not_errors(self):
        lines = self.s.compile_stderr.splitlines()
        for ref in ("Secret 'shop/shop-cert'", "Secret 'shop/a-cert'", "Secret 'shop/b-cert'",
                    "ConfigMap 'shop/client-ca'"):
            said = [l for l in lines if ref + " is not in the input; assuming it exists" in l]
            self.assertEqual(len(said), 1, ref)
            self.assertIn(": note: ", said[0])
        self.assertFalse([l for l in lines if ": error: " in l or ": warning: " in l])

    def test_https_with_the_mounted_certificate_and_client_ca(self):
        client_cert = (self.client.cert, self.client.key)
        self.assertEqual(tls_peer(self.s.port(443), "shop.example.com", self.ca.cert,
                                  client_cert),
                         (("DNS", "shop.example.com"),))
        r = self.s.get("/", "shop.example.com", listener=443, scheme="https",
                       sni="shop.example.com", client_cert=client_cert)
        self.assertEqual(r.status, 200)
        self.assertEqual(served_by(r), "shop")
        # The mounted CA bundle is enforced: no client certificate, no answer.
        try:
            r = self.s.get("/", "shop.example.com", listener=443, scheme="https",
                           sni="shop.example.com")
        except (ConnectionError, OSError, ssl.SSLError):
            return
        self.fail("answered %s without a client certificate" % r.status)

    def test_sni_picks_each_mounted_certificate_and_its_key(self):
        for sni in ("a.example.com", "b.example.com"):
            self.assertEqual(tls_peer(self.s.port(8443), sni, self.ca.cert), (("DNS", sni),))
            x = client.tcp_exchange(self.s.port(8443), ["IS_TLS", "TEST"], tls=True, sni=sni)
            self.assertEqual(x.replies[0], "false")


if __name__ == "__main__":
    unittest.main()
