"""End to end: an F5 NGINX Ingress Controller (NIC) estate through
`gwc import-ingress` (provider detected from the nginx.org annotations and
the k8s.nginx.org VirtualServer), the result through `gwc compile`, a real
nginx serving it, echo backends behind.

Expectations are what NIC documents (docs.nginx.com/nginx-ingress-
controller: the annotations page, VirtualServer resources, path matching).
The basic-auth Ingress is access control gwc cannot carry over: the import
exits 1 and the path must answer 500, never the backend.
"""
import unittest

from estate import ImportedEstate, tls_secret_yaml

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
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: slow, namespace: default}
spec:
  host: slow.example.com
  upstreams:
  - {name: v1, service: shop-v1, port: 80, read-timeout: 1s, client-max-body-size: 1k}
  routes:
  - path: /
    action: {pass: v1}
"""

class ImportedNicEstate(ImportedEstate):
    SERVICES = ["tea", "coffee", "admin", "shop-v1", "shop-v2"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        pair = ca.issue("cafe", dns_names=["cafe.example.com"])
        return [ESTATE, tls_secret_yaml("cafe-tls", pair)]

    def test_import_reports_access_control_and_exits_1(self):
        self.assertEqual(self.imported.returncode, 1, self.imported.stderr)
        self.assertIn("converting as nginx-inc", self.imported.stderr)
        self.assertIn('nginx.org/basic-auth-secret"]: not converted', self.imported.stderr)
        self.assertIn("spec.routes[3].policies[0]: no Policy default/allow-office", self.imported.stderr)

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

    # ---- upstream settings: gwc BackendPolicy and ClientPolicy ----

    def test_vs_upstream_read_timeout_and_body_size(self):
        self.assertEqual(self.get("slow.example.com", "/?delay=2500ms").status, 504)
        self.assertServed(self.get("slow.example.com", "/?delay=100ms"), "shop-v1")
        self.assertEqual(self.get("slow.example.com", "/", method="POST",
                                  body=b"x" * 2048).status, 413)
        self.assertServed(self.get("slow.example.com", "/", method="POST",
                                   body=b"x" * 512), "shop-v1")

    # ---- access control fails closed ----

    def test_basic_auth_ingress_is_not_served_openly(self):
        self.assertEqual(self.get("private.example.com", "/").status, 500)

    def test_vs_policy_route_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin").status, 500)
        self.assertEqual(self.get("shop.example.com", "/admin/x").status, 500)


MERGEABLE_ESTATE = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: store-master
  namespace: default
  annotations:
    nginx.org/mergeable-ingress-type: master
    nginx.org/proxy-read-timeout: "1s"
    nginx.org/client-max-body-size: "1k"
    nginx.org/lb-method: least_conn
spec:
  ingressClassName: nginx
  rules:
  - host: store.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: store-cart
  namespace: team-cart
  annotations:
    nginx.org/mergeable-ingress-type: minion
    nginx.org/rewrites: "serviceName=cart rewrite=/basket"
    nginx.org/proxy-read-timeout: "5s"
spec:
  ingressClassName: nginx
  rules:
  - host: store.example.com
    http:
      paths:
      - path: /cart
        pathType: Prefix
        backend: {service: {name: cart, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: store-front
  namespace: default
  annotations:
    nginx.org/mergeable-ingress-type: minion
spec:
  ingressClassName: nginx
  rules:
  - host: store.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: front, port: {number: 80}}}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: docs, namespace: default}
spec:
  host: docs.example.com
  upstreams:
  - {name: front, service: front, port: 80}
  routes:
  - path: /
    action: {pass: front}
  - path: /api
    route: team-cart/docs-api
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServerRoute
metadata: {name: docs-api, namespace: team-cart}
spec:
  host: docs.example.com
  upstreams:
  - {name: cart, service: cart, port: 80}
  subroutes:
  - path: /api/v1
    action:
      proxy: {upstream: cart, rewritePath: /v1}
  - path: /api/other
    action: {pass: cart}
"""


