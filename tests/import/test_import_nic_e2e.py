"""End to end: an F5 NGINX Ingress Controller (NIC) estate through
`gwc import-ingress` (provider detected from the nginx.org annotations and
the k8s.nginx.org VirtualServer), the result through `gwc compile`, a real
nginx serving it, echo backends behind.

Expectations are what NIC documents (docs.nginx.com/nginx-ingress-
controller: the annotations page, VirtualServer resources, path matching).
The basic-auth Ingress is access control gwc cannot carry over: the import
exits 1 and the path must answer 500, never the backend.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

from gwtest import client
from gwtest.certs import CertificateAuthority
from gwtest.echo import EchoPool
from gwtest.nginx import NginxProcess, free_ports

from test_import_e2e import endpoint_slice_yaml, service_yaml, tls_secret_yaml

GWC = os.environ.get("GWC", os.path.join(os.path.dirname(__file__), "..", "..", "build", "gwc"))

ESTATE = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: cafe
  namespace: default
  annotations:
    nginx.org/rewrites: "serviceName=tea rewrite=/"
spec:
  ingressClassName: nginx
  tls:
  - hosts: [cafe.example.com]
    secretName: cafe-tls
  rules:
  - host: cafe.example.com
    http:
      paths:
      - path: /tea
        pathType: Prefix
        backend: {service: {name: tea, port: {name: http}}}
      - path: /coffee
        pathType: Prefix
        backend: {service: {name: coffee, port: {name: http}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: private
  namespace: default
  annotations:
    nginx.org/basic-auth-secret: users
spec:
  ingressClassName: nginx
  rules:
  - host: private.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: admin, port: {name: http}}}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: shop, namespace: default}
spec:
  host: shop.example.com
  upstreams:
  - {name: v1, service: shop-v1, port: 80}
  - {name: v2, service: shop-v2, port: 80}
  routes:
  - path: /
    splits:
    - {weight: 80, action: {pass: v1}}
    - {weight: 20, action: {pass: v2}}
  - path: /api
    matches:
    - conditions: [{header: X-Version, value: v2}]
      action: {pass: v2}
    action: {pass: v1}
  - path: =/old
    action: {redirect: {url: "https://${host}/new", code: 302}}
  - path: /admin
    policies: [{name: allow-office}]
    action: {pass: v1}
  - path: /hdr
    action:
      proxy: {upstream: v1, rewritePath: /echo, requestHeaders: {set: [{name: X-From, value: gw}]}}
"""

SERVICES = ["tea", "coffee", "admin", "shop-v1", "shop-v2"]


def run(args):
    return subprocess.run([GWC] + args, capture_output=True, text=True, timeout=60)


