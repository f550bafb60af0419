"""End to end: a Traefik estate (traefik.io IngressRoutes and Middlewares,
a weighted TraefikService, Ingresses with router annotations, and a v2
traefik.containo.us IngressRoute with its own Middlewares) through `gwc import-ingress` (provider
detected from the CRD groups), `gwc check` and `gwc compile`, a real nginx
serving it, echo backends behind.

Expectations are what Traefik documents (doc.traefik.io/traefik: routing
rules, the middlewares' pages, TraefikService).  ipAllowList and basicAuth
become AccessPolicies: a client outside the list gets 403 (Traefik v3's
answer too), a request without valid credentials 401, and the credentials
reach the backend (Traefik keeps the header unless removeHeader).
forwardAuth is access control gwc does not carry over exactly: the import
exits 1 and the route answers 500, never the backend.  The client is
127.0.0.1.
"""
import base64
import ssl
import threading
import time
import unittest

from estate import ImportedEstate, tls_secret_yaml
from gwtest import client
from test_import_policies_e2e import apr1, basic

ESTATE = """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: shop, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`shop.example.com`) && PathPrefix(`/api`)
    kind: Rule
    middlewares: [{name: strip-api}, {name: tag}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && (Path(`/cart`) || Path(`/basket`)) && Method(`POST`)
    kind: Rule
    services: [{name: split, kind: TraefikService}]
  - match: Host(`shop.example.com`) && PathPrefix(`/admin`)
    kind: Rule
    middlewares: [{name: login}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && PathPrefix(`/local`)
    kind: Rule
    middlewares: [{name: loopback}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && PathPrefix(`/office`)
    kind: Rule
    middlewares: [{name: office}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && PathPrefix(`/upload`)
    kind: Rule
    middlewares: [{name: small-bodies}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && PathPrefix(`/limited`)
    kind: Rule
    middlewares: [{name: small-bodies}, {name: six-a-minute}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && PathPrefix(`/one-at-a-time`)
    kind: Rule
    middlewares: [{name: one-at-a-time}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && PathPrefix(`/sso`)
    kind: Rule
    middlewares: [{name: sso}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && PathPrefix(`/vault`) && !Header(`X-Debug`, `1`)
    kind: Rule
    middlewares: [{name: login}]
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`)
    kind: Rule
    services: [{name: web, port: 80}]
  - match: Host(`old.example.com`)
    kind: Rule
    middlewares: [{name: to-https}]
    services: [{name: web, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: prio, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`prio.example.com`)
    priority: 1000
    middlewares: [{name: login}]
    services: [{name: api, port: 80}]
  - match: Host(`prio.example.com`) && PathPrefix(`/public`)
    priority: 1
    services: [{name: web, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: strip-api, namespace: default}
spec:
  stripPrefix: {prefixes: [/api]}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: tag, namespace: default}
spec:
  headers:
    customRequestHeaders: {X-Via: traefik-import}
    customResponseHeaders: {X-Served-By: gwc}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: login, namespace: default}
spec:
  basicAuth: {secret: users}
---
apiVersion: v1
kind: Secret
metadata: {name: users, namespace: default}
stringData:
  users: |
    alice:%s
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: loopback, namespace: default}
spec:
  ipAllowList: {sourceRange: [127.0.0.0/8]}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: default}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: small-bodies, namespace: default}
spec:
  buffering: {maxRequestBodyBytes: 1024}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: six-a-minute, namespace: default}
spec:
  rateLimit: {average: 6, period: 1m, burst: 3}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: one-at-a-time, namespace: default}
spec:
  inFlightReq: {amount: 1, sourceCriterion: {ipStrategy: {}}}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: sso, namespace: default}
spec:
  forwardAuth: {address: "http://127.0.0.1:9/verify"}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: to-https, namespace: default}
spec:
  redirectScheme: {scheme: https, permanent: true}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: add-v1, namespace: default}
spec:
  addPrefix: {prefix: /v1}
---
apiVersion: traefik.io/v1alpha1
kind: TraefikService
metadata: {name: split, namespace: default}
spec:
  weighted:
    services:
    - {name: web, port: 80, weight: 3}
    - {name: api, port: 80, weight: 1}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: blog
  namespace: default
  annotations:
    traefik.ingress.kubernetes.io/router.entrypoints: web
    traefik.ingress.kubernetes.io/router.middlewares: default-add-v1@kubernetescrd
spec:
  rules:
  - host: blog.example.com
    http:
      paths:
      - path: /posts
        pathType: Prefix
        backend: {service: {name: blog, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: members
  namespace: default
  annotations:
    traefik.ingress.kubernetes.io/router.entrypoints: web
    traefik.ingress.kubernetes.io/router.middlewares: default-tokens@kubernetescrd
spec:
  rules:
  - host: blog.example.com
    http:
      paths:
      - path: /members
        pathType: Prefix
        backend: {service: {name: blog, port: {number: 80}}}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: tokens, namespace: default}
spec:
  plugin:
    jwt: {secret: s3cr3t}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: versions
  namespace: default
  annotations:
    traefik.ingress.kubernetes.io/router.pathmatcher: PathRegexp
spec:
  rules:
  - host: re.example.com
    http:
      paths:
      - path: /v[0-9]+/
        pathType: ImplementationSpecific
        backend: {service: {name: blog, port: {number: 80}}}
---
apiVersion: traefik.containo.us/v1alpha1
kind: IngressRoute
metadata: {name: legacy, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`v2.example.com`, `v2.example.org`) && PathPrefix(`/app`)
    kind: Rule
    services: [{name: legacy, port: 80}]
  - match: Host(`v2.example.com`) && PathPrefix(`/strip`)
    kind: Rule
    middlewares: [{name: legacy-strip}, {name: legacy-office}]
    services: [{name: legacy, port: 80}]
  - match: Host(`v2.example.com`) && PathPrefix(`/closed`)
    kind: Rule
    middlewares: [{name: legacy-elsewhere}]
    services: [{name: legacy, port: 80}]
---
apiVersion: traefik.containo.us/v1alpha1
kind: Middleware
metadata: {name: legacy-strip, namespace: default}
spec:
  stripPrefix: {prefixes: [/strip]}
---
apiVersion: traefik.containo.us/v1alpha1
kind: Middleware
metadata: {name: legacy-office, namespace: default}
spec:
  ipWhiteList: {sourceRange: [127.0.0.1/32]}
---
apiVersion: traefik.containo.us/v1alpha1
kind: Middleware
metadata: {name: legacy-elsewhere, namespace: default}
spec:
  ipWhiteList: {sourceRange: [10.0.0.0/8]}
"""


