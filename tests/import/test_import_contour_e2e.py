"""End to end: a Contour estate (HTTPProxy roots with an include across
namespaces, TLS with permitInsecure, Ingresses of the contour class)
through `gwc import-ingress` (provider detected from the CRD group),
`gwc check` and `gwc compile`, a real nginx serving it, echo backends
behind.

Expectations are what Contour documents (projectcontour.io/docs/main/
config/: request-routing, inclusion-delegation, request-rewriting,
upstream weights, tls-termination, annotations, cors).  retryPolicy and
loadBalancerPolicy become gwc BackendPolicies on the rules of their routes
only: another route to the same Service keeps nginx's defaults.
ipAllowPolicy is access
control gwc cannot carry over: the import exits 1 and the route answers
500, never the backend; so does the include of a proxy that does not
exist (Contour: 502).
"""
import unittest

from estate import ImportedEstate, tls_secret_yaml
from gwtest import client

ESTATE = """apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: shop, namespace: web}
spec:
  virtualhost: {fqdn: shop.example.com}
  routes:
  - conditions: [{prefix: /api}]
    services:
    - {name: api, port: 80, weight: 100}
    - {name: canary, port: 80}
  - conditions: [{prefix: /split}]
    services:
    - {name: web, port: 80, weight: 3}
    - {name: api, port: 80, weight: 1}
  - conditions: [{exact: /exact}]
    services: [{name: canary, port: 80}]
  - conditions: [{regex: "/items/[0-9]+"}]
    services: [{name: canary, port: 80}]
  - conditions:
    - prefix: /beta
    - header: {name: X-Beta, contains: "yes", ignoreCase: true}
    services: [{name: canary, port: 80}]
  - conditions:
    - prefix: /beta
    - queryParameter: {name: lang, exact: en}
    services: [{name: api, port: 80}]
  - conditions: [{prefix: /rewrite/}]
    pathRewritePolicy:
      replacePrefix: [{replacement: /v1/}]
    requestHeadersPolicy:
      set: [{name: X-Via, value: contour}]
      remove: [X-Debug]
    responseHeadersPolicy:
      set: [{name: X-Served-By, value: gwc}]
    services: [{name: api, port: 80}]
  - conditions: [{prefix: /old}]
    requestRedirectPolicy: {hostname: new.example.com, statusCode: 301}
  - conditions: [{prefix: /admin}]
    ipAllowPolicy: [{cidr: 10.0.0.0/8, source: Peer}]
    services: [{name: api, port: 80}]
  - services: [{name: web, port: 80}]
  - conditions: [{prefix: /retry/}]
    retryPolicy: {count: 2, retryOn: [gateway-error]}
    services: [{name: api, port: 80}]
  - conditions: [{prefix: /once/}]
    pathRewritePolicy:
      replacePrefix: [{replacement: /retry/}]
    services: [{name: api, port: 80}]
  - conditions: [{prefix: /sticky}]
    loadBalancerPolicy: {strategy: Cookie}
    services: [{name: canary, port: 80}]
  - conditions: [{prefix: /per-service}]
    requestHeadersPolicy:
      set: [{name: X-Route, value: shop}]
    services:
    - name: web
      port: 80
      weight: 1
      requestHeadersPolicy:
        set: [{name: X-Service, value: web}]
        remove: [X-Debug]
      responseHeadersPolicy:
        set: [{name: X-Answered-By, value: web}]
    - name: api
      port: 80
      weight: 1
      requestHeadersPolicy:
        set: [{name: Host, value: internal.example.com}]
  includes:
  - name: blog
    namespace: marketing
    conditions: [{prefix: /blog}]
  - name: missing
    conditions: [{prefix: /gone}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: blog, namespace: marketing}
spec:
  routes:
  - conditions: [{prefix: /feed}]
    pathRewritePolicy:
      replacePrefix: [{prefix: /blog/feed, replacement: /rss}]
    services: [{name: blog, port: 80}]
  - services: [{name: blog, port: 80}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: secure, namespace: web}
spec:
  virtualhost:
    fqdn: secure.example.com
    tls: {secretName: secure-tls}
  routes:
  - conditions: [{prefix: /.well-known/}]
    permitInsecure: true
    services: [{name: canary, port: 80}]
  - services: [{name: web, port: 80}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: mq, namespace: web}
spec:
  virtualhost:
    fqdn: mq.example.com
    tls: {secretName: mq-tls}
  tcpproxy:
    services: [{name: mq, port: 80}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: vault, namespace: web}
spec:
  virtualhost:
    fqdn: vault.example.com
    tls: {secretName: vault-tls}
    ipAllowPolicy: [{cidr: 10.0.0.0/8, source: Peer}]
  tcpproxy:
    services: [{name: mq, port: 80}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: app, namespace: web}
spec:
  virtualhost:
    fqdn: app.example.com
    corsPolicy:
      allowOrigin: [https://www.example.com]
      allowMethods: [GET, PUT]
      allowHeaders: [X-Token]
      exposeHeaders: [X-Served-By]
      allowCredentials: true
      maxAge: 10m
  routes:
  - services: [{name: api, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: web
spec:
  ingressClassName: contour
  rules:
  - host: legacy.example.com
    http:
      paths:
      - path: /static
        pathType: ImplementationSpecific
        backend: {service: {name: api, port: {number: 80}}}
      - path: /v[0-9]+/docs
        pathType: ImplementationSpecific
        backend: {service: {name: canary, port: {number: 80}}}
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
"""


