"""End to end: ingress-nginx Ingresses through `gwc import-ingress`, the
result through `gwc compile`, a real nginx serving it, echo backends behind.

Every expectation is what ingress-nginx does with the same Ingress,
from its documentation and source (the comment at each test says which
behaviour).  The Ingress set converts with exit status 0: nothing is lost
(the cookie canary is reported as an approximation, a warning).
"""
import unittest

from gwtest import client

from estate import ImportedEstate, tls_secret_yaml


def ingress(name, host, paths, annotations=(), tls_secret=None, canary=False,
            namespace="default"):
    """An Ingress of class nginx; paths are (path, pathType, service)."""
    ann = list(annotations)
    if canary:
        ann.insert(0, ("canary", "true"))
    lines = ["apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata:",
             "  name: %s" % name, "  namespace: %s" % namespace]
    if ann:
        lines.append("  annotations:")
        lines += ['    nginx.ingress.kubernetes.io/%s: "%s"' % (k, v) for k, v in ann]
    lines += ["spec:", "  ingressClassName: nginx"]
    if tls_secret:
        lines += ["  tls:", "  - hosts: [%s]" % host, "    secretName: %s" % tls_secret]
    lines += ["  rules:", "  - host: %s" % host, "    http:", "      paths:"]
    for path, path_type, service in paths:
        lines += ["      - path: '%s'" % path, "        pathType: %s" % path_type,
                  "        backend:", "          service:", "            name: %s" % service,
                  "            port: {name: http}"]
    return "\n".join(lines) + "\n"


INGRESSES = [
    # rewrite-target with captures, the documented idiom, and X-Forwarded-Prefix.
    ingress("rewrite", "rewrite.example.com", [("/api(/|$)(.*)", "ImplementationSpecific", "api")],
            [("rewrite-target", "/$2"), ("x-forwarded-prefix", "/api")]),
    ingress("rewrite-web", "rewrite.example.com", [("/", "Prefix", "web")]),
    ingress("move", "move.example.com", [("/old(/|$)(.*)", "ImplementationSpecific", "new")],
            [("rewrite-target", "/new/$2")]),
    # Canaries: by weight, with a total of 100 or less, by header, by header value
    # (one main Service per host: a canary belongs to its main Service).
    ingress("weight", "weight.example.com", [("/", "Prefix", "stable-weight")]),
    ingress("weight-canary", "weight.example.com", [("/", "Prefix", "canary")],
            [("canary-weight", "30")], canary=True),
    ingress("total", "total.example.com", [("/", "Prefix", "stable-total")]),
    ingress("total-canary", "total.example.com", [("/", "Prefix", "canary")],
            [("canary-weight", "5"), ("canary-weight-total", "10")], canary=True),
    ingress("header", "header.example.com", [("/", "Prefix", "stable-header")]),
    ingress("header-canary", "header.example.com", [("/", "Prefix", "canary")],
            [("canary-by-header", "X-Canary")], canary=True),
    ingress("value", "value.example.com", [("/", "Prefix", "stable-value")]),
    ingress("value-canary", "value.example.com", [("/", "Prefix", "canary")],
            [("canary-by-header", "X-Region"), ("canary-by-header-value", "eu")], canary=True),
    ingress("cookie", "cookie.example.com", [("/", "Prefix", "stable-cookie")]),
    ingress("cookie-canary", "cookie.example.com", [("/", "Prefix", "canary")],
            [("canary-by-cookie", "use_canary")], canary=True),
    # ingress-nginx attaches a canary to the main path's upstream (Service
    # and port): every other path using stable-header splits too.
    ingress("shared", "shared.example.com", [("/", "Prefix", "stable-header")]),
    # Redirects.
    ingress("www", "site.example.com", [("/", "Prefix", "web")],
            [("from-to-www-redirect", "true")]),
    ingress("permanent", "redirect.example.com", [("/", "Prefix", "web")],
            [("permanent-redirect", "https://www.example.org/new"),
             ("permanent-redirect-code", "308")]),
    # A relative permanent-redirect: ingress-nginx does not validate it, and
    # nginx's `return 301 /new-home` redirects on the request's host.
    ingress("relative", "relative.example.com", [("/", "Prefix", "web")],
            [("permanent-redirect", "/new-home")]),
    ingress("temporal", "temporal.example.com", [("/", "Prefix", "web")],
            [("temporal-redirect", "https://status.example.org/")]),
    ingress("app-root", "app.example.com", [("/", "Prefix", "app")], [("app-root", "/app1")]),
    # ssl-redirect (default true for hosts with a certificate), and its opt-out.
    ingress("secure", "secure.example.com", [("/", "Prefix", "secure")], tls_secret="secure-tls"),
    ingress("secure-health", "secure.example.com", [("/plain", "Exact", "health")],
            [("ssl-redirect", "false")]),
    # CORS with an origin list.
    ingress("cors", "cors.example.com", [("/", "Prefix", "web")],
            [("enable-cors", "true"), ("cors-allow-origin", "https://app.example.com")]),
    # CORS on paths that only redirect (to https, and permanent-redirect):
    # ingress-nginx's CORS block runs before both redirects.
    ingress("cors-secure", "cors-secure.example.com", [("/", "Prefix", "web")],
            [("enable-cors", "true"), ("cors-allow-origin", "https://app.example.com")],
            tls_secret="cors-secure-tls"),
    ingress("cors-moved", "cors-moved.example.com", [("/", "Prefix", "web")],
            [("enable-cors", "true"), ("permanent-redirect", "https://www.example.org/new")]),
    # Path types: Prefix with a trailing slash, ImplementationSpecific, Exact.
    ingress("paths", "paths.example.com", [("/docs/", "Prefix", "docs"),
                                           ("/static", "ImplementationSpecific", "static"),
                                           ("/exact", "Exact", "exact"),
                                           ("/", "Prefix", "web")]),
    # use-regex: case-insensitive prefix regular expressions.
    ingress("regex", "regex.example.com", [("/items/[0-9]+", "ImplementationSpecific", "items")],
            [("use-regex", "true")]),
    # A '|' outside groups: nginx's "^/a|/b" anchors only the first alternative.
    ingress("alt", "alt.example.com", [("/a|/b", "ImplementationSpecific", "items")],
            [("use-regex", "true")]),
    ingress("vhost", "vhost.example.com", [("/", "Prefix", "web")],
            [("upstream-vhost", "internal.example")]),
    # Response headers from a ConfigMap, and a mirror to a Service.
    ingress("headers", "headers.example.com", [("/", "Prefix", "web")],
            [("custom-headers", "default/security-headers")]),
    ingress("mirror", "mirror.example.com", [("/", "Prefix", "web")],
            [("mirror-target", "http://shadow.default.svc.cluster.local$request_uri")]),
]

