"""End to end: ingress-nginx access control, limits and timeouts through
`gwc import-ingress` (which writes gwc policies, docs/policies.md), the
result through `gwc compile`, a real nginx serving it, echo backends and an
external auth server behind.

Every expectation is what ingress-nginx answers for the same annotation
(the comment at each test says which behaviour).  The test client
connects from 127.0.0.1, so address lists name or miss that address.

Three estates: the default import, where access control that cannot be
converted exactly answers 403 (and import exits 1), the same Ingress
under --allow-insecure-import, which serves it without that control, and
the controller's ConfigMap, whose settings every Ingress takes unless its
own annotation says otherwise.
"""
import base64
import http.server
import os
import subprocess
import threading
import unittest

from gwtest import proxy
from gwtest.nginx import free_ports

from estate import ImportedEstate, tls_secret_yaml
from test_import_e2e import ingress


def apr1(password):
    """An htpasswd line's hash as `htpasswd -m` writes it."""
    return subprocess.run(["openssl", "passwd", "-apr1", "-salt", "gwcimprt", password],
                          capture_output=True, text=True, check=True).stdout.strip()


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(
        ("%s:%s" % (user, password)).encode()).decode()}


class AuthHandler(http.server.BaseHTTPRequestHandler):
    """An auth-url service (oauth2-proxy's contract): 2xx lets the request
    through with the user in a response header, 401 and 403 refuse."""

    def do_GET(self):
        token = self.headers.get("X-Token", "")
        # The auth-url's path, and its query as written (auth by URL).
        if token == "good" and self.path in ("/check", "/check?from=ingress"):
            self.send_response(200)
            self.send_header("X-Auth-Request-User", "alice")
        elif token == "forbidden":
            self.send_response(403)
        else:
            self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


POOL = ["pool-%d" % i for i in range(4)]