class ImportedContourEstate(ImportedEstate):
    SERVICES = [("api", "web"), ("canary", "web"), ("web", "web"),
                ("blog", "marketing"), ("mq", "web")]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        pair = ca.issue("secure", dns_names=["secure.example.com"])
        mq = ca.issue("mq", dns_names=["mq.example.com"])
        vault = ca.issue("vault", dns_names=["vault.example.com"])
        return [ESTATE, tls_secret_yaml("secure-tls", pair, "web"),
                tls_secret_yaml("mq-tls", mq, "web"),
                tls_secret_yaml("vault-tls", vault, "web")]

    @classmethod
    def backends(cls, ca):
        return {"mq": {"mode": "tcp"}}

    def test_tcpproxy_behind_tls_termination(self):
        # Envoy ends TLS with the virtual host's certificate and forwards
        # the plain stream to the tcpproxy's service.
        x = client.tcp_exchange(self.https, ["IS_TLS", "TEST"], tls=True,
                                sni="mq.example.com")
        self.assertEqual(x.replies[0], "false")
        self.assertEqual(x.json()["service"], "mq")

    def test_import_reports_access_control_and_exits_1(self):
        self.assertIn("converting as contour", self.imported.stderr)
        self.assertIn("spec.routes[8].ipAllowPolicy: access control not converted exactly",
                      self.imported.stderr)
        self.assertIn("default response timeout is 15s", self.imported.stderr)

    # ---- matching ----

    def test_prefix_is_a_string_prefix(self):
        self.assertServed(self.get("shop.example.com", "/api/x"), "api", "/api/x")
        self.assertServed(self.get("shop.example.com", "/apix"), "api", "/apix")

    def test_exact_and_regex(self):
        self.assertServed(self.get("shop.example.com", "/exact"), "canary")
        self.assertServed(self.get("shop.example.com", "/exact/x"), "web")
        self.assertServed(self.get("shop.example.com", "/items/42"), "canary")
        # Contour's regex matches the whole path.
        self.assertServed(self.get("shop.example.com", "/items/42/x"), "web")

    def test_header_and_query_conditions(self):
        self.assertServed(self.get("shop.example.com", "/beta",
                                   headers={"X-Beta": "Oh YES please"}), "canary")
        self.assertServed(self.get("shop.example.com", "/beta?lang=en"), "api")
        self.assertServed(self.get("shop.example.com", "/beta?lang=de"), "web")

    def test_ingress_paths(self):
        # ImplementationSpecific without regex characters: a string prefix.
        self.assertServed(self.get("legacy.example.com", "/staticfiles"), "api")
        # With them: a regular expression over the whole path.
        self.assertServed(self.get("legacy.example.com", "/v2/docs"), "canary")
        self.assertServed(self.get("legacy.example.com", "/v2/docs/x"), "web")

    # ---- weights ----

    def test_unweighted_service_gets_nothing_next_to_a_weighted_one(self):
        for _ in range(30):
            self.assertServed(self.get("shop.example.com", "/api"), "api")

    def test_weighted_split(self):
        n = 200
        hits = sum(self.get("shop.example.com", "/split").echo["service"] == "api"
                   for _ in range(n))
        self.assertTrue(25 <= hits <= 80, "%d of %d requests went to api" % (hits, n))

    # ---- rewrites and headers ----

    def test_prefix_rewrite_and_header_policies(self):
        r = self.get("shop.example.com", "/rewrite/a?q=1", headers={"X-Debug": "1"})
        self.assertServed(r, "api", "/v1/a?q=1")
        self.assertEqual(r.echo["headers"].get("X-Via"), ["contour"])
        self.assertNotIn("X-Debug", r.echo["headers"])
        self.assertEqual(r.header("X-Served-By"), "gwc")

    def test_per_service_header_policies(self):
        # A service's own header policies change only the requests it gets
        # and its answers; the route's apply to both services.
        seen = set()
        for _ in range(60):
            r = self.get("shop.example.com", "/per-service", headers={"X-Debug": "1"})
            self.assertEqual(r.status, 200)
            service = r.echo["service"]
            seen.add(service)
            self.assertEqual(r.echo["headers"].get("X-Route"), ["shop"])
            if service == "web":
                self.assertEqual(r.echo["host"], "shop.example.com")
                self.assertEqual(r.echo["headers"].get("X-Service"), ["web"])
                self.assertNotIn("X-Debug", r.echo["headers"])
                self.assertEqual(r.header("X-Answered-By"), "web")
            else:  # its own Host (Envoy's host rewrite of its cluster)
                self.assertEqual(r.echo["host"], "internal.example.com")
                self.assertNotIn("X-Service", r.echo["headers"])
                self.assertEqual(r.echo["headers"].get("X-Debug"), ["1"])
                self.assertEqual(r.header("X-Answered-By"), None)
        self.assertEqual(seen, {"web", "api"})

    def test_redirect_policy(self):
        # statusCode 301; scheme, port and path kept.
        self.assertRedirect(self.get("shop.example.com", "/old/page"), 301,
                            "http://new.example.com/old/page")

    # ---- includes ----

    def test_include_across_namespaces(self):
        self.assertServed(self.get("shop.example.com", "/blog/post"), "blog", "/blog/post")
        # The included route's replacePrefix names the merged prefix.
        self.assertServed(self.get("shop.example.com", "/blog/feed/1"), "blog", "/rss/1")

    def test_missing_include_is_not_served_by_a_shorter_prefix(self):
        self.assertEqual(self.get("shop.example.com", "/gone/x").status, 500)

    # ---- TLS ----

    def test_tls_host_redirects_port_80_except_permit_insecure(self):
        self.assertRedirect(self.get("secure.example.com", "/a"), 301,
                            "https://secure.example.com/a")
        self.assertServed(self.get("secure.example.com", "/.well-known/x"), "canary")
        self.assertServed(self.get_tls("secure.example.com", "/a"), "web")

    # ---- retries and load balancing (gwc BackendPolicies) ----

    def test_retry_policy_retries_gateway_errors(self):
        # count 2: three tries in all; the echo backend fails the first
        # succeedAfter tries of a uuid with responseCode.
        self.assertServed(self.get("shop.example.com",
                                   "/retry/a?uuid=twice&succeedAfter=2&responseCode=503"), "api")
        self.assertEqual(self.get("shop.example.com",
                                  "/retry/a?uuid=thrice&succeedAfter=3&responseCode=503").status,
                         503)

    def test_retry_policy_retries_a_post_as_envoy_does(self):
        r = self.get("shop.example.com", "/retry/a?uuid=post&succeedAfter=1&responseCode=502",
                     method="POST", body=b"x")
        self.assertServed(r, "api")

    def test_retry_policy_stays_on_its_route(self):
        # /once/ reaches the same Service without a retryPolicy: the 503 is
        # the answer.
        self.assertEqual(self.get("shop.example.com",
                                  "/once/a?uuid=once&succeedAfter=1&responseCode=503").status,
                         503)

    def test_cookie_strategy_issues_contours_affinity_cookie(self):
        r = self.get("shop.example.com", "/sticky")
        self.assertServed(r, "canary")
        cookie = r.header("Set-Cookie") or ""
        self.assertTrue(cookie.startswith("X-Contour-Session-Affinity="), cookie)
        self.assertIn("HttpOnly", cookie)
        self.assertNotIn("Max-Age", cookie)  # a session cookie, as Contour's

    # ---- CORS ----

    def test_cors_preflight(self):
        r = self.get("app.example.com", "/x", method="OPTIONS",
                     headers={"Origin": "https://www.example.com",
                              "Access-Control-Request-Method": "PUT"})
        self.assertIn(r.status, (200, 204))
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://www.example.com")
        self.assertEqual(r.header("Access-Control-Allow-Credentials"), "true")
        self.assertIn("PUT", r.header("Access-Control-Allow-Methods", ""))
        self.assertEqual(r.header("Access-Control-Max-Age"), "600")

    def test_cors_on_a_request_and_an_origin_not_allowed(self):
        r = self.get("app.example.com", "/x", headers={"Origin": "https://www.example.com"})
        self.assertServed(r, "api")
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://www.example.com")
        self.assertEqual(r.header("Access-Control-Expose-Headers"), "X-Served-By")
        r = self.get("app.example.com", "/x", headers={"Origin": "https://evil.example.com"})
        self.assertServed(r, "api")
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))

    # ---- access control fails closed ----

    def test_ip_allow_policy_route_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin").status, 500)
        self.assertEqual(self.get("shop.example.com", "/admin/x").status, 500)

    def test_ip_allow_policy_tcpproxy_is_closed_not_served(self):
        # Envoy closes connections from outside 10.0.0.0/8; the output
        # keeps the host's TLS listener without its route, so nginx
        # closes them all, and no other listener of :443 takes the name.
        self.assertIn("spec.virtualhost.ipAllowPolicy: access control not converted "
                      "exactly: ipAllowPolicy has no equivalent for TLS routes",
                      self.imported.stderr)
        with self.assertRaises((ConnectionError, OSError)):
            x = client.tcp_exchange(self.https, ["IS_TLS", "TEST"], tls=True,
                                    sni="vault.example.com", timeout=3)
            self.fail("served: %r" % (x.replies,))


