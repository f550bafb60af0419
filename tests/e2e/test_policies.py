"""End to end: gwc's policies (docs/policies.md) through real nginx.

One Gateway with an HTTP and an HTTPS listener and one HTTPRoute whose rules
each carry one policy family.  The Gateway-level ClientPolicy trusts
127.0.0.1 (where the test client connects from) to name the client in
X-Forwarded-For, so address lists and rate limits see the address the test
chooses.  An external auth server runs in this process on a free loopback
port; echo backends say who served each request.
"""
import base64
import http.server
import subprocess
import tempfile
import threading
import unittest

from gwtest import client
from gwtest.certs import CertificateAuthority
from gwtest.nginx import free_ports
from scenario import Backend, Scenario, served_by
from test_tls import tls_secret

HOST = "shop.example.com"


def apr1(password):
    """An htpasswd hash as `htpasswd -m` writes it."""
    return subprocess.run(["openssl", "passwd", "-apr1", "-salt", "gwctest1", password],
                          capture_output=True, text=True, check=True).stdout.strip()


class AuthHandler(http.server.BaseHTTPRequestHandler):
    """oauth2-proxy's contract: 2xx lets the request through (with the user
    in a response header), 401 and 403 are the answer, anything else fails."""
    seen = []

    def do_GET(self):
        AuthHandler.seen.append(dict(self.headers.items()))
        token = self.headers.get("X-Token", "")
        if token == "good":
            self.send_response(200)
            self.send_header("X-Auth-Request-User", "alice")
        elif token == "broken":
            self.send_response(502)
        elif token == "forbidden":
            self.send_response(403)
        else:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer realm="test"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def policy(kind, name, targets, body):
    refs = "".join("    - {group: gateway.networking.k8s.io, kind: %s}\n" % t for t in targets)
    return ("---\napiVersion: gwc.dev/v1alpha1\nkind: %s\nmetadata: {name: %s, namespace: shop}\n"
            "spec:\n  targetRefs:\n%s%s" % (kind, name, refs, body))


def rule_target(rule):
    return "HTTPRoute, name: shop, sectionName: %s" % rule