def pool_service(pool):
    """Service pool (port 80) with four echo endpoints, a slice each."""
    docs = ["apiVersion: v1\nkind: Service\nmetadata: {name: pool, namespace: default}\n"
            "spec:\n  ports: [{name: http, port: 80}]\n"]
    for name in POOL:
        docs.append("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                    "metadata: {name: %s, namespace: default, "
                    "labels: {kubernetes.io/service-name: pool}}\n"
                    "addressType: IPv4\nports: [{name: http, port: %d}]\n"
                    "endpoints: [{addresses: [\"127.0.0.1\"]}]\n"
                    % (name, pool.start(name, "default").port))
    return "---\n".join(docs)


def dead_service(name):
    """Service NAME (port 80) whose one endpoint refuses connections
    (nothing listens on its port)."""
    return ("apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: default}\n"
            "spec:\n  ports: [{name: http, port: 80}]\n---\n"
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
            "metadata: {name: %s-dead, namespace: default, "
            "labels: {kubernetes.io/service-name: %s}}\n"
            "addressType: IPv4\nports: [{name: http, port: %d}]\n"
            "endpoints: [{addresses: [\"127.0.0.1\"]}]\n"
            % (name, name, name, free_ports(1)[0]))


def auth_service(port, namespace="default"):
    """Service authz (port 80) whose endpoint is the auth server."""
    return ("apiVersion: v1\nkind: Service\nmetadata: {name: authz, namespace: %s}\n"
            "spec:\n  ports: [{name: http, port: 80}]\n---\n"
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
            "metadata: {name: authz-e2e, namespace: %s, "
            "labels: {kubernetes.io/service-name: authz}}\n"
            "addressType: IPv4\nports: [{name: http, port: %d}]\n"
            "endpoints: [{addresses: [\"127.0.0.1\"]}]\n" % (namespace, namespace, port))


SECRETS = """apiVersion: v1
kind: Secret
metadata: {name: htpasswd, namespace: default}
stringData:
  auth: |
    alice:%s
---
apiVersion: v1
kind: Secret
metadata: {name: users, namespace: default}
stringData:
  bob: '%s'
"""

# auth-url with nginx variables cannot be converted exactly.
UNCONVERTED = ingress("per-host", "per-host.example.com", [("/", "Prefix", "web")],
                      [("auth-url", "https://$host/oauth2/auth")])


class WithAuthServer(ImportedEstate):
    @classmethod
    def setUpClass(cls):
        cls.auth = http.server.ThreadingHTTPServer(("127.0.0.1", free_ports(1)[0]), AuthHandler)
        threading.Thread(target=cls.auth.serve_forever, daemon=True).start()
        try:
            super().setUpClass()
        except BaseException:
            cls.auth.shutdown()
            cls.auth.server_close()
            raise

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.auth.shutdown()
        cls.auth.server_close()


class ImportedPolicies(WithAuthServer):
    SERVICES = ["web", "admin", "slow"]
    IMPORT_ARGS = ["--fail-on=error"]
    IMPORT_EXIT = 1  # per-host's auth-url is not converted exactly

    @classmethod
    def documents(cls, ca):
        return [
            # whitelist-source-range: only these clients; others 403.
            ingress("allowed", "allowed.example.com", [("/", "Prefix", "web")],
                    [("whitelist-source-range", "127.0.0.1/32, 10.0.0.0/8")]),
            ingress("elsewhere", "elsewhere.example.com", [("/", "Prefix", "web")],
                    [("whitelist-source-range", "10.0.0.0/8")]),
            # denylist-source-range: these clients get 403.
            ingress("denied", "denied.example.com", [("/", "Prefix", "web")],
                    [("denylist-source-range", "127.0.0.0/8")]),
            # One Ingress's allow list covers its own path only.
            ingress("shop", "shop.example.com", [("/", "Prefix", "web")]),
            ingress("shop-admin", "shop.example.com", [("/admin", "Prefix", "admin")],
                    [("whitelist-source-range", "10.0.0.0/8")]),
            # auth-type basic, from an auth-file and from an auth-map Secret.
            ingress("files", "files.example.com", [("/", "Prefix", "web")],
                    [("auth-type", "basic"), ("auth-secret", "htpasswd"),
                     ("auth-realm", "Files")]),
            ingress("map", "map.example.com", [("/", "Prefix", "web")],
                    [("auth-type", "basic"), ("auth-secret", "users"),
                     ("auth-secret-type", "auth-map")]),
            # auth-url to an auth Service by its cluster name.
            ingress("sso", "sso.example.com", [("/", "Prefix", "web")],
                    [("auth-url", "http://authz.default.svc.cluster.local/check"),
                     ("auth-response-headers", "X-Auth-Request-User")]),
            # auth-url to a host outside the cluster: called by its URL.
            ingress("sso-url", "sso-url.example.com", [("/", "Prefix", "web")],
                    [("auth-url", "http://127.0.0.1:%d/check?from=ingress"
                      % cls.auth.server_port),
                     ("auth-response-headers", "X-Auth-Request-User")]),
            # proxy-body-size: 413 above it.
            ingress("upload", "upload.example.com", [("/", "Prefix", "web")],
                    [("proxy-body-size", "1k")]),
            # limit-rpm 1, burst 1 x 2: three requests pass, then 503.
            ingress("limited", "limited.example.com", [("/", "Prefix", "web")],
                    [("limit-rpm", "1"), ("limit-burst-multiplier", "2")]),
            # proxy-read-timeout: 504 when the backend pauses longer.
            ingress("slow", "slow.example.com", [("/", "Prefix", "slow")],
                    [("proxy-read-timeout", "1")]),
            # force-ssl-redirect without a tls entry: ingress-nginx would send
            # clients to its default certificate; the import serves HTTP.
            ingress("plain", "plain.example.com", [("/", "Prefix", "web")],
                    [("force-ssl-redirect", "true")]),
            # upstream-hash-by: one key, one endpoint.
            ingress("sticky", "sticky.example.com", [("/", "Prefix", "pool")],
                    [("upstream-hash-by", "$http_x_user")]),
            # proxy-next-upstream: a refused connection is tried again, up
            # to proxy-next-upstream-tries times in all; "off" tries once.
            ingress("retried", "retried.example.com", [("/", "Prefix", "dead-retried")],
                    [("proxy-next-upstream", "error timeout http_503"),
                     ("proxy-next-upstream-tries", "3")]),
            ingress("unretried", "unretried.example.com",
                    [("/", "Prefix", "dead-off")], [("proxy-next-upstream", "off")]),
            UNCONVERTED,
            SECRETS % (apr1("secret"), apr1("hunter2")),
            dead_service("dead-retried"),
            dead_service("dead-off"),
            auth_service(cls.auth.server_port),
            pool_service(cls.pool),
        ]

    def test_import_reports_the_unconverted_auth_url(self):
        self.assertIn("[GW0831]", self.imported.stderr)

    def test_allow_list(self):
        self.assertServed(self.get("allowed.example.com", "/"), "web")
        self.assertEqual(self.get("elsewhere.example.com", "/").status, 403)

    def test_deny_list(self):
        self.assertEqual(self.get("denied.example.com", "/").status, 403)

    def test_allow_list_of_one_ingress_on_a_shared_host(self):
        self.assertEqual(self.get("shop.example.com", "/admin").status, 403)
        self.assertServed(self.get("shop.example.com", "/"), "web")

    def test_basic_auth_from_an_htpasswd_file(self):
        r = self.get("files.example.com", "/")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("WWW-Authenticate"), 'Basic realm="Files"')
        self.assertEqual(self.get("files.example.com", "/",
                                  headers=basic("alice", "wrong")).status, 401)
        r = self.get("files.example.com", "/", headers=basic("alice", "secret"))
        self.assertServed(r, "web")
        # ingress-nginx does not pass the credentials to the backend.
        self.assertNotIn("Authorization", r.echo["headers"])

    def test_basic_auth_from_an_auth_map(self):
        self.assertEqual(self.get("map.example.com", "/").status, 401)
        self.assertServed(self.get("map.example.com", "/", headers=basic("bob", "hunter2")),
                          "web")

    def test_external_auth_allows_and_denies(self):
        r = self.get("sso.example.com", "/page", headers={"X-Token": "good",
                                                          "X-Auth-Request-User": "mallory"})
        self.assertServed(r, "web")
        self.assertEqual(r.echo["headers"]["X-Auth-Request-User"], ["alice"])
        self.assertEqual(self.get("sso.example.com", "/page").status, 401)
        self.assertEqual(self.get("sso.example.com", "/page",
                                  headers={"X-Token": "forbidden"}).status, 403)

    def test_external_auth_by_url(self):
        r = self.get("sso-url.example.com", "/page", headers={"X-Token": "good"})
        self.assertServed(r, "web")
        self.assertEqual(r.echo["headers"]["X-Auth-Request-User"], ["alice"])
        self.assertEqual(self.get("sso-url.example.com", "/page").status, 401)
        self.assertEqual(self.get("sso-url.example.com", "/page",
                                  headers={"X-Token": "forbidden"}).status, 403)
        self.assertIn('auth-url"]: converted to gwc policy AccessPolicy/sso-url-access '
                      '(spec.externalAuth.url)', self.imported.stderr)

    def test_body_limit(self):
        r = self.get("upload.example.com", "/", method="POST", body=b"x" * 512)
        self.assertServed(r, "web")
        r = self.get("upload.example.com", "/", method="POST", body=b"x" * 2048)
        self.assertEqual(r.status, 413)

    def test_rate_limit_burst(self):
        statuses = [self.get("limited.example.com", "/").status for _ in range(4)]
        self.assertEqual(statuses, [200, 200, 200, 503])

    def test_backend_read_timeout(self):
        self.assertServed(self.get("slow.example.com", "/"), "slow")
        self.assertEqual(self.get("slow.example.com", "/?delay=3s", timeout=10).status, 504)

    def test_consistent_hash_keeps_a_key_on_one_endpoint(self):
        seen = {}
        for user in ("u%d" % i for i in range(12)):
            served = set()
            for _ in range(4):
                r = self.get("sticky.example.com", "/", headers={"X-User": user})
                self.assertEqual(r.status, 200)
                served.add(r.echo["service"])
            self.assertEqual(len(served), 1, user)
            seen[user] = served.pop()
        self.assertGreater(len(set(seen.values())), 1)  # keys spread over the pool

    def connect_failures(self, host):
        """connect() errors nginx logged for requests to host so far."""
        with open(os.path.join(self.nginx.prefix, "logs", "error.log")) as f:
            return sum(1 for line in f
                       if "connect() failed" in line and 'host: "%s"' % host in line)

    def test_retry_tries_a_refused_request_again(self):
        before = self.connect_failures("retried.example.com")
        # Every try refused: ingress-nginx answers 502, the Gateway 503
        # (reported as the one difference, GW0802).
        self.assertEqual(self.get("retried.example.com", "/").status, 503)
        self.assertEqual(self.connect_failures("retried.example.com") - before, 3)
        before = self.connect_failures("unretried.example.com")
        self.assertEqual(self.get("unretried.example.com", "/").status, 502)
        self.assertEqual(self.connect_failures("unretried.example.com") - before, 1)
        self.assertIn('proxy-next-upstream"]: converted to gwc policy '
                      'BackendPolicy/retried-backend (spec.retry)', self.imported.stderr)
        self.assertIn("the Gateway answers 503, where ingress-nginx answers 502",
                      self.imported.stderr)

    def test_force_ssl_redirect_without_tls_serves_http(self):
        self.assertServed(self.get("plain.example.com", "/"), "web")
        self.assertIn("no HTTPS listener", self.imported.stderr)

    def test_unconverted_access_control_fails_closed(self):
        self.assertEqual(self.get("per-host.example.com", "/").status, 403)
        self.assertEqual(self.get("per-host.example.com", "/",
                                  headers={"X-Token": "good"}).status, 403)


