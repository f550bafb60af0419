"""End to end: what one tenant writes cannot change another tenant's routes,
and values reach nginx as the data they are (regexes, rewrite targets)."""
import unittest

from scenario import Backend, Scenario, served_by
from test_routing import GATEWAY, route

HOST = "shop.example.com"
SHARED_GATEWAY = GATEWAY + "      allowedRoutes: {namespaces: {from: All}}\n"


class NamedGroupsOfAnotherNamespace(unittest.TestCase):
    """Namespace c's regexes name groups after nginx variables that b's
    matches read ($http_x_admin, $args), after one nginx defines itself
    ($host: nginx -t fails when it becomes a capture), and after gwc's own
    ($gw_host: the Host sent upstream)."""

    MANIFESTS = SHARED_GATEWAY + route("b", """
  rules:
    - matches: [{path: {type: PathPrefix, value: /admin}, headers: [{name: x-admin, value: "yes"}]}]
      backendRefs: [{name: admin, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /search}, queryParams: [{name: q, value: shoes}]}]
      backendRefs: [{name: admin, port: 8080}]
""", [HOST], ns="b") + route("c", r"""
  rules:
    - matches:
        - path: {type: RegularExpression, value: "/x/(?<http_x_admin>.*)"}
        - path: {type: RegularExpression, value: "/y/(?'args'.*)"}
        - path: {type: RegularExpression, value: "/z/(?P<host>[a-z]+)/\\1"}
        - path: {type: PathPrefix, value: /c}
          headers: [{name: x-c, type: RegularExpression, value: "(?<gw_host>.*)"}]
      backendRefs: [{name: app, port: 8080}]
""", [HOST], ns="c")

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, [Backend("b", "admin"), Backend("c", "app")])
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def get(self, path, **kw):
        return self.s.get(path, HOST, **kw)

    def test_header_match_of_b_holds(self):
        r = self.get("/admin", headers={"X-Admin": "yes"})
        self.assertEqual((r.status, served_by(r)), (200, "admin"))
        self.assertEqual(self.get("/admin", headers={"X-Admin": "no"}).status, 404)

    def test_query_match_of_b_holds(self):
        r = self.get("/search?q=shoes")
        self.assertEqual((r.status, served_by(r)), (200, "admin"))
        self.assertEqual(self.get("/search?q=boots").status, 404)

    def test_regexes_of_c_still_match(self):
        for path in ("/x/anything", "/y/a", "/z/abc/abc"):
            r = self.get(path)
            self.assertEqual((r.status, served_by(r)), (200, "app"), path)
        # The numbered back-reference still refers to the renamed group.
        self.assertEqual(self.get("/z/abc/abd").status, 404)

    def test_a_capture_named_after_gwc_variables_changes_nothing(self):
        r = self.get("/c", headers={"X-C": "evil.example"})
        self.assertEqual((r.status, served_by(r)), (200, "app"))
        self.assertEqual(r.echo["host"], HOST)


class RewriteTargetsArePaths(unittest.TestCase):
    """URLRewrite values that look like URLs are paths: the request goes to
    the backend with exactly that value, never as a redirect to the client."""

    MANIFESTS = GATEWAY + route("r", r"""
  rules:
    - matches: [{path: {type: PathPrefix, value: /full}}]
      filters:
        - type: URLRewrite
          urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: "http://evil.example/"}}
      backendRefs: [{name: app, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /empty}}]
      filters:
        - type: URLRewrite
          urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: ""}}
      backendRefs: [{name: app, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /prefix}}]
      filters:
        - type: URLRewrite
          urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: "https://evil.example"}}
      backendRefs: [{name: app, port: 8080}]
""", [HOST])

    @classmethod
    def setUpClass(cls):
        cls.s = Scenario(cls.MANIFESTS, [Backend("shop", "app")])
        cls.s.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def forwarded(self, path):
        r = self.s.get(path, HOST)
        self.assertEqual((r.status, served_by(r)), (200, "app"), path)
        self.assertIsNone(r.header("Location"))
        return r.echo["path"]

    def test_a_url_as_full_path_is_forwarded_as_the_path(self):
        self.assertEqual(self.forwarded("/full/a?x=1"), "http://evil.example/?x=1")

    def test_an_empty_full_path_is_the_root(self):
        self.assertEqual(self.forwarded("/empty/a?x=1"), "/?x=1")

    def test_a_url_as_prefix_replacement_is_forwarded_as_the_path(self):
        self.assertEqual(self.forwarded("/prefix"), "https://evil.example")
        self.assertEqual(self.forwarded("/prefix/a/b"), "https://evil.example/a/b")


if __name__ == "__main__":
    unittest.main()