INCLUDE_ESTATE = """apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: root, namespace: shop}
spec:
  virtualhost: {fqdn: shop.example.com}
  includes:
  - {name: team, namespace: team, conditions: [{prefix: /team}]}
  - {name: team, namespace: late, conditions: [{prefix: /team}]}
  routes:
  - conditions: [{prefix: /admin}]
    services: [{name: admin, port: 80}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: team, namespace: team}
spec:
  routes:
  - conditions: [{regex: "/x|/.*"}]
    services: [{name: open, port: 80}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: team, namespace: late}
spec:
  routes:
  - services: [{name: late, port: 80}]
"""


class ContourIncludeStaysUnderItsPrefix(ImportedEstate):
    """The root delegates /team to namespace team, whose route's regex
    '/x|/.*' Contour appends to the prefix as text ('/team/x|/.*': every
    path of the host).  The output keeps it under /team: /elsewhere is
    nobody's (404), /team/x is team's.  A second include of /team (to
    namespace late) repeats the first's conditions: Contour ignores it, so
    /team/y stays team's, not late's."""
    SERVICES = [("admin", "shop"), ("open", "team"), ("late", "late")]
    IMPORT_ARGS = ["--provider", "contour"]
    IMPORT_EXIT = 1  # the repeated include

    @classmethod
    def documents(cls, ca):
        return [INCLUDE_ESTATE]

    def test_reports(self):
        self.assertIn("converted as one group after the prefix", self.imported.stderr)
        self.assertIn("Contour ignores such an include", self.imported.stderr)

    def test_included_regex_stays_under_the_prefix(self):
        self.assertServed(self.get("shop.example.com", "/team/x"), "open")
        self.assertServed(self.get("shop.example.com", "/team/y"), "open")
        self.assertEqual(self.get("shop.example.com", "/elsewhere").status, 404)
        self.assertServed(self.get("shop.example.com", "/admin"), "admin")