class NicMergeableEstate(ImportedEstate):
    """Mergeable Ingresses (a master owning the host, minions of two
    namespaces bringing the paths) and a VirtualServer delegating /api to a
    VirtualServerRoute of another namespace: imported with no error (one
    warning: the rewritten minion path matches whole segments), gwc check
    has no error, and the paths answer as NIC documents.  The master's
    timeout, body size and balancing reach the minions that do not set
    their own (NIC's minionInheritanceList), as gwc ClientPolicy and
    BackendPolicy fields."""
    SERVICES = ["front", ("cart", "team-cart")]
    IMPORT_ARGS = ["--provider", "nginx-inc", "--fail-on", "error"]

    @classmethod
    def documents(cls, ca):
        return [MERGEABLE_ESTATE]

    def test_minions_bring_the_master_host_paths(self):
        self.assertServed(self.get("store.example.com", "/"), "front", "/")
        # The minion's rewrite replaces its location's prefix.
        self.assertServed(self.get("store.example.com", "/cart/items"), "cart",
                          "/basket/items")

    def test_minions_inherit_the_master_settings_they_do_not_set(self):
        self.assertIn('nginx.org/proxy-read-timeout"]: converted to gwc policy '
                      'BackendPolicy', self.imported.stderr)
        # proxy_read_timeout 1s from the master; the cart minion's own 5s.
        self.assertEqual(self.get("store.example.com", "/?delay=2500ms").status, 504)
        self.assertServed(self.get("store.example.com", "/x?delay=200ms"), "front")
        self.assertServed(self.get("store.example.com", "/cart/items?delay=2500ms"), "cart")
        # client_max_body_size 1k from the master, on both minions.
        for path, service in (("/", "front"), ("/cart/x", "cart")):
            self.assertEqual(self.get("store.example.com", path, method="POST",
                                      body=b"x" * 2048).status, 413)
            self.assertServed(self.get("store.example.com", path, method="POST",
                                       body=b"x" * 512), service)

    def test_virtual_server_route_subroutes(self):
        self.assertServed(self.get("docs.example.com", "/guide"), "front", "/guide")
        self.assertServed(self.get("docs.example.com", "/api/v1/users"), "cart", "/v1/users")
        self.assertServed(self.get("docs.example.com", "/api/other/x"), "cart",
                          "/api/other/x")
        # /api itself is no subroute's: NIC has no location for it but the
        # VirtualServer's /.
        self.assertServed(self.get("docs.example.com", "/api"), "front", "/api")


DELEGATION_ESTATE = """apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: shop, namespace: default}
spec:
  host: shop.example.com
  upstreams:
  - {name: admin, service: admin, port: 80}
  routes:
  - path: /admin
    policies: [{name: office-only}]
    action: {pass: admin}
  - path: "~ ^/team/"
    route: team/team
  - path: /shop
    route: team/shop
  - path: /desk
    route: team/desk
  - path: /desk/admin
    policies: [{name: office-only}]
    action: {pass: admin}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServerRoute
metadata: {name: desk, namespace: team}
spec:
  host: shop.example.com
  upstreams:
  - {name: open, service: open, port: 80}
  subroutes:
  - path: /desk/admin
    action: {pass: open}
  - path: /desk/help
    action: {pass: open}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServerRoute
metadata: {name: team, namespace: team}
spec:
  host: shop.example.com
  upstreams:
  - {name: open, service: open, port: 80}
  subroutes:
  - path: "~ ^/team/|^/admin"
    action: {pass: open}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServerRoute
metadata: {name: shop, namespace: team}
spec:
  host: shop.example.com
  upstreams:
  - {name: open, service: open, port: 80}
  subroutes:
  - path: /shop/cart
    action: {pass: open}
---
apiVersion: k8s.nginx.org/v1
kind: Policy
metadata: {name: office-only, namespace: default}
spec:
  accessControl: {allow: [10.0.0.0/8]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: store-master
  namespace: default
  annotations: {nginx.org/mergeable-ingress-type: master}
spec:
  ingressClassName: nginx
  rules:
  - host: store.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: admin
  namespace: default
  creationTimestamp: "2024-01-01T00:00:00Z"
  annotations:
    nginx.org/mergeable-ingress-type: minion
    nginx.org/policies: office-only
spec:
  ingressClassName: nginx
  rules:
  - host: store.example.com
    http:
      paths:
      - {path: /admin, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: takeover
  namespace: team
  creationTimestamp: "2024-06-01T00:00:00Z"
  annotations: {nginx.org/mergeable-ingress-type: minion}
spec:
  ingressClassName: nginx
  rules:
  - host: store.example.com
    http:
      paths:
      - {path: /admin, pathType: Exact, backend: {service: {name: open, port: {number: 80}}}}
      - {path: /team, pathType: Prefix, backend: {service: {name: open, port: {number: 80}}}}
"""


class NicDelegationStaysDelegated(ImportedEstate):
    """Another namespace's objects cannot take a guarded path they were
    not given.  A VirtualServerRoute under the regex route '~ ^/team/'
    whose subroute is '~ ^/team/|^/admin' is refused whole by NIC (a regex
    subroute must be the route's path): /admin stays the VirtualServer's,
    behind its accessControl (403 from loopback), and /team/ answers 500.
    A newer minion of namespace team listing /admin as Exact loses the path
    to the older guarded minion, as in NIC; its /team is served.  A
    subroute repeating the path of a guarded route (/desk/admin) makes a
    duplicate nginx location in NIC: it answers 500."""
    SERVICES = ["admin", ("open", "team")]
    IMPORT_ARGS = ["--provider", "nginx-inc"]
    IMPORT_EXIT = 1  # the refused VirtualServerRoute

    @classmethod
    def documents(cls, ca):
        return [DELEGATION_ESTATE]

    def test_output_passes_check(self):
        self.assertIn("NIC refuses this VirtualServerRoute", self.imported.stderr)
        self.assertIn("belongs to the older minion", self.imported.stderr)

    def test_regex_subroute_cannot_take_the_guarded_path(self):
        for path in ("/admin", "/admin/x", "/administrator"):
            self.assertEqual(self.get("shop.example.com", path).status, 403, path)
        self.assertEqual(self.get("shop.example.com", "/team/x").status, 500)

    def test_prefix_subroute_is_served(self):
        self.assertServed(self.get("shop.example.com", "/shop/cart/1"), "open")

    def test_subroute_repeating_a_guarded_route_path_is_not_served(self):
        # Two `location /desk/admin` in NIC, which nginx refuses: 500
        # here, never the subroute's unguarded backend.
        self.assertEqual(self.get("shop.example.com", "/desk/admin").status, 500)
        self.assertIn("makes the same nginx location", self.imported.stderr)
        self.assertServed(self.get("shop.example.com", "/desk/help"), "open")

    def test_newer_minion_cannot_take_the_guarded_path(self):
        self.assertEqual(self.get("store.example.com", "/admin").status, 403)
        self.assertServed(self.get("store.example.com", "/team/x"), "open")