class InsecureImport(ImportedEstate):
    SERVICES = ["web"]
    IMPORT_ARGS = ["--allow-insecure-import"]
    IMPORT_EXIT = 1  # the annotation is still an error

    @classmethod
    def documents(cls, ca):
        return [UNCONVERTED]

    def test_served_without_it_and_warned(self):
        self.assertServed(self.get("per-host.example.com", "/"), "web")
        self.assertIn("[GW0832]", self.imported.stderr)


CONTROLLER_CONFIG = """apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
  proxy-body-size: 1k
  whitelist-source-range: 10.0.0.0/8
  use-forwarded-headers: "true"
  proxy-real-ip-cidr: 127.0.0.1/32
"""


class ControllerConfig(ImportedEstate):
    """ingress-nginx's ConfigMap sets the body limit and the allow list of
    every location; an Ingress's annotation replaces them for its own.  The
    client address is X-Forwarded-For's when the peer is a trusted proxy
    (use-forwarded-headers, proxy-real-ip-cidr: the test client's 127.0.0.1)."""
    SERVICES = ["web"]

    @classmethod
    def documents(cls, ca):
        mine = ("whitelist-source-range", "127.0.0.1/32")
        return [
            CONTROLLER_CONFIG,
            ingress("closed", "closed.example.com", [("/", "Prefix", "web")]),
            ingress("small", "small.example.com", [("/", "Prefix", "web")], [mine]),
            ingress("big", "big.example.com", [("/", "Prefix", "web")],
                    [mine, ("proxy-body-size", "8k")]),
        ]

    def test_global_allow_list(self):
        # 127.0.0.1 is not in the ConfigMap's 10.0.0.0/8
        self.assertEqual(self.get("closed.example.com", "/").status, 403)
        self.assertIn('data.whitelist-source-range: converted to gwc policy '
                      'AccessPolicy/closed-access', self.imported.stderr)

    def test_forwarded_client_address(self):
        # the trusted proxy 127.0.0.1 forwards a client of 10.0.0.0/8
        r = self.get("closed.example.com", "/", headers={"X-Forwarded-For": "10.1.2.3"})
        self.assertServed(r, "web")
        r = self.get("closed.example.com", "/",
                     headers={"X-Forwarded-For": "10.1.2.3, 192.0.2.1"})
        self.assertEqual(r.status, 403)  # the right-most untrusted address
        with open(self.dir + "/gateway.yaml") as f:
            self.assertIn("  name: nginx-controller-config\n  namespace: ingress-nginx\n",
                          f.read())

    def test_annotation_replaces_global_allow_list(self):
        self.assertServed(self.get("small.example.com", "/"), "web")

    def test_global_body_limit(self):
        r = self.get("small.example.com", "/", method="POST", body=b"x" * 512)
        self.assertServed(r, "web")
        r = self.get("small.example.com", "/", method="POST", body=b"x" * 2048)
        self.assertEqual(r.status, 413)

    def test_annotation_replaces_global_body_limit(self):
        r = self.get("big.example.com", "/", method="POST", body=b"x" * 2048)
        self.assertServed(r, "web")
        r = self.get("big.example.com", "/", method="POST", body=b"x" * 9000)
        self.assertEqual(r.status, 413)