def manifests(cert_secret, auth_port, pool_ports):
    def render(_scenario):
        return ("""apiVersion: gateway.networking.k8s.io/v1
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
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
  rules:
    - name: admin
      matches: [{path: {value: /admin}}]
      backendRefs: [{name: web, port: 8080}]
    - name: upload-big
      matches: [{path: {value: /upload}, headers: [{name: X-Big, value: "yes"}]}]
      backendRefs: [{name: web, port: 8080}]
    - name: upload
      matches: [{path: {value: /upload}}]
      backendRefs: [{name: web, port: 8080}]
    - name: private
      matches: [{path: {value: /private}}]
      backendRefs: [{name: web, port: 8080}]
    - name: sso
      matches: [{path: {value: /sso}}]
      backendRefs: [{name: web, port: 8080}]
    - name: limited
      matches: [{path: {value: /limited}}]
      backendRefs: [{name: web, port: 8080}]
    - name: sticky
      matches: [{path: {value: /sticky}}]
      backendRefs: [{name: pool, port: 8080}]
    - name: cookie
      matches: [{path: {value: /cookie}}]
      backendRefs: [{name: pool, port: 8080}]
    - name: errors
      matches: [{path: {type: Exact, value: /status/503}}]
      backendRefs: [{name: web, port: 8080}]
    - name: login
      matches: [{path: {value: /login}}]
      backendRefs: [{name: web, port: 8080}]
    - name: retry
      matches: [{path: {value: /retry}}]
      backendRefs: [{name: web, port: 8080}]
    - name: fresh
      matches: [{path: {value: /fresh}}]
      backendRefs: [{name: fresh, port: 8080}]
    - name: reused
      matches: [{path: {value: /reused}}]
      backendRefs: [{name: reused, port: 8080}]
    - name: locked
      matches: [{path: {value: /locked}}]
      backendRefs: [{name: web, port: 8080}]
    - name: unprogrammed
      matches: [{path: {value: /unprogrammed}}]
      backendRefs: [{name: web, port: 8080}]
    - matches: [{path: {value: /}}]
      backendRefs: [{name: web, port: 8080}]
---
apiVersion: v1
kind: Secret
metadata: {name: htpasswd, namespace: shop}
stringData:
  auth: |
    # users of /private
    alice:%s
---
apiVersion: v1
kind: Service
metadata: {name: auth, namespace: shop}
spec:
  ports: [{name: http, port: 4180}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: auth-e2e, namespace: shop, labels: {kubernetes.io/service-name: auth}}
addressType: IPv4
ports: [{name: http, port: %d}]
endpoints: [{addresses: ["127.0.0.1"]}]
---
apiVersion: v1
kind: Service
metadata: {name: pool, namespace: shop}
spec:
  ports: [{name: http, port: 8080}]
""" % (apr1("secret"), auth_port)
            + "".join("""---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: pool-%d, namespace: shop, labels: {kubernetes.io/service-name: pool}}
addressType: IPv4
ports: [{name: http, port: %d}]
endpoints: [{addresses: ["127.0.0.1"]}]
""" % (i, _scenario.backend("shop", "pool-%d" % i).port) for i in range(len(pool_ports)))
            + cert_secret
            + policy("ClientPolicy", "gateway", ["Gateway, name: gw"], """  clientAddressDetection:
    source: Header
    trustedProxies: [127.0.0.1]
  hsts: {maxAgeSeconds: 600, includeSubDomains: true}
""")
            + policy("AccessPolicy", "admin", [rule_target("admin")], """  clientAddresses:
    allow: [10.0.0.0/8]
    deny: [10.66.0.0/16]
""")
            + policy("ClientPolicy", "upload", [rule_target("upload")],
                     "  requestBody: {maxSize: 1Ki}\n")
            + policy("ClientPolicy", "upload-big", [rule_target("upload-big")],
                     "  requestBody: {maxSize: 8Ki}\n")
            + policy("AccessPolicy", "private", [rule_target("private")],
                     "  basicAuth: {secretRef: {name: htpasswd}, realm: Shop}\n")
            + policy("AccessPolicy", "sso", [rule_target("sso")], """  externalAuth:
    backendRef: {name: auth, port: 4180}
    path: /check
    responseHeaders: [X-Auth-Request-User]
""")
            + policy("AccessPolicy", "login", [rule_target("login")], """  externalAuth:
    backendRef: {name: auth, port: 4180}
    signIn: {path: /oauth2/start}
""")
            + policy("ClientPolicy", "limited", [rule_target("limited")], """  requestLimits:
    rate: [{requests: 1, per: Minute, burst: 2}]
    exemptCIDRs: [10.200.0.0/16]
""")
            + policy("BackendPolicy", "retry", [rule_target("retry")], """  retry:
    on: [Error]
    statusCodes: [503]
    tries: 3
""")
            + policy("BackendPolicy", "fresh", [rule_target("fresh")],
                     "  keepalive: {connections: 0}\n")
            + policy("BackendPolicy", "reused", [rule_target("reused")],
                     "  keepalive: {connections: 4, requests: 100}\n")
            + policy("BackendPolicy", "sticky", [rule_target("sticky")], """  loadBalancing:
    method: ConsistentHash
    consistentHash: {source: Header, header: X-User}
""")
            + policy("BackendPolicy", "cookie", [rule_target("cookie")], """  loadBalancing:
    method: ConsistentHash
    consistentHash:
      source: Cookie
      cookie: {name: SHOPSESSION, issue: true, maxAgeSeconds: 3600, sameSite: Lax}
""")
            + policy("ClientPolicy", "errors", [rule_target("errors")], """  errorResponses:
    - statusCodes: [503]
      body: "<h1>We will be right back</h1>"
""")
            + policy("AccessPolicy", "locked", [rule_target("locked")],
                     "  basicAuth: {secretRef: {name: no-such-secret}}\n")
            + policy("AccessPolicy", "unprogrammed", [rule_target("unprogrammed")],
                     "  externalAuth: {url: \"http://127.0.0.1:9/check\"}\n"))
    return render


