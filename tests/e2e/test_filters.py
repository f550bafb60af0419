"""End to end: HTTPRoute filters through gwc and real nginx."""
import unittest

from scenario import Backend, Scenario, served_by
from test_routing import GATEWAY, backends, route

HOST = "f.example.com"


class Filters(unittest.TestCase):
    MANIFESTS = GATEWAY + route("filters", r"""
  rules:
    - matches: [{path: {type: PathPrefix, value: /req}}]
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set: [{name: X-Set, value: set-value}, {name: X-Literal, value: "$host ${uri} \"quoted\" \\ end"}]
            add: [{name: X-Add, value: added}]
            remove: [X-Remove]
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /resp}}]
      filters:
        - type: ResponseHeaderModifier
          responseHeaderModifier:
            set: [{name: X-Header-Set, value: overwritten}]
            add: [{name: X-Header-Add, value: add-value}]
            remove: [X-Header-Remove]
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /strip}}]
      filters:
        - type: URLRewrite
          urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
      filters:
        - type: URLRewrite
          urlRewrite:
            hostname: rewritten.example.com
            path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /full}}]
      filters:
        - type: URLRewrite
          urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /redirect-https}}]
      filters:
        - type: RequestRedirect
          requestRedirect: {scheme: https, statusCode: 301}
    - matches: [{path: {type: PathPrefix, value: /redirect-host}}]
      filters:
        - type: RequestRedirect
          requestRedirect: {hostname: other.example.org, port: 8443, statusCode: 307}
    - matches: [{path: {type: PathPrefix, value: /old}}]
      filters:
        - type: RequestRedirect
          requestRedirect:
            path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}
            statusCode: 308
    - matches: [{path: {type: Exact, value: /moved}}]
      filters:
        - type: RequestRedirect
          requestRedirect:
            path: {type: ReplaceFullPath, replaceFullPath: /elsewhere}
            statusCode: 303
    - matches: [{path: {type: PathPrefix, value: /mirror}}]
      filters:
        - type: RequestMirror
          requestMirror: {backendRef: {name: mirror, port: 8080}}
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set: [{name: X-Mirrored, value: yes-please}]
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /cors}}]
      filters:
        - type: CORS
          cors:
            allowOrigins: ["https://app.example.com", "https://*.trusted.example"]
            allowMethods: [GET, PUT]
            allowHeaders: [X-Token]
            exposeHeaders: [X-Reply]
            allowCredentials: true
            maxAge: 600
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /cors-any}}]
      filters:
        - type: CORS
          cors:
            allowOrigins: ["*"]
            allowMethods: ["*"]
            allowHeaders: ["*"]
            exposeHeaders: ["*"]
            allowCredentials: true
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /cors-open}}]
      filters:
        - type: CORS
          cors: {allowOrigins: ["*"], allowMethods: [GET], exposeHeaders: ["*"]}
      backendRefs: [{name: echo, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /slow}}]
      timeouts: {request: 1s}
      backendRefs: [{name: echo, port: 8080}]
""", [HOST])

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, backends("echo", "mirror"))
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def get(self, path, **kw):
        return self.s.get(path, HOST, **kw)

    def seen(self, r, name):
        values = r.echo["headers"].get(name)
        return ",".join(values) if values else None

    def test_request_headers_set_add_remove(self):
        r = self.get("/req", headers={"X-Set": "client", "X-Add": "client", "X-Remove": "gone",
                                      "x-set": "client2"})
        self.assertEqual(self.seen(r, "X-Set"), "set-value")
        self.assertEqual(self.seen(r, "X-Add"), "client,added")
        self.assertIsNone(self.seen(r, "X-Remove"))
        r = self.get("/req")
        self.assertEqual(self.seen(r, "X-Add"), "added")

    def test_dollar_in_a_header_value_reaches_the_backend_literally(self):
        r = self.get("/req")
        self.assertEqual(self.seen(r, "X-Literal"), '$host ${uri} "quoted" \\ end')

    def test_response_headers_set_add_remove(self):
        r = self.get("/resp", headers={
            "X-Echo-Set-Header": "X-Header-Set:orig,X-Header-Add:orig,X-Header-Remove:orig"})
        self.assertEqual(r.header("X-Header-Set"), "overwritten")
        self.assertEqual(r.header_values("X-Header-Add"), ["orig", "add-value"])
        self.assertIsNone(r.header("X-Header-Remove"))

    def test_prefix_rewrite_table(self):
        for path, want in [("/strip", "/"), ("/strip/", "/"), ("/strip/a/b", "/a/b"),
                           ("/strip/a?x=1", "/a?x=1")]:
            self.assertEqual(self.get(path).echo["path"], want, path)

    def test_percent_encoding_is_forwarded_once_after_a_prefix_rewrite(self):
        r = self.get("/strip/a%20b?q=%20")
        self.assertEqual(r.echo["path"], "/a%20b?q=%20")
        # nginx decodes the path to match and rewrite it, then escapes again
        # only what its URI escaping covers: an escaped letter arrives decoded.
        self.assertEqual(self.get("/strip/a%41%23").echo["path"], "/aA%23")

    def test_hostname_and_prefix_rewrite(self):
        r = self.get("/prefix/one/two")
        self.assertEqual(r.echo["path"], "/one/two")
        self.assertEqual(r.echo["host"], "rewritten.example.com")

    def test_full_path_rewrite_keeps_the_query(self):
        self.assertEqual(self.get("/full/x/y?z=1").echo["path"], "/one?z=1")

    def test_scheme_redirect_drops_the_default_port(self):
        r = self.get("/redirect-https/a?b=1")
        self.assertEqual(r.status, 301)
        self.assertEqual(r.header("Location"), "https://f.example.com/redirect-https/a?b=1")

    def test_hostname_and_port_redirect_keeps_the_scheme(self):
        r = self.get("/redirect-host/x")
        self.assertEqual(r.status, 307)
        self.assertEqual(r.header("Location"), "http://other.example.org:8443/redirect-host/x")

    def test_prefix_redirect_keeps_raw_encoding(self):
        r = self.get("/old/a%20b/c?q=1")
        self.assertEqual(r.status, 308)
        self.assertEqual(r.header("Location"), "http://f.example.com/new/a%20b/c?q=1")
        self.assertEqual(self.get("/old").header("Location"), "http://f.example.com/new")

    def test_full_path_redirect(self):
        r = self.get("/moved")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "http://f.example.com/elsewhere")

    def test_mirror_gets_a_copy_with_the_modified_headers(self):
        mirror = self.s.backend("shop", "mirror")
        mirror.clear_log()
        r = self.get("/mirror/x?y=1")
        self.assertEqual(served_by(r), "echo")
        self.assertTrue(mirror.wait_for_log("Echoing back request made to /mirror/x?y=1",
                                            timeout=5))

    def test_cors_preflight_is_answered_by_the_gateway(self):
        r = self.s.request("/cors/x", HOST, method="OPTIONS", headers={
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT"})
        self.assertIn(r.status, (200, 204))
        self.assertIsNone(r.echo)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://app.example.com")
        self.assertEqual(r.header("Access-Control-Allow-Methods"), "GET, PUT")
        self.assertEqual(r.header("Access-Control-Allow-Headers"), "X-Token")
        self.assertEqual(r.header("Access-Control-Allow-Credentials"), "true")
        self.assertEqual(r.header("Access-Control-Max-Age"), "600")

    def test_cors_wildcard_origin_and_refusal(self):
        r = self.get("/cors/x", headers={"Origin": "https://a.b.trusted.example"})
        self.assertEqual(served_by(r), "echo")
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://a.b.trusted.example")
        self.assertEqual(r.header("Access-Control-Expose-Headers"), "X-Reply")
        r = self.get("/cors/x", headers={"Origin": "https://evil.example"})
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))

    def cors_headers(self, r):
        return sorted(n.lower() for n, _ in r.headers if n.lower().startswith("access-control-"))

    def preflight(self, path, origin, method="PUT", headers=None):
        fields = {"Origin": origin, "Access-Control-Request-Method": method}
        if headers:
            fields["Access-Control-Request-Headers"] = headers
        return self.s.request(path, HOST, method="OPTIONS", headers=fields)

    def test_cors_origin_not_allowed_gets_no_cors_headers(self):
        # HTTPCORSFilter.allowOrigins: an Origin that does not match gets a
        # response without the cross-origin response headers; a preflight
        # is answered 200/204 (or 403) by the gateway, without them too.
        for origin in ("https://evil.example", "http://app.example.com",
                       "https://app.example.com.evil.example", "https://trusted.example",
                       "https://evil.example#.trusted.example",
                       "https://evil.example/.trusted.example",
                       "https://app.example.com:8443", "null"):
            r = self.get("/cors/x", headers={"Origin": origin})
            self.assertEqual(served_by(r), "echo")
            self.assertEqual(self.cors_headers(r), [], origin)
            r = self.preflight("/cors/x", origin)
            self.assertIn(r.status, (200, 204, 403), origin)
            self.assertIsNone(r.echo)
            self.assertEqual(self.cors_headers(r), [], origin)
        self.assertEqual(self.cors_headers(self.get("/cors/x")), [])

    def test_cors_origin_allowed_gets_every_header(self):
        # The default port of the scheme is implied on both sides.
        r = self.get("/cors/x", headers={"Origin": "https://app.example.com:443"})
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://app.example.com:443")
        self.assertEqual(self.cors_headers(r), [
            "access-control-allow-credentials", "access-control-allow-headers",
            "access-control-allow-methods", "access-control-allow-origin",
            "access-control-expose-headers", "access-control-max-age"])

    def test_cors_wildcards_with_credentials_echo_the_request(self):
        # With allowCredentials, "*" is never sent: the Origin, method and
        # headers requested are echoed, and omitted when not requested.
        r = self.preflight("/cors-any", "https://x.example:8443", "DELETE", "X-A, X-B")
        self.assertIn(r.status, (200, 204))
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://x.example:8443")
        self.assertEqual(r.header("Access-Control-Allow-Methods"), "DELETE")
        self.assertEqual(r.header("Access-Control-Allow-Headers"), "X-A, X-B")
        self.assertEqual(r.header("Access-Control-Allow-Credentials"), "true")
        self.assertEqual(r.header("Access-Control-Max-Age"), "5")
        r = self.preflight("/cors-any", "https://x.example", "DELETE")
        self.assertIsNone(r.header("Access-Control-Allow-Headers"))
        r = self.get("/cors-any", headers={"Origin": "https://x.example"})
        for name, value in r.headers:
            self.assertNotEqual(value.strip(), "*", name)

    def test_cors_wildcard_origin_without_credentials(self):
        r = self.get("/cors-open", headers={"Origin": "https://x.example"})
        self.assertIn(r.header("Access-Control-Allow-Origin"), ("*", "https://x.example"))
        self.assertEqual(r.header("Access-Control-Expose-Headers"), "*")
        self.assertIsNone(r.header("Access-Control-Allow-Credentials"))

    def test_request_timeout_gives_504(self):
        self.assertEqual(self.get("/slow?delay=100ms").status, 200)
        self.assertEqual(self.get("/slow?delay=3s", timeout=10).status, 504)


class BackendLevelFilters(unittest.TestCase):
    MANIFESTS = GATEWAY + route("split", """
  rules:
    - backendRefs:
        - name: a
          port: 8080
          filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: X-Backend, value: a}]}
        - name: b
          port: 8080
          filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: X-Backend, value: b}]}
""", ["split.example.com"])

    def test_each_backend_gets_its_own_headers(self):
        with Scenario(self.MANIFESTS, backends("a", "b")) as s:
            seen = set()
            for _ in range(40):
                r = s.get("/x", "split.example.com")
                service = served_by(r)
                self.assertEqual(r.echo["headers"]["X-Backend"], [service])
                seen.add(service)
            self.assertEqual(seen, {"a", "b"})


if __name__ == "__main__":
    unittest.main()