UNWRITABLE_ESTATE = """apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: shop, namespace: web}
spec:
  virtualhost: {fqdn: shop.example.com}
  routes:
  - services: [{name: site, port: 80}]
  - conditions: [{regex: "%s"}]
    ipAllowPolicy: [{cidr: 10.0.0.0/8, source: Peer}]
    services: [{name: admin, port: 80}]
""" % ("/admin/(" + "|".join("p%04d" % i for i in range(210)) + ")")


class ImportedContourUnwritableGuardedRoute(ImportedEstate):
    """A route with an ipAllowPolicy whose regex is longer than gwc writes
    (1024 characters; Envoy takes it).  Envoy refuses /admin/p0001 to
    127.0.0.1 (not in 10.0.0.0/8); left out, the open "/" route written
    before it would serve it.  The import takes every path under the
    regex's literal start, /admin/, for the guarded route instead,
    answering 500 (GW0831, exit 1); the host's other paths, /adminX
    among them (the regex never matched it), are still served."""
    SERVICES = [("site", "web"), ("admin", "web")]
    IMPORT_ARGS = ["--provider", "contour"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [UNWRITABLE_ESTATE]

    def test_guarded_path_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin/p0001").status, 500)
        self.assertEqual(self.get("shop.example.com", "/admin/p0209").status, 500)
        self.assertEqual(self.get("shop.example.com", "/admin/other").status, 500)

    def test_sibling_paths_are_still_served(self):
        self.assertServed(self.get("shop.example.com", "/"), "site")
        self.assertServed(self.get("shop.example.com", "/adminX"), "site")
        self.assertServed(self.get("shop.example.com", "/shop/cart"), "site")


PREFIX_TEXT_ESTATE = """apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: root, namespace: shop}
spec:
  virtualhost: {fqdn: shop.example.com}
  includes:
  - {name: team, namespace: team, conditions: [{prefix: /v1.0}]}
  routes:
  - conditions: [{prefix: /v1a0}]
    services: [{name: admin, port: 80}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: team, namespace: team}
spec:
  routes:
  - conditions: [{regex: "/x.*"}]
    services: [{name: open, port: 80}]
"""


class ContourIncludePrefixLiteral(ImportedEstate):
    """The root keeps /v1a0 and delegates /v1.0 to namespace team, whose
    route is the regex '/x.*'.  As text ('/v1.0/x.*') the '.' of the
    root's prefix would let team's regex, which outranks every prefix,
    take /v1a0/x from the root; the output quotes the prefix."""
    SERVICES = [("admin", "shop"), ("open", "team")]
    IMPORT_ARGS = ["--provider", "contour"]
    IMPORT_EXIT = 1  # the approximation is reported

    @classmethod
    def documents(cls, ca):
        return [PREFIX_TEXT_ESTATE]

    def test_reports(self):
        self.assertIn("converted with the prefix as a literal", self.imported.stderr)

    def test_root_keeps_its_prefix(self):
        self.assertServed(self.get("shop.example.com", "/v1a0/x"), "admin")
        self.assertServed(self.get("shop.example.com", "/v1.0/x"), "open")


SAME_CONDITIONS_ESTATE = """apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: root, namespace: shop}
spec:
  virtualhost: {fqdn: shop.example.com}
  includes:
  - {name: team, namespace: aaa, conditions: [{prefix: /team}]}
  routes:
  - conditions: [{prefix: /team/admin}]
    ipAllowPolicy: [{cidr: 10.0.0.0/8, source: Peer}]
    services: [{name: admin, port: 80}]
  - conditions: [{prefix: /ops}]
    services: [{name: open, port: 80}]
  - conditions: [{prefix: /ops}]
    ipAllowPolicy: [{cidr: 10.0.0.0/8, source: Peer}]
    services: [{name: admin, port: 80}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: team, namespace: aaa}
spec:
  routes:
  - conditions: [{prefix: /admin}]
    services: [{name: evil, port: 80}]
  - conditions: [{prefix: /app}]
    services: [{name: evil, port: 80}]
"""


class ContourSameConditions(ImportedEstate):
    """Contour keeps one route per set of conditions on a host, the last it
    adds: the root's own /team/admin (guarded by an ipAllowPolicy, so 500
    here) over namespace aaa's /admin under /team, and the second of the
    root's two /ops routes (guarded too).  Gateway API's tie-breaks (the
    first namespace by name, the first rule) would serve aaa's backend and
    the open /ops instead."""
    SERVICES = [("admin", "shop"), ("open", "shop"), ("evil", "aaa")]
    IMPORT_ARGS = ["--provider", "contour"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [SAME_CONDITIONS_ESTATE]

    def test_reports(self):
        self.assertIn("Contour serves that one only", self.imported.stderr)

    def test_guarded_routes_are_not_taken(self):
        self.assertEqual(self.get("shop.example.com", "/team/admin").status, 500)
        self.assertEqual(self.get("shop.example.com", "/ops").status, 500)
        self.assertServed(self.get("shop.example.com", "/team/app"), "evil")


REWRITE_DENIED_ESTATE = """apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: shop, namespace: shop}
spec:
  virtualhost: {fqdn: shop.example.com}
  routes:
  - services: [{name: web, port: 80}]
  - conditions: [{prefix: /admin}]
    ipAllowPolicy: [{cidr: 10.0.0.0/8, source: Peer}]
    pathRewritePolicy:
      replacePrefix: [{replacement: /}]
    services: [{name: admin, port: 80}]
"""


class ContourRewriteDenied(ImportedEstate):
    """Contour's prefix /admin is a string prefix: Envoy applies the
    route's ipAllowPolicy to /adminX too.  The route answers 500 (the
    allow list is not converted) and so must /adminX, not the open '/'
    route: the rewrite that wanted a single PathPrefix is not written on a
    route that answers 500."""
    SERVICES = [("web", "shop"), ("admin", "shop")]
    IMPORT_ARGS = ["--provider", "contour"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [REWRITE_DENIED_ESTATE]

    def test_string_prefix_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin").status, 500)
        self.assertEqual(self.get("shop.example.com", "/adminX").status, 500)
        self.assertServed(self.get("shop.example.com", "/other"), "web")


if __name__ == "__main__":
    unittest.main()