PROXY_CONFIG = """apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
  whitelist-source-range: 10.0.0.0/8
  use-proxy-protocol: "true"
  proxy-real-ip-cidr: 127.0.0.1/32
"""


class ControllerProxyProtocol(ImportedEstate):
    """use-proxy-protocol: ingress-nginx listens with proxy_protocol and
    takes the client address from the PROXY header of the peers in
    proxy-real-ip-cidr (the test client's 127.0.0.1), so the ConfigMap's
    allow list judges the address the load balancer names."""
    SERVICES = ["web"]
    IMPORT_ARGS = ["--provider", "ingress-nginx"]

    @classmethod
    def documents(cls, ca):
        return [PROXY_CONFIG,
                ingress("closed", "closed.example.com", [("/", "Prefix", "web")])]

    def get_proxied(self, header, source="127.0.0.1"):
        return proxy.http_request(self.http, "closed.example.com", "/", header, source)

    def test_the_allow_list_judges_the_proxy_header_address(self):
        self.assertIn("data.use-proxy-protocol: the client address: converted",
                      self.imported.stderr)
        self.assertServed(self.get_proxied(proxy.proxy_v1("10.1.2.3")), "web")
        self.assertServed(self.get_proxied(proxy.proxy_v2("10.1.2.3")), "web")
        self.assertEqual(self.get_proxied(proxy.proxy_v1("192.0.2.1")).status, 403)

    def test_a_connection_without_a_proxy_header_is_refused(self):
        with self.assertRaises((ConnectionError, OSError)):
            self.get("closed.example.com", "/")

    def test_an_untrusted_peer_is_taken_at_its_own_address(self):
        r = self.get_proxied(proxy.proxy_v1("10.1.2.3"), source="127.0.0.2")
        self.assertEqual(r.status, 403)