@unittest.skipUnless(os.access("/usr/sbin/nginx", os.X_OK), "nginx not installed")
class ImportedNicEstate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="gwc-import-nic-")
        cls.pool = EchoPool()
        cls.nginx = None
        try:
            cls._start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _start(cls):
        d = cls.dir
        ca = CertificateAuthority(os.path.join(d, "ca"))
        pair = ca.issue("cafe", dns_names=["cafe.example.com"])
        source = os.path.join(d, "estate.yaml")
        with open(source, "w") as f:
            f.write("---\n".join([ESTATE] + [service_yaml(s) for s in SERVICES]
                                 + [tls_secret_yaml("cafe-tls", pair)]))
        gateway = os.path.join(d, "gateway.yaml")
        cls.imported = run(["import-ingress", "-o", gateway, source])
        slices = os.path.join(d, "endpoints.yaml")
        with open(slices, "w") as f:
            f.write("---\n".join(endpoint_slice_yaml(s, cls.pool.start(s, "default").port)
                                 for s in SERVICES))
        cls.http, cls.https = free_ports(2)
        sockets = os.path.join(d, "sockets")
        os.mkdir(sockets)
        out = os.path.join(d, "out")
        compiled = run(["compile", "-o", out, "--listen-address", "127.0.0.1",
                        "--port-map", "80=%d" % cls.http, "--port-map", "443=%d" % cls.https,
                        "--socket-dir", sockets, "--fail-on=never", gateway, source, slices])
        if compiled.returncode != 0 or not os.path.exists(os.path.join(out, "nginx.conf")):
            raise AssertionError("gwc compile failed (%d):\n%s"
                                 % (compiled.returncode, compiled.stderr))
        cls.nginx = NginxProcess(out, tcp_ports=[cls.http, cls.https]).start()

    @classmethod
    def tearDownClass(cls):
        if cls.nginx:
            cls.nginx.stop()
        cls.pool.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def get(self, host, path, **kw):
        return client.http_request(self.http, host, path, **kw)

    def get_tls(self, host, path, **kw):
        return client.http_request(self.https, host, path, scheme="https", sni=host, **kw)

    def assertServed(self, response, service, path=None):
        self.assertEqual(response.status, 200, response.body[:200])
        self.assertEqual(response.echo["service"], service)
        if path is not None:
            self.assertEqual(response.echo["path"], path)

    def test_import_reports_access_control_and_exits_1(self):
        self.assertEqual(self.imported.returncode, 1, self.imported.stderr)
        self.assertIn("converting as nginx-inc", self.imported.stderr)
        self.assertIn('nginx.org/basic-auth-secret"]: not converted', self.imported.stderr)
        self.assertIn("spec.routes[3].policies: not converted", self.imported.stderr)

    # ---- redirects: ssl-redirect is on by default for TLS hosts ----

    def test_tls_host_redirects_plain_http(self):
        r = self.get("cafe.example.com", "/tea/x?y=1")
        self.assertEqual(r.status, 301)
        self.assertEqual(r.header("Location"), "https://cafe.example.com/tea/x?y=1")

    def test_vs_redirect_action(self):
        r = self.get("shop.example.com", "/old")
        self.assertEqual(r.status, 302)
        self.assertEqual(r.header("Location"), "https://shop.example.com/new")

    # ---- rewrites and matching ----

    def test_rewrites_replace_the_location_prefix(self):
        # nginx.org/rewrites serviceName=tea rewrite=/: proxy_pass .../;
        self.assertServed(self.get_tls("cafe.example.com", "/tea/cup"), "tea", "/cup")

    def test_prefix_is_a_string_prefix(self):
        # location /coffee takes /coffeecup too.
        self.assertServed(self.get_tls("cafe.example.com", "/coffeecup"), "coffee", "/coffeecup")
        self.assertServed(self.get_tls("cafe.example.com", "/coffee/x"), "coffee", "/coffee/x")

    def test_vs_match_by_header_is_case_insensitive(self):
        self.assertServed(self.get("shop.example.com", "/api/a", headers={"X-Version": "V2"}),
                          "shop-v2")
        self.assertServed(self.get("shop.example.com", "/api/a"), "shop-v1")

    # ---- splits ----

    def test_vs_split(self):
        n = 200
        hits = sum(self.get("shop.example.com", "/x").echo["service"] == "shop-v2"
                   for _ in range(n))
        self.assertTrue(15 <= hits <= 70, "%d of %d requests went to shop-v2" % (hits, n))

    # ---- headers and rewritePath ----

    def test_vs_proxy_headers_and_rewrite(self):
        r = self.get("shop.example.com", "/hdr/more")
        self.assertServed(r, "shop-v1", "/echo/more")
        self.assertEqual(r.echo["headers"].get("X-From"), ["gw"])

    # ---- access control fails closed ----

    def test_basic_auth_ingress_is_not_served_openly(self):
        self.assertEqual(self.get("private.example.com", "/").status, 500)

    def test_vs_policy_route_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin").status, 500)
        self.assertEqual(self.get("shop.example.com", "/admin/x").status, 500)


if __name__ == "__main__":
    unittest.main()