def host_claimant(kind, name, host, service, meta=""):
    if kind == "Ingress":
        return ("apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                "metadata: {name: %s, namespace: default%s}\nspec:\n"
                "  ingressClassName: nginx\n  rules:\n  - host: %s\n"
                "    http: {paths: [{path: /, pathType: Prefix, backend: "
                "{service: {name: %s, port: {number: 80}}}}]}\n"
                % (name, meta, host, service))
    return ("apiVersion: k8s.nginx.org/v1\nkind: VirtualServer\n"
            "metadata: {name: %s, namespace: default%s}\nspec:\n  host: %s\n"
            "  upstreams: [{name: up, service: %s, port: 80}]\n"
            "  routes: [{path: /, action: {pass: up}}]\n" % (name, meta, host, service))


class NicHostOwnerAssumed(ImportedEstate):
    """Several objects claim a host; NIC serves it from the oldest, then
    the greater uid.  Without timestamps or uids in the input the import
    decides (undated counts as newest, then uid, then namespace/name) and
    warns (GW0861); nginx then serves the host from the object chosen."""
    SERVICES = ["dated", "undated", "first", "second", "small", "great"]
    IMPORT_ARGS = ["--provider", "nginx-inc", "--fail-on", "error"]

    @classmethod
    def documents(cls, ca):
        return [
            host_claimant("Ingress", "a-undated", "one.example.com", "undated"),
            host_claimant("VirtualServer", "z-dated", "one.example.com", "dated",
                          ", creationTimestamp: '2024-01-01T00:00:00Z'"),
            host_claimant("VirtualServer", "b-second", "two.example.com", "second"),
            host_claimant("Ingress", "a-first", "two.example.com", "first"),
            host_claimant("Ingress", "a-small", "three.example.com", "small",
                          ", creationTimestamp: '2024-01-01T00:00:00Z', uid: 1"),
            host_claimant("Ingress", "b-great", "three.example.com", "great",
                          ", creationTimestamp: '2024-01-01T00:00:00Z', uid: 9"),
        ]

    def test_assumptions_are_reported(self):
        self.assertEqual(self.imported.stderr.count("[GW0861]"), 2, self.imported.stderr)
        self.assertIn("Ingress default/a-undated has no creationTimestamp",
                      self.imported.stderr)

    def test_dated_object_keeps_the_host(self):
        self.assertServed(self.get("one.example.com", "/"), "dated")

    def test_first_by_name_without_metadata(self):
        self.assertServed(self.get("two.example.com", "/"), "first")

    def test_greater_uid_between_equal_timestamps(self):
        self.assertServed(self.get("three.example.com", "/"), "great")


REWRITE_ESTATE = """apiVersion: k8s.nginx.org/v1
kind: Policy
metadata: {name: office, namespace: shop}
spec:
  accessControl: {allow: [10.0.0.0/8]}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: shop, namespace: shop}
spec:
  host: shop.example.com
  upstreams:
  - {name: web, service: web, port: 80}
  - {name: admin, service: admin, port: 80}
  routes:
  - path: /
    action: {pass: web}
  - path: /admin
    policies: [{name: office}]
    action:
      proxy: {upstream: admin, rewritePath: /}
"""


class NicRewriteKeepsPolicies(ImportedEstate):
    """NIC's location /admin is a string prefix: its allow list guards
    /adminX too (403 to 127.0.0.1).  The rewrite makes the Gateway's match
    whole segments, so /adminX would reach the open '/' route; it answers
    500 instead (GW0831)."""
    SERVICES = [("web", "shop"), ("admin", "shop")]
    IMPORT_ARGS = ["--provider", "nginx-inc"]
    IMPORT_EXIT = 1

    @classmethod
    def documents(cls, ca):
        return [REWRITE_ESTATE]

    def test_string_prefix_is_not_served_openly(self):
        self.assertEqual(self.get("shop.example.com", "/admin/x").status, 403)
        self.assertEqual(self.get("shop.example.com", "/adminX").status, 500)
        self.assertServed(self.get("shop.example.com", "/other"), "web")


if __name__ == "__main__":
    unittest.main()