class Policies(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        ca = CertificateAuthority(cls.tmp.name)
        cls.ca = ca
        pair = ca.issue("shop", [HOST])
        cls.auth = http.server.ThreadingHTTPServer(("127.0.0.1", free_ports(1)[0]), AuthHandler)
        cls.auth_thread = threading.Thread(target=cls.auth.serve_forever, daemon=True)
        cls.auth_thread.start()
        pool = ["pool-0", "pool-1", "pool-2", "pool-3"]
        cls.s = Scenario(manifests(tls_secret("shop", "shop-cert", pair), cls.auth.server_port,
                                   pool),
                         [Backend("shop", "web"), Backend("shop", "fresh"),
                          Backend("shop", "reused")] + [Backend("shop", n, endpoint_of="pool") for n in pool],
                         listener_ports=(80, 443))
        try:
            cls.s.__enter__()
        except BaseException:
            cls.auth.shutdown()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        cls.auth.shutdown()
        cls.auth.server_close()
        cls.tmp.cleanup()

    def get(self, path, client_ip=None, headers=None, **kw):
        h = dict(headers or {})
        if client_ip:
            h["X-Forwarded-For"] = client_ip
        return self.s.get(path, HOST, headers=h, **kw)

    # ---- AccessPolicy ----

    def test_allow_list_sees_the_client_behind_the_trusted_proxy(self):
        self.assertEqual(self.get("/admin", "10.1.2.3").status, 200)
        self.assertEqual(self.get("/admin", "192.0.2.7").status, 403)
        self.assertEqual(self.get("/admin", "10.66.0.9").status, 403)  # deny wins
        self.assertEqual(self.get("/admin").status, 403)  # the proxy itself: 127.0.0.1
        # A forged left-most entry does not hide the real client.
        self.assertEqual(self.get("/admin", "10.1.2.3, 192.0.2.7").status, 403)
        self.assertEqual(self.get("/", "192.0.2.7").status, 200)  # other rules are open

    def test_basic_auth_from_an_htpasswd_secret(self):
        r = self.get("/private")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("WWW-Authenticate"), 'Basic realm="Shop"')
        good = "Basic " + base64.b64encode(b"alice:secret").decode()
        bad = "Basic " + base64.b64encode(b"alice:wrong").decode()
        self.assertEqual(self.get("/private", headers={"Authorization": bad}).status, 401)
        r = self.get("/private", headers={"Authorization": good})
        self.assertEqual((r.status, served_by(r)), (200, "web"))
        # The credentials stop at the gateway.
        self.assertNotIn("Authorization", r.echo["headers"])

    def test_external_auth_allows_and_denies(self):
        AuthHandler.seen.clear()
        r = self.get("/sso/page?x=1", headers={"X-Token": "good",
                                               "X-Auth-Request-User": "mallory"})
        self.assertEqual((r.status, served_by(r)), (200, "web"))
        self.assertEqual(r.echo["headers"]["X-Auth-Request-User"], ["alice"])
        self.assertEqual(AuthHandler.seen[-1]["X-Original-URI"], "/sso/page?x=1")
        r = self.get("/sso/page", headers={"X-Token": "nope", "X-Auth-Request-User": "mallory"})
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("WWW-Authenticate"), 'Bearer realm="test"')
        self.assertEqual(self.get("/sso/page", headers={"X-Token": "forbidden"}).status, 403)
        self.assertEqual(self.get("/sso/page", headers={"X-Token": "broken"}).status, 500)

    def test_external_auth_sign_in_redirect(self):
        r = self.get("/login/a%20b?x=1")
        self.assertEqual(r.status, 302)
        self.assertEqual(r.header("Location"),
                         "http://shop.example.com/oauth2/start?rd=http://shop.example.com/login/a%20b")
        self.assertEqual(self.get("/login/p", headers={"X-Token": "forbidden"}).status, 403)
        r = self.get("/login/p", headers={"X-Token": "good"})
        self.assertEqual((r.status, served_by(r)), (200, "web"))

    def test_unusable_policies_fail_closed(self):
        self.assertEqual(self.get("/locked").status, 500)
        self.assertEqual(self.get("/unprogrammed").status, 500)
        self.assertIn("Secret 'shop/no-such-secret' is not in the input", self.s.compile_stderr)
        self.assertIn("externalAuth.url (use backendRef) is not programmed by this gwc",
                      self.s.compile_stderr)

    # ---- ClientPolicy ----

    def test_body_limit_per_rule_behind_one_dispatching_location(self):
        small, big = b"x" * 512, b"x" * 2048
        self.assertEqual(self.s.request("/upload", HOST, "POST", body=small).status, 200)
        self.assertEqual(self.s.request("/upload", HOST, "POST", body=big).status, 413)
        r = self.s.request("/upload", HOST, "POST", body=big, headers={"X-Big": "yes"})
        self.assertEqual(r.status, 200)
        r = self.s.request("/upload", HOST, "POST", body=b"x" * 9000, headers={"X-Big": "yes"})
        self.assertEqual(r.status, 413)
        r = self.s.request("/upload", HOST, "POST", body=big, chunked=True)
        self.assertEqual(r.status, 413)

    def test_rate_limit_burst(self):
        statuses = [self.get("/limited", "10.9.9.9").status for _ in range(4)]
        self.assertEqual(statuses, [200, 200, 200, 503])
        self.assertEqual(self.get("/limited", "10.9.9.10").status, 200)  # another client

    def test_exempt_clients_are_not_limited(self):
        statuses = [self.get("/limited", "10.200.3.4").status for _ in range(6)]
        self.assertEqual(statuses, [200] * 6)

    def test_custom_error_page(self):
        r = self.get("/status/503")
        self.assertEqual(r.status, 503)
        self.assertEqual(r.body, b"<h1>We will be right back</h1>")
        self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8")

    def test_hsts_on_https_only(self):
        r = self.s.get("/", HOST, listener=443, scheme="https", sni=HOST)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header_values("Strict-Transport-Security"),
                         ["max-age=600; includeSubDomains"])
        self.assertIsNone(self.get("/").header("Strict-Transport-Security"))

    # ---- BackendPolicy ----

    def test_an_issued_cookie_keeps_a_client_on_one_endpoint(self):
        first = set()
        for _ in range(12):
            r = self.get("/cookie")
            self.assertEqual(r.status, 200)
            cookie = r.header("Set-Cookie")
            self.assertRegex(cookie, r"^SHOPSESSION=[0-9a-f]{32}; Path=/; Max-Age=3600; "
                                     r"HttpOnly; SameSite=Lax$")
            first.add(served_by(r))
            pair = cookie.split(";")[0]
            again = [self.get("/cookie", headers={"Cookie": "a=b; " + pair}) for _ in range(4)]
            self.assertEqual({served_by(x) for x in again}, {served_by(r)})
            self.assertEqual([x.header("Set-Cookie") for x in again], [None] * 4)
        self.assertGreater(len(first), 1)  # new clients spread over the pool

    def test_retry_on_a_status_reaches_a_later_attempt(self):
        r = self.get("/retry/x?uuid=twice&succeedAfter=2&responseCode=503")
        self.assertEqual((r.status, served_by(r)), (200, "web"))
        r = self.get("/retry/x?uuid=thrice&succeedAfter=3&responseCode=503")
        self.assertEqual(r.status, 503)  # three tries in all

    def test_keepalive_connections_to_the_backend(self):
        fresh, reused = self.s.backend("shop", "fresh"), self.s.backend("shop", "reused")
        before = (fresh.accepted(), reused.accepted())
        for _ in range(5):
            self.assertEqual(served_by(self.get("/fresh")), "fresh")
            self.assertEqual(served_by(self.get("/reused")), "reused")
        self.assertEqual(fresh.accepted() - before[0], 5)  # connections: 0
        self.assertLess(reused.accepted() - before[1], 5)

    def test_consistent_hash_keeps_a_key_on_one_endpoint(self):
        seen = {}
        for user in ("u%d" % i for i in range(12)):
            served = {served_by(self.get("/sticky", headers={"X-User": user}))
                      for _ in range(4)}
            self.assertEqual(len(served), 1, user)
            seen[user] = served.pop()
        self.assertGreater(len(set(seen.values())), 1)  # keys spread over the pool


if __name__ == "__main__":
    unittest.main()