HSTS_CONFIG = """apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
  hsts-max-age: "600"
  limit-req-status-code: "429"
"""


class ControllerHsts(ImportedEstate):
    """ingress-nginx sends HSTS (on by default; includeSubDomains by
    default) on every https response of a host with a certificate, never
    on http; its rate limits answer limit-req-status-code."""
    SERVICES = ["web"]

    @classmethod
    def documents(cls, ca):
        pair = ca.issue("secure", dns_names=["secure.example.com"])
        return [
            HSTS_CONFIG,
            ingress("secure", "secure.example.com", [("/", "Prefix", "web")],
                    [("limit-rpm", "1"), ("limit-burst-multiplier", "1")],
                    tls_secret="secure-tls"),
            tls_secret_yaml("secure-tls", pair),
        ]

    def test_hsts_on_https_only(self):
        r = self.get_tls("secure.example.com", "/")
        self.assertServed(r, "web")
        self.assertEqual(r.header_values("Strict-Transport-Security"),
                         ["max-age=600; includeSubDomains"])
        r = self.get("secure.example.com", "/")
        self.assertRedirect(r, 308, "https://secure.example.com/")
        self.assertEqual(r.header_values("Strict-Transport-Security"), [])

    def test_rate_limit_status(self):
        statuses = [self.get_tls("secure.example.com", "/limited").status for _ in range(4)]
        self.assertIn(429, statuses)
        self.assertNotIn(503, statuses)
        r = self.get_tls("secure.example.com", "/limited")
        self.assertEqual(r.status, 429)
        # errors carry HSTS too, as ingress-nginx's more_set_headers does
        self.assertEqual(r.header_values("Strict-Transport-Security"),
                         ["max-age=600; includeSubDomains"])


IDIOM_ESTATE = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: admin
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$1
    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /admin/?(.*)
        pathType: ImplementationSpecific
        backend: {service: {name: admin, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site
  namespace: web
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
"""


class RewriteIdiomGuarded(ImportedEstate):
    """ingress-nginx sends /ADMIN/x and /adminxyz to the location of
    '/admin/?(.*)' (a case-insensitive regex), under its whitelist (403
    to 127.0.0.1).  The idiom's PathPrefix /admin takes neither; they
    answer 500 instead of the open '/' of namespace web."""
    SERVICES = [("admin", "shop"), ("web", "web")]
    IMPORT_ARGS = []
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [IDIOM_ESTATE]

    def test_guarded_paths_are_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin/x").status, 403)
        self.assertEqual(self.get("shop.example.com", "/ADMIN/x").status, 500)
        self.assertEqual(self.get("shop.example.com", "/adminxyz").status, 500)
        self.assertServed(self.get("shop.example.com", "/other"), "web")


if __name__ == "__main__":
    unittest.main()
