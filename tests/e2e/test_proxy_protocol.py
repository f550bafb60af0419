"""End to end: ClientPolicy clientAddressDetection source ProxyProtocol
(docs/policies.md) through real nginx.

A Gateway with an HTTP listener on one port, an HTTPS and a TLS
passthrough listener sharing another (served through gwc's stream front),
and a TCP listener.
Its ClientPolicy says connections arrive with a PROXY protocol header and
trusts 127.0.0.1, where the test client connects from; an AccessPolicy
allows 10.1.0.0/16 on /admin.  The client writes PROXY v1 and v2 headers
itself, and connects from 127.0.0.2 to play a peer that is not trusted.
"""
import json
import os
import subprocess
import tempfile
import unittest

from gwtest import client
from gwtest.certs import CertificateAuthority
from gwtest.proxy import connect, http_request, proxy_v1, proxy_v2
from scenario import GWC, Backend, Scenario
from test_tls import tls_secret

HOST = "shop.example.com"
VAULT = "vault.example.com"


def manifests(cert):
    return """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: nginx
  listeners:
    - {name: http, protocol: HTTP, port: 80}
    - name: https
      protocol: HTTPS
      port: 443
      hostname: shop.example.com
      tls: {certificateRefs: [{name: shop-cert}]}
    - {name: vault, protocol: TLS, port: 443, hostname: vault.example.com, tls: {mode: Passthrough}}
    - {name: db, protocol: TCP, port: 5432}
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: db}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: http}, {name: gw, sectionName: https}]
  hostnames: [shop.example.com]
  rules:
    - name: admin
      matches: [{path: {value: /admin}}]
      backendRefs: [{name: web, port: 8080}]
    - name: open
      backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: vault, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: vault}]
  rules: [{backendRefs: [{name: vault, port: 8443}]}]
---
apiVersion: gwc.dev/v1alpha1
kind: ClientPolicy
metadata: {name: behind-lb, namespace: shop}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  clientAddressDetection: {source: ProxyProtocol, trustedProxies: [127.0.0.1/32]}
---
apiVersion: gwc.dev/v1alpha1
kind: AccessPolicy
metadata: {name: admin, namespace: shop}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: shop, sectionName: admin}]
  clientAddresses: {allow: [10.1.0.0/16]}
""" + cert


class ProxyProtocol(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        ca = CertificateAuthority(cls.tmp.name)
        shop = ca.issue("shop", [HOST])
        vault = ca.issue("vault", [VAULT])
        cls.s = Scenario(manifests(tls_secret("shop", "shop-cert", shop)),
                         [Backend("shop", "web"),
                          Backend("shop", "vault", port=8443, mode="tls", port_name="tls",
                                  cert=vault.cert, key=vault.key),
                          Backend("shop", "db", port=5432, mode="tcp")],
                         listener_ports=(80, 443, 5432))
        try:
            cls.s.__enter__()
        except BaseException:
            cls.tmp.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        cls.tmp.cleanup()

    def get(self, path, header, listener=80, source="127.0.0.1"):
        return http_request(self.s.port(listener), HOST, path, header, source,
                            scheme="https" if listener == 443 else "http")

    def test_the_allow_list_judges_the_proxy_header_address(self):
        for listener in (80, 443):
            for make in (proxy_v1, proxy_v2):
                with self.subTest(listener=listener, version=make.__name__):
                    r = self.get("/admin", make("10.1.2.3"), listener)
                    self.assertEqual(r.status, 200)
                    self.assertEqual(r.echo["headers"].get("X-Forwarded-For"), ["10.1.2.3"])
                    self.assertEqual(self.get("/admin", make("192.0.2.7"), listener).status,
                                     403)
                    self.assertEqual(self.get("/", make("192.0.2.7"), listener).status, 200)

    def test_a_connection_without_a_proxy_header_is_refused(self):
        for listener in (80, 443):
            with self.subTest(listener=listener):
                with self.assertRaises((ConnectionError, OSError, client.ProtocolError)):
                    self.get("/", None, listener)

    def test_an_untrusted_peer_is_taken_at_its_own_address(self):
        for listener in (80, 443):
            with self.subTest(listener=listener):
                r = self.get("/", proxy_v1("10.1.2.3"), listener, source="127.0.0.2")
                self.assertEqual(r.status, 200)
                self.assertEqual(r.echo["headers"].get("X-Forwarded-For"), ["127.0.0.2"])
                self.assertEqual(self.get("/admin", proxy_v1("10.1.2.3"), listener,
                                          source="127.0.0.2").status, 403)

    def test_verify_nginx_sends_the_proxy_header_the_socket_expects(self):
        cases = [{"name": "open", "request": {"method": "GET",
                                              "url": "http://%s/x" % HOST, "headers": {}},
                  "expect": {"backends": {"shop/web": 1}}}]
        path = os.path.join(self.s.dir, "proxy-routing-test.yaml")
        with open(path, "w") as f:
            json.dump({"apiVersion": "gwc.dev/v1alpha1", "kind": "RoutingTest",
                       "metadata": {"name": "proxy", "namespace": "default"},
                       "spec": {"cases": cases}}, f)
        r = subprocess.run([GWC, "test", "--verify-nginx", "--format", "json",
                            os.path.join(self.s.dir, "input.yaml"), path],
                           capture_output=True, text=True, timeout=120)
        results = [c for c in json.loads(r.stdout) if c["test"] == "default/proxy"]
        self.assertEqual(len(results), 1, r.stdout + r.stderr)
        for c in results:
            self.assertEqual(c["result"], "pass", c)
            self.assertEqual(c["nginx"]["result"], "agrees", c)

    def test_passthrough_on_the_front_port_reads_the_header_too(self):
        sock = connect(self.s.port(443), proxy_v1("10.1.2.3"), sni=VAULT, tls=True)
        try:
            with sock.makefile("rb") as rfile:
                rfile.readline()  # the welcome line
                sock.sendall(b"TEST\n")
                answer = json.loads(rfile.readline())
            self.assertTrue(answer["isTLS"])
            self.assertEqual(answer["service"], "vault")
        finally:
            sock.close()

    def test_tcp_reads_the_header_and_keeps_it_from_the_backend(self):
        sock = connect(self.s.port(5432), proxy_v2("10.1.2.3"))
        try:
            with sock.makefile("rb") as rfile:
                # The backend's welcome, then its answer: the PROXY header
                # never reached it as data.
                rfile.readline()
                sock.sendall(b"PING\n")
                self.assertEqual(rfile.readline(), b"PONG\n")
        finally:
            sock.close()
        sock = connect(self.s.port(5432), None)
        try:
            sock.sendall(b"PING\n")
            with sock.makefile("rb") as rfile:
                self.assertEqual(rfile.readline(), b"")  # closed, no welcome
        except ConnectionResetError:
            pass  # closed with a reset: refused too (a timeout is not)
        finally:
            sock.close()


if __name__ == "__main__":
    unittest.main()