class ImportedTraefikEstate(ImportedEstate):
    SERVICES = ["api", "web", "blog", "legacy"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [ESTATE % apr1("secret")]

    def test_import_reports_access_control_and_exits_1(self):
        self.assertIn("converting as traefik", self.imported.stderr)
        self.assertIn("spec.basicAuth: converted to gwc policy AccessPolicy/login",
                      self.imported.stderr)
        self.assertIn("spec.forwardAuth: access control not converted exactly",
                      self.imported.stderr)

    # ---- matching ----

    def test_or_and_method(self):
        for path in ("/cart", "/basket"):
            r = self.get("shop.example.com", path, method="POST", body=b"")
            self.assertEqual(r.status, 200, path)
        # GET /cart is not the POST router's: the Host-only router takes it.
        self.assertServed(self.get("shop.example.com", "/cart"), "web")

    def test_path_prefix_is_a_string_prefix(self):
        self.assertServed(self.get("shop.example.com", "/api/items"), "api", "/items")

    def test_v2_multi_argument_host(self):
        self.assertServed(self.get("v2.example.com", "/app/x"), "legacy")
        self.assertServed(self.get("v2.example.org", "/app/x"), "legacy")
        self.assertEqual(self.get("v2.example.net", "/app/x").status, 404)

    def test_v2_middlewares(self):
        # traefik.containo.us Middlewares: stripPrefix, and ipWhiteList (v2's
        # name of ipAllowList) as an AccessPolicy: 127.0.0.1 is in one list
        # and outside the other (403, Traefik's answer).
        self.assertServed(self.get("v2.example.com", "/strip/x"), "legacy", "/x")
        self.assertEqual(self.get("v2.example.com", "/closed/x").status, 403)

    def test_ingress_path_regexp_is_searched(self):
        # Traefik searches the path for the expression (PathRegexp).
        self.assertServed(self.get("re.example.com", "/v2/items"), "blog", "/v2/items")
        self.assertServed(self.get("re.example.com", "/old/v10/x"), "blog", "/old/v10/x")
        self.assertEqual(self.get("re.example.com", "/").status, 404)
        self.assertEqual(self.get("re.example.com", "/vx/").status, 404)

    def test_unconverted_rule_of_a_guarded_router_fails_closed(self):
        # /vault asks for basicAuth unless X-Debug: 1, which has no Gateway
        # API form.  Left out, /vault would go to the Host-only router and
        # its backend without credentials: it answers 500 on the wider
        # match instead, never the backend.
        for headers in ({}, {"X-Debug": "1"},
                        basic("alice", "secret")):
            r = self.get("shop.example.com", "/vault/x", headers=headers)
            self.assertEqual(r.status, 500, headers)
        self.assertServed(self.get("shop.example.com", "/elsewhere"), "web")

    def test_priority_over_a_more_specific_router_fails_closed(self):
        # Traefik tries the basicAuth catch-all (priority 1000) before
        # /public (priority 1): /public needs credentials.  The Gateway
        # would give /public to its own route, so that route answers 500.
        self.assertEqual(self.get("prio.example.com", "/public/x").status, 500)
        self.assertEqual(self.get("prio.example.com", "/x").status, 401)
        self.assertServed(self.get("prio.example.com", "/x",
                                   headers=basic("alice", "secret")), "api", "/x")

    def test_unconverted_middleware_of_an_ingress_fails_closed(self):
        # A plugin (a token check, say) the import cannot carry over: the
        # Ingress's path answers 500, as an IngressRoute's would.
        self.assertEqual(self.get("blog.example.com", "/members/1").status, 500)
        self.assertServed(self.get("blog.example.com", "/posts/1"), "blog", "/v1/posts/1")

    # ---- splits ----

    def test_weighted_traefik_service(self):
        n = 200
        hits = sum(self.get("shop.example.com", "/cart", method="POST", body=b"")
                   .echo["service"] == "api" for _ in range(n))
        self.assertTrue(25 <= hits <= 80, "%d of %d requests went to api" % (hits, n))

    # ---- rewrites ----

    def test_strip_prefix_sets_x_forwarded_prefix(self):
        r = self.get("shop.example.com", "/api/v/1")
        self.assertServed(r, "api", "/v/1")
        self.assertEqual(r.echo["headers"].get("X-Forwarded-Prefix"), ["/api"])

    def test_add_prefix_from_an_ingress_annotation(self):
        self.assertServed(self.get("blog.example.com", "/posts/1"), "blog", "/v1/posts/1")

    # ---- redirects ----

    def test_redirect_scheme(self):
        self.assertRedirect(self.get("old.example.com", "/a?b=1"), 301,
                            "https://old.example.com/a?b=1")

    # ---- headers ----

    def test_headers_middleware(self):
        r = self.get("shop.example.com", "/api/h")
        self.assertEqual(r.echo["headers"].get("X-Via"), ["traefik-import"])
        self.assertEqual(r.header("X-Served-By"), "gwc")

    # ---- buffering ----

    def test_request_body_limit(self):
        # Traefik answers 413 above maxRequestBodyBytes.
        self.assertServed(self.get("shop.example.com", "/upload", method="POST",
                                   body=b"x" * 1024), "api", "/upload")
        self.assertEqual(self.get("shop.example.com", "/upload", method="POST",
                                  body=b"x" * 1025).status, 413)

    # ---- limits ----

    def test_rate_limit(self):
        # A bucket of burst 3 refilled at 6 a minute: three requests at
        # once, then 429 (Traefik's refusal) until a token comes back.
        for i in range(3):
            self.assertServed(self.get("shop.example.com", "/limited"), "api",
                              "/limited")
        self.assertEqual(self.get("shop.example.com", "/limited").status, 429)
        # The same router's buffering still applies, in the same policy.
        self.assertEqual(self.get("shop.example.com", "/limited", method="POST",
                                  body=b"x" * 1025).status, 413)

    def test_in_flight_requests(self):
        # One request of this client in flight at a time: a second one
        # meanwhile gets 429; once the first is answered, the next passes.
        slow = {}
        t = threading.Thread(target=lambda: slow.update(
            r=self.get("shop.example.com", "/one-at-a-time?delay=2s", timeout=10)))
        t.start()
        try:
            time.sleep(0.5)  # the slow request is in flight for 2 s
            self.assertEqual(self.get("shop.example.com", "/one-at-a-time").status, 429)
        finally:
            t.join()
        self.assertEqual(slow["r"].status, 200)
        self.assertServed(self.get("shop.example.com", "/one-at-a-time/x"), "api",
                          "/one-at-a-time/x")

    # ---- access control ----

    def test_ip_allow_list(self):
        self.assertServed(self.get("shop.example.com", "/local/x"), "api", "/local/x")
        self.assertEqual(self.get("shop.example.com", "/office/x").status, 403)

    def test_basic_auth(self):
        self.assertEqual(self.get("shop.example.com", "/admin").status, 401)
        self.assertEqual(self.get("shop.example.com", "/admin/x",
                                  headers=basic("alice", "wrong")).status, 401)
        r = self.get("shop.example.com", "/admin/x", headers=basic("alice", "secret"))
        self.assertServed(r, "api", "/admin/x")
        self.assertEqual(r.header("WWW-Authenticate"), None)
        self.assertEqual(r.echo["headers"].get("Authorization"),
                         [basic("alice", "secret")["Authorization"]])
        r = self.get("shop.example.com", "/admin")
        self.assertEqual(r.header("WWW-Authenticate"), 'Basic realm="traefik"')

    def test_forward_auth_route_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/sso").status, 500)
        self.assertEqual(self.get("shop.example.com", "/sso/x").status, 500)


TCP_ESTATE = """apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: {name: vault, namespace: default}
spec:
  entryPoints: [websecure]
  routes:
  - match: HostSNI(`vault.example.com`)
    services: [{name: vault, port: 80}]
  tls: {passthrough: true}
---
apiVersion: traefik.containo.us/v1alpha1
kind: IngressRouteTCP
metadata: {name: queue, namespace: default}
spec:
  entryPoints: [websecure]
  routes:
  - match: HostSNI(`queue.example.com`, `mq.example.com`)
    services: [{name: queue, port: 80}]
  tls: {secretName: queue-cert}
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: site, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`www.example.com`)
    kind: Rule
    services: [{name: web, port: 80}]
"""


class ImportedTraefikTCPEstate(ImportedEstate):
    """IngressRouteTCP: TLS passthrough picks the backend by SNI and leaves
    TLS to it; with a secretName Traefik ends TLS and forwards plain TCP
    (doc.traefik.io/traefik/routing/routers/, TCP routers and tls)."""
    SERVICES = ["vault", "queue", "web"]

    @classmethod
    def documents(cls, ca):
        cls.vault_pair = ca.issue("vault", ["vault.example.com"])
        queue = ca.issue("queue", ["queue.example.com", "mq.example.com"])
        return [TCP_ESTATE, tls_secret_yaml("queue-cert", queue)]

    @classmethod
    def backends(cls, ca):
        return {"vault": {"mode": "tls", "cert": cls.vault_pair.cert,
                          "key": cls.vault_pair.key},
                "queue": {"mode": "tcp"}}

    def exchange(self, sni):
        return client.tcp_exchange(self.https, ["IS_TLS", "TEST"], tls=True, sni=sni)

    def test_passthrough_reaches_the_backend_still_encrypted(self):
        x = self.exchange("vault.example.com")
        self.assertEqual(x.replies[0], "true")
        self.assertEqual(x.json()["service"], "vault")
        self.assertEqual(x.json()["tls"]["serverName"], "vault.example.com")

    def test_terminated_tls_reaches_the_backend_as_plain_tcp(self):
        for sni in ("queue.example.com", "mq.example.com"):  # v2: both names
            x = self.exchange(sni)
            self.assertEqual(x.replies[0], "false")
            self.assertEqual(x.json()["service"], "queue")

    def test_unknown_sni_is_refused(self):
        self.assertFalse(client.tls_handshake(self.https, "other.example.com"))

    def test_http_router_still_served(self):
        self.assertServed(self.get("www.example.com", "/"), "web")


class ImportedTraefikTCPClientCerts(ImportedEstate):
    """An IngressRouteTCP that ends TLS under TLS options asking for client
    certificates.  Gateway API validates client certificates on HTTPS
    listeners only, so the import refuses the route (GW0831, exit 1): its
    connections are closed, with a certificate or without, never served
    unchecked; the passthrough route beside it is served."""
    SERVICES = ["vault", "queue", "web"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        cls.vault_pair = ca.issue("vault", ["vault.example.com"])
        cls.client_cert = ca.issue("client", client=True)
        queue = ca.issue("queue", ["queue.example.com"])
        with open(ca.cert, "rb") as f:
            crt = base64.b64encode(f.read()).decode()
        estate = TCP_ESTATE.replace("tls: {secretName: queue-cert}",
                                "tls: {secretName: queue-cert, options: {name: mtls}}")
        estate = estate.replace("HostSNI(`queue.example.com`, `mq.example.com`)",
                                "HostSNI(`queue.example.com`)")
        return [estate, tls_secret_yaml("queue-cert", queue),
                "apiVersion: traefik.io/v1alpha1\nkind: TLSOption\n"
                "metadata: {name: mtls, namespace: default}\n"
                "spec:\n  clientAuth: {secretNames: [client-ca], "
                "clientAuthType: RequireAndVerifyClientCert}\n",
                "apiVersion: v1\nkind: Secret\nmetadata: {name: client-ca, "
                "namespace: default}\ndata:\n  ca.crt: %s\n" % crt]

    @classmethod
    def backends(cls, ca):
        return {"vault": {"mode": "tls", "cert": cls.vault_pair.cert,
                          "key": cls.vault_pair.key},
                "queue": {"mode": "tcp"}}

    def test_import_refuses_the_route(self):
        self.assertIn("client certificates for HTTPS routers only", self.imported.stderr)
        self.assertIn("[GW0831]", self.imported.stderr)

    def test_terminating_route_is_never_served_unchecked(self):
        for cert in (None, (self.client_cert.cert, self.client_cert.key)):
            try:
                x = client.tcp_exchange(self.https, ["IS_TLS", "TEST"], tls=True,
                                        sni="queue.example.com", client_cert=cert)
            except (ConnectionError, OSError, ssl.SSLError):
                continue
            self.assertEqual(x.replies, [], "queue answered: %r" % (x.replies,))

    def test_passthrough_route_is_served(self):
        x = client.tcp_exchange(self.https, ["IS_TLS", "TEST"], tls=True,
                                sni="vault.example.com")
        self.assertEqual(x.json()["service"], "vault")


REGEX_ESTATE = """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: site, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`shop.example.com`) && PathPrefix(`/admin`)
    kind: Rule
    priority: 1000
    middlewares: [{name: office}]
    services: [{name: admin, port: 80}]
  - match: Host(`shop.example.com`) && PathRegexp(`^/admin/v[0-9]+/`)
    kind: Rule
    services: [{name: api, port: 80}]
  - match: Host(`shop.example.com`) && Path(`/docs/v1`)
    kind: Rule
    services: [{name: docs, port: 80}]
  - match: Host(`shop.example.com`) && PathRegexp(`^/docs/v[0-9]+`) && Method(`GET`)
    kind: Rule
    services: [{name: api, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: default}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
"""


class ImportedTraefikRegexPrecedence(ImportedEstate):
    """PathRegexp routers in Traefik's priority order against Gateway API
    precedence (a regular expression above every prefix, below an Exact
    path).  Traefik gives /admin/v2/ to the guarded prefix router (403 from
    127.0.0.1); the Gateway would give it to the unguarded regex, so that
    one answers 500 (GW0831, exit 1), never serving it openly.  /docs/v1:
    Traefik's regex router outranks the Exact one, the Gateway serves the
    Exact one, and the import says so (GW0802)."""
    SERVICES = ["admin", "api", "docs"]
    IMPORT_ARGS = ["--provider", "traefik"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [REGEX_ESTATE]

    def test_import_reports(self):
        self.assertIn("Traefik gives '/docs/v1' to this router", self.imported.stderr)
        self.assertIn("a regular expression ranks above any prefix), which answers "
                      "500 instead [GW0831]", self.imported.stderr)

    def test_guarded_prefix_is_not_bypassed_through_the_regex(self):
        self.assertEqual(self.get("shop.example.com", "/admin/").status, 403)
        self.assertEqual(self.get("shop.example.com", "/admin/v2/users").status, 500)

    def test_exact_path_ranks_above_the_regex(self):
        self.assertServed(self.get("shop.example.com", "/docs/v1"), "docs")
        self.assertServed(self.get("shop.example.com", "/docs/v2"), "api")


def regex_cap_estate():
    """300 open Exact paths under /api/v1/ fill the regex check's cap of
    256; /api/v2/admin, which the guarded regex matches, sorts after
    them."""
    bulk = "".join(
        "  - match: Host(`shop.example.com`) && Path(`/api/v1/x%03d`)\n"
        "    kind: Rule\n    priority: 10\n"
        "    services: [{name: bulk, port: 80}]\n" % i for i in range(300))
    return ["""apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: admin, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`shop.example.com`) && PathRegexp(`^/api/v[0-9]+/admin`)
    kind: Rule
    priority: 1000
    middlewares: [{name: office}]
    services: [{name: admin, port: 80}]
  - match: Host(`shop.example.com`) && Path(`/api/v2/admin`)
    kind: Rule
    priority: 10
    services: [{name: open, port: 80}]
""", """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: bulk, namespace: default}
spec:
  entryPoints: [web]
  routes:
""" + bulk, """apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: default}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
"""]


class ImportedTraefikRegexCap(ImportedEstate):
    """More routes may meet a guarded PathRegexp than the import compares
    one by one (256): past the cap they are taken to meet it.  Traefik
    gives /api/v2/admin to the guarded regex router (403 from 127.0.0.1);
    the Gateway would give it to the open Exact route, which answers 500
    (GW0831) instead of serving it.  The paths the regex does not match
    are served."""
    SERVICES = ["admin", "open", "bulk"]
    IMPORT_ARGS = ["--provider", "traefik"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return regex_cap_estate()

    def test_import_reports_the_cap(self):
        self.assertIn("[GW0862]", self.imported.stderr)
        self.assertIn("Traefik gives '/api/v2/admin' to default/admin first",
                      self.imported.stderr)

    def test_path_past_the_cap_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/api/v2/admin").status, 500)
        self.assertEqual(self.get("shop.example.com", "/api/v3/admin").status, 403)

    def test_other_paths_are_served(self):
        self.assertServed(self.get("shop.example.com", "/api/v1/x299"), "bulk")


UNWRITABLE_PATH_ESTATE = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: admin
  namespace: default
  annotations:
    traefik.ingress.kubernetes.io/router.pathmatcher: PathRegexp
    traefik.ingress.kubernetes.io/router.middlewares: default-office@kubernetescrd
spec:
  ingressClassName: traefik
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: "%s"
        pathType: ImplementationSpecific
        backend: {service: {name: admin, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site, namespace: default}
spec:
  ingressClassName: traefik
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: site, port: {number: 80}}}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: default}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
""" % ("^/admin/(" + "|".join("p%04d" % i for i in range(210)) + ")$")


class ImportedTraefikUnwritableGuardedPath(ImportedEstate):
    """An Ingress path of the PathRegexp matcher longer than gwc writes
    (1024 characters; Traefik's Go regexp takes it), behind an ipAllowList
    (Traefik: 403 from 127.0.0.1).  Left out, the open "/" Ingress would
    serve /admin/p0001; the import fails closed on the paths under the
    regex's literal start, /admin/ (500, GW0831), and no further: the
    host's other paths are still served."""
    SERVICES = ["admin", "site"]
    IMPORT_ARGS = ["--provider", "traefik"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [UNWRITABLE_PATH_ESTATE]

    def test_import_reports_the_narrowed_fail_closed(self):
        self.assertIn("takes every path starting with '/admin/'", self.imported.stderr)
        self.assertIn("[GW0831]", self.imported.stderr)

    def test_guarded_paths_are_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin/p0001").status, 500)
        self.assertEqual(self.get("shop.example.com", "/admin/p0209").status, 500)

    def test_sibling_paths_are_still_served(self):
        self.assertServed(self.get("shop.example.com", "/"), "site")
        self.assertServed(self.get("shop.example.com", "/adminX"), "site")
        self.assertServed(self.get("shop.example.com", "/shop/cart"), "site")


LONG_HEADER_ESTATE = """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: "Host(`shop.example.com`) && (Header(`X-Token`, `%s`) || Path(`/x`))"
    kind: Rule
    services: [{name: token, port: 80}]
  - match: "Host(`shop.example.com`)"
    kind: Rule
    services: [{name: site, port: 80}]
""" % ("a" * 2100)


class ImportedTraefikLongHeaderAlternative(ImportedEstate):
    """A header value longer than the output holds becomes "X-Token
    present" on a rule that answers 500 (never the backend to requests
    Traefik sends elsewhere); the other alternative of the same router,
    Path(`/x`), is a rule of its own and still served by it."""
    SERVICES = ["token", "site"]
    IMPORT_ARGS = ["--provider", "traefik"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [LONG_HEADER_ESTATE]

    def test_widened_match_answers_500(self):
        self.assertEqual(self.get("shop.example.com", "/y",
                                 headers={"X-Token": "other"}).status, 500)

    def test_other_alternative_and_sibling_are_served(self):
        self.assertServed(self.get("shop.example.com", "/x"), "token")
        self.assertServed(self.get("shop.example.com", "/y"), "site")


LONG_RULE_REGEX_ESTATE = """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: admin, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: "Host(`shop.example.com`) && PathRegexp(`%s`)"
    kind: Rule
    middlewares: [{name: office}]
    services: [{name: admin, port: 80}]
  - match: "Host(`shop.example.com`)"
    kind: Rule
    services: [{name: site, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: default}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
""" % ("^/admin/(" + "|".join("p%04d" % i for i in range(210)) + ")$")


class ImportedTraefikUnwritableGuardedRule(ImportedEstate):
    """An IngressRoute whose guarded router's PathRegexp is longer than gwc
    writes: the router answers 500 on the paths under the regex's literal
    start (/admin/), not on the whole host; the open router serves the
    rest."""
    SERVICES = ["admin", "site"]
    IMPORT_ARGS = ["--provider", "traefik"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [LONG_RULE_REGEX_ESTATE]

    def test_guarded_paths_are_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin/p0001").status, 500)
        self.assertEqual(self.get("shop.example.com", "/admin/other").status, 500)

    def test_sibling_paths_are_still_served(self):
        self.assertServed(self.get("shop.example.com", "/"), "site")
        self.assertServed(self.get("shop.example.com", "/adminX"), "site")


RULE_LIMIT_ESTATE = """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: admin, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`shop.example.com`) && (%s)
    kind: Rule
    middlewares: [{name: office}]
    services: [{name: admin, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: site, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`shop.example.com`) && PathPrefix(`/`)
    kind: Rule
    services: [{name: site, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: default}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
""" % " || ".join("Path(`/admin/a%02d`)" % i for i in range(17))


class ImportedTraefikRuleLimit(ImportedEstate):
    """A guarded router whose rule has more alternatives than gwc converts
    (17): Traefik serves /admin/a00 through it (403 from 127.0.0.1).  Left
    out, the open catch-all would serve it; the import widens the guarded
    router to every request of its entry point, answering 500, and the
    catch-all below it answers 500 too (GW0831, exit 1)."""
    SERVICES = ["admin", "site"]
    IMPORT_ARGS = ["--provider", "traefik"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [RULE_LIMIT_ESTATE]

    def test_guarded_paths_are_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin/a00").status, 500)
        self.assertEqual(self.get("shop.example.com", "/admin/a16").status, 500)
        self.assertEqual(self.get("shop.example.com", "/elsewhere").status, 500)


TCP_MIDDLEWARE_ESTATE = """apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: {name: db, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: HostSNI(`*`)
    priority: 100
    middlewares: [{name: office}]
    services: [{name: db, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: MiddlewareTCP
metadata: {name: office, namespace: default}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
---
apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: {name: fallback, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: HostSNI(`*`)
    priority: 1
    services: [{name: spare, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: {name: vault, namespace: default}
spec:
  entryPoints: [websecure]
  routes:
  - match: HostSNI(`vault.example.com`)
    middlewares: [{name: office}]
    services: [{name: vault, port: 80}]
  - match: HostSNI(`*`)
    services: [{name: any, port: 80}]
  tls: {passthrough: true}
"""


class ImportedTraefikTCPMiddlewareEstate(ImportedEstate):
    """A MiddlewareTCP ipAllowList: Traefik closes the connections of
    addresses outside the list (127.0.0.1 here), and its router ranked
    below never sees them.  gwc has no address lists for TCP routes: the
    import fails closed (exit 1), the port's listener has no route, and
    nginx closes every connection; the router ranked below does not get
    the port."""
    SERVICES = ["db", "spare", "vault", "any"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [TCP_MIDDLEWARE_ESTATE]

    @classmethod
    def backends(cls, ca):
        pair = ca.issue("any", ["vault.example.com", "other.example.com"])
        tls = {"mode": "tls", "cert": pair.cert, "key": pair.key}
        return {"db": {"mode": "tcp"}, "spare": {"mode": "tcp"}, "vault": tls,
                "any": tls}

    def test_import_fails_closed(self):
        self.assertIn("spec.ipAllowList: access control not converted: gwc has no "
                      "address lists for TCP and TLS routes", self.imported.stderr)
        self.assertIn("[GW0831]", self.imported.stderr)

    def test_connections_are_closed_not_served(self):
        with self.assertRaises((ConnectionError, OSError)):
            client.tcp_exchange(self.http, ["TEST"], timeout=3)

    def test_sni_of_the_closed_router_is_not_passed_to_the_catch_all(self):
        # Traefik's HostSNI(`vault.example.com`) router takes that name and
        # refuses 127.0.0.1; HostSNI(`*`) never sees it.
        with self.assertRaises((ConnectionError, OSError)):
            client.tcp_exchange(self.https, ["IS_TLS"], tls=True,
                                sni="vault.example.com", timeout=3)
        x = client.tcp_exchange(self.https, ["IS_TLS", "TEST"], tls=True,
                                sni="other.example.com")
        self.assertEqual(x.json()["service"], "any")


SHADOWED_ESTATE = """apiVersion: traefik.io/v1alpha1
kind: MiddlewareTCP
metadata: {name: office, namespace: default}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
---
apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: {name: vault, namespace: default}
spec:
  entryPoints: [websecure]
  routes:
  - match: HostSNI(`vault.example.com`)
    middlewares: [{name: office}]
    services: [{name: vault, port: 80}]
  tls: {passthrough: true}
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: web, namespace: default}
spec:
  entryPoints: [websecure]
  routes:
  - match: Host(`vault.example.com`)
    kind: Rule
    services: [{name: web, port: 80}]
  tls: {secretName: vault-tls}
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: plain, namespace: default}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`plain.example.com`)
    services: [{name: web, port: 80}]
"""


class TraefikShadowedTCP(ImportedEstate):
    """A passthrough IngressRouteTCP with an ipAllowList beside an HTTPS
    router of the same host.  Traefik gives the name's connections to the
    TCP router first (vault for allowed addresses, closed for the others);
    the output cannot, so the HTTPS router keeps :443 for the name, the
    report says so, and vault, which the allow list protected, is never
    reached."""
    SERVICES = ["vault", "web"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [SHADOWED_ESTATE,
                tls_secret_yaml("vault-tls", ca.issue("web", ["vault.example.com"]))]

    @classmethod
    def backends(cls, ca):
        pair = ca.issue("vault", ["vault.example.com"])
        return {"vault": {"mode": "tls", "cert": pair.cert, "key": pair.key}}

    def test_report_says_the_https_routes_keep_the_name(self):
        self.assertIn("here the HTTP routers keep the port, so the connections reach "
                      "their routes (never this route's services), not closed",
                      self.imported.stderr)
        self.assertIn("spec.ipAllowList: access control not converted", self.imported.stderr)

    def test_protected_backend_is_never_reached(self):
        # nginx ends TLS for the name and answers from web's routes: the
        # connection is not passed through to vault.
        self.assertServed(self.get_tls("vault.example.com", "/"), "web")
        self.assertServed(self.get_tls("vault.example.com", "/admin"), "web")


STRIP_ESTATE = """apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: shop}
spec:
  ipAllowList: {sourceRange: [10.0.0.0/8]}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: strip, namespace: shop}
spec:
  stripPrefix: {prefixes: [/admin]}
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: shop, namespace: shop}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`shop.example.com`)
    kind: Rule
    services: [{name: web, port: 80}]
  - match: Host(`shop.example.com`) && PathPrefix(`/admin`)
    kind: Rule
    middlewares: [{name: office}, {name: strip}]
    services: [{name: admin, port: 80}]
"""


class TraefikStripKeepsGuard(ImportedEstate):
    """Traefik's PathPrefix(`/admin`) takes /adminX too, under the
    router's ipAllowList (403 to 127.0.0.1).  stripPrefix makes the
    Gateway's match whole segments, so /adminX would reach the open
    catch-all router; it answers 500 instead (GW0831)."""
    SERVICES = [("web", "shop"), ("admin", "shop")]
    IMPORT_ARGS = ["--provider", "traefik"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [STRIP_ESTATE]

    def test_string_prefix_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin/x").status, 403)
        self.assertEqual(self.get("shop.example.com", "/adminX").status, 500)
        self.assertServed(self.get("shop.example.com", "/other"), "web")


if __name__ == "__main__":
    unittest.main()