CONFIG_MAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: security-headers
  namespace: default
data:
  X-Frame-Options: DENY
  X-Content-Policy: strict
"""

CATCH_ALL = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: catch-all
  namespace: default
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: fallback
      port: {name: http}
"""

SERVICES = ["api", "web", "new", "stable-weight", "stable-total", "stable-header",
            "stable-value", "stable-cookie", "canary", "app", "secure", "health", "docs",
            "static", "exact", "items", "fallback", "shadow"]


class ImportedIngresses(ImportedEstate):
    SERVICES = SERVICES
    # Exact conversions only, except the documented approximations
    # (warnings), which exit 1 by default.
    IMPORT_ARGS = ["--fail-on=error"]

    @classmethod
    def documents(cls, ca):
        pair = ca.issue("secure", dns_names=["secure.example.com"])
        cors = ca.issue("cors-secure", dns_names=["cors-secure.example.com"])
        return INGRESSES + [CATCH_ALL, CONFIG_MAP, tls_secret_yaml("secure-tls", pair),
                            tls_secret_yaml("cors-secure-tls", cors)]

    def count_canary(self, host, n, headers=None):
        return sum(self.get(host, "/", headers=headers).echo["service"] == "canary"
                   for _ in range(n))

    # ---- rewrite-target ----

    def test_rewrite_strips_the_prefix(self):
        # path /api(/|$)(.*) with target /$2: "/api/users" reaches the
        # backend as "/users", query kept (nginx rewrite appends the args).
        self.assertServed(self.get("rewrite.example.com", "/api/users?page=2"), "api",
                          "/users?page=2")

    def test_rewrite_of_the_prefix_itself(self):
        # "/api" matches with $2 empty: the backend gets "/".
        self.assertServed(self.get("rewrite.example.com", "/api"), "api", "/")

    def test_rewrite_sends_x_forwarded_prefix(self):
        r = self.get("rewrite.example.com", "/api/x")
        self.assertEqual(r.echo["headers"].get("X-Forwarded-Prefix"), ["/api"])

    def test_rewrite_regex_needs_a_segment_boundary(self):
        # (/|$) rejects "/apix": the host's "/" location takes it, unchanged.
        self.assertServed(self.get("rewrite.example.com", "/apix"), "web", "/apix")

    def test_rewrite_to_another_base(self):
        # /old(/|$)(.*) with target /new/$2: "/old" becomes "/new/", "/old/a/b" "/new/a/b".
        self.assertServed(self.get("move.example.com", "/old"), "new", "/new/")
        self.assertServed(self.get("move.example.com", "/old/a/b"), "new", "/new/a/b")

    # ---- canary ----

    def test_canary_by_weight(self):
        # canary-weight 30: about 30% of requests go to the canary.
        n = 300
        hits = self.count_canary("weight.example.com", n)
        self.assertTrue(45 <= hits <= 135, "%d of %d requests went to the canary" % (hits, n))

    def test_canary_weight_total_of_ten_counts_as_one_hundred(self):
        # balancer.lua: math.random(max(100, total)) <= weight, so 5 of a
        # total 10 is 5%, not 50%.
        n = 300
        hits = self.count_canary("total.example.com", n)
        self.assertTrue(hits <= 45, "%d of %d requests went to the canary" % (hits, n))

    def test_canary_by_header_always_and_never(self):
        host = "header.example.com"
        self.assertServed(self.get(host, "/", headers={"X-Canary": "always"}), "canary")
        self.assertServed(self.get(host, "/", headers={"X-Canary": "never"}), "stable-header")
        # Any other value falls through to the weight, which is 0 here.
        self.assertServed(self.get(host, "/", headers={"X-Canary": "maybe"}), "stable-header")
        self.assertServed(self.get(host, "/"), "stable-header")

    def test_canary_by_header_value(self):
        host = "value.example.com"
        self.assertServed(self.get(host, "/", headers={"X-Region": "eu"}), "canary")
        self.assertServed(self.get(host, "/", headers={"X-Region": "us"}), "stable-value")

    def test_canary_by_cookie(self):
        # $cookie_use_canary: "always" canary, "never" main, else the weight (0).
        host = "cookie.example.com"
        self.assertServed(self.get(host, "/", headers={"Cookie": "use_canary=always"}), "canary")
        self.assertServed(self.get(host, "/", headers={"Cookie": "a=1; use_canary=always; b=2"}),
                          "canary")
        self.assertServed(self.get(host, "/", headers={"Cookie": "use_canary=never"}), "stable-cookie")
        self.assertServed(self.get(host, "/", headers={"Cookie": "use_canary=other"}), "stable-cookie")
        self.assertServed(self.get(host, "/"), "stable-cookie")

    def test_canary_belongs_to_the_upstream(self):
        # balancer.lua applies the canary of Service stable-header to every
        # path using that Service, here on another host.
        host = "shared.example.com"
        self.assertServed(self.get(host, "/", headers={"X-Canary": "always"}), "canary")
        self.assertServed(self.get(host, "/"), "stable-header")

    # ---- redirects ----

    def test_from_to_www_redirect(self):
        # A server for www.<host> answering 308 (http-redirect-code) to the
        # host, keeping scheme and request URI.
        self.assertRedirect(self.get("www.site.example.com", "/a?b=c"), 308,
                            "http://site.example.com/a?b=c")
        self.assertServed(self.get("site.example.com", "/a"), "web", "/a")

    def test_permanent_redirect_with_code(self):
        # return 308 https://www.example.org/new;
        self.assertRedirect(self.get("redirect.example.com", "/anything"), 308,
                            "https://www.example.org/new")

    def test_relative_permanent_redirect(self):
        response = self.get("relative.example.com", "/old")
        self.assertEqual(response.status, 301, response.body[:200])
        self.assertTrue(response.header("Location").endswith("relative.example.com/new-home")
                        or response.header("Location") == "/new-home",
                        response.header("Location"))

    def test_temporal_redirect_defaults_to_302(self):
        self.assertRedirect(self.get("temporal.example.com", "/x"), 302,
                            "https://status.example.org/")

    def test_app_root(self):
        # if ($uri = /) { return 302 $scheme://$http_host/app1; }
        self.assertRedirect(self.get("app.example.com", "/"), 302, "http://app.example.com/app1")
        self.assertServed(self.get("app.example.com", "/app1"), "app", "/app1")

    def test_ssl_redirect_for_hosts_with_a_certificate(self):
        # 308 (http-redirect-code) to https://<host><request_uri>.
        self.assertRedirect(self.get("secure.example.com", "/cart?id=7"), 308,
                            "https://secure.example.com/cart?id=7")
        r = client.http_request(self.https, "secure.example.com", "/cart", scheme="https",
                                sni="secure.example.com")
        self.assertServed(r, "secure", "/cart")

    def test_ssl_redirect_false_keeps_plain_http(self):
        self.assertServed(self.get("secure.example.com", "/plain"), "health", "/plain")

    # ---- CORS ----

    def test_cors_preflight(self):
        # The location answers the preflight itself: 204 with the CORS headers.
        r = self.get("cors.example.com", "/data", method="OPTIONS",
                     headers={"Origin": "https://app.example.com",
                              "Access-Control-Request-Method": "POST"})
        self.assertEqual(r.status, 204)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://app.example.com")
        self.assertEqual(r.header("Access-Control-Allow-Credentials"), "true")
        self.assertEqual(r.header("Access-Control-Max-Age"), "1728000")
        methods = {m.strip() for m in r.header("Access-Control-Allow-Methods", "").split(",")}
        self.assertLessEqual({"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"}, methods)

    def test_cors_on_requests(self):
        r = self.get("cors.example.com", "/data", headers={"Origin": "https://app.example.com"})
        self.assertServed(r, "web", "/data")
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://app.example.com")
        other = self.get("cors.example.com", "/data", headers={"Origin": "https://evil.example"})
        self.assertIsNone(other.header("Access-Control-Allow-Origin"))

    def test_cors_preflight_is_answered_before_a_redirect(self):
        # ingress-nginx answers the preflight in the location's rewrite
        # phase, before lua's https redirect and before permanent-redirect's
        # return; the redirect itself carries the CORS headers.
        preflight = {"Origin": "https://app.example.com",
                     "Access-Control-Request-Method": "PUT"}
        r = self.get("cors-secure.example.com", "/data", method="OPTIONS", headers=preflight)
        self.assertEqual(r.status, 204)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://app.example.com")
        r = self.get("cors-secure.example.com", "/data",
                     headers={"Origin": "https://app.example.com"})
        self.assertRedirect(r, 308, "https://cors-secure.example.com/data")
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://app.example.com")
        r = self.get("cors-moved.example.com", "/x", method="OPTIONS",
                     headers={"Origin": "https://any.example.net",
                              "Access-Control-Request-Method": "GET"})
        self.assertEqual(r.status, 204)
        self.assertIn(r.header("Access-Control-Allow-Origin"), ("*", "https://any.example.net"))
        r = self.get("cors-moved.example.com", "/x")
        self.assertEqual(r.status, 301)

    # ---- paths ----

    def test_prefix_with_trailing_slash_redirects_the_bare_path(self):
        # location /docs/ with proxy_pass: nginx answers "/docs" with a 301.
        self.assertRedirect(self.get("paths.example.com", "/docs"), 301,
                            "http://paths.example.com/docs/")
        self.assertServed(self.get("paths.example.com", "/docs/intro"), "docs", "/docs/intro")

    def test_implementation_specific_is_a_byte_prefix(self):
        # location /static: "/static.css" and "/staticfiles/x" match too.
        self.assertServed(self.get("paths.example.com", "/static.css"), "static")
        self.assertServed(self.get("paths.example.com", "/static/app.js"), "static")

    def test_exact(self):
        self.assertServed(self.get("paths.example.com", "/exact"), "exact")
        self.assertServed(self.get("paths.example.com", "/exact/more"), "web")

    def test_use_regex_is_case_insensitive(self):
        # location ~* "^/items/[0-9]+"
        self.assertServed(self.get("regex.example.com", "/ITEMS/42"), "items", "/ITEMS/42")
        self.assertEqual(self.get("regex.example.com", "/items/abc").status, 404)

    # ---- upstream, default backend ----

    def test_use_regex_top_level_alternation(self):
        host = "alt.example.com"
        self.assertServed(self.get(host, "/A/x"), "items")
        self.assertServed(self.get(host, "/x/b/y"), "items")  # "/b" anywhere
        self.assertEqual(self.get(host, "/x/a").status, 404)

    def test_upstream_vhost(self):
        # proxy_set_header Host internal.example;
        self.assertEqual(self.get("vhost.example.com", "/").echo["host"], "internal.example")

    def test_custom_headers(self):
        # more_set_headers from the ConfigMap, on every response.
        r = self.get("headers.example.com", "/")
        self.assertServed(r, "web")
        self.assertEqual(r.header("X-Frame-Options"), "DENY")
        self.assertEqual(r.header("X-Content-Policy"), "strict")

    def test_mirror_target(self):
        # mirror: the response comes from the Service, a copy of the request
        # (same URI) reaches the mirror.
        shadow = self.pool.find("shadow")[0]
        self.assertServed(self.get("mirror.example.com", "/m?x=1"), "web", "/m?x=1")
        self.assertTrue(shadow.wait_for_log("request made to /m?x=1", timeout=5))

    def test_default_backend_serves_unknown_hosts(self):
        # An Ingress with a default backend and no rules is the catch-all server.
        self.assertServed(self.get("unknown.example.net", "/x"), "fallback", "/x")


class ImportedAccessControl(ImportedEstate):
    """Access control is never served openly: converted to an AccessPolicy
    (an allow list, basic auth whose Secret the input lacks: 500 until it
    exists), or, where it cannot be converted exactly (an auth-url whose
    host is an nginx variable), an AccessPolicy that denies every client, and the import
    exits 1.  Other Ingresses of the same host, and redirects nginx answers
    before access checks, are unaffected.  (test_import_policies_e2e serves
    the converted policies with their Secrets and auth service.)"""
    SERVICES = ["web", "admin"]
    IMPORT_EXIT = 1
    CHECK_CLEAN = False  # the Secret 'users' is left out on purpose

    @classmethod
    def documents(cls, ca):
        return [
            ingress("public", "shop.example.com", [("/", "Prefix", "web")]),
            ingress("basic", "shop.example.com", [("/admin", "Prefix", "admin")],
                    [("auth-type", "basic"), ("auth-secret", "users")]),
            ingress("external", "shop.example.com", [("/team", "Prefix", "admin")],
                    [("auth-url", "https://$host/check")]),
            ingress("office", "shop.example.com", [("/office", "Prefix", "admin")],
                    [("whitelist-source-range", "10.0.0.0/8")]),
            ingress("moved", "moved.example.com", [("/", "Prefix", "admin")],
                    [("auth-url", "https://$host/check"),
                     ("permanent-redirect", "https://www.example.org/")]),
        ]

    def test_reported(self):
        self.assertIn('auth-url"]: access control not converted exactly', self.imported.stderr)
        self.assertIn("answer 403", self.imported.stderr)
        for key in ("auth-type", "whitelist-source-range"):
            self.assertIn('%s"]: converted to gwc policy AccessPolicy/' % key,
                          self.imported.stderr)

    def test_access_controlled_paths_are_not_served(self):
        for path in ("/admin", "/admin/x"):  # its Secret is not in the input
            self.assertEqual(self.get("shop.example.com", path).status, 500, path)
        for path in ("/team", "/office/a"):
            self.assertEqual(self.get("shop.example.com", path).status, 403, path)

    def test_other_ingresses_of_the_host_are_served(self):
        self.assertServed(self.get("shop.example.com", "/shop"), "web")

    def test_redirects_are_answered_before_access(self):
        self.assertRedirect(self.get("moved.example.com", "/x"), 301,
                            "https://www.example.org/")


if __name__ == "__main__":
    unittest.main()
